/**
 * PEP 658 for wheels kept as GitHub release assets: the release store (against the GitHub API
 * stand-in, through the real Octokit) uploads the wheel's METADATA as `<wheel>.metadata` beside it
 * and records its sha256 in the storage reference; the state keeps it through a save and a load,
 * and the published index points pip at it (`data-core-metadata`, `data-requires-python`).
 * Python's zipfile, not our reader, says what the METADATA bytes are.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubClient } from '../../src/adapters/github-client.js';
import { loadState, saveState, type StorageRef } from '../../src/domain/state/index.js';
import { GitHubReleaseStore } from '../../src/domain/storage/index.js';
import { publishSite } from '../../src/stages/publish/index.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { attemptFor, DEMO_DISTS, stateOf } from '../helpers/publish-fixtures.js';
import { pytoolsBin } from '../helpers/pytools.js';

const exec = promisify(execFile);
const WHEEL = 'idna-3.10-py3-none-any.whl';
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
let root: string;
let gh: FakeGitHub;

const octokit = () => githubClient({ token: gh.token, baseUrl: gh.url, throttle: false });
const store = () => new GitHubReleaseStore({ octokit: octokit(), owner: gh.owner, repo: gh.repo, tag: 'wheels' });
const stored = async (file: string) => {
  const data = await readFile(file);
  return { filename: WHEEL, sha256: sha(data), size: data.length };
};

async function assets(): Promise<Map<string, Buffer>> {
  const o = octokit();
  const release = (await o.rest.repos.getReleaseByTag({ owner: gh.owner, repo: gh.repo, tag: 'wheels' })).data;
  const out = new Map<string, Buffer>();
  for (const a of release.assets) {
    const res = await o.rest.repos.getReleaseAsset({ owner: gh.owner, repo: gh.repo, asset_id: a.id, headers: { accept: 'application/octet-stream' } });
    out.set(a.name, Buffer.from(res.data as unknown as ArrayBuffer));
  }
  return out;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-release-metadata-'));
  gh = await new FakeGitHub().start();
});
afterAll(async () => {
  await gh?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('PEP 658 metadata for release-store wheels', () => {
  let ref: StorageRef;

  it('the store uploads the METADATA beside the wheel and records its sha256 and Requires-Python', async () => {
    const wheel = join(DEMO_DISTS, WHEEL);
    ref = await store().put(wheel, await stored(wheel));
    const oracle = await exec(pytoolsBin('python'), [
      '-c',
      'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("idna-3.10.dist-info/METADATA"))',
      wheel,
    ]);
    const have = await assets();
    expect([...have.keys()].sort()).toEqual([WHEEL, `${WHEEL}.metadata`]);
    expect(have.get(`${WHEEL}.metadata`)!.toString('utf8')).toBe(oracle.stdout);
    expect(ref).toMatchObject({
      kind: 'github-release',
      location: `https://github.com/acme/wheels/releases/download/wheels/${WHEEL}`,
      metadata: { sha256: sha(have.get(`${WHEEL}.metadata`)!), requiresPython: '>=3.6' },
    });
  });

  it('a second record of the same wheel uploads nothing and gives the same reference', async () => {
    const uploads = gh.log.filter((l) => l.startsWith('POST /uploads/')).length;
    const wheel = join(DEMO_DISTS, WHEEL);
    expect(await store().put(wheel, await stored(wheel))).toEqual(ref);
    expect(gh.log.filter((l) => l.startsWith('POST /uploads/')).length).toBe(uploads);
  });

  it('the state keeps the reference, and the index links the asset with its metadata hash', async () => {
    const data = await readFile(join(DEMO_DISTS, WHEEL));
    const entry = {
      name: 'idna',
      version: '3.10',
      filename: WHEEL,
      tags: ['py3-none-any'],
      targets: ['cp312-manylinux_2_28_s390x'],
      variant: 'py3',
      sha256: sha(data),
      size: data.length,
      preset: 'manylinux_2_28',
      executor: 'container' as const,
      builtAt: '2026-06-01T10:00:00.000Z',
      inputsFingerprint: 'sha256:idna',
      unit: 'idna-3.10-py3-manylinux_2_28',
      run: '0123456789abcdef',
      sdist: { filename: 'idna-3.10.tar.gz', sha256: 'a'.repeat(64) },
      storage: ref,
    };
    const dir = join(root, 'state');
    await saveState(dir, stateOf({ name: 'idna', manifest: [entry], history: [attemptFor(entry)] }));
    const state = await loadState(dir);
    expect(state.packages.get('idna')!.manifest[0]!.storage).toEqual(ref);
    const out = join(root, 'site');
    await publishSite(state, out, {});
    const html = await readFile(join(out, 'simple/idna/index.html'), 'utf8');
    expect(html).toContain(`href="${ref.location}#sha256=${entry.sha256}"`);
    expect(html).toContain(`data-core-metadata="sha256=${ref.metadata!.sha256}"`);
    expect(html).toContain('data-requires-python="&gt;=3.6"');
    const json = JSON.parse(await readFile(join(out, 'simple/idna/index.json'), 'utf8'));
    expect(json.files[0]).toMatchObject({ 'core-metadata': { sha256: ref.metadata!.sha256 }, 'requires-python': '>=3.6' });
    // The metadata lives beside the release asset, not on the site.
    await expect(readFile(join(out, `files/${entry.sha256.slice(0, 16)}/${WHEEL}.metadata`))).rejects.toThrow();
  });

  it('a wheel whose METADATA cannot be read is stored without a metadata file, and listed without the attribute', async () => {
    const bogus = join(root, 'idna-3.11-py3-none-any.whl');
    await writeFile(bogus, 'not a zip');
    const r = await store().put(bogus, { filename: 'idna-3.11-py3-none-any.whl', sha256: sha('not a zip'), size: 9 });
    expect(r.metadata).toBeUndefined();
    expect([...(await assets()).keys()]).not.toContain('idna-3.11-py3-none-any.whl.metadata');
  });
});
