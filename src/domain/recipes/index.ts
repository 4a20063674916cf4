export * from './load.js';
export * from './build-info.js';
