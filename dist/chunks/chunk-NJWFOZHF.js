import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  BuildPhase,
  FailureClass,
  PLATFORM_POLICIES,
  PresetOverride,
  PythonVersion,
  external_exports,
  require_dist
} from "./chunk-56VPNN2N.js";
import {
  RefineryError
} from "./chunk-2Z5TIULM.js";
import {
  __toESM
} from "./chunk-WHY2Q3TU.js";

// src/config/schema.ts
var DEFAULT_PRIMARY_INDEX = "https://pypi.org/simple";
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
    primary: external_exports.string().url().default(DEFAULT_PRIMARY_INDEX).describe("Like pip --index-url."),
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
  preset: external_exports.string().optional().describe("Container preset for builds (default: the preset named like targets.platform; debian-12 for linux)."),
  presets: external_exports.record(external_exports.string().regex(/^[A-Za-z0-9._-]+$/), PresetOverride).default({}).describe("Extra presets, or overrides of shipped ones (seeds/presets.yml); `extends` names a base preset."),
  runners: external_exports.strictObject({
    native: external_exports.array(external_exports.string()).default([]).describe("runs-on labels of native s390x runners; when set, units run there."),
    qemu: external_exports.array(external_exports.string()).min(1).default(["ubuntu-latest"]).describe("runs-on labels of x86 runners that build under QEMU.")
  }).prefault({}),
  limits: external_exports.strictObject({
    maxJobsPerMatrix: external_exports.number().int().min(1).max(256).default(256).describe("GitHub allows 256 jobs per matrix."),
    maxOutputBytes: external_exports.number().int().min(1024).default(9e5).describe("Job outputs are capped at 1 MB by GitHub."),
    maxUnits: external_exports.number().int().min(1).default(2e3),
    unitTimeoutMinutes: external_exports.number().min(1).default(180),
    maxParallel: external_exports.number().int().min(1).max(256).default(20).describe("Build jobs GitHub runs at once (the workflow max-parallel); each wave is packed into at most this many batches."),
    jobTimeoutMinutes: external_exports.number().min(1).default(360).describe("The runner's job time limit (360 on GitHub-hosted runners): a batch stays under it.")
  }).prefault({}),
  state: external_exports.strictObject({ dir: external_exports.string().default(".refinery") }).prefault({}),
  cacheDir: external_exports.string().optional().describe("HTTP and download cache (default: ~/.cache/refinery).")
});
function effectivePreset(config) {
  if (config.preset) return config.preset;
  return config.targets.platform === "linux" ? "debian-12" : config.targets.platform;
}

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
  const parsed = RefineryConfig.safeParse(raw, { jitless: true });
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
  if (flags.indexUrl && flags.indexUrl !== out.indexes.primary) {
    out.indexes.primary = flags.indexUrl;
    delete out.indexes.primaryUsernameEnv;
    delete out.indexes.primaryPasswordEnv;
  }
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

// src/state/load.ts
import { readdir, readFile as readFile2 } from "node:fs/promises";
import { join } from "node:path";

