import { randomBytes } from 'node:crypto';
import { execa, type Options as ExecaOptions } from 'execa';
import { readFile } from 'node:fs/promises';
import { haveProc, type Isolation, pidNamespacePrefix, pipeInodes, type ProcInfo, stopTree, TREE_MARKER_VAR, treeMembers } from './process-tree.js';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /**
   * Start from this process's environment and lay `env` over it (the default, for tools refinery
   * runs itself: docker, git, uv). False: the child sees exactly `env` (builds: package code).
   */
  extendEnv?: boolean;
  /** Milliseconds; the whole process tree is killed when it runs out. */
  timeoutMs?: number;
  input?: string;
  /** Called with each chunk of combined output as it arrives (for live logs). */
  onOutput?: (chunk: string) => void;
  signal?: AbortSignal;
  /**
   * Package build code: the command runs as its own tree (process group, PID namespace when the
   * machine allows, a marker variable in its environment) that is stopped as a whole on timeout
   * or abort, and once the command exits, whatever it left behind is stopped too.
   */
  tree?: TreeOptions;
}

export interface TreeOptions {
  /**
   * After the command exits, how long its output may stay open (a daemon it left holds it)
   * before the leftovers are killed; also how long a process of the tree may stay an unreaped
   * zombie while its parent waits for output that a leftover holds (pip reading a backend's
   * output until EOF). Default 10 s.
   */
  outputGraceMs?: number;
  /** How often the tree is looked at for that (default 1 s). */
  pollMs?: number;
  /** False: no PID namespace even where one could be made (process group and marker only). */
  pidNamespace?: boolean;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in arrival order. */
  all: string;
  timedOut: boolean;
  durationMs: number;
  /** Tree mode only: how the tree was stopped, checked afterwards. */
  tree?: TreeReport;
}

export interface TreeReport {
  isolation: Isolation;
  /** Nothing of the tree is alive any more (checked in /proc; false where it cannot be checked). */
  stopped: boolean;
  /** Processes still alive after the kill. */
  left: number[];
  /** Processes the command left behind (after it exited or while its output was held) that were killed. */
  leftovers: number;
  /** Lines for the log saying what was done to the tree. */
  notes: string[];
}

/**
 * Run a program with an argument array. There is no shell anywhere on this path: package names,
 * versions and log lines are passed as single argv entries and can never be interpreted.
 */
/** What every child gets: an argument array and no shell, its output kept, its own process group. */
function childOptions(opts: RunOptions, env: RunOptions['env']): ExecaOptions {
  return {
    cwd: opts.cwd,
    env,
    extendEnv: opts.extendEnv ?? true,
    reject: false,
    all: true,
    stripFinalNewline: false,
    shell: false,
    input: opts.input,
    // Detached: a timeout or cancel kills the whole process group, not just the direct child.
    detached: true,
  };
}

export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  if (opts.tree) return runTree(file, args, opts, opts.tree);
  const started = Date.now();
  const options: ExecaOptions = {
    ...childOptions(opts, opts.env),
    cancelSignal: opts.signal,
    forceKillAfterDelay: 5_000,
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
  };
  const child = execa(file, args, options);
  if (opts.onOutput && child.all) {
    child.all.setEncoding('utf8');
    child.all.on('data', (chunk: string) => opts.onOutput?.(chunk));
  }
  const killGroup = () => {
    if (child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // group already gone
      }
    }
  };
  const r = await child;
  if (r.timedOut || r.isCanceled) killGroup();
  return {
    exitCode: typeof r.exitCode === 'number' ? r.exitCode : -1,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    all: String(r.all ?? ''),
    timedOut: Boolean(r.timedOut),
    durationMs: Date.now() - started,
  };
}

