import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  plan
} from "./chunk-B7L3GXP5.js";
import {
  loadRecipes,
  recipeFor,
  scanFromConfig
} from "./chunk-SYUUEBRN.js";
import {
  dueQueueEntries,
  durationEstimate,
  knownFailing,
  learnedHints,
  loadEffectiveConfig,
  loadState
} from "./chunk-SLQFERWZ.js";
import {
  available
} from "./chunk-QBG53UBP.js";
import {
  satisfies
} from "./chunk-LXHUYZ3X.js";
import {
  seedsDir
} from "./chunk-NWFIOEDQ.js";
import {
  RefineryError
} from "./chunk-CZQUZSVW.js";

// src/cli/progress.ts
function progress(ctx, title, enabled) {
  const on = enabled && ctx.interactive;
  let last = 0;
  return {
    update(done, total, label) {
      if (!on) return;
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      const pct = total > 0 ? Math.floor(done / total * 100) : 0;
      const line = `${title} ${done}/${total} (${pct}%)${label ? ` ${label}` : ""}`;
      ctx.stderr.write(`\r\x1B[2K${line.slice(0, 120)}`);
    },
    done(summary) {
      if (!on) return;
      ctx.stderr.write(`\r\x1B[2K${summary ? `${summary}
` : ""}`);
    }
  };
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
      const failing = knownFailing(state, name, version).sort((a, b) => a.at.localeCompare(b.at)).at(-1);
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
  const recipes = o.recipes ?? await loadRecipes(join(seedsDir(), "recipes"));
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
  return plan(inventory, config, deps);
}

// src/cli/run-scan.ts
async function findUv(ctx) {
  const candidates = [ctx.env.REFINERY_UV, "uv"].filter((c) => !!c);
  for (const c of candidates) if (await available(c)) return c;
  throw new RefineryError("environment", "uv (the resolver) was not found", {
    fix: "install it (`pip install uv`, or astral-sh/setup-uv in a workflow) or set REFINERY_UV to its path"
  });
}
async function runScan(ctx, o, opts) {
  const { config, baseDir, stateDir, cacheDir } = await loadEffectiveConfig(ctx, o);
  const bar = progress(ctx, "scanning", opts.progress);
  const { inventory } = await scanFromConfig({ config, baseDir, stateDir, cacheDir, uv: () => findUv(ctx), env: ctx.env, onProgress: (d, t, l) => bar.update(d, t, l) });
  bar.done();
  return inventory;
}
async function runPlan(inventory, config, stateDir) {
  return planFromState(inventory, config, { stateDir });
}

export {
  planFromState,
  progress,
  findUv,
  runScan,
  runPlan
};
