// What the commit-back tests share: the results of racing writers, and one API commit-back call.
import { githubClient } from '../../src/adapters/github-client.js';
import { type ApiCommitOptions, commitStateWithApi } from '../../src/stages/record/commit-api.js';
import type { RecordOutcome } from '../../src/stages/record/record.js';
import type { FakeGitHub } from './fake-github.js';
import type { ResultSpec } from './state-results.js';

/**
 * Writer w's results: numpy and shared-lib are shared with every other writer (same files, other
 * runs), own-w is its alone (with `own` as its attempts when given).
 */
export function racingSpecs(w: number, t0: number, own?: ResultSpec['attempts']): ResultSpec[] {
  return [
    {
      pkg: 'numpy',
      version: '2.1.0',
      python: `3.${10 + (w % 4)}`,
      start: t0 + w * 1000,
      runner: `w${w}`,
      attempts: [{ status: w % 2 ? 'failure' : 'success', failureClass: 'transient' }],
    },
    { pkg: 'shared-lib', version: `1.${w}.0`, start: t0 + w * 2000, runner: `w${w}` },
    { pkg: `own-${w}`, version: '0.1.0', start: t0 + w * 3000, runner: `w${w}`, ...(own ? { attempts: own } : {}) },
  ];
}

/** Commit what `record` left in `stateDir` to the fake's main branch through the API (overridable). */
export function commitToFake(fake: FakeGitHub, stateDir: string, rec: RecordOutcome, o: Partial<ApiCommitOptions> = {}) {
  return commitStateWithApi({
    octokit: githubClient({ token: fake.token, baseUrl: fake.url }),
    owner: fake.owner,
    repo: fake.repo,
    branch: 'main',
    stateDir,
    statePath: '.refinery',
    local: rec.state,
    packages: rec.packages,
    message: 'x',
    ...o,
  });
}
