import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  findReusable,
  saveState,
  withStateLock
} from "./chunk-B3SVX456.js";
import {
  DEFAULT_RETRY_POLICY,
  FileRefusedError,
  HistoryEntry,
  ManifestEntry,
  canonicalLine,
  emptyPackage,
  loadState,
  mapLimit,
  mergeState,
  parseJsonText,
  readRegularFile,
  readTextFile,
  writeFileAtomic,
  zodError
} from "./chunk-3LOFCYLJ.js";
import {
  BuildResult,
  isPlainName,
  normalizeName
} from "./chunk-UNLQIFJ6.js";
import {
  RefineryError,
  excerpt,
  printablePath
} from "./chunk-FLRCTOVA.js";

// src/stages/record/results.ts
import { createHash as createHash2 } from "node:crypto";
import { readdir } from "node:fs/promises";
import { dirname, join, resolve as resolve2 } from "node:path";

// src/domain/storage/store.ts
import { createHash } from "node:crypto";
import { resolve, sep } from "node:path";
function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}
var DEFAULT_MAX_WHEEL_BYTES = 2 * 1024 ** 3;
async function readVerified(file, wheel, maxBytes = DEFAULT_MAX_WHEEL_BYTES) {
  const where = printablePath(file);
  checkWheelSize(file, wheel, maxBytes);
  let data;
  try {
    data = await readRegularFile(file, { maxBytes, expectBytes: wheel.size });
  } catch (e) {
    if (e instanceof FileRefusedError) {
      throw new RefineryError("input", `the wheel ${e.message}`, {
        location: { file: where },
        fix: e.reason === "size" ? "the wheel was changed or truncated after the build; rebuild it" : "wheels are regular files written by refinery build; rebuild it"
      });
    }
    throw new RefineryError("input", `wheel file missing: ${e.code ?? String(e)}`, {
      location: { file: where },
      fix: "download the build job artifacts with the wheels next to their .result.json files"
    });
  }
  checkSha(data, wheel, file);
  return data;
}
function checkWheelSize(file, wheel, maxBytes) {
  if (wheel.size > maxBytes) {
    throw new RefineryError("input", `wheel ${excerpt(wheel.filename)} is said to be ${wheel.size} bytes, over the cap of ${maxBytes}`, {
      location: { file: printablePath(file) },
      fix: "a wheel this large is refused; raise the wheel size cap if it is real"
    });
  }
}
function checkSha(data, wheel, where) {
  const got = sha256Hex(data);
  if (got !== wheel.sha256) {
    throw new RefineryError("input", `sha256 mismatch for ${excerpt(wheel.filename)}: expected ${wheel.sha256}, got ${got}`, {
      location: { file: printablePath(where) },
      fix: "the wheel was changed or truncated after the build; rebuild it"
    });
  }
}
function confined(root, rel, name) {
  const base = resolve(root);
  const path = resolve(base, rel);
  if (!isPlainName(name) || !path.startsWith(`${base}${sep}`)) {
    throw new RefineryError("input", `refused a wheel path outside ${base}: ${excerpt(rel)}`, { fix: "wheel filenames are plain names; rebuild the wheel" });
  }
  return path;
}
function checkWheelData(data, wheel, where) {
  if (data.length !== wheel.size) {
    throw new RefineryError("input", `the wheel ${excerpt(wheel.filename)} holds ${data.length} bytes, expected ${wheel.size}`, {
      location: { file: printablePath(where) },
      fix: "the wheel was changed or truncated after the build; rebuild it"
    });
  }
  checkSha(data, wheel, where);
}

