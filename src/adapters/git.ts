import { RefineryError } from '../errors.js';
import { run, type RunResult } from './process.js';

export interface GitOptions {
  env?: Record<string, string | undefined>;
  /** Return the result instead of throwing on a non-zero exit. */
  allowFail?: boolean;
  timeoutMs?: number;
}

/** Run git with an argument array (never a shell) in `cwd`. */
export async function git(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<RunResult> {
  let r: RunResult;
  try {
    r = await run('git', args, { cwd, env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...opts.env }, timeoutMs: opts.timeoutMs ?? 300_000 });
  } catch (e) {
    throw new RefineryError('environment', `cannot run git: ${(e as Error).message}`, { fix: 'install git and make sure it is on PATH', cause: e });
  }
  if (r.exitCode !== 0 && !opts.allowFail) {
    const detail = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' / ');
    throw new RefineryError('environment', `git ${args[0] ?? ''} failed (exit ${r.exitCode}): ${detail}`, { location: { file: cwd } });
  }
  return r;
}

export async function gitOut(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<string> {
  return (await git(cwd, args, opts)).stdout.trim();
}
