import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
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
  collect
} from "./chunk-QUCLYSJU.js";
import {
  cliSession
} from "./chunk-FDKTBMEU.js";
import {
  Option
} from "./chunk-FHZVLPJT.js";
import {
  print,
  printJson,
  warn
} from "./chunk-KCAWH7LJ.js";
import {
  readUnit
} from "./chunk-MHLS6TUH.js";
import {
  FRONTENDS,
  environmentError,
  hintAdvice,
  hintById
} from "./chunk-J5ZFXILX.js";
import {
  firstEvidence,
  isValidVersion,
  normalizeName,
  normalizeVersion
} from "./chunk-CY6NXZGB.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";

// src/faces/cli/commands/build.ts
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
function register(program, ctx) {
  addProgressOptions(addExecutorOptions(program.command("build"))).summary("build one unit into an s390x wheel (container under QEMU, native, or host)").description(
    "Fetch the sdist (sha256-checked), extract it safely, build it with a PEP 517 frontend, repair it when the preset says so, and smoke-test it in a fresh venv of a fresh container (import its packages and extension modules, look for the libraries it needs). A failure is matched against the hint catalog; the best untried remedy for the preset's package manager is applied and the build retried (bounded); transient/QEMU faults are retried with backoff. The wheel, <unit id>.result.json and the logs go to --out."
  ).option("--package <name==version>", "build this release from the configured index").option("--unit <file>", "a plan unit JSON (one entry of plan.matrix.include)").option("--python <version>", "CPython minor version to build with (default: the unit's, or the preset's only one, or the first target)").option("--preset <name>", "container preset (default: the unit's, else the config's preset)").option("-o, --out <dir>", "where the wheel, result JSON and logs go", "wheelhouse").option("--sdist <file>", "use this local sdist instead of downloading (its sha256 is still checked when known)").addOption(
    new Option(
      "--frontend <name>",
      "PEP 517 frontend (default: the config's frontend, pip); uv: the turbo toolchain's native uv makes the isolated build env (else uv on PATH)"
    ).choices(FRONTENDS)
  ).option("--no-isolation", "build without PEP 517 build isolation (build deps must be in the image)").option("--hint <id>", "apply this hint from the first attempt; repeatable", collect).option("--hints <file>", "extra hint catalog; repeatable", collect).option("--find-links <dir>", "a folder of wheels pip may take build requirements from (what earlier dependency waves built); repeatable", collect).option("--timeout <minutes>", "whole-unit timeout (default: config limits.unitTimeoutMinutes)").option("--phase-timeout <phase=minutes>", "per-phase timeout (prepare, build, repair, test); repeatable", collect).option("--max-attempts <n>", "attempts in all, retries included (default: config limits.maxAttempts, 4)").option("--check", "only check that the executor can build here; print what is missing and how to fix it").option("--keep-work-dir", "keep the scratch directory (debugging)").option("-c, --config <file>", "config file (presets, default preset, timeouts)").option("--json", "print the build result JSON (progress goes to stderr as JSON lines; --progress none silences it)").addHelpText(
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
  const session = await cliSession(ctx, {
    ...o.config ? { config: o.config } : {},
    ...o.compiler ? { compiler: o.compiler } : {},
    ...o.timeout ? { timeoutMinutes: positive(o.timeout, "--timeout") } : {},
    phaseTimeoutMinutes: phaseTimeouts(o.phaseTimeout ?? []),
    ...o.maxAttempts ? { maxAttempts: Math.floor(positive(o.maxAttempts, "--max-attempts")) } : {},
    hintFiles: (o.hints ?? []).map((f) => resolve(ctx.cwd, f))
  });
  const fromUnit = o.unit ? await readUnit(resolve(ctx.cwd, o.unit)) : void 0;
  const presetName = o.preset ?? fromUnit?.preset ?? (spec ? (await session.buildInfo(spec.name, spec.version)).preset : session.defaultPreset);
  const preset = await session.preset(presetName);
  const compiler = o.compiler ?? fromUnit?.compiler ?? session.config.compiler;
  const { executor, reason } = await session.executor(executorFlags(o), preset, o.frontend);
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
  let unit;
  let sdistFile = o.sdist ? resolve(ctx.cwd, o.sdist) : void 0;
  if (fromUnit) {
    const python = o.python ?? fromUnit.buildPython;
    unit = { ...fromUnit, preset: preset.name, buildPython: python };
  } else {
    const made = await session.adHocUnit({
      package: spec.name,
      version: spec.version,
      preset: preset.name,
      ...o.python ? { python: o.python } : {},
      ...o.compiler ? { compiler: o.compiler } : {},
      ...sdistFile ? { sdistFile } : {}
    });
    unit = made.unit;
    sdistFile = made.sdistFile;
  }
  const outDir = resolve(ctx.cwd, o.out);
  const result = await session.build(unit, {
    executor,
    outDir,
    ...o.frontend ? { frontend: o.frontend } : {},
    isolation: o.isolation,
    hints: o.hint ?? [],
    ...sdistFile ? { sdistFile } : {},
    findLinks,
    keepWorkDir: Boolean(o.keepWorkDir),
    ...cancel ? { signal: cancel.signal } : {},
    heartbeatMs: heartbeatMs(o),
    onEvent: (e) => {
      if (!printProgress(ctx, progressMode(o), unit.id, e) && !o.json) printEvent(ctx, e);
    }
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
    const advice = last.matchedHint ? hintById(await session.catalog(), last.matchedHint) : void 0;
    throw new RefineryError(
      "build",
      `${unit.id} failed after ${result.attempts.length} attempt(s): ${last.failureClass ?? "unclassified"}${last.matchedHint ? ` (hint ${last.matchedHint})` : ""} in phase ${last.phase ?? "?"}${firstEvidence(last) ? `: ${firstEvidence(last)}` : ""}`,
      {
        fix: [
          // What no retry fixes (a proxy's CA bundle) is said here, in this command's words.
          ...advice && advice.class === "permanent" ? [hintAdvice(advice, "build")] : [],
          `read ${join(o.out, result.log)}; \`refinery hints explain\` on it shows what matched`
        ].join("; ")
      }
    );
  }
}
function phaseTimeouts(values) {
  const out = {};
  for (const pt of values) {
    const m = /^(prepare|build|repair|test)=(\d+(\.\d+)?)$/.exec(pt);
    if (!m) throw new RefineryError("usage", `--phase-timeout ${JSON.stringify(pt)}: expected PHASE=MINUTES`, { fix: "e.g. --phase-timeout build=90" });
    out[m[1]] = Number(m[2]);
  }
  return out;
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
  if (r.smoke) {
    const s = r.smoke;
    const libs = s.externalLibraries.length > 0 ? `; needs system libraries ${s.externalLibraries.join(", ")}` : "";
    const pkgs = s.runtimePackages ? `; runtime packages (${s.runtimePackages.manager}): ${s.runtimePackages.packages.join(", ")}` : "";
    const first = s.firstFailure ? `; bare image: ${s.firstFailure.failureClass}${s.firstFailure.matchedLine ? ` (${s.firstFailure.matchedLine})` : ""}` : "";
    const verdict = s.verdict === "passed" ? `passed, imported ${s.imported.join(", ")}` : s.verdict === "passed-with-runtime-packages" ? `passed with runtime packages installed, imported ${s.imported.join(", ")}` : `UNVERIFIED: ${s.reason}`;
    print(ctx, `smoke test (fresh container): ${verdict}${libs}${pkgs}${first}`);
  }
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
