import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Derivation, entryKey, HttpCache, sha256 } from '../../src/adapters/http-cache.js';
import { PagePack } from '../../src/adapters/page-pack.js';
import { HttpClient } from '../../src/adapters/http.js';
import { RefineryError } from '../../src/errors.js';
import { FixtureIndexServer, syntheticProjects, type IndexServerOptions } from '../helpers/index-server.js';

let server: FixtureIndexServer;
let dir: string;
let clock: number;

async function setup(opts: IndexServerOptions = {}): Promise<{ http: HttpClient; cache: HttpCache }> {
  server = await FixtureIndexServer.start({ projects: syntheticProjects(2), ...opts });
  const http = new HttpClient({ sleep: async () => undefined });
  return { http, cache: new HttpCache(dir, http, { now: () => clock }) };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refinery-cache-test-'));
  clock = Date.parse('2026-01-01T00:00:00Z');
});
afterEach(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const ACCEPT = { accept: 'application/vnd.pypi.simple.v1+json' };
const page = () => `${server.url}synthetic-0000/`;

describe('page cache', () => {
  it('serves a fresh entry (within max-age) without sending anything', async () => {
    const { http, cache } = await setup({ cacheMaxAge: 600 });
    const first = await cache.get(page(), ACCEPT);
    expect(first.source).toBe('network');
    clock += 599_000;
    const second = await cache.get(page(), ACCEPT);
    expect(second.source).toBe('fresh');
    expect(second.body.equals(first.body)).toBe(true);
    expect(server.counters.requests).toBe(1);
    expect(http.stats).toMatchObject({ requests: 1, cacheHits: 1 });
  });

  it('revalidates a stale entry with If-None-Match and If-Modified-Since, and a 304 is a hit', async () => {
    const { http, cache } = await setup({ cacheMaxAge: 600 });
    const first = await cache.get(page(), ACCEPT);
    clock += 601_000;
    const second = await cache.get(page(), ACCEPT);
    expect(second.source).toBe('revalidated');
    expect(second.body.equals(first.body)).toBe(true);
    expect(server.log[1]).toMatchObject({ conditional: true, status: 304 });
    expect(http.stats).toMatchObject({ requests: 2, conditionalRequests: 1, notModified: 1, cacheHits: 1 });
    // The 304 renewed the entry: fresh again for another max-age.
    clock += 300_000;
    expect((await cache.get(page(), ACCEPT)).source).toBe('fresh');
  });

  it('gets the new page when it changed upstream', async () => {
    const { cache } = await setup({ cacheMaxAge: 0 });
    await cache.get(page(), ACCEPT);
    server.setYanked('synthetic_0000-1.0.0.tar.gz', 'broken');
    const again = await cache.get(page(), ACCEPT);
    expect(again.source).toBe('network');
    expect(again.body.toString()).toContain('broken');
  });

  it('revalidates every time when the server sends no max-age', async () => {
    const { cache } = await setup({ cacheMaxAge: null });
    await cache.get(page(), ACCEPT);
    expect((await cache.get(page(), ACCEPT)).source).toBe('revalidated');
    expect(server.counters).toMatchObject({ requests: 2, conditional: 1, notModified: 1 });
  });

  it('keys entries by Accept, since the same URL answers JSON or HTML', async () => {
    const { cache } = await setup();
    const json = await cache.get(page(), ACCEPT);
    const html = await cache.get(page(), { accept: 'text/html' });
    expect(json.contentType).toContain('json');
    expect(html.contentType).toContain('text/html');
    expect(server.counters.requests).toBe(2);
  });

  it('discards a corrupt entry silently and refetches', async () => {
    const { cache } = await setup();
    await cache.get(page(), ACCEPT);
    const [entry] = await listFiles(join(dir, 'pages'));
    expect(entry).toMatch(/\.entry$/);
    // A body that no longer matches the size and hash in its header line.
    const good = await readFile(entry!);
    await writeFile(entry!, Buffer.concat([good.subarray(0, good.indexOf(0x0a) + 1), Buffer.from('garbage')]));
    const again = await cache.get(page(), ACCEPT);
    expect(again.source).toBe('network');
    expect(again.body.toString()).toContain('synthetic-0000');
    // A header that is not JSON, and a file with no header line at all.
    await writeFile(entry!, '{not json\nbody');
    expect((await cache.get(page(), ACCEPT)).source).toBe('network');
    await writeFile(entry!, 'truncated');
    expect((await cache.get(page(), ACCEPT)).source).toBe('network');
    // The refetch stored a good entry again.
    expect((await cache.get(page(), ACCEPT)).source).toBe('fresh');
  });

  it('still answers when the cache directory cannot be written', async () => {
    await writeFile(join(dir, 'pages'), 'a file where a directory should be');
    const { cache } = await setup();
    const res = await cache.get(page(), ACCEPT);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toContain('synthetic-0000');
  });

  it('does not store 404s', async () => {
    const { cache } = await setup();
    expect((await cache.get(`${server.url}missing/`, ACCEPT)).status).toBe(404);
    expect((await cache.get(`${server.url}missing/`, ACCEPT)).status).toBe(404);
    expect(server.counters.requests).toBe(2);
  });
});

describe('derived page entries, kept in the pack', () => {
  /** A derivation that counts its calls: the page's file names. */
  function counting(id = 'names-1') {
    const calls = { n: 0 };
    const derive: Derivation<string[]> = {
      id,
      fn: (answer) => {
        calls.n++;
        return (JSON.parse(answer.body.toString()) as { files: { filename: string }[] }).files.map((f) => f.filename);
      },
      // The names as the JSON head, their count as the data: both parts must come back.
      encode: (names) => ({ head: names, data: Buffer.from(String(names.length)) }),
      decode: (head, data) =>
        Array.isArray(head) && head.every((x) => typeof x === 'string') && String(head.length) === data.toString() ? (head as string[]) : undefined,
    };
    return { derive, calls };
  }
  const packPath = () => join(dir, 'pages.pack');
  const key = (url: string) => entryKey(url, ACCEPT);
  /** One run: a fresh cache over the same folder, as the next process would have. */
  const run = (http = new HttpClient()) => new HttpCache(dir, http, { now: () => clock });
  const names = (n: number) => Array.from({ length: n }, (_, i) => `${server.url}synthetic-${String(i).padStart(4, '0')}/`);

  it('packs the derivation instead of the body; later runs answer fresh and revalidated hits without deriving again', async () => {
    server = await FixtureIndexServer.start({ projects: syntheticProjects(2), cacheMaxAge: 600 });
    const { derive, calls } = counting();
    const first = run();
    const got = await first.getDerived(page(), ACCEPT, derive);
    expect(got).toMatchObject({ status: 200, source: 'network' });
    expect(got.derived).toContain('synthetic_0000-1.0.0.tar.gz');
    expect(await listFiles(join(dir, 'pages'))).toEqual([]); // no file per page
    first.savePack();
    const stored = PagePack.load(packPath())!.get(key(page()))!;
    // the derivation, no page body
    expect(stored.meta).toMatchObject({ derived: 'names-1', head: got.derived });
    expect(stored.meta).not.toHaveProperty('body');
    expect(stored.data.toString()).toBe(String(got.derived!.length));
    const http = new HttpClient();
    expect(await run(http).getDerived(page(), ACCEPT, derive)).toMatchObject({ source: 'fresh', derived: got.derived });
    expect(http.stats.requests).toBe(0);
    clock += 601_000;
    const third = run();
    expect(await third.getDerived(page(), ACCEPT, derive)).toMatchObject({ source: 'revalidated', derived: got.derived });
    expect(server.log.map((r) => r.status)).toEqual([200, 304]);
    expect(calls.n).toBe(1);
    // The 304 renewed the packed entry: fresh again for the next run.
    third.savePack();
    clock += 300_000;
    expect((await run().getDerived(page(), ACCEPT, derive)).source).toBe('fresh');
  });

  it('treats another derivation id as a miss and fetches without validators', async () => {
    server = await FixtureIndexServer.start({ projects: syntheticProjects(1), cacheMaxAge: 0 });
    const first = run();
    await first.getDerived(page(), ACCEPT, counting('names-1').derive);
    first.savePack();
    const { derive, calls } = counting('names-2');
    expect(await run().getDerived(page(), ACCEPT, derive)).toMatchObject({ source: 'network' });
    expect(server.log[1]).toMatchObject({ conditional: false, status: 200 });
    expect(calls.n).toBe(1);
  });

  it('fetches again when a packed derivation does not decode, and stores nothing when deriving throws', async () => {
    server = await FixtureIndexServer.start({ projects: syntheticProjects(2), cacheMaxAge: 600 });
    const first = run();
    await first.getDerived(page(), ACCEPT, counting().derive);
    first.savePack();
    const { meta } = PagePack.load(packPath())!.get(key(page()))!;
    PagePack.write(packPath(), new Map([[key(page()), { meta: { ...(meta as object), head: { not: 'a list' } }, data: Buffer.from('2') }]]));
    const { derive, calls } = counting();
    expect(await run().getDerived(page(), ACCEPT, derive)).toMatchObject({ source: 'network' });
    expect(calls.n).toBe(1);
    const failing: Derivation<string[]> = {
      ...derive,
      id: 'broken',
      fn: () => {
        throw new Error('unparseable page');
      },
    };
    const other = `${server.url}synthetic-0001/`;
    const second = run();
    await expect(second.getDerived(other, ACCEPT, failing)).rejects.toThrow('unparseable page');
    await expect(second.getDerived(other, ACCEPT, failing)).rejects.toThrow('unparseable page');
    expect(server.counters.byPath['/simple/synthetic-0001/']).toBe(2);
  });

  it('derives from a page stored by get without a request', async () => {
    server = await FixtureIndexServer.start({ projects: syntheticProjects(1), cacheMaxAge: 600 });
    await run().get(page(), ACCEPT);
    const { derive, calls } = counting();
    const second = run();
    expect(await second.getDerived(page(), ACCEPT, derive)).toMatchObject({ source: 'fresh' });
    second.savePack();
    expect(await run().getDerived(page(), ACCEPT, derive)).toMatchObject({ source: 'fresh' });
    expect(calls.n).toBe(1);
    expect(server.counters.requests).toBe(1);
  });

  it('does not rewrite a pack nothing changed in', async () => {
    server = await FixtureIndexServer.start({ projects: syntheticProjects(3), cacheMaxAge: 600 });
    const first = run();
    for (const u of names(3)) await first.getDerived(u, ACCEPT, counting().derive);
    first.savePack();
    const before = await stat(packPath());
    const second = run();
    for (const u of names(3)) expect((await second.getDerived(u, ACCEPT, counting().derive)).source).toBe('fresh');
    second.savePack();
    expect((await stat(packPath())).ino).toBe(before.ino);
  });

  it('keeps what other scans of the same cache packed, until it is 30 days old', async () => {
    server = await FixtureIndexServer.start({ projects: syntheticProjects(2), cacheMaxAge: 600 });
    const [a, b] = names(2) as [string, string];
    const first = run();
    await first.getDerived(a, ACCEPT, counting().derive);
    first.savePack();
    const second = run();
    await second.getDerived(b, ACCEPT, counting().derive);
    second.savePack();
    expect([...PagePack.load(packPath())!.entries()].map(([k]) => k).sort()).toEqual([key(a), key(b)]);
    clock += 31 * 86_400_000;
    const third = run();
    expect((await third.getDerived(b, ACCEPT, counting().derive)).source).toBe('revalidated');
    third.savePack();
    expect([...PagePack.load(packPath())!.entries()].map(([k]) => k)).toEqual([key(b)]);
  });

  it('reads a damaged pack as none: the pages are fetched again, the answers stay right', async () => {
    server = await FixtureIndexServer.start({ projects: syntheticProjects(1), cacheMaxAge: 600 });
    const first = run();
    await first.getDerived(page(), ACCEPT, counting().derive);
    first.savePack();
    const pack = await readFile(packPath());
    const flipped = Buffer.from(pack);
    flipped.writeUInt8(flipped.at(-1)! ^ 1, flipped.length - 1); // one bit of the data: the pack's hash no longer matches
    const hashed = (index: string) => Buffer.from(`refinery-pack 2 ${index.length} ${sha256(Buffer.from(index))}\n${index}`);
    const overrun = hashed(JSON.stringify({ [key(page())]: [0, 99, {}] })); // a span past the end
    const older = Buffer.from(`refinery-pack 1 9\n{"a":[0,0]}`); // the layout before this one
    for (const broken of [Buffer.from('not a pack'), pack.subarray(0, pack.length - 10), flipped, overrun, older]) {
      expect(PagePack.load(packPath())).not.toBeNull(); // each round starts from a good pack again
      await writeFile(packPath(), broken);
      expect(PagePack.load(packPath())).toBeNull();
      await writeFile(packPath(), broken);
      const { derive } = counting();
      const again = run();
      expect(await again.getDerived(page(), ACCEPT, derive)).toMatchObject({
        source: 'network',
        derived: expect.arrayContaining(['synthetic_0000-1.0.0.tar.gz']),
      });
      again.savePack();
    }
  });
});

describe('content-addressed blobs', () => {
  it('never revalidates a blob once stored under its sha256', async () => {
    const { http, cache } = await setup();
    const url = `${server.origin}/files/synthetic_0000-1.0.0.tar.gz`;
    const want = sha256(Buffer.from('synthetic distribution synthetic_0000-1.0.0.tar.gz\n'));
    const path = await cache.fetchBlob(url, want);
    expect(await cache.fetchBlob(url, want)).toBe(path);
    expect(server.counters.requests).toBe(1);
    expect(http.stats.cacheHits).toBe(1);
    expect(sha256(await readFile(path))).toBe(want);
  });

  it('replaces a damaged blob instead of trusting it', async () => {
    const { cache } = await setup();
    const url = `${server.origin}/files/synthetic_0000-1.0.0.tar.gz`;
    const want = sha256(Buffer.from('synthetic distribution synthetic_0000-1.0.0.tar.gz\n'));
    const path = await cache.fetchBlob(url, want);
    await writeFile(path, 'tampered');
    await cache.fetchBlob(url, want);
    expect(server.counters.requests).toBe(2);
    expect(sha256(await readFile(path))).toBe(want);
  });

  it('refuses a download whose sha256 differs and leaves nothing behind', async () => {
    const { cache } = await setup();
    const url = `${server.origin}/files/synthetic_0000-1.0.0.tar.gz`;
    const err = (await cache.fetchBlob(url, 'f'.repeat(64)).catch((e: unknown) => e)) as RefineryError;
    expect(err).toBeInstanceOf(RefineryError);
    expect(err.code).toBe('index');
    expect(err.message).toContain('sha256 mismatch');
    expect(await listFiles(join(dir, 'blobs'))).toEqual([]);
  });

  it('caches small immutable files (PEP 658 metadata) by hash, and 404 is undefined', async () => {
    const { cache } = await setup();
    const url = `${server.origin}/files/synthetic_0000-1.0.0-py3-none-any.whl.metadata`;
    const first = await cache.getImmutable(url, undefined);
    const want = sha256(first!);
    await cache.getImmutable(url, want);
    await cache.getImmutable(url, want);
    expect(server.counters.requests).toBe(2);
    expect(await cache.getImmutable(`${server.origin}/files/nope.whl.metadata`, undefined)).toBeUndefined();
  });
});

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
