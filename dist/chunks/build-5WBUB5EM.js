import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  addExecutorOptions,
  cancellation,
  pickExecutor,
  positive
} from "./chunk-DFRBLRI7.js";
import {
  PlanUnit
} from "./chunk-J52KW6KV.js";
import {
  buildUnit,
  environmentError,
  namedEnv
} from "./chunk-OK4ZYHVC.js";
import {
  loadEffectiveConfig
} from "./chunk-YTA5TDGE.js";
import {
  Option
} from "./chunk-FHZVLPJT.js";
import {
  IndexClient,
  getPreset,
  indexesFromConfig,
  loadPresets,
  loadRecipes,
  withUserPresets
} from "./chunk-5RNAZF3E.js";
import "./chunk-RYNH5UWE.js";
import "./chunk-LOLMKOCG.js";
import {
  effectivePreset,
  httpLimits
} from "./chunk-B3SVX456.js";
import "./chunk-3LOFCYLJ.js";
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
import {
  isSdist,
  isValidVersion,
  normalizeName,
  normalizeVersion
} from "./chunk-UNLQIFJ6.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";

// src/faces/cli/commands/build.ts
import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
var collect = (value, previous = []) => [...previous, value];
function register(program, ctx) {
  addExecutorOptions(program.command("build")).summary("build one unit into an s390x wheel (container under QEMU, native, or host)").description(
    "Fetch the sdist (sha256-checked), extract it safely, build it with a PEP 517 frontend, repair it when the preset says so, and smoke-test it in a fresh venv (install, import top-level modules). A failure is matched against the hint catalog; the best untried remedy for the preset's package manager is applied and the build retried (bounded); transient/QEMU faults are retried with backoff. The wheel, <unit id>.result.json and the logs go to --out."
  ).option("--package <name==version>", "build this release from the configured index").option("--unit <file>", "a plan unit JSON (one entry of plan.matrix.include)").option("--python <version>", "CPython minor version to build with (default: the unit's, or the preset's only one, or the first target)").option("--preset <name>", "container preset (default: the unit's, else the config's preset)").option("-o, --out <dir>", "where the wheel, result JSON and logs go", "wheelhouse").option("--sdist <file>", "use this local sdist instead of downloading (its sha256 is still checked when known)").addOption(new Option("--frontend <name>", "PEP 517 frontend").choices(["pip", "build"]).default("pip")).option("--no-isolation", "build without PEP 517 build isolation (build deps must be in the image)").option("--hint <id>", "apply this hint from the first attempt; repeatable", collect).option("--hints <file>", "extra hint catalog; repeatable", collect).option("--find-links <dir>", "a folder of wheels pip may take build requirements from (what earlier dependency waves built); repeatable", collect).option("--timeout <minutes>", "whole-unit timeout (default: config limits.unitTimeoutMinutes)").option("--phase-timeout <phase=minutes>", "per-phase timeout (prepare, build, repair, test); repeatable", collect).option("--max-attempts <n>", "attempts in all, retries included", "4").option("--check", "only check that the executor can build here; print what is missing and how to fix it").option("--keep-work-dir", "keep the scratch directory (debugging)").option("-c, --config <file>", "config file (presets, default preset, timeouts)").option("--json", "print the build result JSON").addHelpText(
    "after",
    `
Examples:
  refinery build --package markupsafe==2.1.5 --python 3.12
  refinery build --unit unit.json --out wheelhouse --json
  refinery build --unit unit.json --find-links wave-0-wheels   # build requirements an earlier wave built
  refinery build --package six==1.16.0 --preset debian-local --network host   # local image, see docs/build.md
  refinery build --check --preset manylinux_2_28`
  ).action(async (o) => {
    await runBuildCommand(ctx, o);
  });
}
async function runBuildCommand(ctx, o) {
  if (o.check) return buildCommand(ctx, o);
  const cancel = cancellation(ctx, "the build");
  try {
    await buildCommand(ctx, o, cancel);
  } finally {
    cancel.dispose();
  }
}
async function buildCommand(ctx, o, cancel) {
  const spec = o.package !== void 0 ? parsePackageSpec(o.package) : void 0;
  if (!o.check && !o.unit && !spec)
    throw new RefineryError("usage", "say what to build: --package NAME==VERSION or --unit FILE", { fix: "see refinery build --help" });
  const { config, cacheDir } = await loadEffectiveConfig(ctx, { config: o.config });
  const presets = withUserPresets(await loadPresets(join(seedsDir(), "presets.yml")), config.presets, o.config ?? "refinery.yml");
  const fromUnit = o.unit ? await readUnit(resolve(ctx.cwd, o.unit)) : void 0;
  const preset = getPreset(presets, o.preset ?? fromUnit?.preset ?? effectivePreset(config));
  const hostArch = process.arch;
  const compiler = o.compiler ?? fromUnit?.compiler ?? config.compiler;
  const { executor, reason } = await pickExecutor(ctx, o, preset, compiler);
  if (o.executor) {
    const problems = await executor.check(preset);
    if (o.check || problems.length > 0) report(ctx, o, `executor ${o.executor} (asked for)`, problems);
    if (o.executor === "host" && !o.json) warn(ctx, "note: --executor host builds for this machine, not s390x (pipeline tests)");
  } else {
    if (!o.json) warn(ctx, `executor: ${executor.kind} (${reason})`);
    if (!o.json) warn(ctx, `compiler: ${describeCompiler(executor, preset, compiler)}`);
    if (o.check) report(ctx, o, `executor ${executor.kind}`, []);
  }
  if (o.check) return;
  const findLinks = await existingFolders(ctx, o.findLinks ?? []);
  const indexes = indexesFromConfig(config, ctx.env, { extraIndexUrls: [] });
  const client = new IndexClient({ indexes, cacheDir: join(cacheDir, "http"), httpOptions: { env: ctx.env, ...httpLimits(config) } });
  const python = o.python ?? fromUnit?.buildPython ?? (Object.keys(preset.python).length === 1 ? Object.keys(preset.python)[0] : config.targets.python[0]);
  let unit;
  let sdistFile = o.sdist ? resolve(ctx.cwd, o.sdist) : void 0;
  if (fromUnit) {
    unit = { ...fromUnit, preset: preset.name, buildPython: python, hints: [...fromUnit.hints, ...o.hint ?? []] };
  } else {
    const { name, version } = spec;
    const sdist = o.sdist ? { filename: o.sdist.split("/").pop(), url: resolve(ctx.cwd, o.sdist) } : await findSdist(client, name, version, cacheDir);
    if (!o.sdist && "path" in sdist) sdistFile = sdist.path;
    const id = `${name}-${version}-cp${python.replace(".", "")}-${preset.name}`.replace(/[^A-Za-z0-9._-]/g, "_");
    unit = PlanUnit.parse({
      id,
      package: name,
      version,
      python,
      buildPython: python,
      targets: [],
      preset: preset.name,
      hints: o.hint ?? [],
      compiler,
      runner: { kind: hostArch === "s390x" ? "native" : "qemu", labels: ["local"] },
      runs_on: '"local"',
      wave: 0,
      needs: [],
      sdist: { filename: sdist.filename, url: sdist.url, ..."sha256" in sdist && sdist.sha256 ? { sha256: sdist.sha256 } : {} },
      estimatedSeconds: 0,
      reason: "refinery build --package"
    });
  }
  const timeouts = {};
  for (const pt of o.phaseTimeout ?? []) {
    const m = /^(prepare|build|repair|test)=(\d+(\.\d+)?)$/.exec(pt);
    if (!m) throw new RefineryError("usage", `--phase-timeout ${JSON.stringify(pt)}: expected PHASE=MINUTES`, { fix: "e.g. --phase-timeout build=90" });
    timeouts[m[1]] = Number(m[2]) * 6e4;
  }
  const outDir = resolve(ctx.cwd, o.out);
  const result = await buildUnit(unit, {
    executor,
    preset,
    catalog: await loadCatalogs(ctx, o.hints),
    recipes: await loadRecipes(join(seedsDir(), "recipes")),
    outDir,
    compiler,
    frontend: o.frontend,
    isolation: o.isolation,
    timeouts,
    unitTimeoutMs: (o.timeout ? positive(o.timeout, "--timeout") : config.limits.unitTimeoutMinutes) * 6e4,
    maxAttempts: Math.floor(positive(o.maxAttempts, "--max-attempts")),
    ...sdistFile ? { sdistFile } : {},
    findLinks,
    indexes,
    passEnv: namedEnv(ctx.env, config.build.passEnv),
    http: client.http,
    skipCheck: true,
    keepWorkDir: Boolean(o.keepWorkDir),
    ...cancel ? { signal: cancel.signal } : {},
    ...ctx.env.GITHUB_RUN_ID && ctx.env.GITHUB_SERVER_URL && ctx.env.GITHUB_REPOSITORY ? { runUrl: `${ctx.env.GITHUB_SERVER_URL}/${ctx.env.GITHUB_REPOSITORY}/actions/runs/${ctx.env.GITHUB_RUN_ID}` } : {},
    ...ctx.env.RUNNER_NAME ? { runner: ctx.env.RUNNER_NAME } : {},
    onEvent: o.json ? void 0 : (e) => printEvent(ctx, e)
  });
  if (o.json) printJson(ctx, result);
  else printSummary(ctx, result, outDir);
  if (result.status === "cancelled" && cancel) {
    throw cancel.error(
      `the build of ${unit.id} was cancelled and its work folder removed (${join(o.out, result.log)} says how its processes were stopped)`,
      "run the build again"
    );
  }
  if (result.status !== "success") {
    const last = result.attempts[result.attempts.length - 1];
    throw new RefineryError(
      "build",
      `${unit.id} failed after ${result.attempts.length} attempt(s): ${last.failureClass ?? "unclassified"}${last.matchedHint ? ` (hint ${last.matchedHint})` : ""} in phase ${last.phase ?? "?"}${last.evidence?.[0] ? `: ${last.evidence[0]}` : ""}`,
      {
        fix: `read ${join(o.out, result.log)}; \`refinery hints explain\` on it shows what matched`
      }
    );
  }
}
function describeCompiler(executor, preset, compiler) {
  if (compiler === "emulated") return "emulated (asked for)";
  const t = executor.turbo?.(preset);
  if (t) return `turbo (${t.fingerprint}; Python, pip and the backend stay emulated)`;
  if (executor.kind !== "container") return `emulated (turbo is for container builds on x86_64; this is the ${executor.kind} executor)`;
  if (!preset.turbo) return `emulated (preset ${preset.name} does not allow turbo compilers)`;
  return "emulated (no turbo toolchain here: scripts/setup-turbo-toolchain.sh assembles one)";
}
function report(ctx, o, what, problems) {
  if (problems.length > 0) throw environmentError(`${what} cannot build here`, problems);
  if (o.json) printJson(ctx, { ready: true });
  else print(ctx, `ready: ${what} can build here`);
}
function parsePackageSpec(spec) {
  const m = /^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)==([^\s=]+)$/.exec(spec);
  if (!m || !isValidVersion(m[3])) {
    throw new RefineryError("usage", `--package ${JSON.stringify(spec)} is not NAME==VERSION`, {
      fix: "e.g. --package markupsafe==2.1.5 (a PEP 508 name and an exact PEP 440 version)"
    });
  }
  return { name: normalizeName(m[1]), version: normalizeVersion(m[3]) ?? m[3] };
}
async function findSdist(client, name, version, cacheDir) {
  const sdists = (await client.getRelease(name, version)).filter((f) => isSdist(f.filename));
  client.saveCache();
  const file = sdists.find((f) => f.filename.endsWith(".tar.gz")) ?? sdists[0];
  if (!file) {
    throw new RefineryError("index", `${name}==${version} has no sdist on the configured index`, { fix: "check the version, or pass --sdist FILE" });
  }
  const path = await client.download(file, join(cacheDir, "sdists"));
  return { filename: file.filename, url: file.url, ...file.sha256 ? { sha256: file.sha256 } : {}, path };
}
async function readUnit(file) {
  let raw;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new RefineryError("input", `cannot read the unit: ${e.message}`, {
      location: { file },
      fix: "pass one entry of plan.matrix.include as JSON"
    });
  }
  const parsed = PlanUnit.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RefineryError("input", `not a plan unit: ${issue.message}`, {
      location: { file, field: issue.path.join(".") },
      fix: "pass one entry of plan.matrix.include (refinery plan --json)"
    });
  }
  return parsed.data;
}
function printEvent(ctx, e) {
  switch (e.type) {
    case "attempt-start":
      warn(ctx, `attempt ${e.n}${e.hints.length ? ` with hints: ${e.hints.join(", ")}` : ""}`);
      break;
    case "attempt-end": {
      const a = e.attempt;
      warn(
        ctx,
        `attempt ${a.n}: ${a.status}${a.phase ? ` in ${a.phase}` : ""}${a.failureClass ? ` [${a.failureClass}${a.matchedHint ? `: ${a.matchedHint}` : ""}]` : ""}${a.killed ? a.failureClass === "timeout" ? " (killed by timeout)" : " (killed: cancelled)" : ""} after ${Math.round(a.durationMs / 1e3)}s`
      );
      break;
    }
    case "hint-applied":
      warn(ctx, `applying hint ${e.hint} (${e.class}) for attempt ${e.forAttempt}`);
      break;
    case "retry-wait":
      warn(ctx, `transient failure (${e.reason}); retrying in ${Math.round(e.delayMs / 1e3)}s`);
      break;
    case "wheel":
      warn(ctx, `wheel: ${e.path}`);
      break;
  }
}
function printSummary(ctx, r, outDir) {
  if (r.wheel) print(ctx, `${r.status}: ${join(outDir, r.wheel.filename)} (sha256 ${r.wheel.sha256}, ${r.wheel.size} bytes)`);
  else print(ctx, `${r.status}: no wheel after ${r.attempts.length} attempt(s)`);
  if (r.compiler) print(ctx, `compiler: ${r.compiler}${r.toolchain ? ` (${r.toolchain})` : ""}`);
  print(ctx, `result: ${join(outDir, `${r.unit.id}.result.json`)}; log: ${join(outDir, r.log)}`);
}
async function existingFolders(ctx, dirs) {
  const out = [];
  for (const dir of dirs) {
    const abs = resolve(ctx.cwd, dir);
    const st = await stat(abs).catch(() => void 0);
    if (!st?.isDirectory()) {
      throw new RefineryError("usage", `--find-links ${dir}: no such folder`, {
        fix: "put the wheels of earlier waves there first (e.g. download their artifacts), or drop the flag"
      });
    }
    out.push(abs);
  }
  return out;
}
export {
  describeCompiler,
  parsePackageSpec,
  register
};
