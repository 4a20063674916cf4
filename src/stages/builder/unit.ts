import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleepMs } from 'node:timers/promises';
import type { HttpClient } from '../../adapters/http.js';
import { type Backoff, backoffDelayMs } from '../../adapters/backoff.js';
import { extractSafely } from '../../adapters/archive.js';
import { writeJsonAtomic } from '../../adapters/fs.js';
import { RefineryError } from '../../errors.js';
import { DEFAULT_LIMITS } from '../../domain/config/schema.js';
import { environmentError } from '../../domain/executors/choose.js';
import type { Executor } from '../../domain/executors/types.js';
import { type TurboToolchain, turboPyo3Config } from '../../domain/executors/turbo.js';
import type { Compiler } from '../../domain/model/compiler.js';
import { hintById } from '../../domain/hints/catalog.js';
import { errorLines } from '../../domain/hints/evidence.js';
import { matchLog, type HintMatch } from '../../domain/hints/match.js';
import { combineRemedies, mergeEnv, remedyFor } from '../../domain/hints/remedy.js';
import { type RustNeed, rustNeedFromLog, rustNeedFromSources, strictestNeed, withRustChoice } from '../../domain/hints/rust.js';
import type { Hint, HintCatalog } from '../../domain/hints/schema.js';
import { inputsFingerprint } from '../../domain/model/fingerprint.js';
import type { PlanUnit } from '../../domain/model/plan.js';
import type { Preset } from '../../domain/model/preset.js';
import { type Attempt, BuildResult, type FailureClass, LibraryName, type SmokeSummary, wheelMismatch } from '../../domain/model/result.js';
import { parseWheelFilename } from '../../domain/python/filenames.js';
import { isPureWheel } from '../../domain/python/tags.js';
import type { IndexConfig } from '../../domain/package-index/types.js';
import { pipIndexConfig, uvIndexConfig } from './pip-config.js';
import { cpTag } from '../../domain/model/target.js';
import type { Recipe } from '../../domain/recipes/load.js';
import { runAttempt, type PhaseTimeouts } from './attempt.js';
import { fetchSdist, sha256File } from './fetch.js';
import { rustSources } from './rust-sources.js';
import { copySeed, ensureUvSeed } from './uv-seed.js';
import type { Frontend } from './frontend.js';

