import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  INVENTORY_ARTIFACT,
  downloadResults
} from "./chunks/chunk-YB5N2A45.js";
import "./chunks/chunk-TMYYVQUW.js";
import {
  actionSession,
  commitInputs,
  failureWords,
  getInput,
  info,
  recordSummary,
  runAction,
  setOutput,
  summary,
  workspace
} from "./chunks/chunk-SNV77MRU.js";
import {
  readInventory
} from "./chunks/chunk-MHLS6TUH.js";
import {
  allQueueEntries,
  readResults,
  recordResults
} from "./chunks/chunk-J5ZFXILX.js";
import "./chunks/chunk-CY6NXZGB.js";
import "./chunks/chunk-FLRCTOVA.js";
import "./chunks/chunk-WHY2Q3TU.js";

// src/faces/actions/record-action.ts
import { mkdir, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
await runAction(async () => {
  const ws = workspace();
  const stateDir = getInput("state-dir");
  const config = getInput("config");
  const s = await actionSession({ ...config ? { config: resolve(ws, config) } : {}, ...stateDir ? { state: resolve(ws, stateDir) } : {} });
  const { token, commit, store, refused } = await commitInputs();
  let results = getInput("results");
  if (results) results = resolve(ws, results);
  else {
    results = join(process.env.RUNNER_TEMP ?? ws, "refinery-results");
    await mkdir(results, { recursive: true });
    const names = await downloadResults(results);
    info(`downloaded ${names.length} result artifact(s) of this run into ${results}`);
  }
  const report = await recordResults(s, {
    results,
    store,
    commit,
    ...token ? { token } : {},
    log: (l) => info(l)
  });
  const { outcome } = report;
  const failures = (await readResults(results)).filter((rf) => rf.result.status === "failure");
  const reused = await countReused(results);
  const waiting = allQueueEntries(outcome.state).filter((q) => q.status === "waiting");
  const nextDue = waiting.sort((a, b) => a.nextEligibleAt.localeCompare(b.nextEligibleAt))[0];
  const inventory = await findInventory(results);
  const sha = report.commit?.commit ?? "";
  recordSummary({
    // A reused unit brings back the result of the run that built it: not a new build.
    built: Math.max(0, outcome.built - reused),
    reused,
    ...inventory ? { upstream: inventory.summary["upstream-wheel"] ?? 0 } : {},
    failed: failures.map((rf) => {
      const w = failureWords(rf.result);
      return { unit: rf.result.unit.id, cls: w.cls, hint: w.hint };
    }),
    queueDepth: waiting.length,
    ...nextDue ? { nextDue } : {},
    commit: { how: commit, ...sha ? { sha } : {}, ...refused ? { refused } : {} }
  });
  setOutput("commit", sha);
  setOutput("built", String(Math.max(0, outcome.built - reused)));
  setOutput("failed", String(outcome.failed));
  setOutput("queued", String(waiting.length));
  await summary.write();
});
async function countReused(dir) {
  let n = 0;
  const walk = async (folder) => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isDirectory()) await walk(join(folder, e.name));
      else if (e.isFile() && e.name.endsWith(".reused.json")) n++;
    }
  };
  await walk(dir);
  return n;
}
async function findInventory(dir) {
  const file = join(dir, INVENTORY_ARTIFACT, "refinery-inventory.json");
  return readInventory(file).catch(() => void 0);
}
