import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  commitStateWithApi,
  commitStateWithGit
} from "./chunks/chunk-K3LVI7JN.js";
import {
  runPipeline
} from "./chunks/chunk-7KYUPR5F.js";
import {
  DEFAULT_RESULT_LIMITS,
  GitHubReleaseStore,
  LocalWheelStore,
  record,
  reuseWheel
} from "./chunks/chunk-NBFXOFJH.js";
import {
  publishSite,
  suggestFix,
  writeSimpleIndex
} from "./chunks/chunk-XQJF3MLG.js";
import {
  CutEntry,
  INVENTORY_STATUSES,
  Inventory,
  InventoryEntry,
  InventoryStatus,
  InventoryWarning
} from "./chunks/chunk-ERRC54TJ.js";
import {
  UV_VERSION,
  locateUv,
  plan,
  planFromState,
  provisionedUvPath
} from "./chunks/chunk-SFTXTDFY.js";
import {
  Plan,
  PlanUnit,
  Runner,
  Shard
} from "./chunks/chunk-J52KW6KV.js";
import {
  buildUnit,
  chooseExecutor,
  makeExecutor,
  unitFingerprint
} from "./chunks/chunk-OK4ZYHVC.js";
import {
  IndexClient,
  scan,
  scanFromConfig,
  targetsOf
} from "./chunks/chunk-5RNAZF3E.js";
import "./chunks/chunk-RYNH5UWE.js";
import "./chunks/chunk-LOLMKOCG.js";
import {
  DEFAULT_CONFIG_FILE,
  RefineryConfig,
  applyFlags,
  dueQueueEntries,
  effectivePreset,
  findReusable,
  knownFailing,
  learnedHints,
  loadConfigFile,
  manifestFor,
  parseConfig,
  saveState,
  withStateLock
} from "./chunks/chunk-B3SVX456.js";
import {
  loadState
} from "./chunks/chunk-3LOFCYLJ.js";
import "./chunks/chunk-NTQ7ZETI.js";
import "./chunks/chunk-U7XWDEL6.js";
import {
  PLATFORM_POLICIES,
  PlatformPolicy,
  PythonVersion,
  Target,
  cpTag,
  policyLibc,
  targetId
} from "./chunks/chunk-WVSMWCXV.js";
import {
  Attempt,
  BUILD_PHASES,
  BuildPhase,
  BuildResult,
  FAILURE_CLASSES,
  FailureClass,
  WheelInfo,
  wheelMismatch
} from "./chunks/chunk-UNLQIFJ6.js";
import {
  CancelledError,
  EXIT_CODES,
  RefineryError,
  excerpt,
  isRefineryError,
  printablePath
} from "./chunks/chunk-FLRCTOVA.js";
import "./chunks/chunk-WHY2Q3TU.js";
export {
  Attempt,
  BUILD_PHASES,
  BuildPhase,
  BuildResult,
  CancelledError,
  CutEntry,
  DEFAULT_CONFIG_FILE,
  DEFAULT_RESULT_LIMITS,
  EXIT_CODES,
  FAILURE_CLASSES,
  FailureClass,
  GitHubReleaseStore,
  INVENTORY_STATUSES,
  IndexClient,
  Inventory,
  InventoryEntry,
  InventoryStatus,
  InventoryWarning,
  LocalWheelStore,
  PLATFORM_POLICIES,
  Plan,
  PlanUnit,
  PlatformPolicy,
  PythonVersion,
  RefineryConfig,
  RefineryError,
  Runner,
  Shard,
  Target,
  UV_VERSION,
  WheelInfo,
  applyFlags,
  buildUnit,
  chooseExecutor,
  commitStateWithApi,
  commitStateWithGit,
  cpTag,
  dueQueueEntries,
  effectivePreset,
  excerpt,
  findReusable,
  isRefineryError,
  knownFailing,
  learnedHints,
  loadConfigFile,
  loadState,
  locateUv,
  makeExecutor,
  manifestFor,
  parseConfig,
  plan,
  planFromState,
  policyLibc,
  printablePath,
  provisionedUvPath,
  publishSite,
  record,
  reuseWheel,
  runPipeline,
  saveState,
  scan,
  scanFromConfig,
  suggestFix,
  targetId,
  targetsOf,
  unitFingerprint,
  wheelMismatch,
  withStateLock,
  writeSimpleIndex
};
