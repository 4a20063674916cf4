import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  DEFAULT_RETRY_POLICY,
  GITIGNORE_FILE,
  GITIGNORE_TEXT,
  HISTORY_DIR,
  HISTORY_SCHEMA,
  JOURNAL_FILE,
  LOCK_FILE,
  MARKER_FILE,
  PACKAGES_DIR,
  PACKAGE_SCHEMA,
  STATE_SCHEMA,
  canonicalLine,
  cmp,
  cmpTime,
  emptyPackage,
  groupRuns,
  historyFile,
  mapLimit,
  ms,
  normalizePackage,
  packageFile,
  readJournal,
  stableJson,
  writeFileAtomic
} from "./chunk-3LOFCYLJ.js";
import {
  PLATFORM_POLICIES,
  PresetOverride,
  PythonVersion,
  require_dist
} from "./chunk-WVSMWCXV.js";
import {
  Compiler,
  external_exports
} from "./chunk-UNLQIFJ6.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";
import {
  __toESM
} from "./chunk-WHY2Q3TU.js";

// src/domain/config/schema.ts
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
var ExcludeRule = external_exports.union([external_exports.string().min(1), external_exports.strictObject({ pattern: external_exports.string().min(1), reason: external_exports.string().optional() })]);
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
  compiler: Compiler.default("turbo").describe(
    "turbo: compile C, C++ and Rust with the host's s390x cross compilers inside the emulated container where the build machine has the turbo toolchain and the preset allows it (else emulated); emulated: everything under QEMU."
  ),
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
    jobTimeoutMinutes: external_exports.number().min(1).default(360).describe("The runner's job time limit (360 on GitHub-hosted runners): a batch stays under it."),
    maxPageBytes: external_exports.number().int().min(1024).default(64 * 1024 ** 2).describe("Largest index page (or PEP 658 metadata file) read, in bytes after decompression (default 64 MiB)."),
    maxDownloadBytes: external_exports.number().int().min(1024).default(2 * 1024 ** 3).describe("Largest distribution (sdist, wheel) downloaded, in bytes after decompression (default 2 GiB).")
  }).prefault({}),
  build: external_exports.strictObject({
    passEnv: external_exports.array(external_exports.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a variable name (letters, digits, _)")).default([]).describe(
      "Variables of refinery's environment that builds may see, besides PATH, HOME, locale, TMPDIR, proxies and CA bundles (cibuildwheel's environment-pass). Nothing else of the environment reaches build code."
    )
  }).prefault({}),
  state: external_exports.strictObject({ dir: external_exports.string().default(".refinery") }).prefault({}),
  cacheDir: external_exports.string().optional().describe("HTTP and download cache (default: ~/.cache/refinery).")
});
function httpLimits(config) {
  return { maxPageBytes: config.limits.maxPageBytes, maxDownloadBytes: config.limits.maxDownloadBytes };
}
function effectivePreset(config) {
  if (config.preset) return config.preset;
  return config.targets.platform === "linux" ? "debian-12" : config.targets.platform;
}

// src/domain/config/load.ts
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

// src/domain/config/flags.ts
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

