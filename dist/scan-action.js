import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  inventorySummary,
  requireUv,
  runAction,
  scanInputs,
  setOutput,
  summary
} from "./chunks/chunk-YMQLPP7Q.js";
import {
  runScan
} from "./chunks/chunk-QYS5IGFV.js";
import "./chunks/chunk-Y37QTX44.js";
import "./chunks/chunk-DTYCQZ4Q.js";
import "./chunks/chunk-FHZVLPJT.js";
import "./chunks/chunk-IAABEZGH.js";
import "./chunks/chunk-YL7U2S3A.js";
import "./chunks/chunk-Q7N2TZGB.js";
import "./chunks/chunk-4TDFTENX.js";
import {
  processContext
} from "./chunks/chunk-CIHJ7QN7.js";
import "./chunks/chunk-WT5GDXBR.js";
import "./chunks/chunk-56VPNN2N.js";
import "./chunks/chunk-2Z5TIULM.js";
import "./chunks/chunk-WHY2Q3TU.js";

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
