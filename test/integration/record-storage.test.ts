import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubClient } from '../../src/adapters/github-client.js';
import { record } from '../../src/stages/record/record.js';
import { findReusable, loadState, manifestFor } from '../../src/domain/state/index.js';
import { GitHubReleaseStore, LocalWheelStore, reuseWheel } from '../../src/domain/storage/index.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { makeResult, wheelContent, writeResults, type ResultSpec } from '../helpers/state-results.js';

const T0 = Date.parse('2026-06-01T00:00:00Z');
const spec: ResultSpec = { pkg: 'numpy', version: '2.2.0', start: T0 };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let root: string;
let gh: FakeGitHub;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-storage-'));
  gh = await new FakeGitHub().start();
  await writeResults(join(root, 'results'), [spec, { pkg: 'lxml', version: '5.0', start: T0, attempts: [{ status: 'failure' }] }]);
});
afterAll(async () => {
  await gh.stop();
  await rm(root, { recursive: true, force: true });
});

describe('cache reuse through a local wheel folder', () => {
  it('records where the wheel is stored and fetches it back for a unit with the same inputs', async () => {
    const store = new LocalWheelStore(join(root, 'wheelhouse'));
    await record(join(root, 'results'), join(root, 'state-local'), { store });
    const state = await loadState(join(root, 'state-local'));
    const fp = makeResult(spec).inputsFingerprint;
    expect(findReusable(state, fp)).toMatchObject({ filename: makeResult(spec).wheel!.filename, storage: { kind: 'local' } });
    const reused = await reuseWheel(state, fp, [store], join(root, 'fetched'));
    expect(sha(await readFile(reused!.path))).toBe(sha(wheelContent(spec)));
    expect(reused!.reason).toMatch(/same inputs/);
    expect(await reuseWheel(state, 'sha256:other', [store], join(root, 'fetched'))).toBeUndefined();
    expect(findReusable(state, makeResult({ ...spec, preset: 'other' }).inputsFingerprint)).toBeUndefined();
  });

  it('a wheel whose bytes do not match the result is refused', async () => {
    const dir = join(root, 'tampered');
    await writeResults(dir, [{ ...spec, version: '2.2.1' }]);
    const r = makeResult({ ...spec, version: '2.2.1' });
    // Same size, other bytes: only the sha256 can tell (a size change is refused before reading).
    await writeFile(join(dir, 'job-00000', r.wheel!.filename), 'x'.repeat(r.wheel!.size));
    await expect(record(dir, join(root, 'state-tampered'), { store: new LocalWheelStore(join(root, 'wh2')) })).rejects.toMatchObject({
      code: 'input',
      message: expect.stringMatching(/sha256 mismatch/),
    });
  });
});

describe('cache reuse through GitHub Release assets', () => {
  it('uploads once, reuses the asset for the same wheel, never overwrites a different one, downloads and verifies', async () => {
    const store = () =>
      new GitHubReleaseStore({ octokit: githubClient({ token: gh.token, baseUrl: gh.url, throttle: false }), owner: gh.owner, repo: gh.repo, tag: 'wheels' });
    await record(join(root, 'results'), join(root, 'state-gh-1'), { store: store() });
    await record(join(root, 'results'), join(root, 'state-gh-2'), { store: store() });
    const uploads = gh.log.filter((l) => l.startsWith('POST /uploads/'));
    expect(uploads).toEqual([`POST /uploads/repos/acme/wheels/releases/1000/assets 201`]);
    const s1 = await loadState(join(root, 'state-gh-1'));
    const s2 = await loadState(join(root, 'state-gh-2'));
    const [e1] = manifestFor(s1, 'numpy', '2.2.0');
    expect(e1!.storage).toMatchObject({ kind: 'github-release', location: `https://github.com/acme/wheels/releases/download/wheels/${e1!.filename}` });
    expect(manifestFor(s2, 'numpy', '2.2.0')[0]!.storage).toEqual(e1!.storage);

    // Same filename, different bytes (a non-reproducible rebuild): stored beside, not over.
    const other = join(root, 'results-other');
    await writeResults(other, [{ ...spec, start: T0 + 1 }]);
    await record(other, join(root, 'state-gh-3'), { store: store() });
    const [e3] = manifestFor(await loadState(join(root, 'state-gh-3')), 'numpy', '2.2.0');
    expect(e3!.storage.location).toMatch(new RegExp(`/${e3!.sha256.slice(0, 16)}-${e3!.filename}$`));

    const reused = await reuseWheel(s1, e1!.inputsFingerprint, [store()], join(root, 'fetched-gh'));
    expect(sha(await readFile(reused!.path))).toBe(e1!.sha256);
    expect(gh.log).toContain(`GET /repos/acme/wheels/releases/assets/${e1!.storage.assetId} 302`);
  });
});