// src/adapters/fs.ts
import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, open, rename, rm, writeFile } from "node:fs/promises";
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
  const write = opts.durable === false ? () => writeFile(tmp, data) : () => writeDurably(tmp, data);
  try {
    await write().catch(async (e) => {
      if (e.code !== "ENOENT") throw e;
      await mkdir(dirname(path), { recursive: true });
      await write();
    });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
var cacheWrites = 0;
function writeCacheFileSync(path, data) {
  const tmp = `${path}.${process.pid}.${++cacheWrites}.tmp`;
  try {
    try {
      writeFileSync(tmp, data);
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(tmp, data);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
async function writeDurably(path, data) {
  const fh = await open(path, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
async function writeJsonAtomic(path, value) {
  await writeFileAtomic(path, stableJson(value));
}

// src/state/canonical.ts
function canonicalLine(value) {
  return JSON.stringify(sortKeys(value));
}
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function ms(iso2) {
  return Date.parse(iso2);
}
function cmpTime(a, b) {
  return ms(a) - ms(b) || cmp(a, b);
}
function unionBy(items, key, prefer) {
  const out = /* @__PURE__ */ new Map();
  for (const item of items) {
    const k = key(item);
    const have = out.get(k);
    if (have === void 0) {
      out.set(k, item);
      continue;
    }
    const order = prefer?.(item, have) || cmp(canonicalLine(item), canonicalLine(have));
    if (order < 0) out.set(k, item);
  }
  return out;
}

// src/state/layout.ts
var MARKER_FILE = "state.json";
var PACKAGES_DIR = "packages";
var HISTORY_DIR = "history";
var JOURNAL_FILE = ".journal.json";
var GITIGNORE_FILE = ".gitignore";
var GITIGNORE_TEXT = "# written by refinery: crash-recovery journal and temp files are never committed\n.journal.json\n*.tmp\n";
var packageFile = (name) => `${PACKAGES_DIR}/${name}.json`;
var historyFile = (name) => `${HISTORY_DIR}/${name}.jsonl`;
function packageOfFile(rel) {
  const p = /^packages\/([a-z0-9-]+)\.json$/.exec(rel);
  if (p) return { name: p[1], kind: "package" };
  const h = /^history\/([a-z0-9-]+)\.jsonl$/.exec(rel);
  if (h) return { name: h[1], kind: "history" };
  return void 0;
}

// src/state/derive.ts
function groupRuns(history) {
  const byRun = /* @__PURE__ */ new Map();
  for (const h of history) {
    const list = byRun.get(h.run);
    if (list) list.push(h);
    else byRun.set(h.run, [h]);
  }
  const runs = [];
  for (const [run, list] of byRun) {
    list.sort((a, b) => a.attempt - b.attempt);
    const last = list[list.length - 1];
    const finishedAt = list.reduce((t, h) => cmpTime(h.finishedAt, t) > 0 ? h.finishedAt : t, last.finishedAt);
    runs.push({
      run,
      unit: last.unit,
      version: last.version,
      variant: last.variant,
      targets: last.targets,
      preset: last.preset,
      outcome: last.outcome,
      finishedAt,
      inputsFingerprint: last.inputsFingerprint,
      attempts: list
    });
  }
  return runs.sort((a, b) => cmpTime(a.finishedAt, b.finishedAt) || cmp(a.run, b.run));
}
function deriveHints(runs) {
  const byHint = /* @__PURE__ */ new Map();
  for (const r of runs) {
    if (r.outcome !== "success") continue;
    const first = r.attempts[0];
    const final = r.attempts[r.attempts.length - 1];
    if (final.status !== "success") continue;
    const before = new Set(first.hintsApplied);
    for (const hint of final.hintsApplied) {
      if (before.has(hint)) continue;
      const firstWith = r.attempts.find((a) => a.hintsApplied.includes(hint));
      const failed = [...r.attempts].reverse().find((a) => a.attempt < firstWith.attempt && a.status === "failure") ?? first;
      const evidence = byHint.get(hint) ?? [];
      evidence.push({
        run: r.run,
        unit: r.unit,
        version: r.version,
        failedAttempt: failed.attempt,
        failureClass: failed.failureClass,
        succeededAttempt: final.attempt,
        at: final.finishedAt
      });
      byHint.set(hint, evidence);
    }
  }
  return [...byHint.entries()].sort(([a], [b]) => cmp(a, b)).map(([hint, evidence]) => ({ hint, evidence: evidence.sort((a, b) => cmpTime(a.at, b.at) || cmp(a.run, b.run)) }));
}
function backoffSeconds(policy, failures) {
  return Math.min(policy.maxSeconds, policy.baseSeconds * policy.factor ** Math.max(0, failures - 1));
}
var iso = (t) => new Date(t).toISOString();
function deriveFailuresAndQueue(pkg, runs, hints, policy) {
  const learned = hints.map((h) => h.hint);
  const byUnit = /* @__PURE__ */ new Map();
  for (const r of runs) {
    const list = byUnit.get(r.unit);
    if (list) list.push(r);
    else byUnit.set(r.unit, [r]);
  }
  const knownFailing2 = [];
  const queue = [];
  for (const [unit, unitRuns] of byUnit) {
    const last = unitRuns[unitRuns.length - 1];
    if (last.outcome === "success") continue;
    const fixedElsewhere = runs.some((r) => r.outcome === "success" && r.version === last.version && r.variant === last.variant && cmpTime(r.finishedAt, last.finishedAt) > 0);
    if (fixedElsewhere) continue;
    const streak = [];
    for (let i = unitRuns.length - 1; i >= 0 && unitRuns[i].outcome === "failure"; i--) streak.push(unitRuns[i]);
    const final = last.attempts[last.attempts.length - 1];
    const tried = new Set(streak.flatMap((r) => r.attempts.flatMap((a) => a.hintsApplied)));
    const matchedBefore = new Set(streak.slice(1).flatMap((r) => r.attempts.flatMap((a) => a.matchedHint ? [a.matchedHint] : [])));
    const candidates = [...learned, ...final.matchedHint && !matchedBefore.has(final.matchedHint) ? [final.matchedHint] : []];
    const newHints = [...new Set(candidates.filter((h) => !tried.has(h)))].sort(cmp);
    const dropped = pkg.drops.some(
      (d) => d.version === last.version && (d.unit === void 0 || d.unit === unit) && ms(d.at) >= ms(last.finishedAt)
    );
    const transient = final.failureClass !== void 0 && policy.retryClasses.includes(final.failureClass);
    let retry = "none";
    if (!dropped && (newHints.length > 0 || transient)) {
      const failures = streak.length;
      const byHint = newHints.length > 0;
      const gaveUp = failures >= policy.maxFailures;
      retry = gaveUp ? "gave-up" : "queued";
      queue.push({
        package: pkg.name,
        version: last.version,
        unit,
        variant: last.variant,
        targets: last.targets,
        preset: last.preset,
        reason: byHint ? "new-hint" : "transient",
        failureClass: final.failureClass,
        failures,
        lastRun: last.run,
        lastFailedAt: last.finishedAt,
        // A new remedy is worth trying at once; a transient failure waits, longer each time.
        nextEligibleAt: byHint ? iso(ms(last.finishedAt)) : iso(ms(last.finishedAt) + backoffSeconds(policy, failures) * 1e3),
        status: gaveUp ? "gave-up" : "waiting",
        hints: newHints
      });
    }
    knownFailing2.push({
      version: last.version,
      unit,
      variant: last.variant,
      run: last.run,
      attempt: final.attempt,
      failureClass: final.failureClass,
      phase: final.phase,
      matchedHint: final.matchedHint,
      preset: last.preset,
      hintsApplied: [...final.hintsApplied].sort(cmp),
      inputsFingerprint: last.inputsFingerprint,
      at: last.finishedAt,
      retry
    });
  }
  const pending = /* @__PURE__ */ new Map();
  for (const r of pkg.requests) {
    const served = runs.some((run) => run.version === r.version && (r.variant === void 0 || run.variant === r.variant) && ms(run.finishedAt) > ms(r.at));
    const dropped = pkg.drops.some((d) => d.version === r.version && d.unit === void 0 && ms(d.at) >= ms(r.at));
    if (served || dropped) continue;
    const key = `${r.version}\0${r.variant ?? ""}`;
    const have = pending.get(key);
    if (!have || cmpTime(r.at, have.at) < 0 || cmpTime(r.at, have.at) === 0 && cmp(r.note ?? "", have.note ?? "") < 0) {
      pending.set(key, { version: r.version, variant: r.variant, at: r.at, note: r.note });
    }
  }
  for (const p of pending.values()) {
    queue.push({
      package: pkg.name,
      version: p.version,
      variant: p.variant,
      reason: "requested",
      failures: 0,
      nextEligibleAt: iso(ms(p.at)),
      status: "waiting",
      hints: [],
      note: p.note
    });
  }
  knownFailing2.sort((a, b) => cmp(a.version, b.version) || cmp(a.unit, b.unit));
  queue.sort((a, b) => cmp(a.version, b.version) || cmp(a.unit ?? "", b.unit ?? "") || cmp(a.variant ?? "", b.variant ?? "") || cmp(a.reason, b.reason));
  return { knownFailing: knownFailing2, queue };
}

// src/state/types.ts
var DEFAULT_RETRY_POLICY = {
  baseSeconds: 3600,
  factor: 2,
  maxSeconds: 7 * 24 * 3600,
  maxFailures: 4,
  retryClasses: ["transient", "qemu-fault", "timeout"]
};
function emptyState() {
  return { packages: /* @__PURE__ */ new Map() };
}
function emptyPackage(name) {
  return { name, manifest: [], history: [], requests: [], drops: [], hints: [], knownFailing: [], queue: [] };
}

// src/state/merge.ts
var historyKey = (h) => `${h.run}#${h.attempt}`;
var manifestKey = (m) => `${m.filename}\0${m.inputsFingerprint}`;
var requestKey = (r) => `${r.version}\0${r.variant ?? ""}\0${r.at}\0${r.note ?? ""}`;
var dropKey = (d) => `${d.version}\0${d.unit ?? ""}\0${d.at}`;
var preferManifest = (a, b) => Number(a.storage.kind === "none") - Number(b.storage.kind === "none") || cmpTime(a.builtAt, b.builtAt) || cmp(a.run, b.run);
function normalizePackage(pkg, policy = DEFAULT_RETRY_POLICY) {
  const history = [...unionBy(pkg.history, historyKey).values()].sort(
    (a, b) => cmpTime(a.startedAt, b.startedAt) || cmp(a.run, b.run) || a.attempt - b.attempt
  );
  const manifest = [...unionBy(pkg.manifest, manifestKey, preferManifest).values()].sort(
    (a, b) => cmpTime(a.builtAt, b.builtAt) || cmp(a.filename, b.filename) || cmp(a.inputsFingerprint, b.inputsFingerprint)
  );
  const requests = [...unionBy(pkg.requests, requestKey).values()].sort((a, b) => cmpTime(a.at, b.at) || cmp(requestKey(a), requestKey(b)));
  const drops = [...unionBy(pkg.drops, dropKey).values()].sort((a, b) => cmpTime(a.at, b.at) || cmp(dropKey(a), dropKey(b)));
  const runs = groupRuns(history);
  const hints = deriveHints(runs);
  const { knownFailing: knownFailing2, queue } = deriveFailuresAndQueue({ name: pkg.name, requests, drops }, runs, hints, policy);
  return { name: pkg.name, manifest, history, requests, drops, hints, knownFailing: knownFailing2, queue };
}
function mergePackage(a, b, policy) {
  return normalizePackage(
    {
      ...emptyPackage(a.name),
      manifest: [...a.manifest, ...b.manifest],
      history: [...a.history, ...b.history],
      requests: [...a.requests, ...b.requests],
      drops: [...a.drops, ...b.drops]
    },
    policy
  );
}
function mergeState(a, b, policy) {
  const packages = new Map(a.packages);
  const changed = /* @__PURE__ */ new Set();
  for (const [name, pb] of b.packages) {
    const pa = packages.get(name);
    packages.set(name, pa ? mergePackage(pa, pb, policy) : normalizePackage(pb, policy));
    changed.add(name);
  }
  return { state: { packages }, changed };
}

// src/state/migrate.ts
var MIGRATIONS = {};
function upgrade(raw, current, file, migrations = MIGRATIONS) {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    throw new RefineryError("state", "expected a JSON object", { location: { file }, fix: restoreFix });
  }
  let obj = raw;
  const [kind, wantText] = current.split("@");
  const want = Number(wantText);
  for (; ; ) {
    const schema = obj.schema;
    if (schema === current) return obj;
    const m = typeof schema === "string" ? /^(refinery\/[a-z]+)@(\d+)$/.exec(schema) : null;
    if (!m || m[1] !== kind) {
      throw new RefineryError("state", `the schema field is ${JSON.stringify(schema)}, expected "${current}"`, {
        location: { file, field: "schema" },
        fix: restoreFix
      });
    }
    const have = Number(m[2]);
    if (have > want) {
      throw new RefineryError("state", `written by a newer refinery (${String(schema)}); this one reads up to ${current}`, {
        location: { file, field: "schema" },
        fix: "upgrade refinery before recording into this state"
      });
    }
    const step = migrations[schema];
    if (!step) {
      throw new RefineryError("state", `no migration from ${String(schema)} to ${current}`, { location: { file, field: "schema" }, fix: restoreFix });
    }
    obj = step(obj);
  }
}
var restoreFix = "restore the file from git (git checkout -- <file>) or fix the named field by hand";

// src/state/schema.ts
var STATE_SCHEMA = "refinery/state@1";
var PACKAGE_SCHEMA = "refinery/package@1";
var HISTORY_SCHEMA = "refinery/history@1";
var Sha256Hex = external_exports.string().regex(/^[0-9a-f]{64}$/, "a lowercase hex sha256");
var Timestamp = external_exports.iso.datetime({ offset: true }).describe("ISO 8601 time, e.g. 2026-01-01T12:00:00.000Z");
var PackageName = external_exports.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "a PEP 503 normalized name");
var StateMarker = external_exports.strictObject({
  schema: external_exports.literal(STATE_SCHEMA),
  /** Free text pointing readers at the docs; not interpreted. */
  about: external_exports.string().optional()
});
var StorageRef = external_exports.strictObject({
  kind: external_exports.enum(["none", "local", "github-release", "actions-cache"]),
  /** local: path relative to the store root; github-release: asset download URL; actions-cache: key. */
  location: external_exports.string().optional(),
  /** github-release: asset id, to download through the API. */
  assetId: external_exports.number().int().optional()
});
var ManifestEntry = external_exports.strictObject({
  name: PackageName,
  version: external_exports.string().min(1),
  filename: external_exports.string().min(1),
  tags: external_exports.array(external_exports.string()),
  targets: external_exports.array(external_exports.string()),
  /** The unit's python: "3.12", "abi3" or "py3". */
  variant: external_exports.string(),
  sha256: Sha256Hex,
  size: external_exports.number().int().nonnegative(),
  preset: external_exports.string(),
  executor: external_exports.enum(["container", "native", "host"]),
  image: external_exports.string().optional(),
  imageDigest: external_exports.string().optional(),
  builtAt: Timestamp,
  inputsFingerprint: external_exports.string().min(1),
  unit: external_exports.string(),
  /** History run that produced it. */
  run: external_exports.string(),
  sdist: external_exports.strictObject({ filename: external_exports.string(), sha256: external_exports.string() }),
  storage: StorageRef
});
var HistoryEntry = external_exports.strictObject({
  package: PackageName,
  version: external_exports.string().min(1),
  unit: external_exports.string(),
  variant: external_exports.string(),
  targets: external_exports.array(external_exports.string()),
  /** Stable id of the build result this attempt came from (same result recorded twice: same id). */
  run: external_exports.string().regex(/^[0-9a-f]{16}$/),
  attempt: external_exports.number().int().positive(),
  /** Number of attempts in the run; attempt === attempts is the run's last one. */
  attempts: external_exports.number().int().positive(),
  /** Outcome of the whole run. */
  outcome: external_exports.enum(["success", "failure"]),
  status: external_exports.enum(["success", "failure"]),
  startedAt: Timestamp,
  finishedAt: Timestamp,
  durationMs: external_exports.number().nonnegative(),
  phase: BuildPhase.optional(),
  failureClass: FailureClass.optional(),
  matchedHint: external_exports.string().optional(),
  hintsApplied: external_exports.array(external_exports.string()),
  killed: external_exports.boolean(),
  executor: external_exports.enum(["container", "native", "host"]),
  preset: external_exports.string(),
  imageDigest: external_exports.string().optional(),
  runner: external_exports.string().optional(),
  runUrl: external_exports.string().optional(),
  log: external_exports.string().optional(),
  inputsFingerprint: external_exports.string().min(1)
});
var HistoryHeader = external_exports.strictObject({ schema: external_exports.literal(HISTORY_SCHEMA), package: PackageName });
var LearnedHint = external_exports.strictObject({
  hint: external_exports.string(),
  evidence: external_exports.array(
    external_exports.strictObject({
      run: external_exports.string(),
      unit: external_exports.string(),
      version: external_exports.string(),
      /** The attempt that failed before the hint was applied. */
      failedAttempt: external_exports.number().int().positive(),
      failureClass: FailureClass.optional(),
      /** The attempt that succeeded with the hint. */
      succeededAttempt: external_exports.number().int().positive(),
      at: Timestamp
    })
  )
});
var KnownFailing = external_exports.strictObject({
  version: external_exports.string(),
  unit: external_exports.string(),
  variant: external_exports.string(),
  run: external_exports.string(),
  /** The final (failing) attempt of that run. */
  attempt: external_exports.number().int().positive(),
  failureClass: FailureClass.optional(),
  phase: BuildPhase.optional(),
  matchedHint: external_exports.string().optional(),
  preset: external_exports.string(),
  /** Hints in force at the failing attempt: a plan with other hints has changed inputs. */
  hintsApplied: external_exports.array(external_exports.string()),
  inputsFingerprint: external_exports.string(),
  at: Timestamp,
  /** queued: a retry is waiting in the queue; gave-up: retries exhausted; none: not worth retrying. */
  retry: external_exports.enum(["queued", "gave-up", "none"])
});
var QueueEntry = external_exports.strictObject({
  package: PackageName,
  version: external_exports.string(),
  /** Absent for a request made by hand before any unit existed; plan picks the units. */
  unit: external_exports.string().optional(),
  variant: external_exports.string().optional(),
  targets: external_exports.array(external_exports.string()).optional(),
  preset: external_exports.string().optional(),
  reason: external_exports.enum(["transient", "new-hint", "requested"]),
  failureClass: FailureClass.optional(),
  /** Consecutive failed runs since the last success. */
  failures: external_exports.number().int().nonnegative(),
  lastRun: external_exports.string().optional(),
  lastFailedAt: Timestamp.optional(),
  nextEligibleAt: Timestamp,
  status: external_exports.enum(["waiting", "gave-up"]),
  /** Hints not yet tried that the retry should apply. */
  hints: external_exports.array(external_exports.string()),
  note: external_exports.string().optional()
});
var QueueRequest = external_exports.strictObject({
  version: external_exports.string().min(1),
  variant: external_exports.string().optional(),
  at: Timestamp,
  note: external_exports.string().optional()
});
var QueueDrop = external_exports.strictObject({
  version: external_exports.string().min(1),
  unit: external_exports.string().optional(),
  at: Timestamp
});
var PackageFile = external_exports.strictObject({
  schema: external_exports.literal(PACKAGE_SCHEMA),
  name: PackageName,
  manifest: external_exports.array(ManifestEntry),
  requests: external_exports.array(QueueRequest),
  drops: external_exports.array(QueueDrop),
  hints: external_exports.array(LearnedHint),
  knownFailing: external_exports.array(KnownFailing),
  queue: external_exports.array(QueueEntry)
});
var Journal = external_exports.strictObject({
  schema: external_exports.literal("refinery/journal@2"),
  renames: external_exports.array(
    external_exports.tuple([external_exports.string(), external_exports.string()]).refine(([tmp, rel]) => /^(state\.json|\.gitignore|packages\/[a-z0-9-]+\.json|history\/[a-z0-9-]+\.jsonl)$/.test(rel) && tmp.startsWith(`${rel}.`) && tmp.endsWith(".tmp") && !tmp.includes("/.."), "a rename of a temp file onto a state file")
  )
});

// src/state/load.ts
async function loadState(dir) {
  const files = await readStateFiles(dir);
  if (!files) return emptyState();
  return parseStateFiles(files, (rel) => join(dir, rel));
}
async function readStateFiles(dir) {
  let top;
  try {
    top = await readdir(dir);
  } catch (e) {
    if (e.code === "ENOENT") return void 0;
    throw new RefineryError("state", `cannot read the state folder: ${e.code ?? String(e)}`, { location: { file: dir } });
  }
  const rels = [];
  if (top.includes(MARKER_FILE)) rels.push(MARKER_FILE);
  for (const [sub, ext] of [
    [PACKAGES_DIR, ".json"],
    [HISTORY_DIR, ".jsonl"]
  ]) {
    if (!top.includes(sub)) continue;
    for (const f of await readdir(join(dir, sub))) if (f.endsWith(ext)) rels.push(`${sub}/${f}`);
  }
  const files = /* @__PURE__ */ new Map();
  const texts = await mapLimit(rels, 32, (rel) => readFile2(join(dir, rel), "utf8"));
  rels.forEach((rel, i) => files.set(rel, texts[i]));
  if (top.includes(JOURNAL_FILE)) {
    for (const [tmp, rel] of await readJournal(dir)) {
      const text = await readFile2(join(dir, tmp), "utf8").catch(() => void 0);
      if (text !== void 0 && (rel === MARKER_FILE || packageOfFile(rel))) files.set(rel, text);
    }
  }
  return files;
}
async function readJournal(dir) {
  const file = join(dir, JOURNAL_FILE);
  let text;
  try {
    text = await readFile2(file, "utf8");
  } catch (e) {
    if (e.code === "ENOENT") return [];
    throw e;
  }
  const parsed = Journal.safeParse(parseJson(text, file));
  if (!parsed.success) throw zodError(parsed.error, file);
  return parsed.data.renames;
}
function parseStateFiles(files, where) {
  const state = emptyState();
  const marker = files.get(MARKER_FILE);
  const names = /* @__PURE__ */ new Set();
  for (const rel of files.keys()) {
    const p = packageOfFile(rel);
    if (p) names.add(p.name);
    else if (rel !== MARKER_FILE && (rel.startsWith(`${PACKAGES_DIR}/`) || rel.startsWith(`${HISTORY_DIR}/`))) {
      throw new RefineryError("state", "not a state file name (expected a PEP 503 normalized package name)", {
        location: { file: where(rel) },
        fix: "rename or remove the file"
      });
    }
  }
  if (marker === void 0) {
    if (names.size === 0) return state;
    throw new RefineryError("state", `${MARKER_FILE} is missing but package files exist`, {
      location: { file: where(MARKER_FILE) },
      fix: `restore ${MARKER_FILE} from git, or point --state at the right folder`
    });
  }
  const m = StateMarker.safeParse(upgrade(parseJson(marker, where(MARKER_FILE)), STATE_SCHEMA, where(MARKER_FILE)));
  if (!m.success) throw zodError(m.error, where(MARKER_FILE));
  for (const name of [...names].sort()) {
    state.packages.set(name, parsePackage(name, files.get(packageFile(name)), files.get(historyFile(name)), where));
  }
  return state;
}
function parsePackage(name, packageText, historyText2, where) {
  const pkg = emptyPackage(name);
  if (packageText !== void 0) {
    const file = where(packageFile(name));
    const parsed = PackageFile.safeParse(upgrade(parseJson(packageText, file), PACKAGE_SCHEMA, file));
    if (!parsed.success) throw zodError(parsed.error, file);
    if (parsed.data.name !== name) {
      throw new RefineryError("state", `the file is named for "${name}" but holds "${parsed.data.name}"`, { location: { file, field: "name" }, fix: restoreFix });
    }
    const stray = parsed.data.manifest.findIndex((m) => m.name !== name);
    if (stray >= 0) {
      throw new RefineryError("state", `a wheel of "${parsed.data.manifest[stray].name}" in the manifest of "${name}"`, { location: { file, field: `manifest.${stray}.name` }, fix: restoreFix });
    }
    const { schema: _schema, ...fields } = parsed.data;
    Object.assign(pkg, fields);
  }
  if (historyText2 !== void 0) pkg.history = parseHistory(name, historyText2, where(historyFile(name)));
  return pkg;
}
function parseHistory(name, text, file) {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const header = lines[0];
  if (header === void 0) throw new RefineryError("state", "empty history file (the header line is missing)", { location: { file, line: 1 }, fix: restoreFix });
  const h = HistoryHeader.safeParse(upgrade(parseJson(header, file, 1), HISTORY_SCHEMA, file));
  if (!h.success) throw zodError(h.error, file, 1);
  if (h.data.package !== name) {
    throw new RefineryError("state", `the file is named for "${name}" but holds "${h.data.package}"`, { location: { file, line: 1, field: "package" }, fix: restoreFix });
  }
  const out = [];
  const seen = /* @__PURE__ */ new Map();
  for (let i = 1; i < lines.length; i++) {
    const lineText = lines[i];
    if (lineText.trim() === "") continue;
    const parsed = HistoryEntry.safeParse(parseJson(lineText, file, i + 1));
    if (!parsed.success) throw zodError(parsed.error, file, i + 1);
    const entry = parsed.data;
    if (entry.package !== name) {
      throw new RefineryError("state", `attempt of "${entry.package}" in the history of "${name}"`, { location: { file, line: i + 1, field: "package" }, fix: restoreFix });
    }
    const key = historyKey(entry);
    const canon = canonicalLine(entry);
    const prev = seen.get(key);
    if (prev && prev.text !== canon) {
      throw new RefineryError("state", `attempt ${entry.attempt} of run ${entry.run} appears twice with different content (first on line ${prev.line})`, {
        location: { file, line: i + 1 },
        fix: "keep one of the two lines"
      });
    }
    if (!prev) {
      seen.set(key, { line: i + 1, text: canon });
      out.push(entry);
    }
  }
  return out;
}
function parseJson(text, file, line) {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e.message;
    const at = /line (\d+)/.exec(msg);
    return raise(
      new RefineryError("state", `not valid JSON (${msg.replace(/\s*\(line \d+ column \d+\)/, "")}); the file may be truncated or hand-edited`, {
        location: { file, ...line ? { line } : at ? { line: Number(at[1]) } : {} },
        fix: restoreFix
      })
    );
  }
}
function raise(e) {
  throw e;
}
function zodError(error, file, line) {
  const issue = error.issues[0];
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
  const message = issue.code === "unrecognized_keys" ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}` : issue.message;
  return new RefineryError("state", message, {
    location: { file, ...line ? { line } : {}, field: path.map(String).join(".") || "(top level)" },
    fix: restoreFix
  });
}
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// src/state/write.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { mkdir as mkdir2, open as open2, readdir as readdir2, readFile as readFile3, rename as rename2, rm as rm2 } from "node:fs/promises";
import { dirname as dirname2, join as join2 } from "node:path";

// src/state/serialize.ts
var MARKER = { schema: STATE_SCHEMA, about: "refinery state: see docs/state.md" };
function packageFileText(pkg) {
  const file = {
    schema: PACKAGE_SCHEMA,
    name: pkg.name,
    manifest: pkg.manifest,
    requests: pkg.requests,
    drops: pkg.drops,
    hints: pkg.hints,
    knownFailing: pkg.knownFailing,
    queue: pkg.queue
  };
  return stableJson(file);
}
function historyText(pkg) {
  const lines = [canonicalLine({ schema: HISTORY_SCHEMA, package: pkg.name })];
  for (const h of pkg.history) lines.push(canonicalLine(h));
  return `${lines.join("\n")}
`;
}
function stateFiles(state, names) {
  const files = /* @__PURE__ */ new Map();
  files.set(MARKER_FILE, stableJson(MARKER));
  files.set(GITIGNORE_FILE, GITIGNORE_TEXT);
  for (const name of names ?? state.packages.keys()) {
    const pkg = state.packages.get(name);
    if (!pkg) continue;
    files.set(packageFile(name), packageFileText(pkg));
    if (pkg.history.length > 0) files.set(historyFile(name), historyText(pkg));
  }
  return files;
}

// src/state/write.ts
async function saveState(dir, state, names) {
  await recoverState(dir);
  const tag = `${process.pid}.${randomBytes2(4).toString("hex")}`;
  const fixed = [
    [MARKER_FILE, () => stableJson(MARKER)],
    [GITIGNORE_FILE, () => GITIGNORE_TEXT]
  ];
  const perPackage = [...new Set(names ?? state.packages.keys())].sort().flatMap((name) => {
    const pkg = state.packages.get(name);
    if (!pkg) return [];
    return [
      [packageFile(name), () => packageFileText(pkg)],
      [historyFile(name), () => pkg.history.length > 0 ? historyText(pkg) : void 0]
    ];
  });
  const staged = await mapLimit([...fixed, ...perPackage], 32, async ([rel, text]) => stageIfChanged(dir, rel, text(), tag));
  const renames = staged.filter((r) => r !== void 0);
  if (renames.length === 0) return [];
  if (renames.length > 1) await writeFileAtomic(join2(dir, JOURNAL_FILE), stableJson({ schema: "refinery/journal@2", renames }));
  await applyRenames(dir, renames);
  await rm2(join2(dir, JOURNAL_FILE), { force: true });
  return renames.map(([, rel]) => rel).sort();
}
async function stageIfChanged(dir, rel, text, tag) {
  if (text === void 0) return void 0;
  const current = await readFile3(join2(dir, rel), "utf8").catch(() => void 0);
  if (current === text) return void 0;
  const tmp = `${rel}.${tag}.tmp`;
  await mkdir2(dirname2(join2(dir, tmp)), { recursive: true });
  const fh = await open2(join2(dir, tmp), "w");
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return [tmp, rel];
}
async function recoverState(dir) {
  const renames = await readJournal(dir);
  if (renames.length > 0) await applyRenames(dir, renames);
  await rm2(join2(dir, JOURNAL_FILE), { force: true });
  for (const sub of ["", PACKAGES_DIR, HISTORY_DIR]) {
    const names = await readdir2(join2(dir, sub)).catch(() => []);
    await Promise.all(names.filter((n) => n.endsWith(".tmp")).map((n) => rm2(join2(dir, sub, n), { force: true })));
  }
}
async function applyRenames(dir, renames) {
  await mapLimit(renames, 16, async ([tmp, rel]) => {
    await rename2(join2(dir, tmp), join2(dir, rel)).catch((e) => {
      if (e.code !== "ENOENT") throw e;
    });
  });
}

// src/state/queries.ts
function manifestFor(state, name, version) {
  return state.packages.get(name)?.manifest.filter((m) => m.version === version) ?? [];
}
function knownFailing(state, name, version) {
  return state.packages.get(name)?.knownFailing.filter((k) => k.version === version) ?? [];
}
function learnedHints(state, name) {
  return state.packages.get(name)?.hints ?? [];
}
function durationEstimate(state, name, version) {
  const pkg = state.packages.get(name);
  if (!pkg || pkg.history.length === 0) return void 0;
  const runs = groupRuns(pkg.history);
  const pick = (list) => {
    const ok = list.filter((r) => r.outcome === "success");
    return (ok.length > 0 ? ok : list).slice(-5);
  };
  const forVersion = version === void 0 ? [] : runs.filter((r) => r.version === version);
  const chosen = pick(forVersion.length > 0 ? forVersion : runs);
  const seconds = chosen.map((r) => r.attempts.reduce((s, a) => s + a.durationMs, 0) / 1e3).sort((a, b) => a - b);
  const mid = Math.floor(seconds.length / 2);
  return seconds.length % 2 === 1 ? seconds[mid] : (seconds[mid - 1] + seconds[mid]) / 2;
}
function dueQueueEntries(state, now) {
  return allQueueEntries(state).filter((q) => q.status === "waiting" && ms(q.nextEligibleAt) <= now.getTime()).sort((a, b) => cmpTime(a.nextEligibleAt, b.nextEligibleAt) || cmp(a.package, b.package) || cmp(a.version, b.version));
}
function allQueueEntries(state) {
  return [...state.packages.values()].flatMap((p) => p.queue);
}
var reuseIndex = /* @__PURE__ */ new WeakMap();
function findReusable(state, fingerprint) {
  let index = reuseIndex.get(state.packages);
  if (!index) {
    index = /* @__PURE__ */ new Map();
    for (const pkg of state.packages.values()) {
      for (const m of pkg.manifest) if (m.storage.kind !== "none" && !index.has(m.inputsFingerprint)) index.set(m.inputsFingerprint, m);
    }
    reuseIndex.set(state.packages, index);
  }
  return index.get(fingerprint);
}

// src/state/queue.ts
function requestBuild(state, name, request, policy = DEFAULT_RETRY_POLICY) {
  const pkg = state.packages.get(name) ?? emptyPackage(name);
  const packages = new Map(state.packages);
  packages.set(name, normalizePackage({ ...pkg, requests: [...pkg.requests, request] }, policy));
  return { packages };
}
function dropQueued(state, name, drop, policy = DEFAULT_RETRY_POLICY) {
  const pkg = state.packages.get(name) ?? emptyPackage(name);
  const packages = new Map(state.packages);
  packages.set(name, normalizePackage({ ...pkg, drops: [...pkg.drops, drop] }, policy));
  return { packages };
}

export {
  DEFAULT_PRIMARY_INDEX,
  RefineryConfig,
  effectivePreset,
  DEFAULT_CONFIG_FILE,
  parseConfig,
  loadConfigFile,
  applyFlags,
  normalizeName,
  isValidName,
  DEFAULT_RETRY_POLICY,
  emptyPackage,
  ManifestEntry,
  HistoryEntry,
  MARKER_FILE,
  packageFile,
  historyFile,
  packageOfFile,
  stableJson,
  writeFileAtomic,
  writeCacheFileSync,
  writeJsonAtomic,
  canonicalLine,
  mergePackage,
  mergeState,
  loadState,
  parseStateFiles,
  zodError,
  mapLimit,
  stateFiles,
  saveState,
  manifestFor,
  knownFailing,
  learnedHints,
  durationEstimate,
  dueQueueEntries,
  allQueueEntries,
  findReusable,
  requestBuild,
  dropQueued
};
