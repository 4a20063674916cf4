import { createHash } from 'node:crypto';
import { httpStatus, type RefineryOctokit } from '../../adapters/github.js';
import { decodeUtf8, FileRefusedError } from '../../adapters/untrusted.js';
import { excerpt, RefineryError } from '../../errors.js';
import { historyFile, HISTORY_DIR, MARKER_FILE, packageFile, packageOfFile, PACKAGES_DIR } from '../../domain/state/layout.js';
import { mapLimit, parseStateFiles } from '../../domain/state/load.js';
import { withStateLock } from '../../domain/state/lock.js';
import { mergePackage } from '../../domain/state/merge.js';
import { stateFiles } from '../../domain/state/serialize.js';
import { DEFAULT_RETRY_POLICY, type State } from '../../domain/state/types.js';
import { saveState } from '../../domain/state/write.js';
import { type CommitBackOptions, DEFAULT_COMMIT_ATTEMPTS, waitAfterRace } from './commit-common.js';

/** `stateDir` is this machine's copy; it is written with the merged packages before returning. */
export interface ApiCommitOptions extends CommitBackOptions {
  octokit: RefineryOctokit;
  owner: string;
  repo: string;
  branch: string;
  /** The state folder inside the repository, e.g. `.refinery`. */
  statePath: string;
  /** Our state; only `packages` of it are pushed (the ones this record changed). */
  local: State;
  packages: readonly string[];
}

export interface ApiCommitOutcome {
  /** The new head, or undefined when the remote already held everything. */
  commit: string | undefined;
  attempts: number;
  /** The pushed packages as merged with the remote's (also saved in `stateDir`). */
  merged: State;
}

