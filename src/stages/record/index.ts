// Record stage: merge build results into the state, then optionally commit the state back.
export { record, resultsToState, type RecordOptions, type RecordOutcome } from './record.js';
export { DEFAULT_RESULT_LIMITS, readResults, resultFacts, runId, RESULT_SUFFIX, type ResultFile, type ResultLimits } from './results.js';
export { commitStateWithGit, type GitCommitOptions, type GitCommitOutcome } from './commit-git.js';
export { commitStateWithApi, gitBlobSha, type ApiCommitOptions, type ApiCommitOutcome } from './commit-api.js';
