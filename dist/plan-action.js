import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  countInput,
  expandBatch,
  readPlanFile,
  writePlanOutputs
} from "./chunks/chunk-XI4HNRRX.js";
import {
  actionSession,
  annotateWarnings,
  getInput,
  runAction,
  setOutput,
  summary
} from "./chunks/chunk-SNV77MRU.js";
import {
  readInventory
} from "./chunks/chunk-MHLS6TUH.js";
import "./chunks/chunk-J5ZFXILX.js";
import "./chunks/chunk-CY6NXZGB.js";
import {
  RefineryError
} from "./chunks/chunk-FLRCTOVA.js";
import "./chunks/chunk-WHY2Q3TU.js";

// src/faces/actions/plan-action.ts
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
await runAction(async () => {
  const batch = getInput("batch");
  if (batch) {
    const file = getInput("plan-file");
    if (!file)
      throw new RefineryError("usage", "the batch input needs plan-file", {
        fix: "download the plan job's refinery-plan artifact and pass its file as plan-file"
      });
    setOutput("batch", JSON.stringify(expandBatch(await readPlanFile(resolve(process.cwd(), file)), batch)));
    return;
  }
  const waves = countInput("waves", 1, 8, "pass the number of wave jobs the workflow has (.github/workflows/refinery.yml has 5)") ?? 0;
  const maxParallel = countInput("max-parallel", 1, 256, "pass the workflow's max-parallel (GitHub runs at most 256 jobs of one matrix)");
  const session = await actionSession();
  if (maxParallel !== void 0) session.config.limits.maxParallel = maxParallel;
  const inventoryPath = getInput("inventory");
  let inventory;
  if (inventoryPath) inventory = await readInventory(resolve(session.cwd, inventoryPath));
  else {
    inventory = await session.scan();
    annotateWarnings(inventory, session.baseDir);
  }
  const inventoryOut = resolve(process.env.RUNNER_TEMP ?? ".", "refinery-inventory.json");
  await writeFile(inventoryOut, `${JSON.stringify(inventory, null, 2)}
`);
  setOutput("inventory", inventoryOut);
  const plan = await session.plan(inventory);
  await writePlanOutputs(plan, { waves, maxOutputBytes: session.config.limits.maxOutputBytes });
  await summary.write();
});
