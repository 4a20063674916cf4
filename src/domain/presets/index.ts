export * from './load.js';
export * from './seeds.js';
