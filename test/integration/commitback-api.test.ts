import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubClient } from '../../src/adapters/github-client.js';
import { record } from '../../src/stages/record/record.js';
import { makeResult, writeResults } from '../helpers/state-results.js';
import { runId } from '../../src/stages/record/results.js';
import { parseStateFiles } from '../../src/domain/state/index.js';
import { commitToFake, racingSpecs } from '../helpers/commit-back.js';
import { FakeGitHub } from '../helpers/fake-github.js';

const secondaryRateLimit = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'github', 'error-secondary-rate-limit.json'), 'utf8'));
const T0 = Date.parse('2026-04-01T00:00:00Z');
let root: string;
let gh: FakeGitHub;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-commitback-api-'));
  gh = await new FakeGitHub().start();
});
afterAll(async () => {
  await gh.stop();
  await rm(root, { recursive: true, force: true });
});

// Eight writers share one process here, so GitHub's write pacing (a second per write) is off for the race.
const client = () => githubClient({ token: gh.token, baseUrl: gh.url, retryAfterBaseValueMs: 5, throttle: false });

const specsFor = (w: number) => racingSpecs(w, T0);

describe('commit-back through the GitHub Git Data API', () => {
  it('8 concurrent writers land every attempt exactly once; stale refs (422) are re-merged, never forced', async () => {
    gh.seed('main', { 'README.md': 'wheels\n' }, 'initial');
    // A flaky server on the way: the retry plugin absorbs it.
    gh.inject({ method: 'POST', path: /\/git\/trees$/, status: 502, body: { message: 'Server Error' } });

    const outcomes = await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        const results = join(root, `results-${w}`);
        const state = join(root, `state-${w}`);
        await writeResults(results, specsFor(w));
        const rec = await record(results, state);
        return commitToFake(gh, state, rec, { octokit: client(), message: `record writer ${w}`, maxAttempts: 40 });
      }),
    );
    expect(outcomes.every((o) => o.commit)).toBe(true);
    expect(gh.log.some((l) => l.startsWith('PATCH') && l.endsWith(' 422'))).toBe(true);
    expect(gh.log.some((l) => l.startsWith('POST') && l.includes('/git/trees') && l.endsWith(' 502'))).toBe(true);

    const files = new Map([...gh.files('main')].filter(([p]) => p.startsWith('.refinery/')).map(([p, t]) => [p.slice('.refinery/'.length), t]));
    const state = parseStateFiles(files, (rel) => rel);
    const count = new Map<string, number>();
    for (const pkg of state.packages.values()) for (const h of pkg.history) count.set(`${h.run}#${h.attempt}`, (count.get(`${h.run}#${h.attempt}`) ?? 0) + 1);
    const expected = Array.from({ length: 8 }, (_, w) => specsFor(w))
      .flat()
      .map((s) => `${runId(makeResult(s))}#1`);
    expect([...count.keys()].sort()).toEqual([...new Set(expected)].sort());
    expect([...count.values()].every((n) => n === 1)).toBe(true);
    expect(state.packages.get('shared-lib')!.manifest).toHaveLength(8);
    // Fast-forward only: a straight line of 8 record commits on top of the seed.
    const commits = gh.commits('main');
    expect(commits).toHaveLength(9);
    expect(commits.every((c) => c.parents.length <= 1)).toBe(true);
    expect(gh.files('main').get('README.md')).toBe('wheels\n');
  });

  it('uploads nothing when the remote already holds the same state', async () => {
    const results = join(root, 'results-0');
    const rec = await record(results, join(root, 'state-0'));
    const before = gh.head('main');
    const again = await commitToFake(gh, join(root, 'state-0'), rec, { octokit: client(), message: 'again' });
    expect(again.commit).toBeUndefined();
    expect(gh.head('main')).toBe(before);
  });

  it('waits out a secondary rate limit with the throttling plugin on', async () => {
    const fake = await new FakeGitHub().start();
    try {
      fake.seed('main', { 'README.md': 'x\n' });
      fake.inject({ method: 'GET', path: /\/git\/ref\//, status: 403, headers: { 'retry-after': '1' }, body: secondaryRateLimit });
      const rec = await record(join(root, 'results-2'), join(root, 'state-rl'));
      const out = await commitToFake(fake, join(root, 'state-rl'), rec, { statePath: 'ci/state' });
      expect(out.commit).toBe(fake.head('main'));
      expect(fake.log.filter((l) => l.includes('/git/ref/')).map((l) => l.split(' ').pop())).toEqual(['403', '200']);
      expect([...fake.files('main').keys()].filter((p) => p.startsWith('ci/state/packages/'))).toHaveLength(3);
    } finally {
      await fake.stop();
    }
  });

  it('refuses to commit over a remote state that fails validation', async () => {
    const fake = await new FakeGitHub().start();
    try {
      fake.seed('main', {
        '.refinery/state.json': '{"schema":"refinery/state@1"}\n',
        '.refinery/packages/numpy.json': '{"schema":"refinery/package@1","name":"numpy"',
      });
      const results = join(root, 'results-1');
      const rec = await record(results, join(root, 'state-v'));
      const before = fake.head('main');
      await expect(commitToFake(fake, join(root, 'state-v'), rec)).rejects.toMatchObject({
        code: 'state',
        location: { file: expect.stringContaining('.refinery/packages/numpy.json') },
      });
      expect(fake.head('main')).toBe(before);
    } finally {
      await fake.stop();
    }
  });

  it('refuses a remote state file that is not UTF-8 rather than rewriting it as U+FFFD (issue 9)', async () => {
    const fake = await new FakeGitHub().start();
    try {
      const results = join(root, 'results-utf8');
      await writeResults(results, [{ pkg: 'numpy', version: '2.1.0', start: T0 }]);
      const rec = await record(results, join(root, 'state-utf8'));
      const header = '{"package":"numpy","schema":"refinery/history@1"}\n';
      fake.seed('main', {
        '.refinery/state.json': '{"schema":"refinery/state@1"}\n',
        '.refinery/history/numpy.jsonl': Buffer.concat([Buffer.from(header), Buffer.from([0x7b, 0xff, 0x7d, 0x0a])]),
      });
      const before = fake.head('main');
      await expect(commitToFake(fake, join(root, 'state-utf8'), rec)).rejects.toMatchObject({
        code: 'state',
        message: 'is not valid UTF-8',
        location: { file: expect.stringContaining('.refinery/history/numpy.jsonl'), line: 2 },
      });
      expect(fake.head('main')).toBe(before);
    } finally {
      await fake.stop();
    }
  });
});
