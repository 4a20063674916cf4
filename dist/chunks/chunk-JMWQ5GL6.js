import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  byCodePoint,
  loadPresets,
  loadRecipes,
  recipeFor,
  withUserPresets
} from "./chunk-7FO562RD.js";
import {
  satisfies,
  versionCompare
} from "./chunk-Q7N2TZGB.js";
import {
  dueQueueEntries,
  durationEstimate,
  effectivePreset,
  knownFailing,
  learnedHints,
  loadState,
  normalizeName
} from "./chunk-K2CVZOKL.js";
import {
  seedsDir
} from "./chunk-WT5GDXBR.js";
import {
  RefineryError
} from "./chunk-2Z5TIULM.js";

// src/plan/shards.ts
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

// src/plan/waves.ts
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

// src/plan/plan.ts
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
      const hintsNow = hintsFor(entry.name, deps);
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
    const hints = hintsFor(first.name, deps);
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
      runner,
      runs_on: JSON.stringify(runner.labels.length === 1 ? runner.labels[0] : runner.labels),
      wave: 0,
      needs: [],
      sdist: { filename: sdist.filename, url: sdist.url, ...sdist.sha256 ? { sha256: sdist.sha256 } : {} },
      estimatedSeconds: deps.durationEstimate(first.name, first.version) ?? heuristicSeconds(sdist.size, runner),
      reason: [g.why, presetReason].filter(Boolean).join("; ")
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
      if (u) u.reason += "; build-requirement cycle: " + cycle.join(" -> ");
    }
  }
  units.sort((a, b) => a.wave - b.wave || byCodePoint(a.package, b.package) || versionCompare(a.version, b.version) || byCodePoint(a.id, b.id));
  const capped = units.slice(0, config.limits.maxUnits);
  for (const u of units.slice(config.limits.maxUnits)) {
    skipped.push({ package: u.package, version: u.version, reason: `over limits.maxUnits ${config.limits.maxUnits}` });
  }
  const shards = shard(capped, config.limits.maxJobsPerMatrix, config.limits.maxOutputBytes);
  return {
    schema: "refinery/plan@1",
    generatedAt: deps.now.toISOString(),
    matrix: { include: capped },
    shards,
    waves: capped.length === 0 ? 0 : Math.max(...capped.map((u) => u.wave)) + 1,
    skipped: dedupeSkips(skipped),
    estimatedSeconds: capped.reduce((s, u) => s + u.estimatedSeconds, 0)
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
function hintsFor(name, deps) {
  return [.../* @__PURE__ */ new Set([...deps.recipe(name)?.hints ?? [], ...deps.learnedHints(name)])].sort();
}
function heuristicSeconds(size, runner) {
  const base = runner.kind === "qemu" ? 300 : 60;
  const perMb = runner.kind === "qemu" ? 240 : 30;
  return Math.round(base + (size ?? 1e6) / 1e6 * perMb);
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

// src/plan/run.ts
import { join } from "node:path";

// src/plan/deps.ts
var DEFAULT_PRESET_SUCCESSION = ["manylinux2014", "manylinux_2_28", "manylinux_2_34"];
function planDepsFromState(state, recipe, now) {
  const due = new Set(dueQueueEntries(state, now).map((q) => `${q.package}\0${q.version}`));
  return {
    recipe,
    learnedHints: (name) => learnedHints(state, name).map((h) => h.hint),
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

// src/plan/run.ts
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
  }
  return result;
}

export {
  plan,
  planFromState
};
