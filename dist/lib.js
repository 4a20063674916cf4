import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  commitStateWithApi,
  commitStateWithGit
} from "./chunks/chunk-AK7ANEC7.js";
import {
  runPipeline
} from "./chunks/chunk-M67BQAUK.js";
import {
  DEFAULT_RESULT_LIMITS,
  GitHubReleaseStore,
  LocalWheelStore,
  record,
  reuseWheel
} from "./chunks/chunk-QQV7QN46.js";
import {
  publishSite,
  suggestFix,
  writeSimpleIndex
} from "./chunks/chunk-7YW3IQOV.js";
import {
  CutEntry,
  INVENTORY_STATUSES,
  Inventory,
  InventoryEntry,
  InventoryStatus,
  InventoryWarning
} from "./chunks/chunk-G4LA5HSN.js";
import {
  UV_VERSION,
  locateUv,
  plan,
  planFromState,
  provisionedUvPath
} from "./chunks/chunk-S5LGE7SM.js";
import {
  Plan,
  PlanUnit,
  Runner,
  Shard
} from "./chunks/chunk-RMYTQZA6.js";
import {
  buildUnit,
  chooseExecutor,
  makeExecutor,
  unitFingerprint
} from "./chunks/chunk-YC34CZXT.js";
import {
  IndexClient,
  scan,
  scanFromConfig,
  targetsOf
} from "./chunks/chunk-BLU36D3Z.js";
import "./chunks/chunk-RYNH5UWE.js";
import "./chunks/chunk-DKS6H6QQ.js";
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
} from "./chunks/chunk-TH7WXAOF.js";
import {
  loadState
} from "./chunks/chunk-ICBVWXXB.js";
import "./chunks/chunk-RZJ3WXD5.js";
import "./chunks/chunk-CM6FYEPX.js";
import {
  PLATFORM_POLICIES,
  PlatformPolicy,
  PythonVersion,
  Target,
  cpTag,
  policyLibc,
  targetId
} from "./chunks/chunk-572IHGGD.js";
import {
  Attempt,
  BUILD_PHASES,
  BuildPhase,
  BuildResult,
  FAILURE_CLASSES,
  FailureClass,
  WheelInfo,
  wheelMismatch
} from "./chunks/chunk-XQTQ6XJF.js";
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
