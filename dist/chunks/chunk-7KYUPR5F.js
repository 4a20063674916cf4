import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  record,
  reuseWheel
} from "./chunk-NBFXOFJH.js";
import {
  planFromState
} from "./chunk-SFTXTDFY.js";
import {
  buildUnit,
  environmentError,
  unitFingerprint
} from "./chunk-OK4ZYHVC.js";
import {
  getPreset,
  scanFromConfig
} from "./chunk-5RNAZF3E.js";
import {
  dropQueued,
  saveState,
  withStateLock
} from "./chunk-B3SVX456.js";
import {
  loadState
} from "./chunk-3LOFCYLJ.js";

// src/chain/pipeline.ts
import { join } from "node:path";
async function runPipeline(o) {
  const state = await loadState(o.stateDir);
  const { inventory, index, indexes } = await scanFromConfig({ ...o, state });
  const plan = await planFromState(inventory, o.config, { stateDir: o.stateDir, state, recipes: o.recipes, ...o.now ? { now: o.now } : {} });
  const units = [];
  const failed = /* @__PURE__ */ new Set();
  const checked = /* @__PURE__ */ new Set();
  const satisfied = [];
  let budget = o.maxUnits ?? Number.POSITIVE_INFINITY;
  const report = (u) => {
    units.push(u);
    o.onUnit?.(u);
  };
  for (const unit of plan.matrix.include) {
    if (o.signal?.aborted) break;
    if (o.unitFilter && !o.unitFilter(unit)) continue;
    const blocker = unit.needs.find((id) => failed.has(id));
    if (blocker) {
      failed.add(unit.id);
      report({ unit, outcome: "skipped", reason: `its build requirement ${blocker} failed in this run` });
      continue;
    }
    if (budget <= 0) {
      report({ unit, outcome: "skipped", reason: `over --max-units ${o.maxUnits}; left for the next run` });
      continue;
    }
    const preset = getPreset(o.presets, unit.preset);
    if (!checked.has(preset.name)) {
      const problems = await o.executor.check(preset);
      if (problems.length > 0) throw environmentError(`the ${o.executor.kind} executor cannot build preset ${preset.name} here`, problems);
      checked.add(preset.name);
    }
    if (unit.sdist.sha256 && o.store) {
      const fingerprint = await unitFingerprint(unit, { executor: o.executor, preset, recipes: o.recipes }, unit.sdist.sha256);
      const reused = await reuseWheel(state, fingerprint, [o.store], o.outDir);
      if (reused) {
        report({ unit, outcome: "reused", wheel: reused.path, reason: reused.reason });
        if (state.packages.get(unit.package)?.queue.some((q) => q.version === unit.version)) satisfied.push(unit);
        continue;
      }
    }
    budget--;
    const result = await buildUnit(unit, {
      executor: o.executor,
      preset,
      catalog: o.catalog,
      recipes: o.recipes,
      outDir: o.outDir,
      // The index client's HTTP client carries the configured credentials for the sdist download;
      // pip inside the build takes build requirements from the same indexes.
      http: index.http,
      indexes,
      // A unit of a later wave builds with the wheels this run built or reused for earlier ones.
      ...unit.needs.length > 0 ? { findLinks: [o.outDir] } : {},
      skipCheck: true,
      ...o.passEnv ? { passEnv: o.passEnv } : {},
      ...o.signal ? { signal: o.signal } : {},
      ...o.unitTimeoutMs ? { unitTimeoutMs: o.unitTimeoutMs } : {},
      ...o.maxAttempts ? { maxAttempts: o.maxAttempts } : {},
      ...o.onBuildEvent ? { onEvent: (e) => o.onBuildEvent(unit, e) } : {},
      ...o.onBuildOutput ? { onOutput: (c) => o.onBuildOutput(unit, c) } : {}
    });
    if (result.status === "cancelled") {
      report({ unit, outcome: "cancelled", reason: "refinery was asked to stop" });
      break;
    }
    if (result.status === "success" && result.wheel) {
      report({
        unit,
        outcome: "built",
        wheel: join(o.outDir, result.wheel.filename),
        attempts: result.attempts.length,
        compiler: result.compiler ?? "emulated"
      });
    } else {
      failed.add(unit.id);
      const last = result.attempts.at(-1);
      report({
        unit,
        outcome: "failed",
        attempts: result.attempts.length,
        reason: `${last.failureClass ?? "unclassified"}${last.matchedHint ? ` (hint ${last.matchedHint})` : ""} in ${last.phase ?? "?"}${last.evidence?.[0] ? `: ${last.evidence[0]}` : ""}`
      });
    }
  }
  if (o.signal?.aborted) return { inventory, plan, units, cancelled: true };
  if (satisfied.length > 0) {
    await withStateLock(
      o.stateDir,
      async () => {
        let current = await loadState(o.stateDir);
        const at = (o.now ?? /* @__PURE__ */ new Date()).toISOString();
        for (const u of satisfied) current = dropQueued(current, u.package, { version: u.version, at });
        await saveState(
          o.stateDir,
          current,
          satisfied.map((u) => u.package)
        );
      },
      { purpose: "run" }
    );
  }
  const wrote = units.some((u) => u.outcome === "built" || u.outcome === "failed");
  const recorded = wrote ? await record(o.outDir, o.stateDir, o.store ? { store: o.store } : {}) : void 0;
  return { inventory, plan, units, ...recorded ? { recorded } : {} };
}

export {
  runPipeline
};
