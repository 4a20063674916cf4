import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  writePlanOutputs
} from "./chunks/chunk-XI4HNRRX.js";
import {
  uploadResult
} from "./chunks/chunk-YB5N2A45.js";
import "./chunks/chunk-TMYYVQUW.js";
import {
  actionSession,
  annotateFailures,
  annotateWarnings,
  batchStatus,
  buildInputs,
  buildSummary,
  commitInputs,
  failureWords,
  getBooleanInput,
  getInput,
  info,
  recordSummary,
  runAction,
  scanInputs,
  setOutput,
  summary,
  workspace
} from "./chunks/chunk-SNV77MRU.js";
import "./chunks/chunk-MHLS6TUH.js";
import {
  allQueueEntries,
  openStore,
  readResults,
  recordResults
} from "./chunks/chunk-J5ZFXILX.js";
import "./chunks/chunk-CY6NXZGB.js";
import "./chunks/chunk-FLRCTOVA.js";
import "./chunks/chunk-WHY2Q3TU.js";

// src/faces/actions/run-action.ts
import { resolve } from "node:path";
await runAction(async () => {
  const ws = workspace();
  const { executor: executorKind, compiler, network } = buildInputs();
  const s = await actionSession({ ...scanInputs(), ...compiler ? { compiler } : {} });
  const { token, commit, store: storeSpec, refused } = await commitInputs();
  const outDir = resolve(ws, getInput("out") || "wheelhouse");
  const { executor, reason } = await s.executor({ ...executorKind ? { executor: executorKind } : {}, ...network ? { network } : {}, pull: true });
  info(`executor: ${executor.kind} (${reason})`);
  const store = await openStore(s, storeSpec, token ? { token } : {});
  const r = await s.pipeline({
    executor,
    outDir,
    ...store ? { store } : {},
    onUnit: (u) => info(`${u.unit.id}: ${u.outcome}${"reason" in u ? ` (${u.reason})` : ""}`)
  });
  annotateWarnings(r.inventory, s.baseDir);
  await writePlanOutputs(r.plan, { waves: 0, maxOutputBytes: s.config.limits.maxOutputBytes });
  const results = new Map((await readResults(outDir).catch(() => [])).map((rf) => [rf.result.unit.id, rf.result]));
  const reports = [];
  for (const u of r.units) {
    if (u.outcome === "reused") reports.push({ unit: u.unit, status: "reused", reused: { wheel: u.wheel.split("/").pop(), reason: u.reason } });
    else if (u.outcome === "built" || u.outcome === "failed") {
      const result = results.get(u.unit.id);
      const last = result?.attempts.at(-1);
      reports.push({
        unit: u.unit,
        status: u.outcome === "built" ? "built" : last?.failureClass === "timeout" ? "timeout" : "failed",
        ...result ? { result } : {}
      });
    }
  }
  if (getBooleanInput("upload"))
    for (const rep of reports.filter((x) => x.result)) {
      const res = rep.result;
      const names = [`${rep.unit.id}.result.json`, res.log, ...res.wheel ? [res.wheel.filename] : [], ...res.attempts.flatMap((a) => a.log ? [a.log] : [])];
      await uploadResult(
        rep.unit.id,
        outDir,
        [...new Set(names)].map((n) => resolve(outDir, n))
      );
    }
  const recorded = commit !== "none" && r.recorded ? await recordResults(s, { results: outDir, store: storeSpec, commit, ...token ? { token } : {}, log: (l) => info(l) }) : void 0;
  const state = recorded?.outcome.state ?? r.recorded?.state ?? await s.state();
  const waiting = allQueueEntries(state).filter((q) => q.status === "waiting");
  const nextDue = waiting.sort((a, b) => a.nextEligibleAt.localeCompare(b.nextEligibleAt))[0];
  const sha = recorded?.commit?.commit ?? "";
  const leftOut = annotateFailures(reports);
  buildSummary(reports, leftOut);
  recordSummary({
    built: reports.filter((x) => x.status === "built").length,
    reused: reports.filter((x) => x.status === "reused").length,
    upstream: r.inventory.summary["upstream-wheel"] ?? 0,
    failed: reports.flatMap((x) => x.result && x.status !== "built" ? [{ unit: x.unit.id, ...failureWords(x.result) }] : []),
    queueDepth: waiting.length,
    ...nextDue ? { nextDue } : {},
    commit: { how: commit, ...sha ? { sha } : {}, ...refused ? { refused } : {} }
  });
  const status = reports.length > 0 ? batchStatus(reports) : "built";
  setOutput("status", reports.length > 0 ? status : "nothing");
  setOutput("results", outDir);
  setOutput("commit", sha);
  setOutput("built", String(reports.filter((x) => x.status === "built").length));
  setOutput("failed", String(reports.filter((x) => x.status === "failed" || x.status === "timeout").length));
  setOutput("queued", String(waiting.length));
  await summary.write();
  if (status === "failed" || status === "timeout") {
    process.exitCode = 1;
    info("some units failed; the annotations above say which and what next");
  }
});
