import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  actionSession,
  annotateWarnings,
  inventorySummary,
  runAction,
  setOutput,
  summary
} from "./chunks/chunk-SNV77MRU.js";
import "./chunks/chunk-MHLS6TUH.js";
import "./chunks/chunk-J5ZFXILX.js";
import "./chunks/chunk-CY6NXZGB.js";
import "./chunks/chunk-FLRCTOVA.js";
import "./chunks/chunk-WHY2Q3TU.js";

// src/faces/actions/scan-action.ts
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
await runAction(async () => {
  const session = await actionSession();
  const inventory = await session.scan();
  annotateWarnings(inventory, session.baseDir);
  const out = resolve(process.env.RUNNER_TEMP ?? ".", "refinery-inventory.json");
  await writeFile(out, `${JSON.stringify(inventory, null, 2)}
`);
  setOutput("inventory", out);
  setOutput("needs-build", String(inventory.summary["needs-build"] ?? 0));
  setOutput("summary", JSON.stringify(inventory.summary));
  inventorySummary(inventory);
  await summary.write();
});
