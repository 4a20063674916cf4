export { RefineryConfig, effectivePreset, type RequirementSource, type ExcludeRule } from './schema.js';
export { parseConfig, loadConfigFile, DEFAULT_CONFIG_FILE } from './load.js';
export { applyFlags, type ScanFlags } from './flags.js';