// src/stages/record/results.ts
var RESULT_SUFFIX = ".result.json";
var DEFAULT_RESULT_LIMITS = { resultBytes: 1024 * 1024, wheelBytes: DEFAULT_MAX_WHEEL_BYTES };
async function readResults(dir, limits = DEFAULT_RESULT_LIMITS) {
  const files = (await resultFiles(dir)).sort();
  const parsed = await mapLimit(files, 32, async (file) => {
    try {
      return await readResult(file, limits);
    } catch (e) {
      return e;
    }
  });
  const bad = parsed.find((p) => p instanceof Error);
  if (bad) throw bad;
  const results = parsed;
  checkConflicts(results);
  return results;
}
async function resultFiles(dir) {
  const out = [];
  const walk = async (folder, top) => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (e) {
      throw new RefineryError("input", `cannot read the results folder: ${e.code ?? String(e)}`, {
        location: { file: printablePath(folder) },
        fix: top ? "pass --results with the folder the build jobs wrote (or their downloaded artifacts)" : "make the results folder readable"
      });
    }
    const folders = [];
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.name.endsWith(RESULT_SUFFIX)) out.push(path);
      else if (entry.isDirectory()) folders.push(path);
    }
    await mapLimit(folders, 16, (f) => walk(f, false));
  };
  await walk(dir, true);
  return out;
}
async function readResult(file, limits) {
  const where = printablePath(file);
  let text;
  try {
    text = await readTextFile(file, { maxBytes: limits.resultBytes });
  } catch (e) {
    if (e instanceof FileRefusedError) {
      throw new RefineryError("input", `the result ${e.message}`, {
        location: { file: where, ...e.line ? { line: e.line } : {} },
        fix: e.reason === "kind" ? "results are regular files written by refinery build; remove it" : "the build job wrote an invalid result; rerun it or remove the file"
      });
    }
    throw new RefineryError("input", `cannot read the result: ${e.code ?? String(e)}`, {
      location: { file: where },
      fix: "rerun the build job or remove the file"
    });
  }
  const json = parseJsonText(text);
  if (!json.ok) {
    throw new RefineryError("input", `not valid JSON (${json.error.message}); the result file may be truncated`, {
      location: { file: where, ...json.error.line ? { line: json.error.line } : {} },
      fix: "rerun the build job or remove the file"
    });
  }
  const parsed = BuildResult.safeParse(json.value);
  if (!parsed.success) {
    const e = zodError(parsed.error, where);
    throw new RefineryError("input", e.message, { location: e.location, fix: "the build job wrote an invalid result; rerun it or remove the file" });
  }
  if (parsed.data.status === "success" && !parsed.data.wheel) {
    throw new RefineryError("input", "a successful result without a wheel", { location: { file: where, field: "wheel" }, fix: "rerun the build job" });
  }
  return { file, result: parsed.data };
}
function checkConflicts(results) {
  const seen = /* @__PURE__ */ new Map();
  for (const rf of results) {
    const id = runId(rf.result);
    const prev = seen.get(id);
    if (!prev) seen.set(id, rf);
    else if (canonicalLine(prev.result) !== canonicalLine(rf.result)) {
      throw new RefineryError(
        "input",
        `two results of the same build run of ${rf.result.unit.id} (started ${excerpt(rf.result.attempts[0].startedAt, 40)}) differ; the other is ${printablePath(prev.file)}`,
        {
          location: { file: printablePath(rf.file) },
          fix: "keep the result of the job that really ran (artifacts of two jobs were mixed, or one was edited) and remove the other"
        }
      );
    }
  }
}
function runId(r) {
  const key = canonicalLine({ unit: r.unit.id, fp: r.inputsFingerprint, start: r.attempts[0].startedAt, runner: r.runner, runUrl: r.runUrl, log: r.log });
  return createHash2("sha256").update(key).digest("hex").slice(0, 16);
}
function wheelPath(rf) {
  if (!rf.result.wheel) return void 0;
  const folder = dirname(rf.file);
  const path = resolve2(folder, rf.result.wheel.filename);
  if (dirname(path) !== resolve2(folder)) {
    throw new RefineryError("input", `the wheel ${excerpt(rf.result.wheel.filename)} is not a file in the result's folder`, {
      location: { file: printablePath(rf.file), field: "wheel.filename" },
      fix: "rerun the build job"
    });
  }
  return path;
}
function resultFacts(rf, storage = { kind: "none" }) {
  const r = rf.result;
  const name = normalizeName(r.unit.package);
  const run = runId(r);
  const attempts = [...r.attempts].sort((a, b) => a.n - b.n);
  const total = attempts.length;
  const history = attempts.map(
    (a, i) => check(
      HistoryEntry,
      {
        package: name,
        version: r.unit.version,
        unit: r.unit.id,
        variant: r.unit.python,
        targets: [...r.unit.targets].sort(),
        run,
        attempt: a.n,
        attempts: total,
        outcome: r.status,
        status: a.status,
        startedAt: a.startedAt,
        finishedAt: a.finishedAt,
        durationMs: a.durationMs,
        phase: a.phase,
        failureClass: a.failureClass,
        matchedHint: a.matchedHint,
        hintsApplied: [...a.hintsApplied],
        ...a.evidence ? { evidence: [...a.evidence] } : {},
        killed: a.killed,
        ...a.compiler ? { compiler: a.compiler } : {},
        executor: r.executor,
        preset: r.preset,
        imageDigest: r.imageDigest,
        runner: r.runner,
        runUrl: r.runUrl,
        log: a.log,
        inputsFingerprint: r.inputsFingerprint
      },
      rf.file,
      `attempts.${i}`
    )
  );
  if (r.status !== "success" || !r.wheel) return { name, history };
  const last = attempts[total - 1];
  const manifest = check(
    ManifestEntry,
    {
      name,
      version: r.unit.version,
      filename: r.wheel.filename,
      tags: [...r.wheel.tags].sort(),
      targets: [...r.unit.targets].sort(),
      variant: r.unit.python,
      sha256: r.wheel.sha256,
      size: r.wheel.size,
      preset: r.preset,
      executor: r.executor,
      image: r.image,
      imageDigest: r.imageDigest,
      ...r.compiler ? { compiler: r.compiler } : {},
      builtAt: last.finishedAt,
      inputsFingerprint: r.inputsFingerprint,
      unit: r.unit.id,
      run,
      sdist: { filename: r.sdist.filename, sha256: r.sdist.sha256 },
      storage
    },
    rf.file,
    "wheel"
  );
  return { name, history, manifest };
}
function resultsState(facts) {
  const packages = /* @__PURE__ */ new Map();
  for (const f of facts) {
    const pkg = packages.get(f.name) ?? emptyPackage(f.name);
    pkg.history.push(...f.history);
    if (f.manifest) pkg.manifest.push(f.manifest);
    packages.set(f.name, pkg);
  }
  return { packages };
}
function check(schema, value, file, prefix) {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const e = zodError(parsed.error, printablePath(file));
  throw new RefineryError("input", `${e.message} (in what this result records for ${prefix})`, {
    location: { file: e.location.file, field: e.location.field },
    fix: "the build wrote a result the state cannot hold; rerun the build with a matching refinery version"
  });
}

