import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  PLATFORM_POLICIES,
  PresetOverride,
  PythonVersion,
  external_exports,
  require_dist
} from "./chunk-5IHKWE6W.js";
import {
  RefineryError,
  __toESM
} from "./chunk-CZQUZSVW.js";

// src/config/schema.ts
var RequirementSource = external_exports.union([
  external_exports.strictObject({ file: external_exports.string().min(1).describe("A pip requirements file (may -r/-c include others).") }),
  external_exports.strictObject({ lock: external_exports.string().min(1).describe("A fully pinned requirements file (every line ==): used as is, no resolution.") }),
  external_exports.strictObject({ packages: external_exports.array(external_exports.string().min(1)).min(1).describe("Inline PEP 508 requirements.") })
]);
var ExtraIndex = external_exports.union([
  external_exports.string().url(),
  external_exports.strictObject({
    url: external_exports.string().url(),
    usernameEnv: external_exports.string().optional().describe("Name of the environment variable holding the user name."),
    passwordEnv: external_exports.string().optional().describe("Name of the environment variable holding the password or token.")
  })
]);
var ExcludeRule = external_exports.union([
  external_exports.string().min(1),
  external_exports.strictObject({ pattern: external_exports.string().min(1), reason: external_exports.string().optional() })
]);
var RefineryConfig = external_exports.strictObject({
  $schema: external_exports.string().optional(),
  version: external_exports.literal(1).default(1).describe("Config format version."),
  requirements: external_exports.array(RequirementSource).default([]).describe("Where the packages to provide come from."),
  targets: external_exports.strictObject({
    python: external_exports.array(PythonVersion).min(1).default(["3.12"]).describe("CPython minor versions to build for."),
    platform: external_exports.enum(PLATFORM_POLICIES).default("manylinux_2_28").describe("Platform policy of the wheels (s390x).")
  }).prefault({}),
  indexes: external_exports.strictObject({
    primary: external_exports.string().url().default("https://pypi.org/simple").describe("Like pip --index-url."),
    extra: external_exports.array(ExtraIndex).default([]).describe("Like pip --extra-index-url; files of all indexes are merged."),
    primaryUsernameEnv: external_exports.string().optional(),
    primaryPasswordEnv: external_exports.string().optional()
  }).prefault({}),
  expansion: external_exports.strictObject({
    maxDepth: external_exports.number().int().min(0).default(25).describe("Dependencies deeper than this are cut (0 = only what you list)."),
    maxPackages: external_exports.number().int().min(1).default(1e3).describe("At most this many packages per target; the rest are cut, deepest first.")
  }).prefault({}),
  include: external_exports.array(external_exports.string().min(1)).default([]).describe("If set, only packages matching one of these glob patterns are built."),
  exclude: external_exports.array(ExcludeRule).default([]).describe("Packages never built (glob patterns on normalized names, optional ==version)."),
  preset: external_exports.string().default("manylinux_2_28").describe("Default container preset for builds."),
  presets: external_exports.record(external_exports.string().regex(/^[A-Za-z0-9._-]+$/), PresetOverride).default({}).describe("Extra presets, or overrides of shipped ones (seeds/presets.yml); `extends` names a base preset."),
  runners: external_exports.strictObject({
    native: external_exports.array(external_exports.string()).default([]).describe("runs-on labels of native s390x runners; when set, units run there."),
    qemu: external_exports.array(external_exports.string()).min(1).default(["ubuntu-latest"]).describe("runs-on labels of x86 runners that build under QEMU.")
  }).prefault({}),
  limits: external_exports.strictObject({
    maxJobsPerMatrix: external_exports.number().int().min(1).max(256).default(256).describe("GitHub allows 256 jobs per matrix."),
    maxOutputBytes: external_exports.number().int().min(1024).default(9e5).describe("Job outputs are capped at 1 MB by GitHub."),
    maxUnits: external_exports.number().int().min(1).default(2e3),
    unitTimeoutMinutes: external_exports.number().min(1).default(180)
  }).prefault({}),
  state: external_exports.strictObject({ dir: external_exports.string().default(".refinery") }).prefault({}),
  cacheDir: external_exports.string().optional().describe("HTTP and download cache (default: ~/.cache/refinery).")
});

