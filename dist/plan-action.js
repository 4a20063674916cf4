import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  annotateWarnings,
  getInput,
  planSummary,
  runAction,
  scanInputs,
  setOutput,
  summary,
  warning
} from "./chunks/chunk-U2HIJGYS.js";
import {
  readInventory
} from "./chunks/chunk-JL65YST3.js";
import "./chunks/chunk-ERRC54TJ.js";
import {
  runPlan,
  runScan
} from "./chunks/chunk-BQ4DGOUV.js";
import "./chunks/chunk-SFTXTDFY.js";
import {
  loadEffectiveConfig
} from "./chunks/chunk-YTA5TDGE.js";
import "./chunks/chunk-FHZVLPJT.js";
import "./chunks/chunk-5RNAZF3E.js";
import "./chunks/chunk-RYNH5UWE.js";
import "./chunks/chunk-LOLMKOCG.js";
import "./chunks/chunk-B3SVX456.js";
import "./chunks/chunk-3LOFCYLJ.js";
import "./chunks/chunk-RY6K7J5I.js";
import {
  processContext
} from "./chunks/chunk-KCAWH7LJ.js";
import "./chunks/chunk-U7XWDEL6.js";
import "./chunks/chunk-WVSMWCXV.js";
import "./chunks/chunk-UNLQIFJ6.js";
import "./chunks/chunk-FLRCTOVA.js";
import "./chunks/chunk-WHY2Q3TU.js";

// src/faces/actions/plan-action.ts
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