// src/stages/record/record.ts
async function record(resultsDir, stateDir, opts = {}) {
  return withStateLock(stateDir, () => recordLocked(resultsDir, stateDir, opts), { purpose: "record", ...opts.lock });
}
async function recordLocked(resultsDir, stateDir, opts) {
  const current = await loadState(stateDir);
  const limits = { ...DEFAULT_RESULT_LIMITS, ...opts.limits };
  const all = await readResults(resultsDir, limits);
  const results = all.filter((r) => r.result.status !== "cancelled");
  const incoming = await resultsToState(results, opts.store, limits);
  opts.onReady?.();
  const { state, changed } = mergeState(current, incoming, opts.policy ?? DEFAULT_RETRY_POLICY);
  const packages = [...changed].sort();
  const written = await saveState(stateDir, state, packages);
  return {
    state,
    incoming,
    packages,
    written,
    results: results.length,
    attempts: results.reduce((n, r) => n + r.result.attempts.length, 0),
    built: results.filter((r) => r.result.status === "success").length,
    failed: results.filter((r) => r.result.status === "failure").length,
    cancelled: all.length - results.length
  };
}
async function resultsToState(results, store, limits = DEFAULT_RESULT_LIMITS) {
  const facts = await mapLimit(results, store ? 1 : 8, async (rf) => {
    let storage = { kind: "none" };
    const path = wheelPath(rf);
    if (rf.result.status === "success" && path && rf.result.wheel) {
      checkWheelSize(path, rf.result.wheel, limits.wheelBytes);
      if (store) storage = await store.put(path, rf.result.wheel);
      else await readVerified(path, rf.result.wheel, limits.wheelBytes);
    }
    return resultFacts(rf, storage);
  });
  return resultsState(facts);
}

// src/domain/storage/local.ts
var LocalWheelStore = class {
  constructor(root) {
    this.root = root;
  }
  root;
  kind = "local";
  async put(file, wheel) {
    const data = await readVerified(file, wheel);
    const location = `${wheel.sha256.slice(0, 16)}/${wheel.filename}`;
    const dest = confined(this.root, location, wheel.filename);
    const existing = await readRegularFile(dest, { expectBytes: data.length }).catch(() => void 0);
    if (!existing || sha256Hex(existing) !== wheel.sha256) await writeFileAtomic(dest, data);
    return { kind: "local", location };
  }
  async get(ref2, wheel, destDir) {
    if (ref2.kind !== "local" || !ref2.location || !LOCAL_LOCATION.test(ref2.location) || !isPlainName(ref2.location.slice(17))) {
      throw new RefineryError("state", `not a local storage reference: ${excerpt(JSON.stringify(ref2), 120)}`, {
        fix: "use the store the wheel was recorded with"
      });
    }
    const src = confined(this.root, ref2.location, wheel.filename);
    const data = await readVerified(src, wheel).catch((e) => {
      if (e instanceof RefineryError && e.message.startsWith("wheel file missing")) {
        throw new RefineryError("input", `stored wheel ${excerpt(wheel.filename)} is not in ${this.root}`, {
          location: { file: src },
          fix: "point the store at the folder the wheel was recorded into, or rebuild"
        });
      }
      throw e;
    });
    const dest = confined(destDir, wheel.filename, wheel.filename);
    await writeFileAtomic(dest, data);
    return dest;
  }
};
var LOCAL_LOCATION = /^[0-9a-f]{16}\/[^/\\]+$/;

