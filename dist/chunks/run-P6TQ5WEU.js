import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  runPipeline
} from "./chunk-7KYUPR5F.js";
import {
  LocalWheelStore
} from "./chunk-NBFXOFJH.js";
import {
  printInventory
} from "./chunk-HG7NOYSN.js";
import {
  findUv,
  progress
} from "./chunk-BQ4DGOUV.js";
import "./chunk-SFTXTDFY.js";
import {
  addExecutorOptions,
  cancellation,
  pickExecutor,
  positive
} from "./chunk-DFRBLRI7.js";
import {
  namedEnv
} from "./chunk-OK4ZYHVC.js";
import {
  addScanOptions,
  loadEffectiveConfig
} from "./chunk-YTA5TDGE.js";
import "./chunk-FHZVLPJT.js";
import {
  loadPresets,
  loadRecipes,
  withUserPresets
} from "./chunk-5RNAZF3E.js";
import "./chunk-RYNH5UWE.js";
import "./chunk-LOLMKOCG.js";
import {
  dueQueueEntries,
  effectivePreset
} from "./chunk-B3SVX456.js";
import {
  loadState
} from "./chunk-3LOFCYLJ.js";
import {
  loadCatalogs
} from "./chunk-PJTFWB2N.js";
import "./chunk-NTQ7ZETI.js";
import "./chunk-RY6K7J5I.js";
import {
  print,
  printJson,
  warn
} from "./chunk-KCAWH7LJ.js";
import {
  seedsDir
} from "./chunk-U7XWDEL6.js";
import "./chunk-WVSMWCXV.js";
import "./chunk-UNLQIFJ6.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";

// src/faces/cli/commands/run.ts
import { join, resolve } from "node:path";
function pipelineCommand(cmd) {
  return addExecutorOptions(addScanOptions(cmd)).option("-o, --out <dir>", "wheels, result JSON files and logs of this run", "wheelhouse").option("--store <where>", "keep built wheels for reuse: local:DIR or none (default: local:<cache-dir>/wheels)").option("--max-units <n>", "build at most this many units this run; the rest wait").option("--timeout <minutes>", "per-unit timeout (default: config limits.unitTimeoutMinutes)").option("--max-attempts <n>", "attempts per unit, hint retries included (default 4)").option("--json", "print what happened as JSON (inventory summary, plan, units, record)");
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
    await runCommand(ctx, o, {});
  });
  pipelineCommand(
    program.command("worker").summary("drain the retry queue: rebuild the due entries, bounded per run").description(
      "Take the retry-queue entries whose next eligible time has come (refinery queue due), plan\ntheir units, build at most --max-units of them and record the outcome. Scheduled workflows\nrun this; entries that are not due yet are left alone."
    )
  ).addHelpText("after", "\nExample (scheduled job):\n  refinery worker --config refinery.yml --max-units 10 --executor container").action(async (o) => {
    const { stateDir } = await loadEffectiveConfig(ctx, o);
    const due = dueQueueEntries(await loadState(stateDir), /* @__PURE__ */ new Date());
    if (due.length === 0) {
      if (o.json) printJson(ctx, { due: 0, units: [] });
      else print(ctx, "nothing due in the retry queue");
      return;
    }
    const keys = new Set(due.map((q) => `${q.package}==${q.version}`));
    await runCommand(ctx, { ...o, maxUnits: o.maxUnits ?? "10" }, { only: [...keys] });
  });
}
async function runCommand(ctx, o, mode) {
  const eff = await loadEffectiveConfig(ctx, o);
  let config = eff.config;
  if (mode.only) {
    config = { ...config, requirements: [{ packages: mode.only }], expansion: { ...config.expansion, maxDepth: 0 } };
  }
  const presets = withUserPresets(await loadPresets(join(seedsDir(), "presets.yml")), config.presets, o.config ?? "refinery.yml");
  if (o.compiler) config = { ...config, compiler: o.compiler };
  const { executor, reason } = await pickExecutor(ctx, o, presets.get(effectivePreset(config)) ?? [...presets.values()][0], config.compiler);
  if (!o.json) warn(ctx, `executor: ${executor.kind} (${reason})${executor.kind === "host" ? " -- host wheels are for this machine, not s390x" : ""}`);
  const store = parseStore(ctx, o.store, eff.cacheDir);
  const bar = progress(ctx, "scanning", !o.json);
  const only = mode.only ? new Set(mode.only) : void 0;
  const cancel = cancellation(ctx, "the run");
  let result;
  try {
    result = await runPipeline({
      config,
      baseDir: eff.baseDir,
      stateDir: eff.stateDir,
      cacheDir: eff.cacheDir,
      env: ctx.env,
      uv: () => findUv(ctx, config, eff.cacheDir, o.install !== false),
      onProgress: (d, t, l) => bar.update(d, t, l),
      executor,
      presets,
      catalog: await loadCatalogs(ctx),
      recipes: await loadRecipes(join(seedsDir(), "recipes")),
      outDir: resolve(ctx.cwd, o.out),
      ...store ? { store } : {},
      ...o.maxUnits ? { maxUnits: Math.floor(positive(o.maxUnits, "--max-units")) } : {},
      unitTimeoutMs: (o.timeout ? positive(o.timeout, "--timeout") : config.limits.unitTimeoutMinutes) * 6e4,
      ...o.maxAttempts ? { maxAttempts: Math.floor(positive(o.maxAttempts, "--max-attempts")) } : {},
      ...only ? { unitFilter: (u) => only.has(`${u.package}==${u.version}`) } : {},
      onUnit: o.json ? void 0 : (u) => warn(ctx, describeUnit(u)),
      onBuildEvent: o.json ? void 0 : (u, e) => {
        if (e.type === "attempt-start") warn(ctx, `  ${u.id}: attempt ${e.n}${e.hints.length ? ` with hints ${e.hints.join(", ")}` : ""}`);
        if (e.type === "hint-applied") warn(ctx, `  ${u.id}: applying hint ${e.hint} (${e.class})`);
      },
      passEnv: namedEnv(ctx.env, config.build.passEnv),
      signal: cancel.signal
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
    throw new RefineryError("build", `${failed.length} unit(s) failed: ${failed.map((u) => u.unit.id).join(", ")}`, {
      fix: "the results and logs are in the --out folder; the state records the attempts and the retry queue"
    });
  }
}
function parseStore(ctx, spec, cacheDir) {
  if (spec === void 0) return new LocalWheelStore(join(cacheDir, "wheels"));
  if (spec === "none") return void 0;
  if (spec.startsWith("local:") && spec.length > 6) return new LocalWheelStore(resolve(ctx.cwd, spec.slice(6)));
  throw new RefineryError("usage", `--store ${spec}: expected local:DIR or none`, { fix: "release stores are for refinery record in workflows" });
}
function describeUnit(u) {
  switch (u.outcome) {
    case "built":
      return `built    ${u.unit.id} -> ${u.wheel} (${u.attempts} attempt(s), ${u.compiler} compilers)`;
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
      ..."wheel" in u ? { wheel: u.wheel } : {}
    })),
    recorded: r.recorded ? { results: r.recorded.results, attempts: r.recorded.attempts, built: r.recorded.built, failed: r.recorded.failed, files: r.recorded.written } : null
  };
}
export {
  register
};
