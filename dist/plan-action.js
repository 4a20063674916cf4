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
} from "./chunks/chunk-OEH6JGHL.js";
import {
  readInventory
} from "./chunks/chunk-ELANS5C3.js";
import "./chunks/chunk-G4LA5HSN.js";
import {
  runPlan,
  runScan
} from "./chunks/chunk-7WKMKELF.js";
import "./chunks/chunk-S5LGE7SM.js";
import {
  loadEffectiveConfig
} from "./chunks/chunk-OYFZCO6L.js";
import "./chunks/chunk-FHZVLPJT.js";
import "./chunks/chunk-BLU36D3Z.js";
import "./chunks/chunk-RYNH5UWE.js";
import "./chunks/chunk-DKS6H6QQ.js";
import "./chunks/chunk-TH7WXAOF.js";
import "./chunks/chunk-ICBVWXXB.js";
import "./chunks/chunk-ZJLNAHE2.js";
import {
  processContext
} from "./chunks/chunk-CENVGPXI.js";
import "./chunks/chunk-CM6FYEPX.js";
import "./chunks/chunk-572IHGGD.js";
import "./chunks/chunk-XQTQ6XJF.js";
import "./chunks/chunk-FLRCTOVA.js";
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
