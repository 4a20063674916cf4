import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  inventorySummary,
  requireUv,
  runAction,
  scanInputs,
  setOutput,
  summary
} from "./chunks/chunk-KSBPHX7N.js";
import {
  runScan
} from "./chunks/chunk-3QJIWBED.js";
import "./chunks/chunk-UR2U22QK.js";
import "./chunks/chunk-4G2OM25L.js";
import "./chunks/chunk-KQCQT7LV.js";
import "./chunks/chunk-5OCXB5FP.js";
import "./chunks/chunk-QBG53UBP.js";
import "./chunks/chunk-LXHUYZ3X.js";
import "./chunks/chunk-AHDE7365.js";
import {
  processContext
} from "./chunks/chunk-CIHJ7QN7.js";
import "./chunks/chunk-NWFIOEDQ.js";
import "./chunks/chunk-5IHKWE6W.js";
import "./chunks/chunk-CZQUZSVW.js";

// src/actions/scan-action.ts
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
await runAction(async () => {
  await requireUv();
  const inventory = await runScan(processContext(), scanInputs(), { progress: false });
  const out = resolve(process.env.RUNNER_TEMP ?? ".", "refinery-inventory.json");
  await writeFile(out, `${JSON.stringify(inventory, null, 2)}
`);
  setOutput("inventory", out);
  setOutput("needs-build", String(inventory.summary["needs-build"] ?? 0));
  setOutput("summary", JSON.stringify(inventory.summary));
  inventorySummary(inventory);
  await summary.write();
});
