import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  progress
} from "./chunk-7SHWUFNM.js";
import {
  addExecutorOptions,
  addProgressOptions,
  cancellation,
  executorFlags,
  heartbeatMs,
  positive,
  printProgress,
  progressMode
} from "./chunk-4GZB4FCY.js";
import {
  addScanOptions
} from "./chunk-QUCLYSJU.js";
import {
  cliSession
} from "./chunk-FDKTBMEU.js";
import {
  print,
  printJson,
  warn
} from "./chunk-KCAWH7LJ.js";
import {
  cacheStoreDir,
  dueQueueEntries,
  hintAdvice,
  hintById,
  openStore
} from "./chunk-J5ZFXILX.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";

// src/faces/cli/commands/run.ts
import { resolve } from "node:path";
function pipelineCommand(cmd) {
  return addProgressOptions(addExecutorOptions(addScanOptions(cmd))).option("-o, --out <dir>", "wheels, result JSON files and logs of this run", "wheelhouse").option("--store <where>", "keep built wheels for reuse: local:DIR or none (default: local:<cache-dir>/wheels)").option("--max-units <n>", "build at most this many units this run; the rest wait").option("--timeout <minutes>", "per-unit timeout (default: config limits.unitTimeoutMinutes)").option("--max-attempts <n>", "attempts per unit, hint retries included (default: config limits.maxAttempts, 4)").option("--json", "print what happened as JSON (inventory summary, plan, units, record)");
}
function register(program, ctx) {
  pipelineCommand(
    program.command("run").summary("scan, plan, build and record on this machine").description(
      "The whole pipeline on one machine: scan the requirements, plan the units, build them wave by\nwave (container under QEMU, native, or host), and record every attempt in the state folder\n(.refinery/ of the current folder unless --state or the config says otherwise). A unit whose\ninputs fingerprint matches a stored wheel is not rebuilt; a package the state marks built is\nnot planned at all. Each is said with its reason."
    )
  ).addHelpText(
    "after",
    `
Examples:
  refinery run -r requirements.txt --python 3.12
  refinery run --config refinery.yml --executor container --network host --max-units 5
  refinery run -r requirements.txt --executor host     # pipeline check on this machine's Python (not s390x)`
  ).action(async (o) => {
    await runCommand(ctx, await runSession(ctx, o), o, {});
  });
  pipelineCommand(
    program.command("worker").summary("drain the retry queue: rebuild the due entries, bounded per run").description(
      "Take the retry-queue entries whose next eligible time has come (refinery queue due), plan\ntheir units, build at most --max-units of them and record the outcome. Scheduled workflows\nrun this; entries that are not due yet are left alone."
    )
  ).addHelpText("after", "\nExample (scheduled job):\n  refinery worker --config refinery.yml --max-units 10 --executor container").action(async (o) => {
    const session = await runSession(ctx, o);
    const due = dueQueueEntries(await session.state(), /* @__PURE__ */ new Date());
    if (due.length === 0) {
      if (o.json) printJson(ctx, { due: 0, units: [] });
      else print(ctx, "nothing due in the retry queue");
      return;
    }
    const keys = new Set(due.map((q) => `${q.package}==${q.version}`));
    await runCommand(ctx, session, { ...o, maxUnits: o.maxUnits ?? "10" }, { only: [...keys] });
  });
}
function runSession(ctx, o) {
  const { timeout: _t, maxAttempts: _m, ...rest } = o;
  return cliSession(ctx, {
    ...rest,
    ...o.timeout ? { timeoutMinutes: positive(o.timeout, "--timeout") } : {},
    ...o.maxAttempts ? { maxAttempts: Math.floor(positive(o.maxAttempts, "--max-attempts")) } : {}
  });
}
async function runCommand(ctx, session, o, mode) {
  await session.refuseUnservedPythons();
  const { executor, reason } = await session.executor(executorFlags(o));
  if (!o.json) warn(ctx, `executor: ${executor.kind} (${reason})${executor.kind === "host" ? " -- host wheels are for this machine, not s390x" : ""}`);
  const store = await openStore(session, o.store, {
    defaultLocal: cacheStoreDir(session),
    kinds: ["none", "local"],
    fix: "release stores are for refinery record in workflows"
  });
  const bar = progress(ctx, "scanning", !o.json);
  const cancel = cancellation(ctx, "the run");
  let result;
  try {
    result = await session.pipeline({
      ...mode.only ? { only: mode.only } : {},
      onProgress: (d, t, l) => bar.update(d, t, l),
      executor,
      outDir: resolve(ctx.cwd, o.out),
      ...store ? { store } : {},
      ...o.maxUnits ? { maxUnits: Math.floor(positive(o.maxUnits, "--max-units")) } : {},
      onUnit: o.json ? void 0 : (u) => warn(ctx, describeUnit(u)),
      ...buildProgress(ctx, o),
      signal: cancel.signal,
      lock: { log: (l) => warn(ctx, l) }
    });
  } finally {
    cancel.dispose();
  }
  bar.done();
  if (o.json) printJson(ctx, jsonReport(result));
  else printReport(ctx, result);
  if (result.cancelled) {
    throw cancel.error(
      `the run was cancelled: the running build was cancelled (its log says how its processes were stopped), no further unit started, nothing was recorded`,
      `results written so far are in ${o.out}; \`refinery record --results ${o.out}\` records them, or run again`
    );
  }
  const failed = result.units.filter((u) => u.outcome === "failed");
  if (failed.length > 0) {
    const advice = await userAdvice(session, failed, mode.only ? "worker" : "run");
    throw new RefineryError("build", `${failed.length} unit(s) failed: ${failed.map((u) => `${u.unit.id} (${u.reason})`).join(", ")}`, {
      fix: [...advice, "the results and logs are in the --out folder; the state records the attempts and the retry queue"].join("; ")
    });
  }
}
async function userAdvice(session, failed, command) {
  const catalog = await session.catalog();
  const hints = [...new Set(failed.flatMap((u) => u.hint ? [u.hint] : []))];
  return hints.flatMap((id) => {
    const h = hintById(catalog, id);
    return h?.class === "permanent" ? [hintAdvice(h, command)] : [];
  });
}
function buildProgress(ctx, o) {
  const mode = progressMode(o);
  return {
    heartbeatMs: heartbeatMs(o),
    onBuildEvent: (u, e) => {
      if (!printProgress(ctx, mode, u.id, e) && !o.json && e.type === "hint-applied") warn(ctx, `  ${u.id}: applying hint ${e.hint} (${e.class})`);
    }
  };
}
function describeUnit(u) {
  switch (u.outcome) {
    case "built":
      return `built    ${u.unit.id} -> ${u.wheel} (${u.attempts} attempt(s), ${u.compiler} compilers)${u.unverified ? `; UNVERIFIED: ${u.unverified}` : u.runtimePackages ? `; verified with runtime packages (${u.runtimePackages.manager}): ${u.runtimePackages.packages.join(", ")}` : ""}`;
    case "failed":
      return `FAILED   ${u.unit.id}: ${u.reason} after ${u.attempts} attempt(s)`;
    case "reused":
      return `reused   ${u.unit.id}: ${u.reason}`;
    case "skipped":
      return `skipped  ${u.unit.id}: ${u.reason}`;
    case "cancelled":
      return `CANCELLED ${u.unit.id}: ${u.reason}`;
  }
}
function printReport(ctx, r) {
  printInventory(ctx, r.inventory);
  print(ctx);
  if (r.units.length === 0) {
    print(ctx, "nothing to build:");
    for (const p of r.inventory.packages) {
      if (p.status === "built" || p.status === "known-failing" || p.status === "no-source")
        print(ctx, `  ${p.name} ${p.version} (${p.python}): ${p.status}: ${p.reason}`);
    }
    for (const s of r.plan.skipped) print(ctx, `  ${s.package} ${s.version}: not planned: ${s.reason}`);
  } else {
    for (const u of r.units) print(ctx, describeUnit(u));
  }
  if (r.recorded) {
    print(ctx, `recorded ${r.recorded.results} result(s), ${r.recorded.attempts} attempt(s) into the state (${r.recorded.written.length} file(s) written)`);
  }
}
function jsonReport(r) {
  return {
    summary: r.inventory.summary,
    targets: r.inventory.targets,
    packages: r.inventory.packages.map((p) => ({ name: p.name, version: p.version, python: p.python, status: p.status, reason: p.reason })),
    plan: { units: r.plan.matrix.include.length, waves: r.plan.waves, skipped: r.plan.skipped },
    units: r.units.map((u) => ({
      id: u.unit.id,
      package: u.unit.package,
      version: u.unit.version,
      outcome: u.outcome,
      ..."reason" in u ? { reason: u.reason } : {},
      ..."wheel" in u ? { wheel: u.wheel } : {},
      ...u.outcome === "built" && u.unverified ? { unverified: u.unverified } : {},
      ...u.outcome === "built" && u.externalLibraries ? { externalLibraries: u.externalLibraries } : {},
      ...u.outcome === "built" && u.runtimePackages ? { runtimePackages: u.runtimePackages } : {}
    })),
    recorded: r.recorded ? { results: r.recorded.results, attempts: r.recorded.attempts, built: r.recorded.built, failed: r.recorded.failed, files: r.recorded.written } : null
  };
}

export {
  pipelineCommand,
  register,
  runSession,
  buildProgress
};
