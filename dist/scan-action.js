import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  annotateWarnings,
  inventorySummary,
  runAction,
  scanInputs,
  setOutput,
  summary
} from "./chunks/chunk-U2HIJGYS.js";
import {
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
import {
  processContext
} from "./chunks/chunk-KCAWH7LJ.js";
import "./chunks/chunk-U7XWDEL6.js";
import "./chunks/chunk-WVSMWCXV.js";
import "./chunks/chunk-UNLQIFJ6.js";
import "./chunks/chunk-FLRCTOVA.js";
import "./chunks/chunk-WHY2Q3TU.js";

// src/faces/actions/scan-action.ts
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
await runAction(async () => {
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