// src/domain/state/lock.ts
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, utimes, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
var DEFAULT_LOCK_WAIT_MS = 10 * 6e4;
var DEFAULT_LOCK_STALE_MS = 5 * 6e4;
var UNREADABLE_GRACE_MS = 1e4;
var LockOwner = external_exports.strictObject({
  schema: external_exports.literal("refinery/lock@1"),
  pid: external_exports.number().int().positive(),
  host: external_exports.string(),
  started: external_exports.string(),
  token: external_exports.string(),
  purpose: external_exports.string().optional()
});
var held = new AsyncLocalStorage();
async function withStateLock(dir, fn, o = {}) {
  const key = resolve(dir);
  const outer = held.getStore();
  if (outer?.has(key)) return fn();
  const lock = await acquire(key, o);
  try {
    return await held.run(new Map([...outer ?? [], [key, lock.held]]), fn);
  } finally {
    await lock.release();
  }
}
function holdsStateLock(dir) {
  return held.getStore()?.has(resolve(dir)) ?? false;
}
async function verifyStateLock(dir) {
  const h = held.getStore()?.get(resolve(dir));
  if (!h) throw new Error(`internal: the state lock of ${dir} is not held`);
  await h.verify();
}
async function acquire(dir, o) {
  const file = join(dir, LOCK_FILE);
  const waitMs = o.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const staleMs = o.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const log = o.log ?? (() => {
  });
  const created = { folder: false };
  const owner = {
    schema: "refinery/lock@1",
    pid: process.pid,
    host: hostname(),
    started: (/* @__PURE__ */ new Date()).toISOString(),
    token: randomBytes(8).toString("hex"),
    ...o.purpose ? { purpose: o.purpose } : {}
  };
  const deadline = Date.now() + waitMs;
  let waiting = false;
  for (; ; ) {
    if (tryCreate(dir, file, owner, created)) break;
    const seen = inspect(file);
    if (!seen) continue;
    const stale = staleReason(seen, staleMs);
    if (stale) {
      if (takeOver(file, seen, owner.token)) log(`took over the stale state lock ${file}: ${describeOwner(seen)} ${stale}`);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new RefineryError("conflict", `timed out after ${Math.round(waitMs / 1e3)} s waiting for the state lock ${file}, held by ${describeOwner(seen)}`, {
        fix: `let that run finish and record again (or wait longer with --lock-wait); if that process is gone for good, delete ${file}`
      });
    }
    if (!waiting) {
      log(`waiting for the state lock ${file}: held by ${describeOwner(seen)}`);
      waiting = true;
    }
    await sleep(20 + Math.random() * 80);
  }
  let lost;
  const refresh = setInterval(
    () => {
      const now = /* @__PURE__ */ new Date();
      utimes(file, now, now, (e) => {
        if (e) lost ??= e.code ?? String(e);
      });
    },
    Math.max(50, Math.floor(staleMs / 10))
  );
  refresh.unref();
  const verify = async () => {
    if (ownerOf(file)?.token === owner.token) return;
    const now = inspect(file);
    throw new RefineryError(
      "conflict",
      `this run lost the state lock ${file}${now ? ` to ${describeOwner(now)}` : ""}${lost ? ` (${lost})` : ""}: it was taken over as stale; nothing more was written`,
      {
        fix: "record again: what this run did not write is still in its results folder"
      }
    );
  };
  const release = async () => {
    clearInterval(refresh);
    if (ownerOf(file)?.token === owner.token) unlinkSync(file);
    if (created.folder) {
      try {
        rmdirSync(dir);
      } catch {
      }
    }
  };
  return { held: { file, token: owner.token, verify }, release };
}
function makeFolder(dir) {
  try {
    return mkdirSync(dir, { recursive: true }) !== void 0;
  } catch (e) {
    const code = e.code;
    throw new RefineryError("state", `cannot create the state folder: ${code ?? String(e)}`, {
      location: { file: dir },
      fix: code === "EEXIST" || code === "ENOTDIR" ? "point --state at a folder (this path is a file)" : "check the permissions of the state folder"
    });
  }
}
function tryCreate(dir, file, owner, created) {
  try {
    writeFileSync(file, `${JSON.stringify(owner)}
`, { flag: "wx" });
    return true;
  } catch (e) {
    const code = e.code;
    if (code === "EEXIST") return false;
    if (code === "ENOENT" || code === "ENOTDIR") {
      if (makeFolder(dir)) created.folder = true;
      return false;
    }
    throw new RefineryError("state", `cannot create the state lock: ${code ?? String(e)}`, {
      location: { file },
      fix: "check that the state folder is writable"
    });
  }
}
function ownerOf(file) {
  try {
    return parseOwner(readFileSync(file, "utf8"));
  } catch (e) {
    if (e.code === "ENOENT") return void 0;
    throw e;
  }
}
function parseOwner(text) {
  try {
    const parsed = LockOwner.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : void 0;
  } catch {
    return void 0;
  }
}
function inspect(file) {
  try {
    const st = statSync(file);
    const text = readFileSync(file, "utf8");
    return { owner: parseOwner(text), mtimeMs: st.mtimeMs, ino: st.ino };
  } catch (e) {
    if (e.code === "ENOENT") return void 0;
    throw e;
  }
}
function staleReason(seen, staleMs) {
  const age = Date.now() - seen.mtimeMs;
  if (!seen.owner) return age > UNREADABLE_GRACE_MS ? "is unreadable" : void 0;
  if (seen.owner.host === hostname() && !alive(seen.owner.pid)) return "is no longer running";
  if (age > staleMs) return `has not refreshed it for ${Math.round(age / 1e3)} s`;
  return void 0;
}
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}
function takeOver(file, seen, token) {
  const aside = `${file}.${token}.stale.tmp`;
  try {
    renameSync(file, aside);
  } catch (e) {
    if (e.code === "ENOENT") return false;
    throw e;
  }
  const moved = inspect(aside);
  const same = moved !== void 0 && moved.ino === seen.ino && moved.mtimeMs === seen.mtimeMs && moved.owner?.token === seen.owner?.token;
  if (!same && moved) {
    try {
      linkSync(aside, file);
    } catch {
    }
  }
  unlinkSync(aside);
  return same;
}
function describeOwner(seen) {
  const o = seen.owner;
  if (!o) return `an unknown writer (unreadable lock, modified ${new Date(seen.mtimeMs).toISOString()})`;
  return `${o.purpose ? `refinery ${o.purpose}` : "refinery"} (pid ${o.pid} on ${o.host}, since ${o.started})`;
}

