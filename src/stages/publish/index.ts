// The publish stage: the state as a static site (index, dashboard, package pages, API, metrics, exports).
export { publishSite, type PublishOptions, type PublishOutcome } from './publish.js';
export { writeSimpleIndex, API_VERSION } from './simple-index.js';
export { esc, safeHttpUrl } from './html.js';
export { suggestFix, newFileUrl, type SuggestOptions, type Suggestion } from './suggest.js';
export type { Withdrawal } from './wheels.js';
