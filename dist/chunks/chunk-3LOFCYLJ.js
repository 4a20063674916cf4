import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  BuildPhase,
  Compiler,
  FailureClass,
  PlainName,
  external_exports,
  isPlainName,
  wheelMismatch
} from "./chunk-UNLQIFJ6.js";
import {
  RefineryError,
  excerpt,
  printablePath
} from "./chunk-FLRCTOVA.js";

// src/domain/state/load.ts
import { readdir } from "node:fs/promises";
import { join } from "node:path";

// src/adapters/untrusted.ts
import { closeSync, constants, fstatSync, openSync, read, readSync } from "node:fs";
import { promisify } from "node:util";
function kindOf(st) {
  if (st.isFile()) return "regular file";
  if (st.isDirectory()) return "folder";
  if (st.isSymbolicLink()) return "symbolic link";
  if (st.isFIFO()) return "FIFO";
  if (st.isSocket()) return "socket";
  if (st.isCharacterDevice()) return "character device";
  if (st.isBlockDevice()) return "block device";
  return "unknown kind of file";
}
var FileRefusedError = class extends Error {
  constructor(path, reason, message, line) {
    super(message);
    this.path = path;
    this.reason = reason;
    this.line = line;
    this.name = "FileRefusedError";
  }
  path;
  reason;
  line;
};
var OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
async function readRegularFile(path, limits = {}) {
  let fd;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    const code = e.code;
    if (code === "ELOOP") throw new FileRefusedError(path, "kind", "is a symbolic link, not a regular file");
    if (code === "ENXIO") throw new FileRefusedError(path, "kind", "is a socket, not a regular file");
    if (code === "EISDIR") throw new FileRefusedError(path, "kind", "is a folder, not a regular file");
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileRefusedError(path, "kind", `is a ${kindOf(st)}, not a regular file`);
    if (limits.maxBytes !== void 0 && st.size > limits.maxBytes) {
      throw new FileRefusedError(path, "size", `holds ${st.size} bytes, over the cap of ${limits.maxBytes}`);
    }
    if (limits.expectBytes !== void 0 && st.size !== limits.expectBytes) {
      throw new FileRefusedError(path, "size", `holds ${st.size} bytes, expected ${limits.expectBytes}`);
    }
    const buf = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const n = st.size - got <= SYNC_READ_BYTES ? readSync(fd, buf, got, st.size - got, got) : (await readAsync(fd, buf, got, st.size - got, got)).bytesRead;
      if (n === 0) break;
      got += n;
    }
    if (limits.expectBytes !== void 0 && got !== limits.expectBytes) {
      throw new FileRefusedError(path, "size", `holds ${got} bytes, expected ${limits.expectBytes}`);
    }
    return got === st.size ? buf : buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
var SYNC_READ_BYTES = 1024 * 1024;
var readAsync = promisify(read);
var utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
function decodeUtf8(data, path) {
  try {
    return utf8.decode(data);
  } catch {
    let line = 1;
    let start = 0;
    for (let i = 0; i <= data.length; i++) {
      if (i === data.length || data[i] === 10) {
        try {
          utf8.decode(data.subarray(start, i));
        } catch {
          break;
        }
        line++;
        start = i + 1;
      }
    }
    throw new FileRefusedError(path, "utf8", "is not valid UTF-8", line);
  }
}
async function readTextFile(path, limits = {}) {
  return decodeUtf8(await readRegularFile(path, limits), path);
}
function parseJsonText(text) {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: jsonSyntax(e.message, text) };
  }
}
function jsonSyntax(msg, text) {
  const at = /^(.*?) in JSON at position (\d+)/s.exec(msg);
  if (at) {
    const pos = Number(at[2]);
    const before = text.slice(0, pos);
    const line = before.split("\n").length;
    return { message: lower(at[1]), line, column: pos - before.lastIndexOf("\n") };
  }
  const token = /^Unexpected token '(.+?)', /su.exec(msg);
  if (token) return { message: `unexpected character ${excerpt(token[1], 4)}` };
  if (/^Unexpected end of JSON input/.test(msg)) return { message: "unexpected end of input", line: text.split("\n").length };
  return { message: "invalid syntax" };
}
function lower(s) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

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

// src/domain/state/canonical.ts
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

