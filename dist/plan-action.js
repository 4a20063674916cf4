import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  annotateWarnings,
  getInput,
  planSummary,
  requireUv,
  runAction,
  scanInputs,
  setOutput,
  summary,
  warning
} from "./chunks/chunk-HYDNPJAL.js";
import {
  readInventory
} from "./chunks/chunk-7JAQ223K.js";
import "./chunks/chunk-VKWZJCDT.js";
import {
  runPlan,
  runScan
} from "./chunks/chunk-PHAEMG2N.js";
import "./chunks/chunk-JMWQ5GL6.js";
import {
  loadEffectiveConfig
} from "./chunks/chunk-OILDENPJ.js";
import "./chunks/chunk-FHZVLPJT.js";
import "./chunks/chunk-7FO562RD.js";
import "./chunks/chunk-YL7U2S3A.js";
import "./chunks/chunk-Q7N2TZGB.js";
import "./chunks/chunk-K2CVZOKL.js";
import "./chunks/chunk-BOAFMWDQ.js";
import {
  processContext
} from "./chunks/chunk-CIHJ7QN7.js";
import "./chunks/chunk-WT5GDXBR.js";
import "./chunks/chunk-56VPNN2N.js";
import "./chunks/chunk-2Z5TIULM.js";
import "./chunks/chunk-WHY2Q3TU.js";

// src/actions/plan-action.ts
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
await runAction(async () => {
  const ctx = processContext();
  const o = scanInputs();
  const { config, stateDir, baseDir } = await loadEffectiveConfig(ctx, o);
  const inventoryPath = getInput("inventory");
  let inventory;
  if (inventoryPath) inventory = await readInventory(resolve(ctx.cwd, inventoryPath));
  else {
    await requireUv();
    inventory = await runScan(ctx, o, { progress: false, printWarnings: false });
    annotateWarnings(inventory, baseDir);
  }
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
