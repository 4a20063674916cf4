import { createWriteStream, type WriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppliedRemedy } from '../../domain/hints/remedy.js';
import { mergeEnv } from '../../domain/hints/remedy.js';
import type { BUILD_PHASES } from '../../domain/model/result.js';
import type { ExecResult, ExecutorSession } from '../../domain/executors/types.js';
import { frontendCommand, installCommands, useIsolation, type Frontend } from './frontend.js';
import { parseSmokeOutput, SMOKE_SCRIPT, type SmokeReport } from './smoke.js';

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
  logFile: string;
  /** Which compilers the session has (logged first, so a log says how it was built). */
  compilerNote?: string;
  /** Decisions taken for this attempt, said in its log (which Rust toolchain and why). */
  notes?: string[];
  signal?: AbortSignal;
  now?: () => number;
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
  phaseDurationsMs: Record<string, number>;
}

/** One attempt: prepare (system packages, constraints), build, repair, smoke test. */
export async function runAttempt(a: AttemptInput): Promise<AttemptOutcome> {
  const now = a.now ?? Date.now;
  const log = new AttemptLog(a.logFile);
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
  const step = async (phase: PhaseName, argv: string[], extraEnv: Record<string, string> = {}): Promise<ExecResult & { killedBy?: KilledBy }> => {
    const remaining = a.deadline - now();
    const limit = Math.max(1, Math.min(a.timeouts[phase], remaining));
    log.line(`[refinery] ${phase}: ${argv.map((x) => (x.length > 200 ? '<script>' : x)).join(' ')}`);
    const started = now();
    const r: ExecResult =
      remaining <= 0 || a.signal?.aborted
        ? { exitCode: -1, killed: true, durationMs: 0, output: '' }
        : await a.session.exec(argv, { env: { ...env, ...extraEnv }, timeoutMs: limit, onOutput: (c) => log.write(c), signal: a.signal });
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

  // prepare
  const pkgs = installCommands(a.session.packageManager, a.remedy.packages);
  if (pkgs) {
    let r = await step('prepare', pkgs.install);
    if (r.exitCode !== 0 && !r.killed && pkgs.refresh) {
      // Package lists in images go stale; refresh once and try again.
      r = await step('prepare', pkgs.refresh);
      if (r.exitCode === 0 && !r.killed) r = await step('prepare', pkgs.install);
    }
    if (r.exitCode !== 0) return done({ status: 'failure', phase: 'prepare', killed: r.killed, ...(r.killedBy ? { killedBy: r.killedBy } : {}) });
  }
  const pipEnv: Record<string, string> = {};
  // Wheels earlier waves built: build requirements the index has no s390x wheel of.
  if (a.findLinksRel) pipEnv.PIP_FIND_LINKS = `${wd}/${a.findLinksRel}`;
  if (a.remedy.constraints.length > 0) {
    await writeFile(join(a.hostWorkDir, `constraints-${a.n}.txt`), `${a.remedy.constraints.join('\n')}\n`);
    pipEnv.PIP_CONSTRAINT = `${wd}/constraints-${a.n}.txt`;
  }
  if (a.remedy.preinstall.length > 0) {
    const r = await step('prepare', [a.python, '-m', 'pip', 'install', ...a.remedy.preinstall], { ...pipEnv, PIP_BREAK_SYSTEM_PACKAGES: '1' });
    if (r.exitCode !== 0) return done({ status: 'failure', phase: 'prepare', killed: r.killed, ...(r.killedBy ? { killedBy: r.killedBy } : {}) });
  }

  // build
  const isolation = useIsolation(a.isolation, a.remedy);
  const build = await step(
    'build',
    frontendCommand(a.frontend, a.python, { srcDir: `${wd}/${a.srcRel}`, outDir: `${wd}/${distName}`, isolation, configSettings: a.remedy.configSettings }),
    pipEnv,
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
    const r = await step('repair', ['auditwheel', 'repair', '--wheel-dir', `${wd}/${repairedDir}`, `${wd}/${distName}/${wheelName}`]);
    if (r.exitCode !== 0)
      return done({
        status: 'failure',
        phase: 'repair',
        killed: r.killed,
        ...(r.killedBy ? { killedBy: r.killedBy } : {}),
        wheelPath: outPath,
        wheelFilename: wheelName,
      });
    const repaired = (await readdir(join(a.hostWorkDir, repairedDir))).find((f) => f.endsWith('.whl'));
    if (repaired) {
      await rm(outPath, { force: true });
      outPath = join(a.outDir, repaired);
      await copyFile(join(a.hostWorkDir, repairedDir, repaired), outPath);
      await copyFile(join(a.hostWorkDir, repairedDir, repaired), join(hostDist, repaired));
      wheelName = repaired;
      log.line(`[refinery] repaired wheel: ${repaired}`);
    }
  }

  // test: a fresh venv, the wheel installed into it, its top-level modules imported.
  const venv = `${a.session.scratchDir}/refinery-smoke-${a.n}`;
  const wheelInSession = `${wd}/${distName}/${wheelName}`;
  const mkVenv = await step('test', [a.python, '-m', 'venv', '--clear', '--without-pip', venv]);
  if (mkVenv.exitCode !== 0)
    return done({
      status: 'failure',
      phase: 'test',
      killed: mkVenv.killed,
      ...(mkVenv.killedBy ? { killedBy: mkVenv.killedBy } : {}),
      wheelPath: outPath,
      wheelFilename: wheelName,
    });
  const smoke = await step('test', [`${venv}/bin/python`, '-c', SMOKE_SCRIPT, wheelInSession], { PYTHONDONTWRITEBYTECODE: '1' });
  const report = parseSmokeOutput(smoke.output);
  const common = { wheelPath: outPath, wheelFilename: wheelName, ...(report ? { smoke: report } : {}) };
  if (smoke.exitCode !== 0)
    return done({ status: 'failure', phase: 'test', killed: smoke.killed, ...(smoke.killedBy ? { killedBy: smoke.killedBy } : {}), ...common });
  return done({ status: 'success', killed: false, ...common });
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
  async close(): Promise<string> {
    await new Promise<void>((resolve, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
    return this.chunks.join('');
  }
}
