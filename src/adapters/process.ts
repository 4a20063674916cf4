import { execa, type Options as ExecaOptions } from 'execa';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Milliseconds; the whole process tree is killed when it runs out. */
  timeoutMs?: number;
  input?: string;
  /** Called with each chunk of combined output as it arrives (for live logs). */
  onOutput?: (chunk: string) => void;
  signal?: AbortSignal;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in arrival order. */
  all: string;
  timedOut: boolean;
  durationMs: number;
}

/**
 * Run a program with an argument array. There is no shell anywhere on this path: package names,
 * versions and log lines are passed as single argv entries and can never be interpreted.
 */
export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const options: ExecaOptions = {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: true,
    reject: false,
    all: true,
    stripFinalNewline: false,
    shell: false,
    input: opts.input,
    cancelSignal: opts.signal,
    // Detached so a timeout can kill the whole process group, not just the direct child.
    detached: true,
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

/** True when `file` can be executed (found on `env`'s PATH, or the process's, or as a path). */
export async function available(file: string, args: readonly string[] = ['--version'], env?: Record<string, string | undefined>): Promise<boolean> {
  try {
    const r = await run(file, args, { timeoutMs: 20_000, ...(env ? { env } : {}) });
    return r.exitCode === 0;
  } catch {
    return false;
  }
}
