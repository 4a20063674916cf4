import { relative, resolve, sep } from 'node:path';
import { git, gitOut } from '../../adapters/git.js';
import { RefineryError } from '../../errors.js';
import { packageOfFile } from '../../domain/state/layout.js';
import { loadState } from '../../domain/state/load.js';
import { withStateLock } from '../../domain/state/lock.js';
import { mergePackage } from '../../domain/state/merge.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../domain/state/types.js';
import { saveState } from '../../domain/state/write.js';
import { type CommitBackOptions, DEFAULT_COMMIT_ATTEMPTS, waitAfterRace } from './commit-common.js';

/** `stateDir` is inside the checkout; the lock is held from the first `git add` to the last push. */
export interface GitCommitOptions extends CommitBackOptions {
  /** The git checkout (any folder inside it). */
  repoDir: string;
  remote?: string;
  /** Branch to push to; default: the checked-out branch. */
  branch?: string;
  /** Used when git has no user.name/user.email configured (as on a fresh CI checkout). */
  identity?: { name: string; email: string };
}

export interface GitCommitOutcome {
  /** The pushed commit, or undefined when the state had nothing to commit. */
  commit: string | undefined;
  attempts: number;
}

const BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

/**
 * Commit the state folder and push it. When the push is rejected because someone else pushed
 * first: fetch, move the branch to their head (only if our unpushed commits touch nothing but
 * the state), merge our state into theirs (saved in the state folder), commit again, retry.
 * Bounded; never forces.
 */
export async function commitStateWithGit(o: GitCommitOptions): Promise<GitCommitOutcome> {
  return withStateLock(o.stateDir, () => commitLocked(o), { purpose: 'commit git', ...o.lock });
}

async function commitLocked(o: GitCommitOptions): Promise<GitCommitOutcome> {
  const remote = o.remote ?? 'origin';
  const max = o.maxAttempts ?? DEFAULT_COMMIT_ATTEMPTS;
  const log = o.log ?? (() => {});
  const top = await gitOut(o.repoDir, ['rev-parse', '--show-toplevel']);
  const stateRel = relative(top, resolve(o.stateDir)).split(sep).join('/');
  if (stateRel.startsWith('..') || stateRel === '') {
    throw new RefineryError('usage', `the state folder ${o.stateDir} is not inside the git checkout ${top}`, {
      fix: 'pass --state with a folder inside the repository',
    });
  }
  const branch = o.branch ?? (await gitOut(top, ['symbolic-ref', '--short', 'HEAD']).catch(() => ''));
  if (!branch) throw new RefineryError('usage', 'HEAD is detached and no branch was given', { fix: 'pass the branch to push to' });
  const env = await identityEnv(top, o.identity ?? BOT);

  for (let attempt = 1; attempt <= max; attempt++) {
    await git(top, ['add', '--all', '--', stateRel]);
    const staged = await git(top, ['diff', '--cached', '--quiet', '--', stateRel], { allowFail: true });
    if (staged.exitCode === 1) await git(top, ['commit', '--quiet', '--no-verify', '-m', o.message, '--', stateRel], { env });
    const head = await gitOut(top, ['rev-parse', 'HEAD']);
    const push = await git(top, ['push', '--porcelain', remote, `HEAD:refs/heads/${branch}`], { allowFail: true });
    if (push.exitCode === 0) {
      return { commit: staged.exitCode === 1 ? head : undefined, attempts: attempt };
    }
    if (!isRejected(push.stdout + push.stderr)) {
      throw new RefineryError('environment', `git push failed: ${(push.stderr || push.stdout).trim().split('\n').slice(-2).join(' / ')}`, {
        fix: 'check the remote URL and the push permission (contents: write) of the token',
      });
    }
    log(`push rejected (attempt ${attempt}/${max}): someone pushed first; re-merging the state onto their head`);
    await rebaseStateOnto(top, stateRel, o.stateDir, remote, branch, o.policy ?? DEFAULT_RETRY_POLICY);
    await waitAfterRace(o, attempt);
  }
  throw new RefineryError('conflict', `the state could not be pushed after ${max} attempts: the branch ${branch} keeps moving`, {
    fix: 'run record again later; every result it did not push is still in the results folder',
  });
}

function isRejected(out: string): boolean {
  return /\[rejected\]|non-fast-forward|fetch first|\(stale info\)|failed to update ref|cannot lock ref/i.test(out);
}

/** Move the branch to the remote head and lay our state (re-merged with theirs) over it. */
async function rebaseStateOnto(top: string, stateRel: string, stateDir: string, remote: string, branch: string, policy: RetryPolicy): Promise<void> {
  await git(top, ['fetch', '--quiet', remote, `refs/heads/${branch}`]);
  const theirs = await gitOut(top, ['rev-parse', 'FETCH_HEAD']);
  const touched = (await gitOut(top, ['log', '--format=', '--name-only', `${theirs}..HEAD`])).split('\n').filter(Boolean);
  const foreign = touched.filter((p) => p !== stateRel && !p.startsWith(`${stateRel}/`));
  if (foreign.length > 0) {
    throw new RefineryError('conflict', `unpushed local commits change files outside the state (${foreign.slice(0, 3).join(', ')})`, {
      fix: 'push or drop those commits first, or record with --commit none',
    });
  }
  const changedFiles = (await gitOut(top, ['diff', '--name-only', theirs, 'HEAD', '--', stateRel])).split('\n').filter(Boolean);
  const names = new Set(changedFiles.map((f) => packageOfFile(f.slice(stateRel.length + 1))?.name).filter((n): n is string => n !== undefined));
  const ours = await loadState(stateDir);
  // --keep refuses to touch files with uncommitted changes, so nothing of the user's is lost.
  await git(top, ['reset', '--quiet', '--keep', theirs]);
  const merged = await loadState(stateDir);
  for (const name of names) {
    const mine = ours.packages.get(name);
    if (!mine) continue;
    const other = merged.packages.get(name);
    merged.packages.set(name, other ? mergePackage(other, mine, policy) : mergePackage(mine, mine, policy));
  }
  await saveState(stateDir, merged, names);
}

async function identityEnv(top: string, id: { name: string; email: string }): Promise<Record<string, string>> {
  const email = await git(top, ['config', 'user.email'], { allowFail: true });
  const name = await git(top, ['config', 'user.name'], { allowFail: true });
  const env: Record<string, string> = {};
  if (email.exitCode !== 0 || !email.stdout.trim()) Object.assign(env, { GIT_AUTHOR_EMAIL: id.email, GIT_COMMITTER_EMAIL: id.email });
  if (name.exitCode !== 0 || !name.stdout.trim()) Object.assign(env, { GIT_AUTHOR_NAME: id.name, GIT_COMMITTER_NAME: id.name });
  return env;
}