export interface BuildOptions {
  executor: Executor;
  preset: Preset;
  catalog: HintCatalog;
  /**
   * The package's recipe for this version, as buildInfo (src/domain/recipes/build-info.ts) gives
   * it: undefined when there is none or its `versions` range leaves this version out.
   */
  recipe?: Recipe;
  /** Wheel, `<unit id>.result.json` and logs land here. */
  outDir: string;
  /** Parent of the scratch work directory (default: the OS temp dir). */
  workRoot?: string;
  keepWorkDir?: boolean;
  frontend?: Frontend;
  /** PEP 517 build isolation (default true); remedies may turn it off. */
  isolation?: boolean;
  timeouts?: Partial<PhaseTimeouts>;
  /** Whole unit, all attempts and waits included. */
  unitTimeoutMs?: number;
  /** Attempts in all, the first included (default 4). */
  maxAttempts?: number;
  /** Retries of transient/QEMU faults (default 2), within maxAttempts. */
  transientRetries?: number;
  /** Waits before transient retries (default 10 s doubling to 2 min; ../../adapters/backoff.ts). */
  backoff?: Backoff;
  /** Jitter source of the backoff (tests pin it). */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * `turbo` (default): compile with the executor's turbo toolchain when it has one for the preset,
   * else emulated; `emulated`: never. Overrides the unit's own `compiler`.
   */
  compiler?: Compiler;
  /** Extra build environment (lowest precedence after the preset). */
  env?: Readonly<Record<string, string>>;
  /**
   * Variables of this machine the config names (refinery.yml `build.passEnv`), with their values:
   * below `env`, the preset, the recipe and hints; not part of the inputs fingerprint (a proxy
   * or a token does not change the wheel). Host and native builds also get the allowlisted
   * basics (PATH, HOME, locale, TMPDIR, proxies, CA bundles) from their executor; nothing else
   * of the CLI's environment reaches a build.
   */
  passEnv?: Readonly<Record<string, string>>;
  http?: HttpClient;
  /**
   * Folders of wheels pip may take build requirements from (PIP_FIND_LINKS): what earlier
   * dependency waves built. Their wheels are copied into the work directory, which a container
   * sees. A folder that does not exist counts as empty.
   */
  findLinks?: readonly string[];
  /**
   * The configured indexes: pip inside the build takes build requirements from them (a private
   * pip.conf in the work folder). Without them, or when they are PyPI alone, pip's own default.
   * An index named in `env` or the preset's env (PIP_INDEX_URL, PIP_CONFIG_FILE) wins.
   */
  indexes?: readonly IndexConfig[];
  /** A local copy of the sdist (skips the download; the sha256 is still checked). */
  sdistFile?: string;
  /**
   * Folder of seeded uv caches (`<cacheDir>/uv-seeds`, uv-seed.ts) for the uv frontend in
   * containers: each attempt starts from a copy instead of an empty cache. Absent: no seed.
   */
  uvSeedsDir?: string;
  /** Skip the environment check (callers that just ran it). */
  skipCheck?: boolean;
  runner?: string;
  runUrl?: string;
  onOutput?: (chunk: string) => void;
  onEvent?: (e: BuildEvent) => void;
  /** How often a running attempt sends a `heartbeat` event (default 30 s). */
  heartbeatMs?: number;
  /**
   * Cancels the build (SIGTERM/SIGINT to the CLI): the running command's tree (or container) is
   * stopped, a result with status `cancelled` is written, the work folder is removed.
   */
  signal?: AbortSignal;
}

export type BuildEvent =
  /** `log`: the attempt's live log file, written as the build prints. */
  | { type: 'attempt-start'; n: number; hints: string[]; log: string }
  /** Every `heartbeatMs` while an attempt runs. */
  | { type: 'heartbeat'; n: number; phase: string; elapsedMs: number; unitElapsedMs: number; lastLine: string }
  | { type: 'attempt-end'; attempt: Attempt; matches: HintMatch[] }
  | { type: 'hint-applied'; hint: string; class: FailureClass; forAttempt: number }
  | { type: 'retry-wait'; delayMs: number; reason: string }
  | { type: 'wheel'; path: string };

export const DEFAULT_TIMEOUTS: PhaseTimeouts = { prepare: 20 * 60_000, build: 150 * 60_000, repair: 15 * 60_000, test: 15 * 60_000 };

/**
 * The inputs fingerprint a build of this unit would record, computed without building: callers
 * compare it with the manifest to reuse a stored wheel instead (the sdist sha256 comes from the
 * index). buildUnit records exactly this value.
 */
export async function unitFingerprint(
  unit: PlanUnit,
  o: Pick<BuildOptions, 'executor' | 'preset' | 'recipe' | 'env' | 'frontend' | 'isolation' | 'compiler'>,
  sdistSha256: string,
): Promise<string> {
  const recipe = o.recipe;
  const initial = dedupe([...o.preset.hints, ...(recipe?.hints ?? []), ...unit.hints]);
  const identity = await o.executor.identity(o.preset);
  const isolation = o.isolation ?? true;
  return inputsFingerprint({
    sdistSha256,
    image: identity.fingerprint,
    python: unit.buildPython,
    preset: o.preset.name,
    hints: [...initial, ...(recipe ? [`recipe:${recipe.name}`] : [])],
    env: mergeEnv({ ...(o.env ?? {}) }, o.preset.env),
    frontend: `${frontendName(o)}${isolation ? '' : ' --no-build-isolation'}`,
    ...turboFingerprint(turboToolchain(unit, o)),
    ...(o.preset.repair === 'auditwheel' && o.preset.repairWith
      ? { repair: `${[...o.preset.repairWith.pip, ...o.preset.repairWith.packages].join(' ')} to ${o.preset.repairWith.platform}` }
      : {}),
  });
}

