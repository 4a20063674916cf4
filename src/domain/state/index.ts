// The state's public surface: load and query (scan, plan), merge and save (record), queue facts.
export * from './types.js';
export * from './schema.js';
export { DEFAULT_STATE_DIR, historyFile, packageFile, MARKER_FILE } from './layout.js';
export { loadState, parsePackage, parseStateFiles, readStateFiles } from './load.js';
export { saveState, recoverState } from './write.js';
export { withStateLock, DEFAULT_LOCK_WAIT_MS, DEFAULT_LOCK_STALE_MS, type StateLockOptions } from './lock.js';
export { mergePackage, mergeState, normalizePackage } from './merge.js';
export { backoffSeconds } from './derive.js';
export {
  allQueueEntries,
  dueQueueEntries,
  durationEstimate,
  durationEvidence,
  findReusable,
  knownFailing,
  learnedHints,
  manifestFor,
  type RunLike,
} from './queries.js';
export { dropQueued, requestBuild, withdrawWheels } from './queue.js';
export { historyText, packageFileText, stateFiles } from './serialize.js';
