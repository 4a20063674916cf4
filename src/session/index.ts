export * from './config.js';
export * from './executor.js';
export * from './ad-hoc.js';
export * from './record.js';
export * from './session.js';
export * from './inputs.js';