/** The log's line on which uv the uv frontend runs. */
function uvNote(uv: { path: string; version: string } | undefined): string {
  return uv ? `frontend: uv ${uv.version} (${uv.path}, native x86_64)` : 'frontend: uv (from PATH)';
}

/** The frontend as the fingerprint names it: the uv an executor lends carries its version. */
function frontendName(o: Pick<BuildOptions, 'executor' | 'frontend'>): string {
  const f = o.frontend ?? 'pip';
  const uv = f === 'uv' ? o.executor.uv?.() : undefined;
  return uv ? `uv ${uv.version}` : f;
}

/** The turbo toolchain the unit's first attempt compiles with, or undefined (emulated). */
export function turboToolchain(unit: Pick<PlanUnit, 'compiler'>, o: Pick<BuildOptions, 'executor' | 'preset' | 'compiler'>): TurboToolchain | undefined {
  const wanted = o.compiler ?? unit.compiler ?? 'turbo';
  return wanted === 'turbo' ? o.executor.turbo?.(o.preset) : undefined;
}

/** The hints in force the plan predicted from the sdist (unit.predictedHints), for the record. */
function predictedOf(unit: Pick<PlanUnit, 'predictedHints'>, inForce: readonly string[]): { hintsPredicted?: string[] } {
  const p = (unit.predictedHints ?? []).filter((h) => inForce.includes(h));
  return p.length > 0 ? { hintsPredicted: p } : {};
}

function turboFingerprint(t: TurboToolchain | undefined): { compiler?: string } {
  return t ? { compiler: `turbo: ${t.fingerprint}` } : {};
}

/**
 * Build one unit: fetch the sdist (hash-checked), extract it safely, then attempt -> classify ->
 * apply the next untried remedy -> retry, bounded; every attempt recorded. Writes the wheel, the
 * result JSON and the logs to outDir and returns the result. Infrastructure problems (no engine,
 * bad sdist, hash mismatch) are thrown as RefineryError; build failures are results.
 */
