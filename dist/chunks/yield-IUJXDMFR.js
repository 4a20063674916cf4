import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  buildProgress,
  pipelineCommand,
  runSession
} from "./chunk-5NEWDJNN.js";
import "./chunk-6THABVRS.js";
import {
  cancellation,
  executorFlags,
  positive
} from "./chunk-653CKWK7.js";
import "./chunk-YJGBIER4.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-Z6NVDDJJ.js";
import "./chunk-FHZVLPJT.js";
import {
  print,
  printJson,
  warn
} from "./chunk-KCAWH7LJ.js";
import "./chunk-U2HHQTOT.js";
import {
  cacheStoreDir,
  openStore,
  runPipeline
} from "./chunk-XVPSCNSK.js";
import {
  isValidVersion,
  normalizeName,
  normalizeVersion
} from "./chunk-BFBSUM3N.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";

// src/faces/cli/commands/yield.ts
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

// src/chain/yield.ts
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
function parseYieldList(text, file) {
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") return;
    const m = /^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)==([^\s=;]+)$/.exec(line);
    if (!m || !isValidVersion(m[3])) {
      throw new RefineryError("input", `${JSON.stringify(line.slice(0, 120))} is not NAME==VERSION`, {
        location: { file, line: i + 1 },
        fix: "one pinned release a line, e.g. ujson==5.10.0; # for comments"
      });
    }
    const entry = { name: normalizeName(m[1]), version: normalizeVersion(m[3]) ?? m[3] };
    const key = `${entry.name}==${entry.version}`;
    if (!seen.has(key)) out.push(entry);
    seen.add(key);
  });
  if (out.length === 0) throw new RefineryError("input", "the list names no release", { location: { file }, fix: "add NAME==VERSION lines" });
  return out;
}
async function runYield(entries, o) {
  const rows = [];
  const push = (row) => {
    rows.push(row);
    o.onRow?.(row);
  };
  for (const entry of entries) {
    if (o.signal?.aborted || o.startBefore !== void 0 && Date.now() >= o.startBefore) {
      push({ ...entry, outcome: "not-run", reason: o.signal?.aborted ? "cancelled" : "the time allowed for starting runs was over", attempts: 0, seconds: 0 });
      continue;
    }
    const started = Date.now();
    const outDir = join(o.outDir, `${entry.name}-${entry.version}`.replace(/[^A-Za-z0-9._-]/g, "_"));
    await mkdir(outDir, { recursive: true });
    const lock = join(outDir, "yield.lock");
    await writeFile(lock, `${entry.name}==${entry.version}
`);
    const config = { ...o.config, requirements: [{ lock }], expansion: { ...o.config.expansion, maxDepth: 0 } };
    try {
      const r = await runPipeline({
        ...o,
        config,
        outDir,
        onUnit: (u) => o.onUnit?.(entry, u)
      });
      const mine = r.units.filter((u) => u.unit.package === entry.name && u.unit.version === entry.version);
      push(
        rowOf(
          entry,
          mine,
          r.inventory.packages.find((p) => p.name === entry.name && p.version === entry.version),
          Date.now() - started
        )
      );
    } catch (e) {
      if (!(e instanceof RefineryError)) throw e;
      push({ ...entry, outcome: "error", reason: `${e.code}: ${e.message}`.slice(0, 500), attempts: 0, seconds: Math.round((Date.now() - started) / 1e3) });
    }
  }
  return summarize(rows);
}
function rowOf(entry, units, scanned, ms) {
  const seconds = Math.round(ms / 1e3);
  const failed = units.find((u) => u.outcome === "failed");
  if (failed?.outcome === "failed") {
    return {
      ...entry,
      outcome: "failed",
      failureClass: failed.failureClass ?? "unclassified",
      ...failed.evidence ? { evidence: failed.evidence } : {},
      reason: failed.reason,
      attempts: failed.attempts,
      seconds
    };
  }
  const built = units.filter((u) => u.outcome === "built");
  const unverified = built.find((u) => u.outcome === "built" && u.unverified);
  if (built.length > 0) {
    const b = unverified ?? built[0];
    const libs = [...new Set(built.flatMap((u) => u.outcome === "built" ? u.externalLibraries ?? [] : []))].sort();
    return {
      ...entry,
      outcome: b.unverified ? "built-unverified" : "built",
      ...b.unverified ? { evidence: b.unverified } : {},
      reason: b.unverified ? `built, unverified: ${b.unverified}` : `built in ${b.attempts} attempt(s), ${b.compiler} compilers`,
      attempts: built.reduce((s, u) => s + (u.outcome === "built" ? u.attempts : 0), 0),
      seconds,
      wheel: b.wheel,
      ...libs.length > 0 ? { externalLibraries: libs } : {}
    };
  }
  const other = units.find((u) => u.outcome === "skipped" || u.outcome === "reused" || u.outcome === "cancelled");
  if (other && other.outcome === "cancelled") return { ...entry, outcome: "not-run", reason: other.reason, attempts: 0, seconds };
  if (other) return { ...entry, outcome: "not-needed", reason: other.reason, attempts: 0, seconds };
  const served = scanned?.status === "upstream-wheel" || scanned?.status === "built" || scanned?.status === "excluded";
  const reason = scanned ? `${scanned.status}: ${scanned.reason}` : "the scan did not find it on the configured indexes";
  return { ...entry, outcome: served ? "not-needed" : "error", reason, attempts: 0, seconds };
}
function summarize(rows) {
  const count = (o) => rows.filter((r) => r.outcome === o).length;
  const built = count("built");
  const unverified = count("built-unverified");
  const failed = count("failed") + count("error");
  const attempted = built + unverified + failed;
  const failuresByClass = {};
  for (const r of rows) {
    if (r.outcome === "failed" || r.outcome === "error") {
      const k = r.outcome === "error" ? "error" : r.failureClass ?? "unclassified";
      failuresByClass[k] = (failuresByClass[k] ?? 0) + 1;
    }
  }
  return { rows, attempted, built, unverified, failed, ...attempted > 0 ? { yield: (built + unverified) / attempted } : {}, failuresByClass };
}
function yieldTable(r) {
  const head = ["package", "version", "outcome", "class", "attempts", "time", "evidence / reason"];
  const body = r.rows.map((x) => [
    x.name,
    x.version,
    x.outcome,
    x.failureClass ?? "",
    String(x.attempts),
    `${x.seconds}s`,
    (x.evidence ?? x.reason).replace(/[\x00-\x1f\x7f]/g, " ").slice(0, 140)
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const fmt = (row) => row.map((c, i) => i === row.length - 1 ? c : c.padEnd(widths[i])).join("  ").trimEnd();
  const lines = [fmt(head), ...body.map(fmt)];
  const pct = r.yield === void 0 ? "n/a" : `${(r.yield * 100).toFixed(1)}%`;
  const classes = Object.entries(r.failuresByClass).sort(([a], [b]) => a < b ? -1 : 1).map(([k, v]) => `${k} ${v}`).join(", ");
  lines.push(
    "",
    `yield: ${pct} (${r.built} built + ${r.unverified} built-unverified of ${r.attempted} attempted; ${r.failed} failed${classes ? `: ${classes}` : ""})`
  );
  return lines.join("\n");
}

// src/faces/cli/commands/yield.ts
function register(program, ctx) {
  pipelineCommand(
    program.command("yield").argument("<list>", "a file of pinned releases, one NAME==VERSION a line (# comments)").summary("build a list of releases unattended and report the yield").description(
      "For each NAME==VERSION of the list, the whole pipeline on its own (scan, plan, build with hint\nretries, smoke test in a fresh container, record; dependencies not followed), then one table:\nbuilt, built-unverified (kept, with why), failed by class with the log line it rests on,\nnot-needed (an upstream or recorded wheel serves it), error. Yield is built and\nbuilt-unverified over attempted. Results and logs of each go to --out/NAME-VERSION/."
    )
  ).option("--start-within <minutes>", "start no release after this many minutes; the rest are reported not-run").addHelpText(
    "after",
    `
Examples:
  refinery yield corpus.txt --python 3.11 --preset debian-local --timeout 20
  refinery yield corpus.txt --json > yield.json`
  ).action(async (list, o) => {
    const file = resolve(ctx.cwd, list);
    const text = await readFile(file, "utf8").catch((e) => {
      throw new RefineryError("usage", `cannot read ${list}: ${e.code ?? e.message}`, { fix: "pass a file of NAME==VERSION lines" });
    });
    const entries = parseYieldList(text, list);
    const cancel = cancellation(ctx, "the yield run");
    try {
      const session = await runSession(ctx, o);
      const { executor, reason } = await session.executor(executorFlags(o));
      if (!o.json) warn(ctx, `executor: ${executor.kind} (${reason})`);
      const store = await openStore(session, o.store, { defaultLocal: cacheStoreDir(session), kinds: ["none", "local"] });
      const { onUnit: _none, ...setup } = await session.pipelineOptions({
        executor,
        outDir: resolve(ctx.cwd, o.out),
        ...store ? { store } : {},
        ...buildProgress(ctx, o),
        signal: cancel.signal,
        lock: { log: (l) => warn(ctx, l) }
      });
      const report = await runYield(entries, {
        ...setup,
        ...o.startWithin ? { startBefore: Date.now() + positive(o.startWithin, "--start-within") * 6e4 } : {},
        onRow: o.json ? void 0 : (r) => warn(ctx, `${r.outcome.padEnd(16)} ${r.name}==${r.version}: ${r.evidence ?? r.reason}`)
      });
      if (o.json) printJson(ctx, report);
      else print(ctx, yieldTable(report));
      if (cancel.signal.aborted) throw cancel.error("the yield run was cancelled; the rows so far are above", "run it again");
    } finally {
      cancel.dispose();
    }
  });
}
export {
  register
};
