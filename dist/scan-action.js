import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  annotateWarnings,
  inventorySummary,
  runAction,
  scanInputs,
  setOutput,
  summary
} from "./chunks/chunk-OEH6JGHL.js";
import {
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
import {
  processContext
} from "./chunks/chunk-CENVGPXI.js";
import "./chunks/chunk-CM6FYEPX.js";
import "./chunks/chunk-572IHGGD.js";
import "./chunks/chunk-XQTQ6XJF.js";
import "./chunks/chunk-FLRCTOVA.js";
import "./chunks/chunk-WHY2Q3TU.js";

// src/actions/scan-action.ts
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
