/** Hints: failure-log matchers with a class and remedies per package manager (seeds/hints.yml). */
export * from './schema.js';
export * from './catalog.js';
export * from './match.js';
export * from './remedy.js';
export * from './rust.js';
