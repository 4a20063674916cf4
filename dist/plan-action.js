import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  actionSession,
  annotateWarnings,
  getInput,
  planSummary,
  runAction,
  setOutput,
  summary,
  warning
} from "./chunks/chunk-YIT6KKJZ.js";
import {
  readInventory
} from "./chunks/chunk-EIAMRVHF.js";
import "./chunks/chunk-BWAF4YX5.js";
import "./chunks/chunk-AD5IP5WG.js";
import "./chunks/chunk-FLRCTOVA.js";
import "./chunks/chunk-WHY2Q3TU.js";

// src/faces/actions/plan-action.ts
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
await runAction(async () => {
  const session = await actionSession();
  const inventoryPath = getInput("inventory");
  let inventory;
  if (inventoryPath) inventory = await readInventory(resolve(session.cwd, inventoryPath));
  else {
    inventory = await session.scan();
    annotateWarnings(inventory, session.baseDir);
  }
  const plan = await session.plan(inventory);
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
