import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  countInput,
  writePlanOutputs
} from "./chunks/chunk-XI4HNRRX.js";
import {
  actionSession,
  annotateWarnings,
  info,
  runAction,
  scanInputs,
  setOutput,
  summary
} from "./chunks/chunk-SNV77MRU.js";
import "./chunks/chunk-MHLS6TUH.js";
import {
  allQueueEntries,
  dueQueueEntries
} from "./chunks/chunk-J5ZFXILX.js";
import "./chunks/chunk-CY6NXZGB.js";
import "./chunks/chunk-FLRCTOVA.js";
import "./chunks/chunk-WHY2Q3TU.js";

// src/faces/actions/queue-action.ts
await runAction(async () => {
  const waves = countInput("waves", 1, 8, "pass the number of wave jobs the workflow has") ?? 0;
  const maxParallel = countInput("max-parallel", 1, 256, "pass the workflow's max-parallel (GitHub runs at most 256 jobs of one matrix)");
  const s = await actionSession(scanInputs());
  if (maxParallel !== void 0) s.config.limits.maxParallel = maxParallel;
  const state = await s.state();
  const due = dueQueueEntries(state, /* @__PURE__ */ new Date());
  if (due.length === 0) {
    const next = allQueueEntries(state).filter((q) => q.status === "waiting").sort((a, b) => a.nextEligibleAt.localeCompare(b.nextEligibleAt))[0];
    setOutput("has-work", "false");
    summary.addHeading("s390x retry queue", 2);
    summary.addRaw(
      next ? `Nothing is due. Next: \`${next.package}==${next.version}\` at ${next.nextEligibleAt} (${next.reason}).
` : "The retry queue is empty.\n"
    );
    await summary.write();
    return;
  }
  const pins = [...new Set(due.map((q) => `${q.package}==${q.version}`))];
  info(`${due.length} queue entr${due.length === 1 ? "y is" : "ies are"} due: ${pins.join(", ")}`);
  const inventory = await s.scan({ only: pins });
  annotateWarnings(inventory, s.baseDir);
  const plan = await s.plan(inventory);
  setOutput("has-work", plan.matrix.include.length > 0 ? "true" : "false");
  await writePlanOutputs(plan, { waves, maxOutputBytes: s.config.limits.maxOutputBytes });
  await summary.write();
});
