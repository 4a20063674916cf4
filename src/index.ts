/** The refinery as a library: every stage is a plain function over typed data. */
export * from './errors.js';
export * from './model/target.js';
export * from './model/inventory.js';
export * from './model/plan.js';
export * from './model/result.js';
export * from './config/index.js';
export { scan, targetsOf, type ScanServices } from './scan/scan.js';
export { plan, type PlanDeps } from './plan/index.js';
export { writeSimpleIndex } from './publish/simple-index.js';
