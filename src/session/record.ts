import { join, relative, resolve, sep } from 'node:path';
import type { RefineryOctokit } from '../adapters/github.js';
import { withStateLock } from '../domain/state/lock.js';
import { GitHubReleaseStore, LocalWheelStore, parseStoreSpec, type StoreLocation } from '../domain/storage/index.js';
import type { WheelStore } from '../domain/storage/store.js';
import { RefineryError } from '../errors.js';
import { commitStateWithApi } from '../stages/record/commit-api.js';
import { commitStateWithGit } from '../stages/record/commit-git.js';
import { type RecordOutcome, record } from '../stages/record/record.js';
import type { Session } from './session.js';

/** Where recorded wheels are kept: `none`, `local:DIR` or `release:TAG` (GitHub release assets). */
export type StoreSpec = string;
export type CommitMode = 'none' | 'git' | 'api';

export interface GithubAccess {
  /** owner/name (default: $GITHUB_REPOSITORY). */
  repo?: string;
  /** API token (default: $GITHUB_TOKEN, else $GH_TOKEN). */
  token?: string;
  /** REST API base URL (default: $GITHUB_API_URL, else api.github.com). */
  apiUrl?: string;
}

export interface RecordRequest extends GithubAccess {
  /** The folder of result files (and their wheels and logs). */
  results: string;
  store: StoreSpec;
  commit: CommitMode;
  /** Branch to commit to (default: the checkout's, or $GITHUB_REF_NAME for the API). */
  branch?: string;
  message?: string;
  /** The state folder's path inside the repository (API commits; default: relative to cwd). */
  statePath?: string;
  /** Push attempts when others keep pushing (default 10). */
  maxAttempts?: number;
  /** How long to wait for another writer of the state folder (default 600 s). */
  lockWaitMs?: number;
  log?: (line: string) => void;
}

export interface RecordReport {
  outcome: RecordOutcome;
  commit?: { how: 'git' | 'api'; commit?: string; attempts: number };
}

function repoOf(session: Session, access: GithubAccess): { owner: string; repo: string } {
  const full = access.repo ?? session.env.GITHUB_REPOSITORY;
  const m = full ? /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(full) : null;
  if (!m)
    throw new RefineryError('usage', `need the repository as owner/name (got ${full ?? 'nothing'})`, {
      fix: 'pass --repo owner/name or set GITHUB_REPOSITORY',
    });
  return { owner: m[1]!, repo: m[2]! };
}

/** An Octokit for this session's repository, loaded only when a run talks to GitHub (it is slow to load). */
export function githubConnector(session: Session, access: GithubAccess, log?: (line: string) => void): () => Promise<RefineryOctokit> {
  let octokit: Promise<RefineryOctokit> | undefined;
  return () => {
    octokit ??= import('../adapters/github-client.js').then(({ githubClient }) =>
      githubClient({
        token: access.token ?? session.env.GITHUB_TOKEN ?? session.env.GH_TOKEN,
        baseUrl: access.apiUrl ?? session.env.GITHUB_API_URL,
        ...(log ? { log } : {}),
      }),
    );
    return octokit;
  };
}

/**
 * The wheel store a spec names. `local:DIR` is relative to cwd; `release:TAG` needs the repository
 * (and a token to upload). `defaultLocal` is what an absent spec means (`refinery run` keeps
 * wheels in the cache folder); without it an absent spec is `none`.
 */
export async function openStore(
  session: Session,
  spec: StoreSpec | undefined,
  o: GithubAccess & {
    defaultLocal?: string;
    github?: () => Promise<RefineryOctokit>;
    /** The kinds the caller can use (default all), and what to do instead of another. */
    kinds?: ReadonlyArray<StoreLocation['kind']>;
    fix?: string;
  } = {},
): Promise<WheelStore | undefined> {
  if (spec === undefined) return o.defaultLocal ? new LocalWheelStore(o.defaultLocal) : undefined;
  const parsed = parseStoreSpec(spec, session.cwd, o.kinds, o.fix);
  if (parsed.kind === 'none') return undefined;
  if (parsed.kind === 'local') return new LocalWheelStore(parsed.dir);
  const { owner, repo } = repoOf(session, o);
  const github = o.github ?? githubConnector(session, o);
  return new GitHubReleaseStore({ octokit: await github(), owner, repo, tag: parsed.tag });
}

/** The default local store of a session: built wheels kept in the cache folder for reuse. */
export function cacheStoreDir(session: Session): string {
  return join(session.cacheDir, 'wheels');
}

/**
 * Record a folder of results into the session's state and commit the state back (git or the
 * GitHub API), under one hold of the state folder's lock from the load to the last push, so
 * writers sharing the folder take turns. Both commit-backs leave the folder equal to what was pushed
 * (they save the merged state themselves).
 */
export async function recordResults(session: Session, r: RecordRequest): Promise<RecordReport> {
  const log = r.log ?? (() => {});
  const github = githubConnector(session, r, log);
  const store = await openStore(session, r.store, { ...r, github });
  const maxAttempts = r.maxAttempts ?? 10;
  const lock = { waitMs: r.lockWaitMs ?? 600_000, purpose: `record${r.commit === 'none' ? '' : ` --commit ${r.commit}`}`, log };
  const stateDir = session.stateDir;
  return withStateLock(
    stateDir,
    async () => {
      const outcome = await record(resolve(session.cwd, r.results), stateDir, store ? { store } : {});
      const message = r.message ?? `refinery: record ${outcome.results} build result(s) (${outcome.built} built, ${outcome.failed} failed)`;
      if (r.commit === 'git') {
        const c = await commitStateWithGit({ repoDir: session.cwd, stateDir, message, ...(r.branch ? { branch: r.branch } : {}), maxAttempts, log });
        return { outcome, commit: { how: 'git' as const, ...(c.commit ? { commit: c.commit } : {}), attempts: c.attempts } };
      }
      if (r.commit === 'api') {
        const { owner, repo } = repoOf(session, r);
        const branch = r.branch ?? session.env.GITHUB_REF_NAME;
        if (!branch) throw new RefineryError('usage', '--commit api needs --branch (or GITHUB_REF_NAME)');
        if (!r.token && !session.env.GITHUB_TOKEN && !session.env.GH_TOKEN)
          throw new RefineryError('usage', '--commit api needs GITHUB_TOKEN in the environment', {
            fix: 'pass the workflow token: env: GITHUB_TOKEN: ${{ github.token }} with permissions contents: write',
          });
        const statePath = r.statePath ?? relative(session.cwd, stateDir).split(sep).join('/');
        if (!statePath || statePath.startsWith('..'))
          throw new RefineryError('usage', 'cannot tell where the state folder is inside the repository', { fix: 'pass --state-path, e.g. .refinery' });
        const c = await commitStateWithApi({
          octokit: await github(),
          owner,
          repo,
          branch,
          stateDir,
          statePath,
          local: outcome.state,
          packages: outcome.packages,
          message,
          maxAttempts,
          log,
        });
        return { outcome, commit: { how: 'api' as const, ...(c.commit ? { commit: c.commit } : {}), attempts: c.attempts } };
      }
      return { outcome };
    },
    lock,
  );
}
