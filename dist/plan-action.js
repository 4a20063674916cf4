import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  getInput,
  planSummary,
  requireUv,
  runAction,
  scanInputs,
  setOutput,
  summary,
  warning
} from "./chunks/chunk-KSBPHX7N.js";
import {
  readInventory
} from "./chunks/chunk-AQD7ZMJR.js";
import "./chunks/chunk-GRA7XLXE.js";
import {
  runPlan,
  runScan
} from "./chunks/chunk-3QJIWBED.js";
import "./chunks/chunk-UR2U22QK.js";
import {
  loadEffectiveConfig
} from "./chunks/chunk-4G2OM25L.js";
import "./chunks/chunk-KQCQT7LV.js";
import "./chunks/chunk-5OCXB5FP.js";
import "./chunks/chunk-QBG53UBP.js";
import "./chunks/chunk-LXHUYZ3X.js";
import "./chunks/chunk-AHDE7365.js";
import "./chunks/chunk-BOAFMWDQ.js";
import {
  processContext
} from "./chunks/chunk-CIHJ7QN7.js";
import "./chunks/chunk-NWFIOEDQ.js";
import "./chunks/chunk-5IHKWE6W.js";
import "./chunks/chunk-CZQUZSVW.js";

// src/actions/plan-action.ts
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
await runAction(async () => {
  const ctx = processContext();
  const o = scanInputs();
  const { config, stateDir } = await loadEffectiveConfig(ctx, o);
  const inventoryPath = getInput("inventory");
  const inventory = inventoryPath ? await readInventory(resolve(ctx.cwd, inventoryPath)) : (await requireUv(), await runScan(ctx, o, { progress: false }));
  const plan = await runPlan(inventory, config, stateDir);
  const out = resolve(process.env.RUNNER_TEMP ?? ".", "refinery-plan.json");
  await writeFile(out, `${JSON.stringify(plan, null, 2)}
`);
  setOutput("plan", out);
  setOutput("matrix", JSON.stringify(plan.shards[0]?.matrix ?? { include: [] }));
  setOutput("shards", String(plan.shards.length));
  setOutput("units", String(plan.matrix.include.length));
  if (plan.shards.length > 1) warning(`the plan has ${plan.shards.length} shards; the matrix output holds the first (see docs/actions.md)`);
  planSummary(plan);
  await summary.write();
});