async function runTree(file: string, args: readonly string[], opts: RunOptions, t: TreeOptions): Promise<RunResult> {
  const started = Date.now();
  const grace = t.outputGraceMs ?? 10_000;
  const pollMs = t.pollMs ?? 1_000;
  const marker = randomBytes(12).toString('hex');
  const prefix = t.pidNamespace === false ? undefined : await pidNamespacePrefix();
  const isolation: Isolation = prefix ? 'pid-namespace' : 'process-group';
  const argv = prefix ? [...prefix, file, ...args] : [file, ...args];
  const notes: string[] = [];
  let leftovers = 0;
  const child = execa(argv[0]!, argv.slice(1), childOptions(opts, { ...opts.env, [TREE_MARKER_VAR]: marker }));
  const pgrp = child.pid;
  if (opts.onOutput && child.all) {
    child.all.setEncoding('utf8');
    child.all.on('data', (chunk: string) => opts.onOutput?.(chunk));
  }

  let timedOut = false;
  let stopping: Promise<TreeReport> | undefined;
  let exited = false;
  const stop = (why: string): Promise<TreeReport> => {
    stopping ??= (async () => {
      if (pgrp === undefined) return { isolation, stopped: true, left: [], leftovers, notes };
      const afterExit = exited;
      const s = await stopTree(pgrp, marker);
      if (afterExit && s.killed > 0) {
        leftovers += s.killed;
        notes.push(`${s.killed} process(es) the command left running were stopped (${why})`);
      }
      return { isolation, stopped: s.stopped, left: s.left, leftovers, notes };
    })();
    return stopping;
  };

  const timer = opts.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        void stop('timeout');
      }, opts.timeoutMs)
    : undefined;
  const onAbort = () => void stop('cancelled');
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });

  // While it runs: a process that exited but is not reaped for the grace period, whose parent
  // sleeps reading a pipe that other processes of the tree hold open, means the parent waits for
  // output a leftover holds (pip reads its backend's output until EOF): those holders are
  // killed, the waiting chain is spared and carries on. Nothing else is touched.
  const zombieSince = new Map<number, number>();
  const watchdog =
    pgrp !== undefined && haveProc
      ? setInterval(() => {
          void (async () => {
            if (stopping || exited) return;
            const members = await treeMembers(pgrp, marker);
            const byPid = new Map(members.map((p) => [p.pid, p]));
            const now = Date.now();
            for (const z of members.filter((p) => p.state === 'Z')) {
              const first = zombieSince.get(z.pid) ?? now;
              zombieSince.set(z.pid, first);
              const parent = byPid.get(z.ppid);
              if (now - first < grace || stopping || exited || !parent || parent.state === 'Z') continue;
              if (!/pipe/.test(await readFile(`/proc/${parent.pid}/wchan`, 'utf8').catch(() => ''))) continue;
              const pipes = await pipeInodes(parent.pid);
              const spare = new Set<number>([z.pid]);
              for (let p: ProcInfo | undefined = parent; p && !spare.has(p.pid); p = byPid.get(p.ppid)) spare.add(p.pid);
              const holders: number[] = [];
              for (const p of members) {
                if (spare.has(p.pid) || p.state === 'Z') continue;
                if ((await pipeInodes(p.pid)).some((i) => pipes.includes(i))) holders.push(p.pid);
              }
              if (holders.length === 0) continue;
              // Said live (the log is being written), not again in the notes.
              opts.onOutput?.(
                `\n[refinery] process ${z.pid} exited ${Math.round((now - first) / 1000)} s ago but ${holders.length} process(es) it left behind still hold its output open, so its parent waited: stopped them\n`,
              );
              for (const pid of holders) {
                try {
                  process.kill(pid, 'SIGKILL');
                } catch {
                  // gone
                }
              }
              leftovers += holders.length;
              zombieSince.delete(z.pid);
            }
          })();
        }, pollMs)
      : undefined;

  // After the command exits its output may stay open (a daemon holds it): bounded, then kill.
  let outputTimer: NodeJS.Timeout | undefined;
  child.once('exit', () => {
    exited = true;
    outputTimer = setTimeout(() => {
      void stop('its output was still open').then(() => {
        // Someone outside the tree (or unkillable) still holds the pipes: stop reading.
        setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, 2_000).unref();
      });
    }, grace);
  });

  let r: Awaited<typeof child>;
  try {
    r = await child;
  } finally {
    if (timer) clearTimeout(timer);
    if (watchdog) clearInterval(watchdog);
    if (outputTimer) clearTimeout(outputTimer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  // Whatever it left behind goes too (in a PID namespace the kernel already did it).
  const report = await stop('after it exited');
  // Said when it matters: something was left, or a kill could not be checked (no /proc).
  if (!report.stopped && (report.left.length > 0 || timedOut || opts.signal?.aborted)) report.notes.push(notStoppedNote(report, isolation));
  return {
    exitCode: typeof r.exitCode === 'number' ? r.exitCode : -1,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    all: String(r.all ?? ''),
    timedOut,
    durationMs: Date.now() - started,
    tree: report,
  };
}

function notStoppedNote(r: TreeReport, isolation: Isolation): string {
  if (r.left.length > 0) return `${r.left.length} process(es) of the tree could not be stopped: pid ${r.left.join(', ')}`;
  return `the tree could not be checked on this system (${isolation}): processes that left the process group may still run`;
}

/** True when `file` can be executed (found on `env`'s PATH, or the process's, or as a path). */
export async function available(file: string, args: readonly string[] = ['--version'], env?: Record<string, string | undefined>): Promise<boolean> {
  try {
    const r = await run(file, args, { timeoutMs: 20_000, ...(env ? { env } : {}) });
    return r.exitCode === 0;
  } catch {
    return false;
  }
}
