export { plan, type PlanDeps } from './plan.js';
export { shard } from './shards.js';
export { assignWaves } from './waves.js';
