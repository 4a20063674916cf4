import type { PackageManager, Preset } from '../model/preset.js';
import type { Compiler } from '../model/compiler.js';
import type { TurboToolchain } from './turbo.js';

export type ExecutorKind = 'container' | 'native' | 'host';
export const EXECUTOR_KINDS: readonly ExecutorKind[] = ['container', 'native', 'host'];

/** Something this machine lacks for an executor, and the one thing to do about it. */
export interface EnvironmentProblem {
  what: string;
  fix: string;
}

export interface ExecOptions {
  /** Executor-side working directory. */
  cwd?: string;
  env?: Readonly<Record<string, string>>;
  /** The command (and, for containers, the container) is killed when it runs out. */
  timeoutMs?: number;
  onOutput?: (chunk: string) => void;
  /** Aborting kills the command the same way a timeout does (per-unit deadline). */
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  /** Killed by the timeout or the abort signal. */
  killed: boolean;
  durationMs: number;
  output: string;
  /**
   * How the command's processes were stopped, checked afterwards: `stopped` false when something
   * may still run (or it could not be checked). Absent when the executor cannot tell.
   */
  tree?: { stopped: boolean; how: string; notes: readonly string[] };
}

/** One attempt's environment: a fresh container, or a directory on this machine. */
export interface ExecutorSession {
  /** Where the host work directory is visible to commands (`/work` in a container). */
  readonly workDir: string;
  /** Scratch directory for throw-away environments (smoke-test venvs). */
  readonly scratchDir: string;
  /** How this session can install system packages; `none` means it cannot. */
  readonly packageManager: PackageManager;
  /** argv, never a shell string. */
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}

export interface OpenSessionOptions {
  /** Unique, name-safe (container name, log lines). */
  name: string;
  /** Host directory shared with the session: sources in, wheels out. */
  hostWorkDir: string;
  preset: Preset;
  /** Upper bound on the session's life: a container outliving a crashed refinery stops by itself. */
  maxLifetimeMs?: number;
  /** `turbo`: lend the executor's turbo toolchain to the session (only when `turbo()` has one). */
  compiler?: Compiler;
  /** Lend the executor's uv (`uv()`) to the session, emulated compilers or not. */
  uv?: boolean;
}

export interface Executor {
  readonly kind: ExecutorKind;
  /** Problems that stop builds with this preset here; empty when ready. */
  check(preset: Preset): Promise<EnvironmentProblem[]>;
  /** Image reference and digest (container), or a description of the interpreter (host/native). */
  identity(preset: Preset): Promise<{ image?: string; imageDigest?: string; fingerprint: string }>;
  /** How builds with this preset can install system packages here (`none`: they cannot). */
  packageManager(preset: Preset): PackageManager;
  /** Interpreter path for a Python minor version. */
  interpreter(preset: Preset, python: string): string;
  open(opts: OpenSessionOptions): Promise<ExecutorSession>;
  /** The turbo toolchain builds with this preset can use here; undefined: they compile emulated. */
  turbo?(preset: Preset): TurboToolchain | undefined;
  /**
   * The uv program a session opened with `uv: true` runs for the uv frontend (an executor-side
   * path) and its version; undefined: the session's own `uv` on PATH.
   */
  uv?(): { path: string; version: string } | undefined;
}