// src/adapters/github.ts
function httpStatus(e) {
  const s = e?.status;
  return typeof s === "number" ? s : void 0;
}

// src/domain/storage/github-release.ts
var GitHubReleaseStore = class {
  constructor(o) {
    this.o = o;
  }
  o;
  kind = "github-release";
  release;
  async put(file, wheel) {
    const data = await readVerified(file, wheel);
    const release = await this.ensureRelease();
    const assets = await this.assets(release.id);
    const digest = `sha256:${wheel.sha256}`;
    for (const name of [wheel.filename, `${wheel.sha256.slice(0, 16)}-${wheel.filename}`]) {
      const have = assets.find((a) => a.name === name);
      if (have) {
        if (have.digest ? have.digest === digest : have.size === wheel.size) return ref(have);
        continue;
      }
      const uploaded = await this.upload(release, name, data).catch(async (e) => {
        if (httpStatus(e) !== 422) throw e;
        const again = (await this.assets(release.id)).find((a) => a.name === name);
        if (again && (again.digest ? again.digest === digest : again.size === wheel.size)) return again;
        throw e;
      });
      return ref(uploaded);
    }
    throw new RefineryError("conflict", `release ${this.o.tag} already holds two different files named like ${wheel.filename}`, {
      fix: "delete the stale assets from the release"
    });
  }
  async get(r, wheel, destDir) {
    if (r.kind !== "github-release" || r.assetId === void 0) {
      throw new RefineryError("state", `not a GitHub release asset reference: ${JSON.stringify(r)}`, { fix: "use the store the wheel was recorded with" });
    }
    const res = await this.o.octokit.rest.repos.getReleaseAsset({
      owner: this.o.owner,
      repo: this.o.repo,
      asset_id: r.assetId,
      headers: { accept: "application/octet-stream" }
    });
    const data = Buffer.from(res.data);
    checkWheelData(data, wheel, r.location ?? `asset ${r.assetId}`);
    const dest = confined(destDir, wheel.filename, wheel.filename);
    await writeFileAtomic(dest, data);
    return dest;
  }
  ensureRelease() {
    this.release ??= (async () => {
      const { octokit, owner, repo, tag } = this.o;
      try {
        return (await octokit.rest.repos.getReleaseByTag({ owner, repo, tag })).data;
      } catch (e) {
        if (httpStatus(e) !== 404) throw e;
      }
      try {
        return (await octokit.rest.repos.createRelease({ owner, repo, tag_name: tag, name: tag, body: "Wheels built for s390x by refinery." })).data;
      } catch (e) {
        if (httpStatus(e) !== 422) throw e;
        return (await octokit.rest.repos.getReleaseByTag({ owner, repo, tag })).data;
      }
    })();
    return this.release;
  }
  async assets(releaseId) {
    const { octokit, owner, repo } = this.o;
    return await octokit.paginate(octokit.rest.repos.listReleaseAssets, { owner, repo, release_id: releaseId, per_page: 100 });
  }
  async upload(release, name, data) {
    const { octokit, owner, repo } = this.o;
    const res = await octokit.rest.repos.uploadReleaseAsset({
      owner,
      repo,
      release_id: release.id,
      name,
      data,
      // upload_url is `<uploads root>/repos/o/r/releases/<id>/assets{?name,label}` (GHES: `<host>/api/uploads/...`).
      baseUrl: release.upload_url.replace(/\/repos\/.*$/, ""),
      headers: { "content-type": "application/octet-stream", "content-length": data.length }
    });
    return res.data;
  }
};
function ref(a) {
  return { kind: "github-release", location: a.browser_download_url, assetId: a.id };
}

// src/domain/storage/reuse.ts
async function reuseWheel(state, fingerprint, stores, destDir) {
  const entry = findReusable(state, fingerprint);
  if (!entry) return void 0;
  const store = stores.find((s) => s.kind === entry.storage.kind);
  if (!store) return void 0;
  const path = await store.get(entry.storage, entry, destDir);
  return {
    entry,
    path,
    reason: `reused ${entry.filename}: built ${entry.builtAt} from the same inputs (${fingerprint.slice(0, 19)}), stored in ${entry.storage.kind}`
  };
}

export {
  DEFAULT_RESULT_LIMITS,
  record,
  httpStatus,
  LocalWheelStore,
  GitHubReleaseStore,
  reuseWheel
};
