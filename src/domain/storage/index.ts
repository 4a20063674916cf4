export * from './store.js';
export { LocalWheelStore } from './local.js';
export { GitHubReleaseStore, type GitHubReleaseStoreOptions } from './github-release.js';
export { reuseWheel, type Reused } from './reuse.js';
export { parseStoreSpec, type StoreLocation } from './spec.js';
