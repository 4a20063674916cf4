/** The build stage: one plan unit -> wheel + result JSON + logs, with hint-driven retries. */
export * from './unit.js';
export * from './attempt.js';
export * from './fetch.js';
export * from './frontend.js';
export * from './smoke.js';
export * from './uv-seed.js';
