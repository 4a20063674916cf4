import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/adapters/http-cache.js';
import { PagePack } from '../../src/adapters/page-pack.js';
import { IndexClient, SIMPLE_ACCEPT } from '../../src/domain/package-index/index.js';
import { FixtureIndexServer, syntheticProjects, type ServedProject } from '../helpers/index-server.js';
import { startForwardProxy } from '../helpers/proxy-server.js';
import { errorOf } from '../helpers/errors.js';

const servers: FixtureIndexServer[] = [];
let work: string;

async function serve(projects: ServedProject[], opts: Parameters<typeof FixtureIndexServer.start>[0] = {}): Promise<FixtureIndexServer> {
  const s = await FixtureIndexServer.start({ projects, ...opts });
  servers.push(s);
  return s;
}

function client(...urls: string[]): IndexClient {
  return new IndexClient({ indexes: urls.map((url) => ({ url })), httpOptions: { sleep: async () => undefined, maxAttempts: 2 } });
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-index-client-'));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await rm(work, { recursive: true, force: true });
});

/** A small .tar.gz sdist with the given members under `<stem>/`. */
async function sdist(stem: string, members: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const ended = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const [name, content] of Object.entries(members)) pack.entry({ name: `${stem}/${name}` }, content);
  pack.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks));
}

