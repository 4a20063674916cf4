import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  IndexClient,
  byCodePoint,
  evaluateMarker,
  loadPresets,
  loadRecipes,
  markerEnvironment,
  parseRequirement,
  recipeFor,
  withUserPresets
} from "./chunk-5RNAZF3E.js";
import {
  available
} from "./chunk-RYNH5UWE.js";
import {
  readArchiveMember
} from "./chunk-LOLMKOCG.js";
import {
  dueQueueEntries,
  durationEstimate,
  effectivePreset,
  knownFailing,
  learnedHints
} from "./chunk-B3SVX456.js";
import {
  loadState
} from "./chunk-3LOFCYLJ.js";
import {
  seedsDir
} from "./chunk-U7XWDEL6.js";
import {
  normalizeName,
  parseWheelFilename,
  satisfies,
  versionCompare
} from "./chunk-UNLQIFJ6.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";

// src/stages/plan/batches.ts
var MAX_MATRIX_ENTRIES = 256;
function packWaves(units, o) {
  const parallel = Math.max(1, Math.min(MAX_MATRIX_ENTRIES, Math.floor(o.maxParallel)));
  const batches = [];
  const overLimit = [];
  let makespan = 0;
  let bound = 0;
  for (const wave of [...new Set(units.map((u) => u.wave))].sort((a, b) => a - b)) {
    const inWave = units.filter((u) => u.wave === wave).sort((a, b) => b.estimatedSeconds - a.estimatedSeconds || byCodePoint(a.id, b.id));
    const total = inWave.reduce((s, u) => s + u.estimatedSeconds, 0);
    const rounds = Math.max(1, Math.ceil(total / (parallel * o.jobLimitSeconds)));
    const target = Math.min(MAX_MATRIX_ENTRIES, parallel * rounds);
    const bins = [];
    for (const u of inWave) {
      const d = u.estimatedSeconds;
      if (d > o.jobLimitSeconds) {
        overLimit.push(u.id);
        bins.push({ units: [u.id], load: d });
        continue;
      }
      let best;
      for (const b of bins) if (b.load + d <= o.jobLimitSeconds && (!best || b.load < best.load)) best = b;
      if (!best || bins.length < target && best.load > 0) {
        if (bins.length < MAX_MATRIX_ENTRIES) best = { units: [], load: 0 };
        else best = bins.reduce((m, b) => b.load < m.load ? b : m);
        if (!bins.includes(best)) bins.push(best);
      }
      best.units.push(u.id);
      best.load += d;
    }
    bins.sort((a, b) => b.load - a.load);
    for (const b of bins) batches.push({ wave, index: batches.length, units: b.units, estimatedSeconds: b.load });
    makespan += listSchedule(
      bins.map((b) => b.load),
      parallel
    );
    bound += Math.max(inWave[0]?.estimatedSeconds ?? 0, total / parallel);
  }
  return { batches, overLimit, makespanSeconds: makespan, lowerBoundSeconds: bound };
}
function listSchedule(loads, runners) {
  const free = new Array(Math.min(runners, loads.length)).fill(0);
  for (const load of loads) {
    let i = 0;
    for (let j = 1; j < free.length; j++) if (free[j] < free[i]) i = j;
    free[i] += load;
  }
  return free.reduce((m, t) => Math.max(m, t), 0);
}

// src/stages/plan/shards.ts
function shard(units, maxJobs, maxBytes) {
  const shards = [];
  const waves = [...new Set(units.map((u) => u.wave))].sort((a, b) => a - b);
  for (const wave of waves) {
    let current = [];
    let bytes = overhead;
    for (const unit of units.filter((u) => u.wave === wave)) {
      const size = Buffer.byteLength(JSON.stringify(unit)) + 1;
      if (size + overhead > maxBytes) {
        throw new RefineryError("config", `plan unit ${unit.id} alone is ${size} bytes, over the ${maxBytes}-byte output limit`, {
          location: { field: "limits.maxOutputBytes" },
          fix: "raise limits.maxOutputBytes (GitHub allows up to 1 MB of job outputs)"
        });
      }
      if (current.length >= maxJobs || bytes + size > maxBytes) {
        shards.push({ index: shards.length, wave, matrix: { include: current } });
        current = [];
        bytes = overhead;
      }
      current.push(unit);
      bytes += size;
    }
    if (current.length > 0) shards.push({ index: shards.length, wave, matrix: { include: current } });
  }
  return shards;
}
var overhead = 14;

