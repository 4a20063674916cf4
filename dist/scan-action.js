import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  annotateWarnings,
  inventorySummary,
  requireUv,
  runAction,
  scanInputs,
  setOutput,
  summary
} from "./chunks/chunk-HYDNPJAL.js";
import {
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
  const ctx = processContext();
  const o = scanInputs();
  const { baseDir } = await loadEffectiveConfig(ctx, o);
  const inventory = await runScan(ctx, o, { progress: false, printWarnings: false });
  annotateWarnings(inventory, baseDir);
  const out = resolve(process.env.RUNNER_TEMP ?? ".", "refinery-inventory.json");
  await writeFile(out, `${JSON.stringify(inventory, null, 2)}
`);
  setOutput("inventory", out);
  setOutput("needs-build", String(inventory.summary["needs-build"] ?? 0));
  setOutput("summary", JSON.stringify(inventory.summary));
  inventorySummary(inventory);
  await summary.write();
});