// src/domain/state/layout.ts
var MARKER_FILE = "state.json";
var PACKAGES_DIR = "packages";
var HISTORY_DIR = "history";
var JOURNAL_FILE = ".journal.json";
var LOCK_FILE = ".lock";
var GITIGNORE_FILE = ".gitignore";
var GITIGNORE_TEXT = "# written by refinery: the writer lock, crash-recovery journal and temp files are never committed\n.lock\n.journal.json\n*.tmp\n";
var packageFile = (name) => `${PACKAGES_DIR}/${stateName(name)}.json`;
var historyFile = (name) => `${HISTORY_DIR}/${stateName(name)}.jsonl`;
function stateName(name) {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name))
    throw new RefineryError("state", `not a normalized package name: ${excerpt(name)}`, { fix: "package names in the state are PEP 503 normalized" });
  return name;
}
function packageOfFile(rel) {
  const p = /^packages\/([a-z0-9-]+)\.json$/.exec(rel);
  if (p) return { name: p[1], kind: "package" };
  const h = /^history\/([a-z0-9-]+)\.jsonl$/.exec(rel);
  if (h) return { name: h[1], kind: "history" };
  return void 0;
}

// src/domain/state/derive.ts
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
  const knownFailing = [];
  const queue = [];
  for (const [unit, unitRuns] of byUnit) {
    const last = unitRuns[unitRuns.length - 1];
    if (last.outcome === "success") continue;
    const fixedElsewhere = runs.some(
      (r) => r.outcome === "success" && r.version === last.version && r.variant === last.variant && cmpTime(r.finishedAt, last.finishedAt) > 0
    );
    if (fixedElsewhere) continue;
    const streak = [];
    for (let i = unitRuns.length - 1; i >= 0 && unitRuns[i].outcome === "failure"; i--) streak.push(unitRuns[i]);
    const final = last.attempts[last.attempts.length - 1];
    const tried = new Set(streak.flatMap((r) => r.attempts.flatMap((a) => a.hintsApplied)));
    const matchedBefore = new Set(streak.slice(1).flatMap((r) => r.attempts.flatMap((a) => a.matchedHint ? [a.matchedHint] : [])));
    const candidates = [...learned, ...final.matchedHint && !matchedBefore.has(final.matchedHint) ? [final.matchedHint] : []];
    const newHints = [...new Set(candidates.filter((h) => !tried.has(h)))].sort(cmp);
    const dropped = pkg.drops.some((d) => d.version === last.version && (d.unit === void 0 || d.unit === unit) && ms(d.at) >= ms(last.finishedAt));
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
    knownFailing.push({
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
  knownFailing.sort((a, b) => cmp(a.version, b.version) || cmp(a.unit, b.unit));
  queue.sort((a, b) => cmp(a.version, b.version) || cmp(a.unit ?? "", b.unit ?? "") || cmp(a.variant ?? "", b.variant ?? "") || cmp(a.reason, b.reason));
  return { knownFailing, queue };
}

// src/domain/state/types.ts
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

// src/domain/state/merge.ts
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
  const { knownFailing, queue } = deriveFailuresAndQueue({ name: pkg.name, requests, drops }, runs, hints, policy);
  return { name: pkg.name, manifest, history, requests, drops, hints, knownFailing, queue };
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

// src/domain/state/migrate.ts
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

// src/domain/state/schema.ts
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
  /** local: `<sha16>/<wheel filename>` under the store root; github-release: asset download URL; actions-cache: key. */
  location: external_exports.string().optional(),
  /** github-release: asset id, to download through the API. */
  assetId: external_exports.number().int().optional()
}).refine((r) => r.kind !== "local" || r.location === void 0 || /^[0-9a-f]{16}\//.test(r.location) && isPlainName(r.location.slice(17)), {
  path: ["location"],
  message: "a local store location: <first 16 hex of sha256>/<plain wheel filename>"
});
var ManifestEntry = external_exports.strictObject({
  name: PackageName,
  version: PlainName,
  /** A wheel of `name` and `version`. */
  filename: PlainName,
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
  /** Compilers that built it: `turbo` or `emulated` (absent: recorded before turbo builds, emulated). */
  compiler: Compiler.optional(),
  builtAt: Timestamp,
  inputsFingerprint: external_exports.string().min(1),
  unit: external_exports.string(),
  /** History run that produced it. */
  run: external_exports.string(),
  sdist: external_exports.strictObject({ filename: PlainName, sha256: external_exports.string() }),
  storage: StorageRef
}).superRefine((m, ctx) => {
  const why = wheelMismatch(m.filename, m.name, m.version);
  if (why) ctx.addIssue({ code: "custom", path: ["filename"], message: why });
});
var HistoryEntry = external_exports.strictObject({
  package: PackageName,
  version: PlainName,
  unit: PlainName,
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
  /** An unclassified failure's error-like log lines, kept as evidence for a new hint. */
  evidence: external_exports.array(external_exports.string().max(400)).max(20).optional(),
  killed: external_exports.boolean(),
  compiler: Compiler.optional(),
  executor: external_exports.enum(["container", "native", "host"]),
  preset: external_exports.string(),
  imageDigest: external_exports.string().optional(),
  runner: external_exports.string().optional(),
  runUrl: external_exports.string().optional(),
  /** Log file of the attempt, a plain name in the folder of its result file. */
  log: PlainName.optional(),
  inputsFingerprint: external_exports.string().min(1)
});
var HistoryHeader = external_exports.strictObject({ schema: external_exports.literal(HISTORY_SCHEMA), package: PackageName });
var LearnedHint = external_exports.strictObject({
  hint: external_exports.string(),
  evidence: external_exports.array(
    external_exports.strictObject({
      run: external_exports.string(),
      unit: PlainName,
      version: PlainName,
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
  version: PlainName,
  unit: PlainName,
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
  version: PlainName,
  /** Absent for a request made by hand before any unit existed; plan picks the units. */
  unit: PlainName.optional(),
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
  version: PlainName,
  variant: external_exports.string().optional(),
  at: Timestamp,
  note: external_exports.string().optional()
});
var QueueDrop = external_exports.strictObject({
  version: PlainName,
  unit: PlainName.optional(),
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
    external_exports.tuple([external_exports.string(), external_exports.string()]).refine(
      ([tmp, rel]) => /^(state\.json|\.gitignore|packages\/[a-z0-9-]+\.json|history\/[a-z0-9-]+\.jsonl)$/.test(rel) && tmp.startsWith(`${rel}.`) && tmp.endsWith(".tmp") && !tmp.includes("/.."),
      "a rename of a temp file onto a state file"
    )
  )
});

// src/domain/state/load.ts
async function loadState(dir) {
  const files = await readStateFiles(dir);
  if (!files) return emptyState();
  return parseStateFiles(files, (rel) => join(dir, rel));
}
async function readStateFiles(dir) {
  let top;
  try {
    top = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (e.code === "ENOENT") return void 0;
    throw new RefineryError("state", `cannot read the state folder: ${e.code ?? String(e)}`, { location: { file: dir } });
  }
  const rels = [];
  const kinds = new Map(top.map((d) => [d.name, d]));
  const marker = kinds.get(MARKER_FILE);
  if (marker) {
    if (!marker.isFile()) throw wrongKind(join(dir, MARKER_FILE), marker, "a regular file");
    rels.push(MARKER_FILE);
  }
  for (const [sub, ext] of [
    [PACKAGES_DIR, ".json"],
    [HISTORY_DIR, ".jsonl"]
  ]) {
    const d = kinds.get(sub);
    if (!d) continue;
    if (!d.isDirectory()) throw wrongKind(join(dir, sub), d, "a folder");
    for (const f of await readdir(join(dir, sub), { withFileTypes: true })) {
      if (!f.name.endsWith(ext)) continue;
      if (!f.isFile()) throw wrongKind(join(dir, sub, f.name), f, "a regular file");
      rels.push(`${sub}/${f.name}`);
    }
  }
  const files = /* @__PURE__ */ new Map();
  const texts = await mapLimit(rels, 32, (rel) => readStateText(join(dir, rel)));
  for (const [i, rel] of rels.entries()) files.set(rel, texts[i]);
  if (kinds.has(JOURNAL_FILE)) {
    for (const [tmp, rel] of await readJournal(dir)) {
      const text = await readStateText(join(dir, tmp)).catch((e) => {
        if (e instanceof RefineryError) throw e;
        return void 0;
      });
      if (text !== void 0 && (rel === MARKER_FILE || packageOfFile(rel))) files.set(rel, text);
    }
  }
  return files;
}
function wrongKind(file, d, want) {
  return new RefineryError("state", `is a ${kindOf(d)}, expected ${want}`, {
    location: { file: printablePath(file) },
    fix: "the state folder holds state.json, .gitignore, packages/<name>.json and history/<name>.jsonl only; move the odd entry away or point --state at the right folder"
  });
}
async function readStateText(file) {
  try {
    return await readTextFile(file);
  } catch (e) {
    if (e instanceof FileRefusedError) {
      throw new RefineryError("state", e.message, {
        location: { file: printablePath(file), ...e.line ? { line: e.line } : {} },
        fix: e.reason === "utf8" ? "the file was corrupted or saved in another encoding; restore it from git" : restoreFix
      });
    }
    throw e;
  }
}
async function readJournal(dir) {
  const file = join(dir, JOURNAL_FILE);
  let text;
  try {
    text = await readStateText(file);
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
        location: { file: printablePath(where(rel)) },
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
function parsePackage(name, packageText, historyText, where) {
  const pkg = emptyPackage(name);
  if (packageText !== void 0) {
    const file = where(packageFile(name));
    const parsed = PackageFile.safeParse(upgrade(parseJson(packageText, file), PACKAGE_SCHEMA, file));
    if (!parsed.success) throw zodError(parsed.error, file);
    if (parsed.data.name !== name) {
      throw new RefineryError("state", `the file is named for "${name}" but holds "${parsed.data.name}"`, {
        location: { file, field: "name" },
        fix: restoreFix
      });
    }
    const stray = parsed.data.manifest.findIndex((m) => m.name !== name);
    if (stray >= 0) {
      throw new RefineryError("state", `a wheel of "${parsed.data.manifest[stray].name}" in the manifest of "${name}"`, {
        location: { file, field: `manifest.${stray}.name` },
        fix: restoreFix
      });
    }
    const { schema: _schema, ...fields } = parsed.data;
    Object.assign(pkg, fields);
  }
  if (historyText !== void 0) pkg.history = parseHistory(name, historyText, where(historyFile(name)));
  return pkg;
}
function parseHistory(name, text, file) {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const header = lines[0];
  if (header === void 0)
    throw new RefineryError("state", "empty history file (the header line is missing)", { location: { file, line: 1 }, fix: restoreFix });
  const h = HistoryHeader.safeParse(upgrade(parseJson(header, file, 1), HISTORY_SCHEMA, file));
  if (!h.success) throw zodError(h.error, file, 1);
  if (h.data.package !== name) {
    throw new RefineryError("state", `the file is named for "${name}" but holds "${h.data.package}"`, {
      location: { file, line: 1, field: "package" },
      fix: restoreFix
    });
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
      throw new RefineryError("state", `attempt of "${entry.package}" in the history of "${name}"`, {
        location: { file, line: i + 1, field: "package" },
        fix: restoreFix
      });
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
  const json = parseJsonText(text);
  if (json.ok) return json.value;
  const at = line ?? json.error.line;
  throw new RefineryError("state", `not valid JSON (${json.error.message}); the file may be truncated or hand-edited`, {
    location: { file, ...at ? { line: at } : {} },
    fix: restoreFix
  });
}
var tame = (key) => /^[\w.-]{1,64}$/.test(key);
function zodError(error, file, line) {
  const issue = error.issues[0];
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
  const message = issue.code === "unrecognized_keys" ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.slice(0, 3).map((k) => tame(k) ? `'${k}'` : excerpt(k, 40)).join(", ")}` : issue.message;
  const field = path.map((p) => typeof p !== "string" || tame(p) ? String(p) : excerpt(p, 40)).join(".");
  return new RefineryError("state", message, {
    location: { file, ...line ? { line } : {}, field: field || "(top level)" },
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

export {
  DEFAULT_RETRY_POLICY,
  emptyPackage,
  STATE_SCHEMA,
  PACKAGE_SCHEMA,
  HISTORY_SCHEMA,
  ManifestEntry,
  HistoryEntry,
  MARKER_FILE,
  PACKAGES_DIR,
  HISTORY_DIR,
  JOURNAL_FILE,
  LOCK_FILE,
  GITIGNORE_FILE,
  GITIGNORE_TEXT,
  packageFile,
  historyFile,
  packageOfFile,
  FileRefusedError,
  readRegularFile,
  decodeUtf8,
  readTextFile,
  parseJsonText,
  stableJson,
  writeFileAtomic,
  writeCacheFileSync,
  writeJsonAtomic,
  canonicalLine,
  cmp,
  ms,
  cmpTime,
  groupRuns,
  normalizePackage,
  mergePackage,
  mergeState,
  loadState,
  readJournal,
  parseStateFiles,
  zodError,
  mapLimit
};
