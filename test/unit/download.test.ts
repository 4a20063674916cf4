/**
 * The one verified download (src/adapters/download.ts), against a real loopback index: what it
 * places is what was hashed and counted, a sha256 or size that differs from what was published is
 * one error naming the file (never the credentials in its URL), and nothing partial is left. The
 * index client (with and without its cache) and the build's sdist fetch go through it.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyVerified, downloadVerified, verifyBytes } from '../../src/adapters/download.js';
import { HttpClient } from '../../src/adapters/http.js';
import { IndexClient } from '../../src/domain/package-index/index.js';
import { fetchSdist } from '../../src/stages/builder/fetch.js';
import { FixtureIndexServer, syntheticProjects } from '../helpers/index-server.js';
import { errorOf } from '../helpers/errors.js';

let work: string;
let server: FixtureIndexServer;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-download-'));
  server = await FixtureIndexServer.start({ projects: syntheticProjects(1, { versions: 1 }) });
});
afterEach(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function servedFile() {
  const client = new IndexClient({ indexes: [{ url: server.url }] });
  const file = (await client.getProject('synthetic-0000')).files[0]!;
  const body = await (await new HttpClient().get(file.url)).body;
  return { client, file, body };
}

describe('downloadVerified', () => {
  it('places the file when its sha256 and size match, and returns the sha256', async () => {
    const { file, body } = await servedFile();
    const dest = join(work, 'out', file.filename);
    await expect(downloadVerified(new HttpClient(), file.url, dest, { sha256: file.sha256, size: body.length })).resolves.toBe(sha(body));
    expect(await readFile(dest)).toEqual(body);
    expect(await readdir(join(work, 'out'))).toEqual([file.filename]);
  });

  it('refuses a size other than the published one, leaving nothing, naming the URL without its credentials', async () => {
    const { file, body } = await servedFile();
    const withCreds = file.url.replace('http://', 'http://alice:s3cret@');
    const e = await errorOf(downloadVerified(new HttpClient(), withCreds, join(work, 'out', 'f'), { size: body.length + 1 }));
    expect(e.code).toBe('index');
    expect(e.message).toBe(`size mismatch for ${file.url}: the index says ${body.length + 1} bytes, the file has ${body.length}`);
    expect(e.message + e.fix).not.toMatch(/alice|s3cret/);
    expect(await readdir(join(work, 'out'))).toEqual([]);
  });

  it('refuses a sha256 other than the published one (upper-case hex compares equal)', async () => {
    const { file, body } = await servedFile();
    await expect(downloadVerified(new HttpClient(), file.url, join(work, 'ok'), { sha256: sha(body).toUpperCase() })).resolves.toBe(sha(body));
    const e = await errorOf(downloadVerified(new HttpClient(), file.url, join(work, 'out', 'f'), { sha256: 'f'.repeat(64) }));
    expect(e.message).toBe(`sha256 mismatch for ${file.url}: the index says ${'f'.repeat(64)}, the file is ${sha(body)}`);
    expect(await readdir(join(work, 'out'))).toEqual([]);
  });
});

describe('copyVerified and verifyBytes', () => {
  it('copies a local file verified, and refuses a changed one without leaving a copy', async () => {
    const src = join(work, 'src.tar.gz');
    await writeFile(src, 'sdist bytes');
    const good = await copyVerified(src, join(work, 'dest', 'a.tar.gz'), { sha256: sha(Buffer.from('sdist bytes')), size: 11 });
    expect(good).toEqual({ sha256: sha(Buffer.from('sdist bytes')), size: 11 });
    const e = await errorOf(copyVerified(src, join(work, 'dest', 'b.tar.gz'), { size: 12 }, { name: 'b.tar.gz', source: 'the plan', fix: 'plan again' }));
    expect(e.message).toBe('size mismatch for b.tar.gz: the plan says 12 bytes, the file has 11');
    expect(e.fix).toBe('plan again');
    expect(await readdir(join(work, 'dest'))).toEqual(['a.tar.gz']);
  });

  it('checks bytes in memory the same way', () => {
    const data = Buffer.from('Metadata-Version: 2.1\n');
    expect(verifyBytes(data, { sha256: sha(data), size: data.length }, { name: 'm' })).toEqual({ sha256: sha(data), size: data.length });
    expect(() => verifyBytes(data, { sha256: '0'.repeat(64) }, { name: 'x.whl.metadata' })).toThrow(
      /^sha256 mismatch for x\.whl\.metadata: the index says 0{64}/,
    );
  });
});

describe('its users', () => {
  it('the index client refuses a published size that does not match, without and with its cache', async () => {
    const { file, body } = await servedFile();
    const lying = { ...file, size: body.length - 1 };
    const plain = await errorOf(new IndexClient({ indexes: [{ url: server.url }] }).download(lying, join(work, 'plain')));
    expect(plain.message).toMatch(/^size mismatch for .*: the index says \d+ bytes, the file has \d+$/);
    expect(await readdir(join(work, 'plain'))).toEqual([]);
    const cached = new IndexClient({ indexes: [{ url: server.url }], cacheDir: join(work, 'cache') });
    expect(await errorOf(cached.download(lying, join(work, 'cached')))).toMatchObject({ message: plain.message });
    // Requests: the look in servedFile, the plain client, the cached client twice (the lying size
    // stored nothing); the third cached download is served from the cache.
    await cached.download(file, join(work, 'cached'));
    await cached.download(file, join(work, 'again'));
    expect(await readFile(join(work, 'again', file.filename))).toEqual(body);
    expect(server.counters.byPath[new URL(file.url).pathname]).toBe(4);
  });

  it("the build's sdist fetch names the sdist and the plan, over http and from a path", async () => {
    const { file, body } = await servedFile();
    const src = join(work, 'local.tar.gz');
    await writeFile(src, body);
    for (const url of [file.url, src]) {
      const e = await errorOf(fetchSdist({ filename: 'synthetic-0000.tar.gz', url, sha256: '0'.repeat(64) }, join(work, 'sdist')));
      expect(e.message).toBe(`sha256 mismatch for synthetic-0000.tar.gz: the plan says ${'0'.repeat(64)}, the file is ${sha(body)}`);
      expect(e.fix).toMatch(/re-run scan\/plan/);
      expect(await readdir(join(work, 'sdist'))).toEqual([]);
    }
    await expect(fetchSdist({ filename: 'synthetic-0000.tar.gz', url: src, sha256: sha(body) }, join(work, 'sdist'))).resolves.toMatchObject({
      sha256: sha(body),
    });
  });
});