/** The id git gives a file's content; equal ids mean nothing to upload. */
export function gitBlobSha(text: string): string {
  const data = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

/**
 * Commit the changed packages through the Git Data API, with no checkout: read the head, merge our
 * packages into the head's, make a tree on the head's tree holding the changed files and a
 * commit on the head, then move the branch without force. When the branch moved meanwhile
 * (422 "Update is not a fast forward"), start over from the new head. Bounded. The merged
 * packages (other writers' facts included) are saved in `stateDir`, as the git commit-back leaves
 * them in its checkout, so the local folder equals what the branch holds.
 */
export async function commitStateWithApi(o: ApiCommitOptions): Promise<ApiCommitOutcome> {
  return withStateLock(
    o.stateDir,
    async () => {
      const outcome = await commitLocked(o);
      await saveState(o.stateDir, outcome.merged, outcome.merged.packages.keys());
      return outcome;
    },
    { purpose: 'commit api', ...o.lock },
  );
}

async function commitLocked(o: ApiCommitOptions): Promise<ApiCommitOutcome> {
  const max = o.maxAttempts ?? DEFAULT_COMMIT_ATTEMPTS;
  const log = o.log ?? (() => {});
  const { octokit, owner, repo } = o;
  const statePath = o.statePath.replace(/^\.?\/+|\/+$/g, '');
  for (let attempt = 1; attempt <= max; attempt++) {
    const head = (await octokit.rest.git.getRef({ owner, repo, ref: `heads/${o.branch}` })).data.object.sha;
    const baseTree = (await octokit.rest.git.getCommit({ owner, repo, commit_sha: head })).data.tree.sha;
    const remoteShas = await stateBlobShas(o, baseTree, statePath);

    const wanted = [MARKER_FILE, ...o.packages.flatMap((n) => [packageFile(n), historyFile(n)])].filter((rel) => remoteShas.has(rel));
    const where = (rel: string) => `${owner}/${repo}@${head.slice(0, 12)}:${statePath}/${rel}`;
    const texts = await mapLimit(wanted, 8, async (rel) => {
      const blob = (await octokit.rest.git.getBlob({ owner, repo, file_sha: remoteShas.get(rel)! })).data;
      return strictText(Buffer.from(blob.content, blob.encoding === 'base64' ? 'base64' : 'utf8'), where(rel));
    });
    const remoteFiles = new Map(wanted.map((rel, i) => [rel, texts[i]!]));
    const remote = parseStateFiles(remoteFiles, where);

    const merged: State = { packages: new Map() };
    for (const name of o.packages) {
      const mine = o.local.packages.get(name);
      if (!mine) continue;
      const theirs = remote.packages.get(name);
      merged.packages.set(name, mergePackage(theirs ?? mine, mine, o.policy ?? DEFAULT_RETRY_POLICY));
    }
    const changed = [...stateFiles(merged)].filter(([rel, text]) => remoteShas.get(rel) !== gitBlobSha(text));
    if (changed.length === 0) return { commit: undefined, attempts: attempt, merged };

    // File contents go inline in the tree request: one write however many files changed
    // (GitHub spaces writes about a second apart, so one blob request per file would not scale).
    const entries = changed.map(([rel, content]) => ({ path: `${statePath}/${rel}`, mode: '100644' as const, type: 'blob' as const, content }));
    const tree = (await octokit.rest.git.createTree({ owner, repo, base_tree: baseTree, tree: entries })).data.sha;
    const commit = (await octokit.rest.git.createCommit({ owner, repo, message: o.message, tree, parents: [head] })).data.sha;
    try {
      await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${o.branch}`, sha: commit, force: false });
      return { commit, attempts: attempt, merged };
    } catch (e) {
      if (httpStatus(e) !== 422) throw e;
      log(`branch ${o.branch} moved (attempt ${attempt}/${max}); re-reading the head and re-merging`);
      await waitAfterRace(o, attempt);
    }
  }
  throw new RefineryError('conflict', `the state could not be committed after ${max} attempts: the branch ${o.branch} keeps moving`, {
    fix: 'run record again later; every result it did not push is still in the results folder',
  });
}

/** Blob ids of the state files at `tree` (relative to the state folder); empty when there is none yet. */
async function stateBlobShas(o: ApiCommitOptions, tree: string, statePath: string): Promise<Map<string, string>> {
  const { octokit, owner, repo } = o;
  let sha: string = tree;
  for (const part of statePath.split('/').filter(Boolean)) {
    const res = await octokit.rest.git.getTree({ owner, repo, tree_sha: sha });
    const next: string | undefined = res.data.tree.find((e) => e.path === part && e.type === 'tree')?.sha;
    if (!next) return new Map();
    sha = next;
  }
  const data = (await octokit.rest.git.getTree({ owner, repo, tree_sha: sha, recursive: 'true' })).data;
  if (data.truncated) {
    throw new RefineryError('state', `GitHub truncated the listing of ${statePath} (too many files)`, {
      fix: 'record with --commit git from a checkout instead',
    });
  }
  // The remote state is untrusted like a local one: each part of its kind, no links.
  for (const e of data.tree) {
    const file = e.path === MARKER_FILE || (e.path !== undefined && packageOfFile(e.path) !== undefined);
    const folder = e.path === PACKAGES_DIR || e.path === HISTORY_DIR;
    const kind = e.mode === '120000' ? 'symbolic link' : e.type === 'tree' ? 'folder' : e.type === 'blob' ? 'regular file' : String(e.type);
    if ((file && kind !== 'regular file') || (folder && kind !== 'folder')) {
      throw new RefineryError('state', `is a ${kind}, expected ${file ? 'a regular file' : 'a folder'}`, {
        location: { file: `${owner}/${repo}@${tree.slice(0, 12)}:${statePath}/${excerpt(e.path!, 80).slice(1, -1)}` },
        fix: 'fix the state folder on the branch (restore it from an earlier commit)',
      });
    }
  }
  return new Map(data.tree.filter((e) => e.type === 'blob' && e.path && e.sha).map((e) => [e.path!, e.sha!]));
}

/** Strict UTF-8, as for local state files: invalid bytes are refused, never read as U+FFFD. */
function strictText(data: Buffer, file: string): string {
  try {
    return decodeUtf8(data, file);
  } catch (e) {
    if (!(e instanceof FileRefusedError)) throw e;
    throw new RefineryError('state', e.message, {
      location: { file, ...(e.line ? { line: e.line } : {}) },
      fix: 'restore the file on the branch from an earlier commit',
    });
  }
}
