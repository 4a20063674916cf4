/**
 * Both commit-backs end the same way, in the library: after a lost race (someone else committed
 * the same package first) the local state folder holds the merged state that was committed, and
 * the wait before the retry comes from the one backoff (COMMIT_BACKOFF). The git one runs against
 * a real bare repository, the API one against the fake GitHub with the real Octokit; no CLI code.
 */
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/adapters/backoff.js';
import { git } from '../../src/adapters/git.js';
import { githubClient } from '../../src/adapters/github-client.js';
import { loadState } from '../../src/domain/state/index.js';
import { COMMIT_BACKOFF } from '../../src/stages/record/commit-common.js';
import { commitStateWithGit } from '../../src/stages/record/commit-git.js';
import { record } from '../../src/stages/record/record.js';
import { runId } from '../../src/stages/record/results.js';
import { commitToFake } from '../helpers/commit-back.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { makeResult, type ResultSpec, writeResults } from '../helpers/state-results.js';

const T0 = Date.parse('2026-05-01T00:00:00Z');
const FIRST: ResultSpec = { pkg: 'numpy', version: '2.1.0', python: '3.11', start: T0, runner: 'first' };
const SECOND: ResultSpec = { pkg: 'numpy', version: '2.1.0', python: '3.12', start: T0 + 5000, runner: 'second' };
const STATE_FILES = ['packages/numpy.json', 'history/numpy.jsonl'];
const runsOf = async (stateDir: string) => ((await loadState(stateDir)).packages.get('numpy')?.history ?? []).map((h) => h.run).sort();
const bothRuns = [runId(makeResult(FIRST)), runId(makeResult(SECOND))].sort();

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-commit-same-end-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Record one result into `stateDir` (from a results folder of its own). */
async function recordOne(spec: ResultSpec, stateDir: string): Promise<Awaited<ReturnType<typeof record>>> {
  const results = await mkdtemp(join(root, 'results-'));
  await writeResults(results, [spec]);
  return record(results, stateDir);
}

/** A sleep that records what it was asked to wait, and does not wait. */
function recordedSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

describe('both commit-backs leave the merged state in the local folder', () => {
  it('git: after a rejected push the checkout holds what was pushed, both runs included', async () => {
    const remote = join(root, 'remote.git');
    await git(root, ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
    const clone = async (name: string) => {
      const dir = join(root, name);
      await git(root, ['clone', '--quiet', remote, dir]);
      await git(dir, ['config', 'user.name', name]);
      await git(dir, ['config', 'user.email', `${name}@example.invalid`]);
      return dir;
    };
    const first = await clone('git-first');
    await writeFile(join(first, 'README.md'), 'wheels\n');
    await git(first, ['add', 'README.md']);
    await git(first, ['commit', '--quiet', '-m', 'initial']);
    await git(first, ['push', '--quiet', 'origin', 'HEAD:refs/heads/main']);
    const second = await clone('git-second');

    await recordOne(FIRST, join(first, '.refinery'));
    await commitStateWithGit({ repoDir: first, stateDir: join(first, '.refinery'), message: 'first' });
    await recordOne(SECOND, join(second, '.refinery'));
    const { waits, sleep } = recordedSleep();
    const out = await commitStateWithGit({ repoDir: second, stateDir: join(second, '.refinery'), message: 'second', random: () => 0, sleep });

    expect(out.attempts).toBe(2);
    expect(waits).toEqual([backoffDelayMs(1, COMMIT_BACKOFF, () => 0)]);
    expect(await runsOf(join(second, '.refinery'))).toEqual(bothRuns);
    const check = await clone('git-check');
    for (const rel of STATE_FILES) {
      expect(await readFile(join(second, '.refinery', rel), 'utf8')).toBe(await readFile(join(check, '.refinery', rel), 'utf8'));
    }
  });

  it('API: after a lost race (a real 422: the branch moved) the state folder holds what was committed, both runs included', async () => {
    const gh = await new FakeGitHub().start();
    try {
      gh.seed('main', { 'README.md': 'wheels\n' });
      const client = () => githubClient({ token: gh.token, baseUrl: gh.url, throttle: false });
      const commit = (
        octokit: ReturnType<typeof client>,
        stateDir: string,
        rec: Awaited<ReturnType<typeof record>>,
        extra: { random?: () => number; sleep?: (ms: number) => Promise<void> } = {},
      ) => commitToFake(gh, stateDir, rec, { octokit, ...extra });
      const firstDir = join(root, 'api-first');
      const first = await recordOne(FIRST, firstDir);
      const secondDir = join(root, 'api-second');
      const second = await recordOne(SECOND, secondDir);
      expect(await runsOf(secondDir)).toEqual([runId(makeResult(SECOND))]);

      // The first writer commits while the second is between making its commit and moving the
      // branch, so the second's ref update is refused as not a fast forward, as GitHub does.
      const octokit = client();
      let raced = false;
      octokit.hook.before('request', async (options) => {
        if (raced || options.method !== 'PATCH') return;
        raced = true;
        await commit(client(), firstDir, first);
      });
      const { waits, sleep } = recordedSleep();
      const out = await commit(octokit, secondDir, second, { random: () => 0, sleep });

      expect(gh.log.filter((l) => l.startsWith('PATCH')).map((l) => l.split(' ').pop())).toEqual(['200', '422', '200']);
      expect(out.attempts).toBe(2);
      expect(out.commit).toBe(gh.head('main'));
      expect(waits).toEqual([backoffDelayMs(1, COMMIT_BACKOFF, () => 0)]);
      // The folder was written by commitStateWithApi itself: the first writer's run is in it now.
      expect(await runsOf(secondDir)).toEqual(bothRuns);
      const remote = gh.files('main');
      for (const rel of STATE_FILES) expect(await readFile(join(secondDir, rel), 'utf8')).toBe(remote.get(`.refinery/${rel}`));
    } finally {
      await gh.stop();
    }
  });

  it('API: a remote that already holds everything still leaves the merged state locally', async () => {
    const gh = await new FakeGitHub().start();
    try {
      gh.seed('main', { 'README.md': 'wheels\n' });
      const a = join(root, 'noop-a');
      const recA = await recordOne(FIRST, a);
      const b = join(root, 'noop-b');
      const recB = await recordOne(SECOND, b);
      await commitToFake(gh, a, recA);
      await commitToFake(gh, b, recB);
      // A again: its own run is on the remote already, B's is new to it.
      const again = await commitToFake(gh, a, { ...recA, state: await loadState(a) });
      expect(again.commit).toBeUndefined();
      expect(await runsOf(a)).toEqual(bothRuns);
    } finally {
      await gh.stop();
    }
  });
});