export async function buildUnit(unit: PlanUnit, o: BuildOptions): Promise<BuildResult> {
  const recipe = o.recipe;
  if (recipe?.skip) {
    throw new RefineryError('build', `${unit.package} is skipped by its recipe: ${recipe.skip}`, { fix: 'remove the recipe skip to try anyway' });
  }
  if (!o.skipCheck) {
    const problems = await o.executor.check(o.preset);
    if (problems.length > 0) throw environmentError(`the ${o.executor.kind} executor cannot build here`, problems);
  }
  const python = o.executor.interpreter(o.preset, unit.buildPython);
  // Remedies are chosen for the package manager the executor really has (host: none).
  const pm = o.executor.packageManager(o.preset);
  const timeouts: PhaseTimeouts = { ...DEFAULT_TIMEOUTS, ...o.timeouts };
  const started = Date.now();
  const deadline = started + (o.unitTimeoutMs ?? DEFAULT_LIMITS.unitTimeoutMinutes * 60_000);
  const maxAttempts = o.maxAttempts ?? DEFAULT_LIMITS.maxAttempts;
  const transientRetries = o.transientRetries ?? 2;
  const backoff = o.backoff ?? { baseMs: 10_000, maxMs: 120_000 };
  const random = o.random ?? Math.random;
  const sleep = o.sleep ?? ((ms: number, signal?: AbortSignal) => sleepMs(ms, undefined, { signal }).catch(() => undefined));
  const frontend = o.frontend ?? 'pip';
  const isolation = o.isolation ?? true;

  await mkdir(o.outDir, { recursive: true });
  const work = await mkdtemp(join(o.workRoot ?? tmpdir(), `refinery-${unit.id.slice(0, 60)}-`));
  try {
    const fetchStart = Date.now();
    let sdist: { path: string; sha256: string };
    try {
      if (o.signal?.aborted) throw o.signal.reason;
      sdist = await fetchSdist(o.sdistFile ? { ...unit.sdist, url: o.sdistFile } : unit.sdist, join(work, 'sdist'), { http: o.http, signal: o.signal });
    } catch (e) {
      if (!o.signal?.aborted) throw e;
      return await cancelledBeforeStart(unit, o, new Date(fetchStart));
    }
    const fetchMs = Date.now() - fetchStart;
    const linked = await stageFindLinks(o.findLinks ?? [], join(work, FIND_LINKS_DIR));
    const pipConf = pipIndexConfig(o.indexes ?? []);
    if (pipConf) await writeFile(join(work, PIP_CONF), pipConf, { mode: 0o600 });
    const uvConf = frontend === 'uv' ? uvIndexConfig(o.indexes ?? []) : undefined;
    if (uvConf) await writeFile(join(work, UV_CONF), uvConf, { mode: 0o600 });
    const uv = frontend === 'uv' ? o.executor.uv?.() : undefined;
    if (linked > 0) o.onOutput?.(`[refinery] find-links: ${linked} wheel(s) from earlier builds for build requirements\n`);

    // Hints in force from the first attempt: preset, recipe, then the unit's own (learned) ones.
    const initial = dedupe([...o.preset.hints, ...(recipe?.hints ?? []), ...unit.hints]);
    const applied: Hint[] = [];
    const unknown: string[] = [];
    for (const id of initial) {
      const h = hintById(o.catalog, id);
      if (h) applied.push(h);
      else unknown.push(id);
    }
    // Recipe env and packages travel with the remedies (below); this is the fixed part.
    const baseEnv = mergeEnv({ ...(o.passEnv ?? {}), ...(o.env ?? {}) }, o.preset.env);
    const recipeRemedy = recipe ? recipeHint(recipe.remedy) : undefined;
    const identity = await o.executor.identity(o.preset);
    const fingerprint = await unitFingerprint(unit, o, sdist.sha256);
    const turbo = turboToolchain(unit, o);
    let compiler: Compiler = 'emulated';
    // Emulated Python pays for an empty uv cache in every container; native builds do not.
    let seedProblem: string | undefined;
    const seed =
      uv && o.uvSeedsDir && o.executor.kind === 'container' && baseEnv.UV_CACHE_DIR === undefined
        ? await ensureUvSeed(
            {
              executor: o.executor,
              preset: o.preset,
              python,
              uv,
              seedsDir: o.uvSeedsDir,
              identity: identity.fingerprint,
              env: baseEnv,
              ...(uvConf ? { uvConf } : {}),
              ...(o.signal ? { signal: o.signal } : {}),
            },
            (line) => {
              seedProblem = line;
            },
          )
        : undefined;
    const seedNote = seed
      ? `seeded with ${seed.manifest.packages.join(', ')} and their bytecode (${seed.made ? `made now in ${(seed.ms / 1000).toFixed(1)} s` : `made ${seed.manifest.createdAt}`}, ${seed.dir})`
      : seedProblem;

    const attempts: Attempt[] = [];
    const logs: string[] = [];
    let transientUsed = 0;
    let success: Awaited<ReturnType<typeof runAttempt>> | undefined;
    let last: Awaited<ReturnType<typeof runAttempt>> | undefined;
    if (unknown.length > 0) o.onOutput?.(`[refinery] unknown hint ids ignored: ${unknown.join(', ')}\n`);

    // The Rust the package needs: declared in its sources, then learned from failed attempts.
    let rustNeed: RustNeed | undefined;
    for (let n = 1; n <= maxAttempts; n++) {
      if (Date.now() >= deadline || o.signal?.aborted) break;
      const srcRel = `src-${n}`;
      await extractSafely(sdist.path, join(work, srcRel));
      const top = await singleTopDir(join(work, srcRel), unit.sdist.filename);
      if (n === 1) rustNeed = rustNeedFromSources(await rustSources(join(work, srcRel, top)));
      const inForce = [...(recipeRemedy ? [recipeRemedy] : []), ...applied];
      const rust = withRustChoice(combineRemedies(inForce, pm), inForce, pm, o.preset, rustNeed);
      const remedy = rust.remedy;
      // Turbo unless there is no toolchain here or a hint (turbo-incompatible) turned it off.
      compiler = turbo && remedy.compiler !== 'emulated' ? 'turbo' : 'emulated';
      const hintIds = applied.map((h) => h.id);
      const logName = `${unit.id}.attempt-${n}.log`;
      o.onEvent?.({ type: 'attempt-start', n, hints: hintIds, log: join(o.outDir, logName) });
      const name = `refinery-${unit.id.slice(0, 80)}-${n}-${randomBytes(3).toString('hex')}`;
      const pyo3Config = compiler === 'turbo' && turbo?.rust ? turboPyo3Config(unit.buildPython) : undefined;
      const session = await o.executor.open({
        name,
        hostWorkDir: work,
        preset: o.preset,
        maxLifetimeMs: Math.max(0, deadline - Date.now()),
        compiler,
        ...(uv ? { uv: true } : {}),
      });
      if (seed) await copySeed(seed, work, `uv-cache-${n}`);
      const startedAt = new Date();
      let outcome: Awaited<ReturnType<typeof runAttempt>>;
      try {
        outcome = await runAttempt({
          n,
          session,
          hostWorkDir: work,
          srcRel: `${srcRel}/${top}`,
          python,
          frontend,
          isolation,
          // The host executor builds for this machine: no auditwheel there, nothing to make manylinux.
          repair: o.executor.kind === 'host' ? 'none' : o.preset.repair,
          ...(o.preset.repairWith && o.executor.kind !== 'host' ? { repairWith: o.preset.repairWith } : {}),
          remedy,
          env: baseEnv,
          timeouts,
          deadline,
          outDir: o.outDir,
          ...(linked > 0 ? { findLinksRel: FIND_LINKS_DIR } : {}),
          ...(pyo3Config ? { pyo3Config } : {}),
          ...(pipConf ? { pipConfigRel: PIP_CONF } : {}),
          ...(uvConf ? { uvConfigRel: UV_CONF } : {}),
          ...(uv ? { uv: uv.path } : {}),
          ...(seedNote ? { uvCache: { ...(seed ? { rel: `uv-cache-${n}` } : {}), note: seedNote } } : {}),
          logFile: join(o.outDir, logName),
          // Containers: the smoke test gets its own, fresh from the image (host and native
          // executors have no image to start afresh: they test where they built).
          ...(o.executor.kind === 'container'
            ? {
                openFresh: () =>
                  o.executor.open({
                    name: `${name}-smoke`,
                    hostWorkDir: work,
                    preset: o.preset,
                    maxLifetimeMs: Math.max(0, deadline - Date.now()),
                    compiler: 'emulated',
                  }),
              }
            : {}),
          classifySmoke: (output) => {
            const m = matchLog(o.catalog, output, 'test').find((x) => x.class === 'smoke-test');
            return m ? { hint: m.hint, class: m.class, line: cleanLine(m.line) } : undefined;
          },
          compilerNote:
            compiler === 'turbo'
              ? `turbo (${turbo!.fingerprint}, host-speed compilers mounted at ${turbo!.mountPoint})`
              : turbo
                ? 'emulated (turbo turned off by a hint)'
                : 'emulated',
          ...(rust.note || frontend === 'uv' ? { notes: [...(rust.note ? [rust.note] : []), ...(frontend === 'uv' ? [uvNote(uv)] : [])] } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
          ...(o.onEvent
            ? {
                onHeartbeat: (h) => o.onEvent!({ type: 'heartbeat', n, ...h, unitElapsedMs: Date.now() - started }),
                heartbeatMs: o.heartbeatMs ?? 30_000,
              }
            : {}),
        });
      } finally {
        await session.close().catch(() => undefined);
      }
      last = outcome;
      logs.push(`===== attempt ${n} (hints: ${hintIds.join(', ') || 'none'}) =====\n${outcome.log}`);
      if (o.onOutput) o.onOutput(outcome.log);
      if (outcome.wheelPath) o.onEvent?.({ type: 'wheel', path: outcome.wheelPath });

      const cancelled = outcome.killedBy === 'cancel';
      if (outcome.status === 'failure') rustNeed = strictestNeed(rustNeed, rustNeedFromLog(outcome.log));
      const matches = outcome.status === 'failure' && !cancelled ? matchLog(o.catalog, outcome.log, outcome.phase) : [];
      const best = matches[0];
      // A cancelled attempt says nothing about the package: no class, no hint.
      const failureClass: FailureClass | undefined = outcome.status === 'success' || cancelled ? undefined : outcome.killed ? 'timeout' : best?.class;
      const attempt: Attempt = {
        n,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        status: outcome.status,
        ...(outcome.phase ? { phase: outcome.phase } : {}),
        ...(failureClass ? { failureClass } : {}),
        ...(best && !outcome.killed ? { matchedHint: best.hint, matchedLine: cleanLine(best.line) } : {}),
        hintsApplied: [...(recipe ? [`recipe:${recipe.name}`] : []), ...hintIds],
        ...predictedOf(unit, hintIds),
        killed: outcome.killed,
        log: logName,
        compiler,
      };
      // Unclassified: what the log says, kept as evidence for the hint nobody has written yet.
      const unclassified = outcome.status === 'failure' && !cancelled && !outcome.killed && matches.length === 0;
      if (unclassified) {
        const evidence = errorLines(outcome.log);
        if (evidence.length > 0) attempt.evidence = evidence;
      }
      attempts.push(attempt);
      o.onEvent?.({ type: 'attempt-end', attempt, matches });
      if (outcome.status === 'success') {
        success = outcome;
        break;
      }
      // A timeout is not retried: the same build would be killed again.
      if (outcome.killed) break;
      if (failureClass === 'transient' || failureClass === 'qemu-fault') {
        if (transientUsed >= transientRetries) break;
        transientUsed++;
        const delayMs = backoffDelayMs(transientUsed, backoff, random);
        if (Date.now() + delayMs >= deadline) break;
        o.onEvent?.({ type: 'retry-wait', delayMs, reason: `${failureClass} (${best?.hint})` });
        await sleep(delayMs, o.signal);
        continue;
      }
      // The best-ranked hint not tried yet that has a remedy for this package manager.
      // Untried, and with an effect here (or, on a turbo attempt, one that switches to emulated compilers).
      const untried = (h: Hint) =>
        !applied.some((a) => a.id === h.id) && (hasEffect(remedyFor(h, pm)) || (compiler === 'turbo' && remedyFor(h, pm)?.compiler === 'emulated'));
      const next =
        matches.map((m) => hintById(o.catalog, m.hint)!).find(untried) ??
        // An unclassified failure is not the end: the catalog's fallback (build tools) gets one try.
        (unclassified ? o.catalog.hints.find((h) => h.fallback && untried(h)) : undefined);
      if (!next) break;
      applied.push(next);
      o.onEvent?.({ type: 'hint-applied', hint: next.id, class: next.class, forAttempt: n + 1 });
    }
    if (attempts.length === 0 && o.signal?.aborted) return await cancelledBeforeStart(unit, o, new Date(fetchStart));
    if (attempts.length === 0) {
      throw new RefineryError('build', `${unit.id}: no attempt could start before the unit timeout`, { fix: 'raise the unit timeout' });
    }

    const phaseDurationsMs: Record<string, number> = { fetch: fetchMs, ...(last?.phaseDurationsMs ?? {}) };
    const logName = `${unit.id}.log`;
    await writeFile(join(o.outDir, logName), logs.join('\n'));
    let wheel: BuildResult['wheel'];
    if (success?.wheelPath && success.wheelFilename) {
      const st = await stat(success.wheelPath);
      wheel = {
        filename: success.wheelFilename,
        sha256: await sha256File(success.wheelPath),
        size: st.size,
        tags: parseWheelFilename(success.wheelFilename).tags,
      };
      // A result says which project and version its wheel is; record refuses a mismatch, so say it here.
      const why = wheelMismatch(wheel.filename, unit.package, unit.version);
      if (why) {
        throw new RefineryError('build', `${unit.id}: the build made ${wheel.filename}, which is not a wheel of ${unit.package} ${unit.version} (${why})`, {
          fix: 'the sdist builds another project or version than the requirement names: check the pin, or the sdist (upstream metadata mismatch)',
        });
      }
    }
    const result = BuildResult.parse({
      schema: 'refinery/result@1',
      unit: { id: unit.id, package: unit.package, version: unit.version, python: unit.python, targets: servedTargets(unit, wheel) },
      status: success ? 'success' : last?.killedBy === 'cancel' || o.signal?.aborted ? 'cancelled' : 'failure',
      ...(wheel ? { wheel } : {}),
      ...(wheel && success ? { smoke: smokeSummary(success) } : {}),
      attempts,
      executor: o.executor.kind,
      preset: o.preset.name,
      ...(identity.image ? { image: identity.image } : {}),
      ...(identity.imageDigest ? { imageDigest: identity.imageDigest } : {}),
      compiler,
      ...(compiler === 'turbo' ? { toolchain: turbo!.fingerprint } : {}),
      ...(o.runner ? { runner: o.runner } : {}),
      ...(o.runUrl ? { runUrl: o.runUrl } : {}),
      sdist: { filename: unit.sdist.filename, sha256: sdist.sha256 },
      inputsFingerprint: fingerprint,
      phaseDurationsMs,
      log: logName,
    });
    await writeJsonAtomic(join(o.outDir, `${unit.id}.result.json`), result);
    return result;
  } finally {
    // The index credentials go first, and also when the folder is kept for debugging.
    await rm(join(work, PIP_CONF), { force: true }).catch(() => undefined);
    await rm(join(work, UV_CONF), { force: true }).catch(() => undefined);
    if (!o.keepWorkDir) await rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Cancelled before attempt 1 could build (fetching the sdist): a result saying so, attempt 1 in
 * phase fetch, so the record stage and people see why nothing was built.
 */
async function cancelledBeforeStart(unit: PlanUnit, o: BuildOptions, startedAt: Date): Promise<BuildResult> {
  const logName = `${unit.id}.log`;
  await writeFile(
    join(o.outDir, logName),
    `[refinery] cancelled before attempt 1 could run (fetching or unpacking ${unit.sdist.filename}); nothing was built\n`,
  );
  const result = BuildResult.parse({
    schema: 'refinery/result@1',
    unit: { id: unit.id, package: unit.package, version: unit.version, python: unit.python, targets: unit.targets },
    status: 'cancelled',
    attempts: [
      {
        n: 1,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        status: 'failure',
        phase: 'fetch',
        hintsApplied: [],
        killed: true,
        log: logName,
      },
    ],
    executor: o.executor.kind,
    preset: o.preset.name,
    ...(o.runner ? { runner: o.runner } : {}),
    ...(o.runUrl ? { runUrl: o.runUrl } : {}),
    sdist: { filename: unit.sdist.filename, sha256: unit.sdist.sha256 ?? '' },
    inputsFingerprint: '',
    phaseDurationsMs: { fetch: Date.now() - startedAt.getTime() },
    log: logName,
  });
  await writeJsonAtomic(join(o.outDir, `${unit.id}.result.json`), result);
  return result;
}

/** The result's account of the smoke test of the wheel it keeps. */
function smokeSummary(o: Awaited<ReturnType<typeof runAttempt>>): SmokeSummary {
  const v = o.verdict;
  const r = o.smoke;
  const deps = [...new Set(r?.missingDeps.map((d) => d.missing) ?? [])].sort();
  const passed = v?.verdict === 'passed' || v?.verdict === 'passed-with-runtime-packages';
  return {
    verdict: v?.verdict === 'passed' || v?.verdict === 'passed-with-runtime-packages' ? v.verdict : 'unverified',
    ...(v && !passed && 'reason' in v ? { reason: v.reason.slice(0, 500) } : !v ? { reason: 'no smoke test ran' } : {}),
    imported: [...(r?.imported ?? []), ...(r?.linked ?? [])].slice(0, 1000),
    externalLibraries: (v?.externalLibraries ?? []).filter((l) => LibraryName.safeParse(l).success).slice(0, 200),
    ...(deps.length > 0 ? { missingDependencies: deps.slice(0, 200) } : {}),
    ...(o.runtimePackages ? { runtimePackages: o.runtimePackages } : {}),
    ...(o.firstFailure ? { firstFailure: o.firstFailure } : {}),
  };
}

const FIND_LINKS_DIR = 'find-links';
const PIP_CONF = 'pip.conf';
const UV_CONF = 'uv.toml';

/** Copy the wheels of `dirs` into `dest`; how many. Missing folders hold none. */
async function stageFindLinks(dirs: readonly string[], dest: string): Promise<number> {
  const copied = new Set<string>();
  for (const dir of dirs) {
    const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw e;
    });
    for (const name of names.filter((n) => n.endsWith('.whl') && !copied.has(n))) {
      if (copied.size === 0) await mkdir(dest, { recursive: true });
      await copyFile(join(dir, name), join(dest, name));
      copied.add(name);
    }
  }
  return copied.size;
}

/**
 * The targets a built wheel serves: the unit's, except when a unit planned as pure Python (`py3`,
 * from earlier pure builds of the package) made a compiled wheel: that serves only the Python it
 * was built with, and the other targets are planned again, per Python.
 */
function servedTargets(unit: PlanUnit, wheel: BuildResult['wheel']): string[] {
  if (unit.python !== 'py3' || !wheel || isPureWheel(wheel.tags)) return unit.targets;
  return unit.targets.filter((t) => t.startsWith(`${cpTag(unit.buildPython)}-`));
}

function hasEffect(f: ReturnType<typeof remedyFor>): boolean {
  if (!f) return false;
  return (
    f.packages.length + f.constraints.length + f.preinstall.length + Object.keys(f.env).length + Object.keys(f.configSettings).length > 0 ||
    f.buildIsolation !== undefined ||
    f.cargoRegistry !== undefined
  );
}

function recipeHint(remedy: Hint['remedy']): Hint {
  return {
    id: 'recipe',
    class: 'permanent',
    description: 'recipe',
    match: [{ pattern: '(?!)', stage: 'any', ignoreCase: false }],
    priority: 0,
    remedy,
    evidence: [],
    fallback: false,
  };
}

/** A log line for a result: the package's output, so no control characters or ANSI escapes. */
function cleanLine(line: string): string {
  return line
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/[\x00-\x1f\x7f]/g, '')
    .slice(0, 300);
}

function dedupe(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** Sdists hold one top-level directory (`name-version/`); anything else is refused. */
async function singleTopDir(dir: string, filename: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  const dirs = entries.filter((e) => e.isDirectory());
  if (dirs.length !== 1 || entries.length !== 1) {
    throw new RefineryError(
      'input',
      `${filename}: an sdist must contain exactly one top-level directory, found ${entries.map((e) => e.name).join(', ') || 'nothing'}`,
      {
        fix: 'build from a standard sdist (python -m build --sdist)',
      },
    );
  }
  return dirs[0]!.name;
}