describe('getProject', () => {
  it('asks for the normalized name with PEP 691 content negotiation', async () => {
    const s = await serve(syntheticProjects(1));
    const p = await client(s.url).getProject('Synthetic_0000');
    expect(p.found).toBe(true);
    expect(p.name).toBe('synthetic-0000');
    expect(s.log[0]).toMatchObject({ path: '/simple/synthetic-0000/', accept: SIMPLE_ACCEPT });
    expect(p.sources).toEqual([{ index: s.url, format: 'json' }]);
    expect(p.versions).toEqual(['1.0.0', '1.1.0', '1.2.0']);
    expect(p.files).toHaveLength(9);
    expect(p.files[0]).toMatchObject({ filename: 'synthetic_0000-1.0.0.tar.gz', requiresPython: '>=3.8', yanked: false, index: s.url });
  });

  it('reads the same files from JSON and from HTML', async () => {
    const json = await serve(syntheticProjects(1), { format: 'json' });
    const html = await serve(syntheticProjects(1), { format: 'html' });
    const a = await client(json.url).getProject('synthetic-0000');
    const b = await client(html.url).getProject('synthetic-0000');
    expect(b.sources[0]?.format).toBe('html');
    const strip = (files: typeof a.files) => files.map(({ index: _i, url, size: _s, ...rest }) => ({ ...rest, path: new URL(url).pathname }));
    expect(strip(b.files)).toEqual(strip(a.files));
  });

  it('merges files from the primary and extra indexes, primary first, like pip', async () => {
    const [one] = syntheticProjects(1, { versions: 1 });
    const primary = await serve([{ name: one!.name, files: one!.files.slice(0, 1) }]);
    const extra = await serve([{ name: one!.name, files: one!.files.slice(1) }, ...syntheticProjects(2).slice(1)]);
    const c = client(primary.url, extra.url);
    const p = await c.getProject('synthetic-0000');
    expect(p.files.map((f) => [f.filename, f.index])).toEqual([
      ['synthetic_0000-1.0.0.tar.gz', primary.url],
      ['synthetic_0000-1.0.0-py3-none-any.whl', extra.url],
      ['synthetic_0000-1.0.0-cp312-cp312-manylinux_2_17_s390x.manylinux2014_s390x.whl', extra.url],
    ]);
    const onlyExtra = await c.getProject('synthetic-0001');
    expect(onlyExtra.found).toBe(true);
    expect(onlyExtra.sources.map((x) => x.index)).toEqual([extra.url]);
  });

  it('reports an unknown project as found: false, not an error', async () => {
    const s = await serve(syntheticProjects(1));
    const p = await client(s.url).getProject('does-not-exist');
    expect(p).toMatchObject({ found: false, files: [], versions: [] });
  });

  it('shows yanked files with their reason', async () => {
    const s = await serve(syntheticProjects(1));
    s.setYanked('synthetic_0000-1.1.0.tar.gz', 'broken build');
    const p = await client(s.url).getProject('synthetic-0000');
    expect(p.files.find((f) => f.filename === 'synthetic_0000-1.1.0.tar.gz')?.yanked).toBe('broken build');
  });

  it('fails with one index error naming the URL on a malformed HTML page', async () => {
    const s = await serve(syntheticProjects(1));
    s.addFault({ path: '/simple/', fault: { kind: 'malformed', contentType: 'text/html', body: 'Internal proxy garbage' } });
    const e = await errorOf(client(s.url).getProject('synthetic-0000'));
    expect(e.code).toBe('index');
    expect(e.message).toContain(`${s.url}synthetic-0000/`);
    expect(e.message).toContain('no HTML markup');
  });

  it('fails with one index error on malformed JSON and on an unknown content type', async () => {
    const s = await serve(syntheticProjects(1));
    s.addFault({ path: '/simple/', fault: { kind: 'malformed', contentType: 'application/vnd.pypi.simple.v1+json', body: '{"meta": {' } });
    expect((await errorOf(client(s.url).getProject('synthetic-0000'))).message).toContain('does not parse');
    s.addFault({ path: '/simple/', fault: { kind: 'malformed', contentType: 'application/pdf', body: '%PDF' } });
    expect((await errorOf(client(s.url).getProject('synthetic-0000'))).message).toContain('unexpected content type "application/pdf"');
  });

  it('asks for credentials on 401, uses user:password@ from the index URL, and keeps it out of file URLs', async () => {
    const s = await serve(syntheticProjects(1), { auth: { username: 'u', password: 'p@ss' } });
    const e = await errorOf(client(s.url).getProject('synthetic-0000'));
    expect(e.message).toContain('HTTP 401');
    expect(e.fix).toContain('credentials');
    const withCreds = s.url.replace('http://', 'http://u:p%40ss@');
    const c = client(withCreds);
    const p = await c.getProject('synthetic-0000');
    expect(p.found).toBe(true);
    expect(p.files.every((f) => !f.url.includes('p%40ss') && !f.url.includes('u:'))).toBe(true);
    expect(JSON.stringify(p)).not.toContain('p%40ss');
    // The file download carries the credentials by host.
    const path = await c.download(p.files[0]!, work);
    expect(existsSync(path)).toBe(true);
  });

  it('goes to the network only for stale pages when a cache directory is given', async () => {
    const s = await serve(syntheticProjects(1), { cacheMaxAge: 600 });
    const c = new IndexClient({ indexes: [{ url: s.url }], cacheDir: join(work, 'cache') });
    await c.getProject('synthetic-0000');
    c.forget();
    await c.getProject('synthetic-0000');
    expect(s.counters.requests).toBe(1);
    expect(c.http.stats).toMatchObject({ requests: 1, cacheHits: 1 });
  });

  it('keeps the parsed page, not the page, in the cache: a later run gets the same answer from it', async () => {
    const s = await serve(syntheticProjects(2), { cacheMaxAge: 0 });
    const cacheDir = join(work, 'cache');
    const fresh = () => new IndexClient({ indexes: [{ url: s.url }], cacheDir });
    const c = fresh();
    const first = await c.getProject('synthetic-0000');
    c.saveCache();
    const entries = [...PagePack.load(join(cacheDir, 'pages.pack'))!.entries()];
    expect(entries).toHaveLength(1);
    const { meta, data } = entries[0]![1] as { meta: { derived: string; head: { releases: [string, number][] } }; data: Buffer };
    expect(meta.derived).toMatch(/^project-page-/);
    // grouped by release, each parsed only when asked for: the header is JSON, the releases bytes
    expect(meta.head.releases.map((r) => r[0])).toEqual(['1.0.0', '1.1.0', '1.2.0']);
    expect(meta.head.releases.reduce((n, r) => n + r[1], 0)).toBe(data.length);
    expect((await fresh().getRelease('synthetic-0000', '1.1.0')).map((f) => f.filename)).toEqual(
      first.files.filter((f) => f.filename.includes('-1.1.0')).map((f) => f.filename),
    );
    // A second client (a second run) gets the same project from the pack after a 304.
    expect(await fresh().getProject('synthetic-0000')).toEqual(first);
    expect(s.log.at(-1)?.status).toBe(304);
    // A changed page replaces the entry, parsed form included.
    s.setYanked('synthetic_0000-1.0.0.tar.gz', 'broken build');
    const changed = await fresh().getProject('synthetic-0000');
    expect(changed.files.find((f) => f.filename === 'synthetic_0000-1.0.0.tar.gz')?.yanked).toBe('broken build');
  });

  it('answers a release at once (no request, no promise) when the page of every index is fresh in the cache or known', async () => {
    const fresh = await serve(syntheticProjects(2), { cacheMaxAge: 600 });
    const other = await serve(syntheticProjects(2, { versions: 1 }), { cacheMaxAge: 600 });
    const cacheDir = join(work, 'cache');
    const open = () => new IndexClient({ indexes: [{ url: fresh.url }, { url: other.url }], cacheDir });
    const first = open();
    expect(first.releaseNow('synthetic-0000', '1.0.0')).toBeUndefined(); // nothing cached, nothing known
    const want = await first.getRelease('synthetic-0000', '1.0.0');
    const from = want.map((f) => f.index);
    expect(from.indexOf(other.url)).toBeGreaterThan(0); // primary first
    expect(from.lastIndexOf(fresh.url)).toBeLessThan(from.indexOf(other.url));
    expect(first.releaseNow('Synthetic_0000', '1.0.0')).toEqual(want); // known now
    first.saveCache();
    const second = open();
    expect(second.releaseNow('synthetic-0000', '1.0.0')).toEqual(want);
    expect(second.releaseNow('synthetic-0001', '1.0.0')).toBeUndefined(); // never fetched: the async way
    expect(second.http.stats.requests).toBe(0);
    // One index's page stale: nothing at once; getRelease revalidates it and remembers the pages.
    const stale = await serve(syntheticProjects(1), { cacheMaxAge: 0 });
    const mixed = () => new IndexClient({ indexes: [{ url: fresh.url }, { url: stale.url }], cacheDir });
    const m1 = mixed();
    const both = await m1.getRelease('synthetic-0000', '1.0.0');
    m1.saveCache();
    const m2 = mixed();
    expect(m2.releaseNow('synthetic-0000', '1.0.0')).toBeUndefined();
    expect(await m2.getRelease('synthetic-0000', '1.0.0')).toEqual(both);
    expect(stale.log.map((r) => r.status)).toEqual([200, 304]);
    expect(m2.releaseNow('synthetic-0000', '1.0.0')).toEqual(both);
  });

  it('remembers answers for its lifetime, concurrent callers included, until forget()', async () => {
    const s = await serve(syntheticProjects(1));
    const c = client(s.url);
    const [a, b] = await Promise.all([c.getProject('synthetic-0000'), c.getProject('Synthetic.0000')]);
    expect(b).toEqual(a);
    expect(s.counters.requests).toBe(1);
    s.setYanked('synthetic_0000-1.0.0.tar.gz', 'gone');
    c.forget('synthetic-0000');
    expect((await c.getProject('synthetic-0000')).files[0]?.yanked).toBe('gone');
  });

  it('says what to do when the proxy asks for credentials (407)', async () => {
    const s = await serve(syntheticProjects(1));
    const proxy = await startForwardProxy({ auth: { username: 'corp', password: 'pw' } });
    try {
      const c = new IndexClient({ indexes: [{ url: s.url }], httpOptions: { env: { HTTP_PROXY: proxy.url } } });
      const err = await errorOf(c.getProject('synthetic-0000'));
      expect(err.message).toContain('the proxy asks for credentials (HTTP 407)');
      expect(err.fix).toContain('HTTPS_PROXY=http://user:password@proxy:port');
      const ok = new IndexClient({ indexes: [{ url: s.url }], httpOptions: { env: { HTTP_PROXY: proxy.url.replace('//', '//corp:pw@') } } });
      expect((await ok.getProject('synthetic-0000')).found).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('does not remember failures', async () => {
    const s = await serve(syntheticProjects(1));
    s.addFault({ fault: { kind: 'status', status: 500 }, times: 2 });
    const c = client(s.url);
    expect((await errorOf(c.getProject('synthetic-0000'))).message).toContain('HTTP 500');
    expect((await c.getProject('synthetic-0000')).found).toBe(true);
  });
});

describe('download', () => {
  it('downloads and verifies sha256, from the cache the second time', async () => {
    const s = await serve(syntheticProjects(1));
    const c = new IndexClient({ indexes: [{ url: s.url }], cacheDir: join(work, 'cache') });
    const file = (await c.getProject('synthetic-0000')).files[0]!;
    const path = await c.download(file, join(work, 'a'));
    expect(sha256(await readFile(path))).toBe(file.sha256);
    await c.download(file, join(work, 'b'));
    expect(s.counters.byPath[`/files/${file.filename}`]).toBe(1);
  });

  it('removes the file and says so when the sha256 does not match', async () => {
    const [p] = syntheticProjects(1, { versions: 1 });
    p!.files[0]!.sha256 = '0'.repeat(64);
    const s = await serve([p!]);
    const c = client(s.url);
    const file = (await c.getProject('synthetic-0000')).files[0]!;
    const e = await errorOf(c.download(file, join(work, 'dl')));
    expect(e.code).toBe('index');
    expect(e.message).toContain('sha256 mismatch');
    expect(e.message).toContain(file.filename);
    expect(await readdir(join(work, 'dl'))).toEqual([]);
  });

  it('refuses a file name that is a path', async () => {
    const s = await serve(syntheticProjects(1));
    const e = await errorOf(
      client(s.url).download({ filename: '../evil.whl', url: `${s.origin}/files/x`, index: s.url, yanked: false, metadata: false }, work),
    );
    expect(e.message).toContain('refusing to write');
  });
});

describe('metadata and build requirements', () => {
  const pkgInfo = (version: string, extra = '') => `Metadata-Version: ${version}\nName: demo\nVersion: 1.0\nRequires-Dist: six\n${extra}\n`;

  async function demo(members: Record<string, string>): Promise<{ c: IndexClient; s: FixtureIndexServer }> {
    const body = await sdist('demo-1.0', members);
    const s = await serve([{ name: 'demo', files: [{ filename: 'demo-1.0.tar.gz', body }] }]);
    return { c: client(s.url), s };
  }
  const sdistFile = async (c: IndexClient) => (await c.getProject('demo')).files[0]!;

  it('takes Requires-Dist from a Metadata 2.2 PKG-INFO as final', async () => {
    const { c } = await demo({ 'PKG-INFO': pkgInfo('2.2') });
    const m = await c.getMetadata(await sdistFile(c));
    expect(m).toMatchObject({ source: 'sdist', dynamic: false });
    expect(m.metadata.requiresDist).toEqual(['six']);
  });

  it('reports dynamic for Metadata 2.1 and for Dynamic: Requires-Dist', async () => {
    const a = await demo({ 'PKG-INFO': pkgInfo('2.1') });
    expect((await a.c.getMetadata(await sdistFile(a.c))).dynamic).toBe(true);
    const b = await demo({ 'PKG-INFO': pkgInfo('2.4', 'Dynamic: Requires-Dist') });
    expect((await b.c.getMetadata(await sdistFile(b.c))).dynamic).toBe(true);
  });

  it("reads [build-system] requires, with pip's default when absent", async () => {
    const a = await demo({ 'PKG-INFO': pkgInfo('2.1'), 'pyproject.toml': '[build-system]\nrequires = ["hatchling>=1.20", "cython"]\n' });
    expect(await a.c.getBuildRequires(await sdistFile(a.c))).toEqual(['hatchling>=1.20', 'cython']);
    const b = await demo({ 'PKG-INFO': pkgInfo('2.1') });
    expect(await b.c.getBuildRequires(await sdistFile(b.c))).toEqual(['setuptools>=40.8.0']);
    const c = await demo({ 'PKG-INFO': pkgInfo('2.1'), 'pyproject.toml': '[tool.black]\nline-length = 100\n' });
    expect(await c.c.getBuildRequires(await sdistFile(c.c))).toEqual(['setuptools>=40.8.0']);
  });

  it('reports a broken pyproject.toml as an input error naming the member', async () => {
    const a = await demo({ 'PKG-INFO': pkgInfo('2.1'), 'pyproject.toml': '[build-system\nrequires = [' });
    const e1 = await errorOf(a.c.getBuildRequires(await sdistFile(a.c)));
    expect(e1.code).toBe('input');
    expect(e1.message).toContain('demo-1.0.tar.gz!demo-1.0/pyproject.toml is not valid TOML');
    const b = await demo({ 'PKG-INFO': pkgInfo('2.1'), 'pyproject.toml': '[build-system]\nbuild-backend = "x"\n' });
    expect((await errorOf(b.c.getBuildRequires(await sdistFile(b.c)))).message).toContain('no "requires" key');
  });

  it('checks the PEP 658 metadata file against its hash', async () => {
    const s = await serve(syntheticProjects(1, { versions: 1 }));
    const c = client(s.url);
    const wheel = (await c.getProject('synthetic-0000')).files.find((f) => f.filename.endsWith('none-any.whl'))!;
    const ok = await c.getMetadata(wheel);
    expect(ok).toMatchObject({ source: 'pep658', dynamic: false });
    expect(ok.metadata.name).toBe('synthetic-0000');
    c.forget();
    s.addFault({
      path: '.metadata',
      fault: { kind: 'malformed', contentType: 'application/octet-stream', body: 'Metadata-Version: 2.1\nName: evil\nVersion: 6.6.6\n' },
    });
    const e = await errorOf(c.getMetadata(wheel));
    expect(e.message).toContain('sha256 mismatch');
    expect(e.message).toContain('.metadata');
  });
});
