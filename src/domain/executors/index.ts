/** Executors: where a build's commands run (container under QEMU, native s390x, or this host). */
export * from './types.js';
export * from './container.js';
export * from './host.js';
export * from './choose.js';
export * from './turbo.js';
