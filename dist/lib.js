import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  commitStateWithApi,
  commitStateWithGit
} from "./chunks/chunk-C5IZZ3RR.js";
import {
  runPipeline
} from "./chunks/chunk-MIJGWYSH.js";
import {
  GitHubReleaseStore,
  LocalWheelStore,
  record,
  reuseWheel
} from "./chunks/chunk-6X2VMRS5.js";
import {
  CutEntry,
  INVENTORY_STATUSES,
  Inventory,
  InventoryEntry,
  InventoryStatus,
  InventoryWarning
} from "./chunks/chunk-VKWZJCDT.js";
import {
  plan,
  planFromState
} from "./chunks/chunk-JMWQ5GL6.js";
import {
  Plan,
  PlanUnit,
  Runner,
  Shard
} from "./chunks/chunk-CCH6P5SG.js";
import {
  buildUnit,
  chooseExecutor,
  makeExecutor,
  unitFingerprint
} from "./chunks/chunk-RQUF7C3A.js";
import {
  IndexClient,
  isSdist,
  isWheel,
  parseSdistFilename,
  parseWheelFilename,
  scan,
  scanFromConfig,
  targetsOf
} from "./chunks/chunk-7FO562RD.js";
import "./chunks/chunk-YL7U2S3A.js";
import "./chunks/chunk-Q7N2TZGB.js";
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
  loadState,
  manifestFor,
  parseConfig,
  saveState,
  writeFileAtomic
} from "./chunks/chunk-K2CVZOKL.js";
import "./chunks/chunk-C6JUJJY6.js";
import "./chunks/chunk-WT5GDXBR.js";
import {
  Attempt,
  BUILD_PHASES,
  BuildPhase,
  BuildResult,
  FAILURE_CLASSES,
  FailureClass,
  PLATFORM_POLICIES,
  PlatformPolicy,
  PythonVersion,
  Target,
  WheelInfo,
  cpTag,
  policyLibc,
  targetId
} from "./chunks/chunk-56VPNN2N.js";
import {
  EXIT_CODES,
  RefineryError,
  isRefineryError
} from "./chunks/chunk-2Z5TIULM.js";
import "./chunks/chunk-WHY2Q3TU.js";

// src/publish/simple-index.ts
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
async function writeSimpleIndex(distDir, outDir) {
  const byProject = /* @__PURE__ */ new Map();
  const names = (await readdir(distDir)).filter((f) => isWheel(f) || isSdist(f)).sort();
  await mkdir(join(outDir, "files"), { recursive: true });
  for (const filename of names) {
    const project = isWheel(filename) ? parseWheelFilename(filename).name : parseSdistFilename(filename).name;
    const src = join(distDir, filename);
    await copyFile(src, join(outDir, "files", filename));
    const list = byProject.get(project) ?? [];
    list.push({ filename, sha256: await sha256Of(src) });
    byProject.set(project, list);
  }
  const projects = [...byProject.keys()].sort();
  await writeFileAtomic(
    join(outDir, "simple", "index.html"),
    page("Simple index", projects.map((p) => `<a href="${esc(p)}/">${esc(p)}</a>`))
  );
  for (const p of projects) {
    const links = byProject.get(p).map((f) => `<a href="../../files/${encodeURIComponent(f.filename)}#sha256=${f.sha256}">${esc(f.filename)}</a>`);
    await writeFileAtomic(join(outDir, "simple", p, "index.html"), page(`Links for ${p}`, links));
  }
  return { projects: projects.length, files: names.length };
}
function page(title, links) {
  return `<!DOCTYPE html>
<html>
<head><meta name="pypi:repository-version" content="1.0"><title>${esc(title)}</title></head>
<body>
${links.join("<br>\n")}
</body>
</html>
`;
}
function esc(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
async function sha256Of(path) {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) h.update(chunk);
  return h.digest("hex");
}
export {
  Attempt,
  BUILD_PHASES,
  BuildPhase,
  BuildResult,
  CutEntry,
  DEFAULT_CONFIG_FILE,
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
  WheelInfo,
  applyFlags,
  buildUnit,
  chooseExecutor,
  commitStateWithApi,
  commitStateWithGit,
  cpTag,
  dueQueueEntries,
  effectivePreset,
  findReusable,
  isRefineryError,
  knownFailing,
  learnedHints,
  loadConfigFile,
  loadState,
  makeExecutor,
  manifestFor,
  parseConfig,
  plan,
  planFromState,
  policyLibc,
  record,
  reuseWheel,
  runPipeline,
  saveState,
  scan,
  scanFromConfig,
  targetId,
  targetsOf,
  unitFingerprint,
  writeSimpleIndex
};
