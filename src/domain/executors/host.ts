import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { run, type TreeOptions } from '../../adapters/process.js';
import { allowlistedEnv } from './environment.js';
import type { PackageManager, Preset } from '../model/preset.js';
import { interpreterFor } from '../presets/load.js';
import type { EnvironmentProblem, ExecOptions, ExecResult, Executor, ExecutorSession, OpenSessionOptions } from './types.js';

export interface ProcessExecutorOptions {
  /** Interpreter to build with (host executor), e.g. `python3` or an absolute path. */
  python?: string;
  /** This machine's architecture (process.arch style). */
  hostArch: string;
  /** Native only: a package manager the build may call (runs as the current user; needs root). */
  packageManager?: PackageManager;
  /**
   * The environment builds pick the allowlisted variables from (default: this process's): PATH,
   * HOME, locale, TMPDIR, proxies and CA bundles. Nothing else; what refinery.yml's
   * `build.passEnv` names comes with the build's own env (BuildOptions.passEnv).
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** How build trees are stopped (tests shorten the output grace). */
  tree?: TreeOptions;
}

/**
 * Runs commands as child processes of this machine, each as its own tree (process group, PID
 * namespace where the machine allows) that a timeout or cancel stops as a whole, with an
 * allowlisted environment.
 */
abstract class ProcessExecutor implements Executor {
  abstract readonly kind: 'host' | 'native';
  constructor(protected readonly opts: ProcessExecutorOptions) {}

  abstract check(preset: Preset): Promise<EnvironmentProblem[]>;
  abstract interpreter(preset: Preset, python: string): string;

  /** This machine's package manager is not the preset's: only what the options allow. */
  packageManager(): PackageManager {
    return this.opts.packageManager ?? 'none';
  }

  async identity(preset: Preset) {
    const py = this.interpreter(preset, Object.keys(preset.python)[0] ?? '3');
    const v = await run(py, ['-c', 'import sys, platform; print(sys.version.split()[0], platform.machine())'], { timeoutMs: 30_000 }).catch(() => undefined);
    return { fingerprint: `${this.kind}:${v?.stdout.trim() ?? 'unknown'}` };
  }

  async open(o: OpenSessionOptions): Promise<ExecutorSession> {
    const scratch = join(o.hostWorkDir, 'scratch');
    await mkdir(scratch, { recursive: true });
    const base = allowlistedEnv(this.opts.env ?? process.env);
    return new ProcessSession(o.hostWorkDir, scratch, this.opts.packageManager ?? 'none', base, this.opts.tree ?? {});
  }
}

class ProcessSession implements ExecutorSession {
  constructor(
    readonly workDir: string,
    readonly scratchDir: string,
    readonly packageManager: PackageManager,
    private readonly baseEnv: Readonly<Record<string, string>>,
    private readonly tree: TreeOptions,
  ) {}

  async exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const [file, ...args] = argv;
    if (!file) throw new Error('empty command');
    const started = Date.now();
    try {
      const r = await run(file, args, {
        cwd: opts.cwd ?? this.workDir,
        // Exactly this environment: the CLI's own (tokens, keys) never reaches package code.
        env: { ...this.baseEnv, ...opts.env },
        extendEnv: false,
        timeoutMs: opts.timeoutMs,
        onOutput: opts.onOutput,
        signal: opts.signal,
        tree: this.tree,
      });
      const t = r.tree;
      return {
        exitCode: r.exitCode,
        killed: r.timedOut || Boolean(opts.signal?.aborted),
        durationMs: Date.now() - started,
        output: r.all,
        ...(t ? { tree: { stopped: t.stopped, how: t.isolation === 'pid-namespace' ? 'PID namespace' : 'process group', notes: t.notes } } : {}),
      };
    } catch (e) {
      // execa reports a missing program as an error, not an exit code: make it a failed command.
      const msg = `refinery: cannot run ${file}: ${(e as Error).message}\n`;
      opts.onOutput?.(msg);
      return { exitCode: 127, killed: Boolean(opts.signal?.aborted), durationMs: Date.now() - started, output: msg };
    }
  }

  async close(): Promise<void> {}
}

/** This machine's own Python: fast pipeline tests; the wheels are for this machine, not s390x. */
export class HostExecutor extends ProcessExecutor {
  readonly kind = 'host' as const;

  interpreter(): string {
    return this.opts.python ?? 'python3';
  }

  async check(): Promise<EnvironmentProblem[]> {
    const py = this.interpreter();
    const r = await run(py, ['-m', 'pip', '--version'], { timeoutMs: 30_000 }).catch(() => undefined);
    if (r?.exitCode !== 0) return [{ what: `${py} with pip is not available`, fix: 'install Python 3 with pip, or pass --python PATH' }];
    return [];
  }
}

/** An s390x machine (e.g. IBM's ubuntu-24.04-s390x runners): the preset's interpreters, no emulation. */
export class NativeExecutor extends ProcessExecutor {
  readonly kind = 'native' as const;

  interpreter(preset: Preset, python: string): string {
    return this.opts.python ?? interpreterFor(preset, python);
  }

  async check(preset: Preset): Promise<EnvironmentProblem[]> {
    if (this.opts.hostArch !== 's390x') {
      return [{ what: `this machine is ${this.opts.hostArch}, not s390x`, fix: 'use --executor container (QEMU) here, or run on an s390x runner' }];
    }
    const py = this.opts.python ?? Object.values(preset.python)[0] ?? 'python3';
    const r = await run(py, ['-m', 'pip', '--version'], { timeoutMs: 30_000 }).catch(() => undefined);
    if (r?.exitCode !== 0)
      return [{ what: `${py} with pip is not available`, fix: `install it, or pass --python PATH, or use --executor container on this s390x machine` }];
    return [];
  }
}