// src/stages/plan/waves.ts
function assignWaves(units) {
  const byId = new Map(units.map((u) => [u.id, u]));
  const wave = /* @__PURE__ */ new Map();
  const state = /* @__PURE__ */ new Map();
  const cycles = [];
  const stack = [];
  const visit = (id) => {
    const s = state.get(id);
    if (s === "done") return wave.get(id);
    if (s === "visiting") {
      cycles.push(stack.slice(stack.indexOf(id)));
      return -1;
    }
    state.set(id, "visiting");
    stack.push(id);
    let w = 0;
    for (const need of byId.get(id)?.needs ?? []) {
      if (!byId.has(need)) continue;
      w = Math.max(w, visit(need) + 1);
    }
    stack.pop();
    state.set(id, "done");
    wave.set(id, w);
    return w;
  };
  for (const u of [...units].sort((a, b) => byCodePoint(a.id, b.id))) visit(u.id);
  return { wave, cycles };
}

// src/domain/hints/predict.ts
var IMPLIED = {
  // Rust extensions
  maturin: ["rust-toolchain"],
  "setuptools-rust": ["rust-toolchain"],
  puccinialin: ["rust-toolchain"],
  // CMake-driven builds compile C++ more often than not, and CMake wants a C++ compiler to enable CXX
  cmake: ["cmake", "cxx-compiler"],
  "scikit-build-core": ["cmake", "ninja", "cxx-compiler"],
  "scikit-build": ["cmake", "cxx-compiler"],
  // meson-python: meson itself comes from PyPI, ninja and pkg-config from the system
  "meson-python": ["ninja", "pkg-config"],
  meson: ["ninja", "pkg-config"],
  // C++ binding generators
  pybind11: ["cxx-compiler"],
  nanobind: ["cxx-compiler"],
  // C libraries a build requirement compiles against
  cffi: ["libffi"],
  // SciPy-style builds: a Fortran compiler and BLAS/LAPACK
  "scipy-openblas32": ["openblas-lapack"],
  "scipy-openblas64": ["openblas-lapack"],
  pythran: ["cxx-compiler", "openblas-lapack"]
};
function predictHints(buildRequires, python) {
  const env = markerEnvironment({ python });
  const out = /* @__PURE__ */ new Map();
  for (const source of buildRequires) {
    let req;
    try {
      req = parseRequirement(source);
    } catch {
      continue;
    }
    if (req.marker && !evaluateMarker(req.marker, env)) continue;
    for (const hint of IMPLIED[req.normalizedName] ?? []) if (!out.has(hint)) out.set(hint, req.normalizedName);
  }
  return [...out].map(([hint, because]) => ({ hint, because })).sort((a, b) => a.hint < b.hint ? -1 : a.hint > b.hint ? 1 : 0);
}