// src/config/load.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFile } from "node:fs/promises";
var DEFAULT_CONFIG_FILE = "refinery.yml";
function parseConfig(text, file) {
  const lineCounter = new import_yaml.LineCounter();
  const doc = (0, import_yaml.parseDocument)(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line2 = err.linePos?.[0]?.line;
    throw new RefineryError("config", `not valid YAML: ${err.message.split("\n")[0]}`, {
      location: { file, ...line2 ? { line: line2 } : {} },
      fix: "fix the YAML syntax at that line"
    });
  }
  const raw = doc.toJS() ?? {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new RefineryError("config", "the top level must be a mapping of keys (requirements, targets, ...)", {
      location: { file, line: 1 }
    });
  }
  const parsed = RefineryConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const issuePath = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
  const path = issuePath.map(String);
  const line = lineOf(doc.contents, issuePath, lineCounter);
  throw new RefineryError("config", describeIssue(issue), {
    location: { file, ...line ? { line } : {}, field: path.join(".") || "(top level)" },
    fix: "see schema/refinery.schema.json or docs/config.md for the allowed fields"
  });
}
async function loadConfigFile(file) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new RefineryError("config", `cannot read config: ${e.code ?? String(e)}`, {
      location: { file },
      fix: "pass --config with an existing file, or run without --config to use defaults"
    });
  }
  return parseConfig(text, file);
}
function describeIssue(issue) {
  if (issue.code === "unrecognized_keys") return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
  if (issue.code === "invalid_union") return "not one of the allowed forms (for requirements: {file}, {lock} or {packages})";
  return issue.message;
}
function lineOf(root, path, lc) {
  let node = root;
  let best = node?.range ? lc.linePos(node.range[0]).line : void 0;
  for (const key of path) {
    if ((0, import_yaml.isMap)(node)) {
      const pair = node.items.find((p) => p.key?.value === key);
      if (!pair) break;
      const keyNode = pair.key;
      if (keyNode?.range) best = lc.linePos(keyNode.range[0]).line;
      node = pair.value;
    } else if ((0, import_yaml.isSeq)(node) && typeof key === "number") {
      node = node.items[key];
    } else break;
    if (node?.range) best = lc.linePos(node.range[0]).line;
  }
  return best;
}

// src/config/flags.ts
function applyFlags(config, flags) {
  const out = structuredClone(config);
  if (flags.requirements?.length) out.requirements = flags.requirements.map((file) => ({ file }));
  if (flags.indexUrl) out.indexes.primary = flags.indexUrl;
  if (flags.extraIndexUrl?.length) out.indexes.extra = [...flags.extraIndexUrl];
  if (flags.python?.length) out.targets.python = [...new Set(flags.python)];
  if (flags.platform) out.targets.platform = flags.platform;
  return out;
}

// src/python/names.ts
var VALID_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;
function normalizeName(name) {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
function isValidName(name) {
  return VALID_NAME.test(name);
}

// src/adapters/fs.ts
import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
function stableJson(value) {
  return `${JSON.stringify(sortKeys(value), null, 2)}
`;
}
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object" && value.constructor === Object) {
    const out = {};
    for (const key of Object.keys(value).sort()) {
      const v = value[key];
      if (v !== void 0) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
async function writeFileAtomic(path, data, opts = {}) {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fh = await open(tmp, "w").catch(async (e) => {
    if (e.code !== "ENOENT") throw e;
    await mkdir(dirname(path), { recursive: true });
    return open(tmp, "w");
  });
  try {
    await fh.writeFile(data);
    if (opts.durable !== false) await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  await rename(tmp, path);
}
async function writeJsonAtomic(path, value) {
  await writeFileAtomic(path, stableJson(value));
}

export {
  RefineryConfig,
  DEFAULT_CONFIG_FILE,
  parseConfig,
  loadConfigFile,
  applyFlags,
  normalizeName,
  isValidName,
  stableJson,
  sortKeys,
  writeFileAtomic,
  writeJsonAtomic
};
