import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  DEFAULT_RETRY_POLICY,
  HistoryEntry,
  ManifestEntry,
  canonicalLine,
  emptyPackage,
  findReusable,
  loadState,
  mapLimit,
  mergeState,
  normalizeName,
  saveState,
  writeFileAtomic,
  zodError
} from "./chunk-NJWFOZHF.js";
import {
  BuildResult
} from "./chunk-56VPNN2N.js";
import {
  RefineryError
} from "./chunk-2Z5TIULM.js";

// src/record/results.ts
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
var RESULT_SUFFIX = ".result.json";
async function readResults(dir) {
  let entries;
  try {
    entries = (await readdir(dir, { recursive: true })).map(String);
  } catch (e) {
    throw new RefineryError("input", `cannot read the results folder: ${e.code ?? String(e)}`, {
      location: { file: dir },
      fix: "pass --results with the folder the build jobs wrote (or their downloaded artifacts)"
    });
  }
  const files = entries.filter((f) => f.endsWith(RESULT_SUFFIX)).sort();
  const parsed = await mapLimit(files, 32, async (rel) => {
    try {
      return await readResult(join(dir, rel));
    } catch (e) {
      return e;
    }
  });
  const bad = parsed.find((p) => p instanceof Error);
  if (bad) throw bad;
  return parsed;
}
async function readResult(file) {
  const text = await readFile(file, "utf8");
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RefineryError("input", `not valid JSON (${e.message}); the result file may be truncated`, {
      location: { file },
      fix: "rerun the build job or remove the file"
    });
  }
  const parsed = BuildResult.safeParse(raw);
  if (!parsed.success) {
    const e = zodError(parsed.error, file);
    throw new RefineryError("input", e.message, { location: e.location, fix: "the build job wrote an invalid result; rerun it or remove the file" });
  }
  if (parsed.data.status === "success" && !parsed.data.wheel) {
    throw new RefineryError("input", "a successful result without a wheel", { location: { file, field: "wheel" }, fix: "rerun the build job" });
  }
  return { file, result: parsed.data };
}
function runId(r) {
  const key = canonicalLine({ unit: r.unit.id, fp: r.inputsFingerprint, start: r.attempts[0].startedAt, runner: r.runner, runUrl: r.runUrl, log: r.log });
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}
function wheelPath(rf) {
  return rf.result.wheel ? join(dirname(rf.file), rf.result.wheel.filename) : void 0;
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
        killed: a.killed,
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
  const e = zodError(parsed.error, file);
  throw new RefineryError("input", `${e.message} (in what this result records for ${prefix})`, {
    location: { file, field: e.location.field },
    fix: "the build wrote a result the state cannot hold; rerun the build with a matching refinery version"
  });
}

// src/record/record.ts
async function record(resultsDir, stateDir, opts = {}) {
  const current = await loadState(stateDir);
  const results = await readResults(resultsDir);
  const incoming = await resultsToState(results, opts.store);
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
    failed: results.filter((r) => r.result.status === "failure").length
  };
}
async function resultsToState(results, store) {
  const facts = [];
  for (const rf of results) {
    let storage = { kind: "none" };
    const path = wheelPath(rf);
    if (store && path && rf.result.wheel) storage = await store.put(path, rf.result.wheel);
    facts.push(resultFacts(rf, storage));
  }
  return resultsState(facts);
}

// src/storage/local.ts
import { copyFile, mkdir, readFile as readFile3 } from "node:fs/promises";
import { join as join2, resolve } from "node:path";

// src/storage/store.ts
import { createHash as createHash2 } from "node:crypto";
import { readFile as readFile2 } from "node:fs/promises";
function sha256Hex(data) {
  return createHash2("sha256").update(data).digest("hex");
}
async function readVerified(file, wheel) {
  let data;
  try {
    data = await readFile2(file);
  } catch (e) {
    throw new RefineryError("input", `wheel file missing: ${e.code ?? String(e)}`, {
      location: { file },
      fix: "download the build job artifacts with the wheels next to their .result.json files"
    });
  }
  checkSha(data, wheel, file);
  return data;
}
function checkSha(data, wheel, where) {
  const got = sha256Hex(data);
  if (got !== wheel.sha256) {
    throw new RefineryError("input", `sha256 mismatch for ${wheel.filename}: expected ${wheel.sha256}, got ${got}`, {
      location: { file: where },
      fix: "the wheel was changed or truncated after the build; rebuild it"
    });
  }
}

// src/storage/local.ts
var LocalWheelStore = class {
  constructor(root) {
    this.root = root;
  }
  root;
  kind = "local";
  async put(file, wheel) {
    const data = await readVerified(file, wheel);
    const location = `${wheel.sha256.slice(0, 16)}/${wheel.filename}`;
    const dest = join2(this.root, location);
    const existing = await readFile3(dest).catch(() => void 0);
    if (!existing || existing.length !== data.length) await writeFileAtomic(dest, data);
    return { kind: "local", location };
  }
  async get(ref2, wheel, destDir) {
    if (ref2.kind !== "local" || !ref2.location || ref2.location.split("/").includes("..")) {
      throw new RefineryError("state", `not a local storage reference: ${JSON.stringify(ref2)}`, { fix: "use the store the wheel was recorded with" });
    }
    const src = resolve(this.root, ref2.location);
    const data = await readFile3(src).catch(() => void 0);
    if (!data) {
      throw new RefineryError("input", `stored wheel ${wheel.filename} is not in ${this.root}`, {
        location: { file: src },
        fix: "point the store at the folder the wheel was recorded into, or rebuild"
      });
    }
    checkSha(data, wheel, src);
    await mkdir(destDir, { recursive: true });
    const dest = join2(destDir, wheel.filename);
    await copyFile(src, dest);
    return dest;
  }
};

// src/storage/github-release.ts
import { mkdir as mkdir2 } from "node:fs/promises";
import { join as join3 } from "node:path";

// src/adapters/github.ts
function httpStatus(e) {
  const s = e?.status;
  return typeof s === "number" ? s : void 0;
}

// src/storage/github-release.ts
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
    checkSha(data, wheel, r.location ?? `asset ${r.assetId}`);
    await mkdir2(destDir, { recursive: true });
    const dest = join3(destDir, wheel.filename);
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

// src/storage/reuse.ts
async function reuseWheel(state, fingerprint, stores, destDir) {
  const entry = findReusable(state, fingerprint);
  if (!entry) return void 0;
  const store = stores.find((s) => s.kind === entry.storage.kind);
  if (!store) return void 0;
  const path = await store.get(entry.storage, entry, destDir);
  return { entry, path, reason: `reused ${entry.filename}: built ${entry.builtAt} from the same inputs (${fingerprint.slice(0, 19)}), stored in ${entry.storage.kind}` };
}

export {
  record,
  httpStatus,
  LocalWheelStore,
  GitHubReleaseStore,
  reuseWheel
};