// src/domain/state/write.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { mkdir, open, readdir, readFile as readFile2, rename, rm, stat } from "node:fs/promises";
import { dirname, join as join2 } from "node:path";

// src/domain/state/serialize.ts
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

// src/domain/state/write.ts
async function saveState(dir, state, names, lock = {}) {
  if (!holdsStateLock(dir)) return withStateLock(dir, () => saveState(dir, state, names), { purpose: "save", ...lock });
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
  const all = [...fixed, ...perPackage];
  let failure;
  const staged = await mapLimit(
    all,
    32,
    async ([rel, text]) => failure === void 0 ? stageIfChanged(dir, rel, text(), tag).catch((e) => void (failure ??= e)) : void 0
  );
  const renames = staged.filter((r) => r !== void 0);
  try {
    if (failure !== void 0) throw failure;
    if (renames.length === 0) return [];
    await verifyStateLock(dir);
  } catch (e) {
    await Promise.all(all.map(([rel]) => rm(join2(dir, `${rel}.${tag}.tmp`), { force: true })));
    throw e;
  }
  if (renames.length > 1) await writeFileAtomic(join2(dir, JOURNAL_FILE), stableJson({ schema: "refinery/journal@2", renames }));
  await applyRenames(dir, renames, false);
  await rm(join2(dir, JOURNAL_FILE), { force: true });
  return renames.map(([, rel]) => rel).sort();
}
async function stageIfChanged(dir, rel, text, tag) {
  if (text === void 0) return void 0;
  const current = await readFile2(join2(dir, rel), "utf8").catch(() => void 0);
  if (current === text) return void 0;
  const tmp = `${rel}.${tag}.tmp`;
  await mkdir(dirname(join2(dir, tmp)), { recursive: true });
  const fh = await open(join2(dir, tmp), "w");
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return [tmp, rel];
}
var WRITER_TEMP = [
  ["", /^(?:state\.json|\.gitignore|\.journal\.json)\.\d+\.[0-9a-f]{8}\.tmp$/],
  [PACKAGES_DIR, /^[a-z0-9-]+\.json\.\d+\.[0-9a-f]{8}\.tmp$/],
  [HISTORY_DIR, /^[a-z0-9-]+\.jsonl\.\d+\.[0-9a-f]{8}\.tmp$/]
];
var LOCK_ASIDE = /^\.lock\.[0-9a-f]{16}\.stale\.tmp$/;
async function recoverState(dir, lock = {}) {
  if (!holdsStateLock(dir)) return withStateLock(dir, () => recoverState(dir), { purpose: "recover", ...lock });
  const renames = await readJournal(dir);
  if (renames.length > 0) await applyRenames(dir, renames, true);
  await rm(join2(dir, JOURNAL_FILE), { force: true });
  for (const [sub, pattern] of WRITER_TEMP) {
    const names = await readdir(join2(dir, sub)).catch(() => []);
    await Promise.all(names.filter((n) => pattern.test(n)).map((n) => rm(join2(dir, sub, n), { force: true })));
  }
  const top = await readdir(dir).catch(() => []);
  for (const n of top.filter((n2) => LOCK_ASIDE.test(n2))) {
    const st = await stat(join2(dir, n)).catch(() => void 0);
    if (st && Date.now() - st.mtimeMs > 6e4) await rm(join2(dir, n), { force: true });
  }
}
async function applyRenames(dir, renames, replay) {
  await mapLimit(renames, 16, async ([tmp, rel]) => {
    try {
      await rename(join2(dir, tmp), join2(dir, rel));
    } catch (e) {
      const code = e.code;
      if (replay && code === "ENOENT") return;
      throw new RefineryError("state", `could not move ${tmp} over ${rel}: ${code ?? String(e)}`, {
        location: { file: join2(dir, rel) },
        cause: e,
        fix: replay ? "check the permissions of the state folder; the interrupted write is kept in its journal" : "something else changed the state folder while refinery held its lock; the write is kept in its journal, and the next record finishes it"
      });
    }
  });
}

// src/domain/state/queries.ts
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

// src/domain/state/queue.ts
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
  httpLimits,
  effectivePreset,
  DEFAULT_CONFIG_FILE,
  parseConfig,
  loadConfigFile,
  applyFlags,
  withStateLock,
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
