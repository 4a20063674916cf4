import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  getInput,
  planSummary,
  setOutput,
  warning
} from "./chunk-SNV77MRU.js";
import {
  Plan,
  PlanUnit,
  Runner
} from "./chunk-J5ZFXILX.js";
import {
  external_exports,
  readJson,
  schemaError
} from "./chunk-CY6NXZGB.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";

// src/faces/actions/waves.ts
var BatchRef = external_exports.object({
  /** `wave-<w>-batch-<i>`: the job's name. */
  id: external_exports.string().regex(/^wave-\d+-batch-\d+$/),
  wave: external_exports.number().int().nonnegative(),
  batch: external_exports.number().int().nonnegative(),
  runner: Runner,
  /** runs-on as a JSON string, like a unit's. */
  runs_on: external_exports.string(),
  estimatedSeconds: external_exports.number().nonnegative(),
  /** Unit ids, built in this order. */
  units: external_exports.array(PlanUnit.shape.id).min(1)
});
function waveMatrices(plan, o) {
  const byId = new Map(plan.matrix.include.map((u) => [u.id, u]));
  const batches = plan.batches.length > 0 ? plan.batches : plan.matrix.include.map((u, index) => ({ wave: u.wave, index, units: [u.id], estimatedSeconds: u.estimatedSeconds }));
  const entries = Array.from({ length: o.waves }, () => []);
  let queuedDeeper = 0;
  let bytes = 0;
  let full = false;
  for (const b of batches) {
    const first = byId.get(b.units[0] ?? "");
    if (!first) continue;
    const entry = {
      id: `wave-${b.wave}-batch-${b.index}`,
      wave: b.wave,
      batch: b.index,
      runner: first.runner,
      runs_on: first.runs_on,
      estimatedSeconds: b.estimatedSeconds,
      units: b.units
    };
    const size = Buffer.byteLength(JSON.stringify(entry)) + 1;
    if (!full && b.wave < o.waves && bytes + size <= o.maxOutputBytes) {
      entries[b.wave].push(entry);
      bytes += size;
    } else {
      if (b.wave < o.waves) full = true;
      queuedDeeper += b.units.length;
    }
  }
  return { matrices: entries.map((include) => JSON.stringify({ include })), counts: entries.map((e) => e.length), queuedDeeper };
}
function expandBatch(plan, batchJson) {
  let raw;
  try {
    raw = JSON.parse(batchJson);
  } catch (e) {
    throw new RefineryError("input", `the batch input is not JSON: ${e.message}`, {
      fix: "pass the wave job matrix entry: batch: ${{ toJSON(matrix) }}"
    });
  }
  const ref = BatchRef.safeParse(raw);
  if (!ref.success) {
    throw schemaError(
      ref.error,
      { file: "batch input" },
      {
        code: "input",
        invalid: "the batch input is not a wave matrix entry",
        fix: "pass the wave job matrix entry: batch: ${{ toJSON(matrix) }}"
      }
    );
  }
  const byId = new Map(plan.matrix.include.map((u) => [u.id, u]));
  const units = ref.data.units.map((id) => {
    const u = byId.get(id);
    if (!u || u.wave !== ref.data.wave) {
      throw new RefineryError("input", `the batch names ${JSON.stringify(id.slice(0, 120))}, which is not a unit of wave ${ref.data.wave} in the plan`, {
        fix: "give the plan file of the same run (the plan job uploads it as the refinery-plan artifact)"
      });
    }
    return u;
  });
  return { ...ref.data, units };
}
async function readPlanFile(file) {
  return readJson(Plan, file, {
    code: "input",
    noun: "the plan",
    invalid: "not a refinery plan",
    maxBytes: 256 * 1024 * 1024,
    fix: "pass the plan file of the same refinery version: the plan job's refinery-plan artifact holds it"
  });
}

// src/faces/actions/plan-outputs.ts
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
function countInput(name, min, max, fix) {
  const text = getInput(name).trim();
  if (text === "") return void 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new RefineryError("usage", `the ${name} input must be a whole number from ${min} to ${max}, not ${JSON.stringify(text.slice(0, 20))}`, { fix });
  }
  return n;
}
async function writePlanOutputs(plan, o) {
  const out = resolve(process.env.RUNNER_TEMP ?? ".", "refinery-plan.json");
  await writeFile(out, `${JSON.stringify(plan, null, 2)}
`);
  setOutput("plan", out);
  setOutput("shards", String(plan.shards.length));
  setOutput("units", String(plan.matrix.include.length));
  if (o.waves === 0) {
    setOutput("matrix", JSON.stringify(plan.shards[0]?.matrix ?? { include: [] }));
    if (plan.shards.length > 1) warning(`the plan has ${plan.shards.length} shards; the matrix output holds the first (see docs/actions.md)`);
  } else {
    const w = waveMatrices(plan, o);
    w.matrices.forEach((m, i) => {
      setOutput(`wave-${i}`, m);
      setOutput(`wave-${i}-batches`, String(w.counts[i]));
    });
    setOutput("queued-deeper", String(w.queuedDeeper));
    if (w.queuedDeeper > 0) {
      warning(
        `${w.queuedDeeper} unit(s) wait for the next run: the plan has ${plan.waves} dependency wave(s) and this workflow builds ${o.waves} (or the job outputs cap, limits.maxOutputBytes, was reached); once these waves are recorded, the next plan starts there`
      );
    }
  }
  planSummary(plan);
}

export {
  expandBatch,
  readPlanFile,
  countInput,
  writePlanOutputs
};