// src/stages/plan/plan.ts
function plan(inventory, config, deps) {
  const runner = chooseRunner(config);
  const skipped = [];
  const candidates = [];
  for (const entry of inventory.packages) {
    const queued = deps.queued(entry.name, entry.version);
    const requested = entry.status === "built" && queued?.due === true && entry.sdist !== void 0;
    if (entry.status !== "needs-build" && entry.status !== "known-failing" && !requested) continue;
    const recipe = deps.recipe(entry.name);
    if (recipe?.skip) {
      pushSkip(skipped, entry, `recipe: ${recipe.skip}`);
      continue;
    }
    if (queued && !queued.due) {
      pushSkip(skipped, entry, `in the retry queue until ${queued.nextAt}`);
      continue;
    }
    const failure = deps.lastFailure(entry.name, entry.version);
    if (entry.status === "known-failing" || failure?.permanent) {
      const hintsNow = hintsFor(entry, deps).hints;
      const presetNow = recipe?.preset ?? effectivePreset(config);
      const changed = failure && (presetNow !== failure.preset || hintsNow.some((h) => !failure.hints.includes(h)));
      if (!changed) {
        pushSkip(skipped, entry, `known failing (${failure?.failureClass ?? entry.reason}); no input changed since`);
        continue;
      }
      candidates.push({ entry, why: "known failing, but its preset or hints changed since" });
      continue;
    }
    candidates.push({ entry, why: queued?.due ? "due in the retry queue" : failure ? `retry after ${failure.failureClass}` : "no s390x wheel anywhere" });
  }
  const groups = /* @__PURE__ */ new Map();
  for (const { entry, why } of candidates) {
    const variant = entry.abi === "abi3" ? "abi3" : entry.abi === "none" ? "py3" : entry.python;
    const key = `${entry.name}\0${entry.version}\0${variant}`;
    const g = groups.get(key) ?? { entries: [], why, variant };
    g.entries.push(entry);
    groups.set(key, g);
  }
  const units = [];
  for (const g of groups.values()) {
    const first = g.entries[0];
    const pythons = [...new Set(g.entries.map((e) => e.python))].sort(versionCompare);
    const recipe = deps.recipe(first.name);
    const { preset, presetReason } = choosePreset(first, recipe?.preset ?? effectivePreset(config), deps);
    const { hints, predicted } = hintsFor(first, deps);
    const noTurbo = config.compiler === "emulated" ? void 0 : deps.turboIncompatible?.(first.name, first.version);
    const compiler = config.compiler === "emulated" || noTurbo ? "emulated" : "turbo";
    const sdist = first.sdist;
    const variantTag = g.variant === "abi3" || g.variant === "py3" ? g.variant : `cp${g.variant.replace(".", "")}`;
    units.push({
      id: safeId(`${first.name}-${first.version}-${variantTag}-${preset}`),
      package: first.name,
      version: first.version,
      python: g.variant,
      buildPython: pythons[0],
      targets: [...new Set(g.entries.map((e) => e.target))].sort(),
      preset,
      hints,
      ...predicted.length > 0 ? { predictedHints: predicted.map((p) => p.hint) } : {},
      compiler,
      runner,
      runs_on: JSON.stringify(runner.labels.length === 1 ? runner.labels[0] : runner.labels),
      wave: 0,
      needs: [],
      sdist: { filename: sdist.filename, url: sdist.url, ...sdist.sha256 ? { sha256: sdist.sha256 } : {} },
      estimatedSeconds: deps.durationEstimate(first.name, first.version) ?? heuristicSeconds(sdist.size, runner),
      reason: [g.why, presetReason, noTurbo, predictedReason(predicted)].filter(Boolean).join("; ")
    });
  }
  const byName = /* @__PURE__ */ new Map();
  for (const u of units) byName.set(u.package, [...byName.get(u.package) ?? [], u]);
  const buildRequires = new Map(candidates.map(({ entry }) => [`${entry.name}\0${entry.version}`, entry.buildRequires ?? []]));
  for (const u of units) {
    const names = (buildRequires.get(`${u.package}\0${u.version}`) ?? []).map(requirementName).filter((n) => !!n);
    const needs = /* @__PURE__ */ new Set();
    for (const n of names) {
      for (const dep of byName.get(n) ?? []) {
        if (dep.id === u.id) continue;
        if (dep.python === "abi3" || dep.python === "py3" || dep.python === u.buildPython || dep.python === u.python) needs.add(dep.id);
      }
    }
    u.needs = [...needs].sort();
  }
  const { wave, cycles } = assignWaves(units);
  for (const u of units) u.wave = wave.get(u.id) ?? 0;
  for (const cycle of cycles) {
    for (const id of cycle) {
      const u = units.find((x) => x.id === id);
      if (u) u.reason += `; build-requirement cycle: ${cycle.join(" -> ")}`;
    }
  }
  units.sort((a, b) => a.wave - b.wave || byCodePoint(a.package, b.package) || versionCompare(a.version, b.version) || byCodePoint(a.id, b.id));
  const capped = units.slice(0, config.limits.maxUnits);
  for (const u of units.slice(config.limits.maxUnits)) {
    skipped.push({ package: u.package, version: u.version, reason: `over limits.maxUnits ${config.limits.maxUnits}` });
  }
  const packed = packWaves(capped, { maxParallel: config.limits.maxParallel, jobLimitSeconds: config.limits.jobTimeoutMinutes * 60 });
  const unitLimit = config.limits.unitTimeoutMinutes * 60;
  const faster = runner.kind === "qemu" ? "a turbo build (compiler: turbo) or a native s390x runner (runners.native) would be faster" : "raise the limit";
  for (const u of capped) {
    if (packed.overLimit.includes(u.id)) {
      u.reason += `; estimated ${minutes(u.estimatedSeconds)}, over the job time limit of ${config.limits.jobTimeoutMinutes} min: it runs in a batch of its own and may be cut off (${faster})`;
    } else if (u.estimatedSeconds > unitLimit) {
      u.reason += `; estimated ${minutes(u.estimatedSeconds)}, over the unit timeout of ${config.limits.unitTimeoutMinutes} min (limits.unitTimeoutMinutes; ${faster})`;
    }
  }
  const shards = shard(capped, config.limits.maxJobsPerMatrix, config.limits.maxOutputBytes);
  return {
    schema: "refinery/plan@1",
    generatedAt: deps.now.toISOString(),
    matrix: { include: capped },
    shards,
    waves: capped.length === 0 ? 0 : Math.max(...capped.map((u) => u.wave)) + 1,
    skipped: dedupeSkips(skipped),
    estimatedSeconds: capped.reduce((s, u) => s + u.estimatedSeconds, 0),
    batches: packed.batches,
    makespanSeconds: Math.round(packed.makespanSeconds),
    lowerBoundSeconds: Math.round(packed.lowerBoundSeconds)
  };
}
function chooseRunner(config) {
  if (config.runners.native.length > 0) return { kind: "native", labels: config.runners.native };
  return { kind: "qemu", labels: config.runners.qemu };
}
function choosePreset(entry, wanted, deps) {
  const failure = deps.lastFailure(entry.name, entry.version);
  if (failure && failure.failureClass === "missing-toolchain" && failure.preset === wanted) {
    const i = deps.presetSuccession.indexOf(wanted);
    const next = i >= 0 ? deps.presetSuccession[i + 1] : void 0;
    if (next) return { preset: next, presetReason: `preset ${wanted} lacked a toolchain last time, using ${next}` };
  }
  return { preset: wanted, presetReason: "" };
}
function hintsFor(entry, deps) {
  const known = /* @__PURE__ */ new Set([...deps.recipe(entry.name)?.hints ?? [], ...deps.learnedHints(entry.name)]);
  const predicted = predictHints(entry.buildRequires ?? [], entry.python).filter((p) => !known.has(p.hint));
  return { hints: [...known, ...predicted.map((p) => p.hint)].sort(), predicted };
}
function predictedReason(predicted) {
  if (predicted.length === 0) return "";
  return `predicted from build requirements: ${predicted.map((p) => `${p.because} -> ${p.hint}`).join(", ")}`;
}
function heuristicSeconds(size, runner) {
  const base = runner.kind === "qemu" ? 300 : 60;
  const perMb = runner.kind === "qemu" ? 240 : 30;
  return Math.round(base + (size ?? 1e6) / 1e6 * perMb);
}
function minutes(seconds) {
  return `${Math.round(seconds / 60)} min`;
}
function requirementName(req) {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req);
  return m ? normalizeName(m[1]) : void 0;
}
function safeId(s) {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_");
}
function pushSkip(list, e, reason) {
  list.push({ package: e.name, version: e.version, reason });
}
function dedupeSkips(list) {
  const seen = /* @__PURE__ */ new Set();
  return list.filter((s) => {
    const k = `${s.package}\0${s.version}\0${s.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// src/stages/plan/from-state.ts
import { join } from "node:path";

// src/stages/plan/deps.ts
var DEFAULT_PRESET_SUCCESSION = ["manylinux2014", "manylinux_2_28", "manylinux_2_34"];
function planDepsFromState(state, recipe, now) {
  const due = new Set(dueQueueEntries(state, now).map((q) => `${q.package}\0${q.version}`));
  return {
    recipe,
    // A hint learned from turbo-incompatible failures only says "not turbo for that version": it
    // becomes the unit's compiler (turboIncompatible), not a hint for every later version.
    learnedHints: (name) => learnedHints(state, name).filter((h) => h.evidence.some((e) => e.failureClass !== "turbo-incompatible")).map((h) => h.hint),
    turboIncompatible(name, version) {
      for (const h of learnedHints(state, name)) {
        const e = h.evidence.find((x) => x.failureClass === "turbo-incompatible" && x.version === version);
        if (e) return `turbo compilers failed for ${version} (hint ${h.hint}, run ${e.run}) and the emulated retry built it: compiling emulated`;
      }
      return void 0;
    },
    lastFailure(name, version) {
      const failing = knownFailing(state, name, version).sort((a, b) => byCodePoint(a.at, b.at)).at(-1);
      if (!failing) return void 0;
      return {
        failureClass: failing.failureClass ?? "permanent",
        preset: failing.preset,
        hints: failing.hintsApplied,
        permanent: failing.retry !== "queued"
      };
    },
    queued(name, version) {
      const entry = state.packages.get(name)?.queue.find((q) => q.version === version && q.status === "waiting");
      if (!entry) return void 0;
      return { due: due.has(`${name}\0${version}`), nextAt: entry.nextEligibleAt };
    },
    durationEstimate: (name, version) => durationEstimate(state, name, version),
    presetSuccession: DEFAULT_PRESET_SUCCESSION,
    now
  };
}

// src/stages/plan/from-state.ts
async function planFromState(inventory, config, o) {
  const state = o.state ?? await loadState(o.stateDir);
  const mayBuild = inventory.packages.some((p) => p.status === "needs-build" || p.status === "built" || p.status === "known-failing");
  const recipes = o.recipes ?? (mayBuild ? await loadRecipes(join(seedsDir(), "recipes")) : /* @__PURE__ */ new Map());
  const versionOf = new Map(inventory.packages.map((p) => [p.name, p.version]));
  const deps = planDepsFromState(
    state,
    (name) => {
      const r = recipeFor(recipes, name);
      const version = versionOf.get(name);
      if (!r || r.versions && version && !satisfies(version, r.versions)) return void 0;
      return { ...r.preferredPreset ? { preset: r.preferredPreset } : {}, hints: r.hints, ...r.skip ? { skip: r.skip } : {} };
    },
    o.now ?? /* @__PURE__ */ new Date()
  );
  const result = plan(inventory, config, deps);
  if (result.matrix.include.length === 0) return result;
  const presets = withUserPresets(await loadPresets(join(seedsDir(), "presets.yml")), config.presets, "refinery.yml");
  for (const u of result.matrix.include) {
    if (!presets.has(u.preset)) {
      const fromRecipe = recipeFor(recipes, u.package)?.preferredPreset === u.preset;
      throw new RefineryError("config", `unit ${u.id} asks for preset '${u.preset}', which is neither shipped nor defined in presets`, {
        location: fromRecipe ? { field: `recipe ${u.package}: preferredPreset` } : { field: "preset" },
        fix: `use one of: ${[...presets.keys()].sort().join(", ")}; or define it under presets:`
      });
    }
    const pythons = Object.keys(presets.get(u.preset).python);
    if (!pythons.includes(u.buildPython)) {
      const serving = [...presets].filter(([, p]) => u.buildPython in p.python).map(([name]) => name);
      throw new RefineryError(
        "config",
        `unit ${u.id} builds with CPython ${u.buildPython}, and preset '${u.preset}' has no interpreter for it (it has ${pythons.join(", ") || "none"})`,
        {
          location: { field: "targets.python" },
          fix: serving.length > 0 ? `target a Python the preset has, or pick a preset that has ${u.buildPython}: ${serving.sort().join(", ")}` : `no preset has CPython ${u.buildPython}: target one of ${pythons.join(", ")}, or define a preset with it under presets:`
        }
      );
    }
  }
  return result;
}

// src/stages/scan/uv.ts
import { chmod, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join as join2 } from "node:path";
import { arch, platform } from "node:process";
import { randomBytes } from "node:crypto";
var UV_VERSION = "0.13.9";
function provisionedUvPath(cacheDir, version = UV_VERSION) {
  return join2(cacheDir, "tools", `uv-${version}`, "uv");
}
async function locateUv(o) {
  const named = o.env.REFINERY_UV;
  if (named) {
    if (await available(named, ["--version"], o.env)) return named;
    throw new RefineryError("environment", `REFINERY_UV names ${JSON.stringify(named)}, which does not run`, {
      fix: "point REFINERY_UV at a uv executable, or unset it to use uv from PATH (or let the refinery install one)"
    });
  }
  if (await available("uv", ["--version"], o.env)) return "uv";
  const cached = provisionedUvPath(o.cacheDir);
  if (existsSync(cached) && await available(cached)) return cached;
  if (!o.install) {
    throw new RefineryError("environment", "uv (the resolver) was not found", {
      fix: "install it (`pip install uv`, or astral-sh/setup-uv in a workflow), set REFINERY_UV to its path, or drop --no-install so the refinery installs it"
    });
  }
  return installUv(o, cached);
}
async function installUv(o, dest) {
  const machine = hostMachine();
  const client = new IndexClient({ indexes: o.indexes, ...o.httpOptions ? { httpOptions: o.httpOptions } : {} });
  const where = client.indexes[0] ?? "the index";
  o.notice?.(`uv (the resolver) is not installed: installing uv ${UV_VERSION} from ${where} into ${join2(o.cacheDir, "tools")} (once)`);
  const failed = (why) => new RefineryError("environment", `could not install uv ${UV_VERSION} from ${where}: ${why}`, {
    fix: "install uv yourself (`pip install uv`, or astral-sh/setup-uv in a workflow) and rerun, set REFINERY_UV, or make the index reachable"
  });
  let files;
  try {
    files = await client.getRelease("uv", UV_VERSION);
  } catch (e) {
    throw failed(e instanceof Error ? e.message : String(e));
  }
  const wheel = pickWheel(files, machine);
  if (!wheel) throw failed(`the index lists no uv ${UV_VERSION} wheel for Linux ${machine}`);
  const folder = join2(o.cacheDir, "tools", `.uv-${randomBytes(4).toString("hex")}.part`);
  try {
    let path;
    try {
      path = await client.download(wheel, folder);
    } catch (e) {
      throw failed(e instanceof Error ? e.message : String(e));
    }
    const member = await readArchiveMember(path, /^uv-[^/]+\.data\/scripts\/uv$/, { maxBytes: 256 * 1024 ** 2 });
    if (!member) throw failed(`${wheel.filename} holds no uv program`);
    const tmp = join2(folder, "uv");
    await writeFile(tmp, member.data, { mode: 493 });
    await chmod(tmp, 493);
    await mkdir(join2(dest, ".."), { recursive: true });
    await rename(tmp, dest);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  if (!await available(dest)) throw failed(`the installed ${dest} does not run on this machine`);
  return dest;
}
function hostMachine() {
  if (platform !== "linux") {
    throw new RefineryError("environment", `uv (the resolver) was not found, and the refinery installs it only on Linux (this is ${platform})`, {
      fix: "install uv (https://docs.astral.sh/uv/getting-started/installation/) or set REFINERY_UV to its path"
    });
  }
  const names = { x64: "x86_64", arm64: "aarch64", s390x: "s390x", ppc64: "ppc64le", ia32: "i686", arm: "armv7l" };
  return names[arch] ?? arch;
}
function pickWheel(files, machine) {
  const glibc = !!process.report?.getReport()?.header?.glibcVersionRuntime;
  const family = glibc ? /^manylinux/ : /^musllinux/;
  return files.find((f) => {
    if (!f.filename.endsWith(".whl") || f.yanked !== false) return false;
    try {
      const { platformTags } = parseWheelFilename(f.filename);
      return platformTags.some((t) => family.test(t) && t.endsWith(`_${machine}`));
    } catch {
      return false;
    }
  });
}

export {
  plan,
  planFromState,
  UV_VERSION,
  provisionedUvPath,
  locateUv
};
