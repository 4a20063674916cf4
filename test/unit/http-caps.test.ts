/**
 * Bounded downloads: index pages and distributions are capped on their decoded bytes as they
 * stream, against real loopback servers. A small gzip body that inflates to gigabytes is cut at the
 * cap, the error names the URL (no credentials) and the cap, and no partial file is left in the
 * cache or the work folder. The caps are tiny here so the test moves few real bytes.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadVerified } from '../../src/adapters/download.js';
import { HttpClient, type HttpClientOptions } from '../../src/adapters/http.js';
import { fetchSdist } from '../../src/stages/builder/fetch.js';
import { httpLimits, RefineryConfig } from '../../src/domain/config/schema.js';
import { IndexClient } from '../../src/domain/package-index/index.js';
import { errorOf } from '../helpers/errors.js';

const MiB = 1024 ** 2;
/** One gzip member: 64 MiB of zeros in about 64 KB. Members concatenate (RFC 1952), and so do their outputs. */
const ZEROS_MEMBER = gzipSync(Buffer.alloc(64 * MiB), { level: 9 });

interface Served {
  url: string;
  /** Requests per path. */
  hits: Map<string, number>;
  /** gzip members written per path before the client went away (or all of them). */
  membersSent: Map<string, number>;
  server: Server;
}

let work: string;
let served: Served;

/** Writes `members` gzip members of zeros, honouring backpressure, until done or the client leaves. */
async function gzipBomb(res: ServerResponse, members: number, onMember: () => void): Promise<void> {
  for (let i = 0; i < members && !res.destroyed; i++) {
    onMember();
    if (!res.write(ZEROS_MEMBER)) {
      await new Promise<void>((resolve) => {
        const go = () => {
          res.off('drain', go).off('close', go);
          resolve();
        };
        res.on('drain', go).on('close', go);
      });
    }
  }
  res.end();
}

async function start(): Promise<Served> {
  const hits = new Map<string, number>();
  const membersSent = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const count = () => membersSent.set(path, (membersSent.get(path) ?? 0) + 1);
    if (path === '/simple/bomb/') {
      // ~1 MB on the wire (16 members) that is 1 GiB of page once inflated
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': String(16 * ZEROS_MEMBER.length) });
      void gzipBomb(res, 16, count);
    } else if (path === '/files/bomb-1.0.tar.gz') {
      // no length: 160 members, 10 GiB once inflated, sent only as fast as the client reads
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' });
      void gzipBomb(res, 160, count);
    } else if (path === '/simple/large/') {
      // plain, over the cap by its declared length
      const body = `<html><body>${'<a href="x">x</a>'.repeat(4096)}</body></html>`;
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
    } else if (path === '/files/small-1.0.tar.gz') {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gzipSync(Buffer.alloc(1000, 1)));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, membersSent, server };
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-http-caps-'));
  served = await start();
});
afterEach(async () => {
  served.server.closeAllConnections();
  await new Promise((r) => served.server.close(r));
  await rm(work, { recursive: true, force: true });
});

function client(opts: HttpClientOptions = {}): HttpClient {
  return new HttpClient({ sleep: async () => undefined, ...opts });
}

/** Every file under dir, recursively (the cache and work folders hold no links). */
async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
}

describe('caps on decoded response bodies', () => {
  it('stops a 1 MB gzip index page that inflates to 1 GiB at the page cap, naming the URL and the cap', async () => {
    const http = client({ maxPageBytes: 2 * MiB });
    const e = await errorOf(http.get(`${served.url}/simple/bomb/`));
    expect(e.code).toBe('index');
    expect(e.message).toBe(`GET ${served.url}/simple/bomb/: the response is larger than the ${2 * MiB}-byte cap (limits.maxPageBytes)`);
    expect(e.fix).toMatch(/raise limits\.maxPageBytes in refinery\.yml/);
    // not retried, and the body was not read to its end: a cap is no transient fault
    expect(served.hits.get('/simple/bomb/')).toBe(1);
    expect(http.stats.bytes).toBeLessThan(16 * ZEROS_MEMBER.length);
  });

  it('stops a gzip sdist download that would inflate to 10 GiB at the download cap, leaving no file in the cache', async () => {
    const http = client({ maxDownloadBytes: 8 * MiB });
    const cacheDir = join(work, 'cache');
    const dest = join(cacheDir, 'blobs', 'bomb');
    const e = await errorOf(downloadVerified(http, `${served.url}/files/bomb-1.0.tar.gz`, dest, undefined));
    expect(e.message).toBe(`GET ${served.url}/files/bomb-1.0.tar.gz: the response is larger than the ${8 * MiB}-byte cap (limits.maxDownloadBytes)`);
    expect(await filesUnder(cacheDir)).toEqual([]);
    // The client stopped reading soon after the cap (one 64 MiB member is already past it: what it
    // read beyond is socket and stream buffers), and the server, writing only as fast as the socket
    // drains, never got to send the whole ~10 MB bomb.
    expect(http.stats.bytes).toBeLessThan(16 * ZEROS_MEMBER.length);
    expect(served.membersSent.get('/files/bomb-1.0.tar.gz')!).toBeLessThan(160);
  });

  it('leaves no partial sdist in the work folder when a build fetch hits the cap', async () => {
    const sdistDir = join(work, 'unit', 'sdist');
    const e = await errorOf(
      fetchSdist({ filename: 'bomb-1.0.tar.gz', url: `${served.url}/files/bomb-1.0.tar.gz` }, sdistDir, { http: client({ maxDownloadBytes: 4 * MiB }) }),
    );
    expect(e.message).toMatch(/larger than the 4194304-byte cap \(limits\.maxDownloadBytes\)/);
    expect(await filesUnder(join(work, 'unit'))).toEqual([]);
  });

  it('refuses a plain body whose Content-Length is over the cap before reading it', async () => {
    const http = client({ maxPageBytes: 4096 });
    const e = await errorOf(http.get(`${served.url}/simple/large/`));
    expect(e.message).toMatch(/\/simple\/large\/: the response is larger than the 4096-byte cap \(limits\.maxPageBytes\)/);
    expect(http.stats.bytes).toBe(0);
  });

  it('names the URL without the credentials it carried', async () => {
    const withCreds = served.url.replace('http://', 'http://alice:s3cret-token@');
    const e = await errorOf(client({ maxPageBytes: MiB }).get(`${withCreds}/simple/bomb/`));
    expect(e.message).toContain(`${served.url}/simple/bomb/`);
    expect(e.message + (e.fix ?? '')).not.toMatch(/s3cret|alice/);
  });

  it('passes bodies under the cap through whole, decoded', async () => {
    const dest = join(work, 'small-1.0.tar.gz');
    await downloadVerified(client({ maxDownloadBytes: 1000 }), `${served.url}/files/small-1.0.tar.gz`, dest, undefined);
    expect((await readdir(work)).sort()).toEqual(['small-1.0.tar.gz']);
  });
});

describe('the caps come from refinery.yml', () => {
  it('defaults to 64 MiB per page and 2 GiB per distribution', () => {
    expect(httpLimits(RefineryConfig.parse({}))).toEqual({ maxPageBytes: 64 * MiB, maxDownloadBytes: 2 * 1024 ** 3 });
  });

  it('limits.maxPageBytes stops an index client reading an oversized page', async () => {
    const config = RefineryConfig.parse({ limits: { maxPageBytes: 1024 * 1024 } });
    const index = new IndexClient({ indexes: [{ url: `${served.url}/simple/` }], httpOptions: { ...httpLimits(config), sleep: async () => undefined } });
    const e = await errorOf(index.getProject('bomb'));
    expect(e.message).toMatch(/the response is larger than the 1048576-byte cap \(limits\.maxPageBytes\)/);
  });

  it('limits.maxDownloadBytes stops an index client download into its cache, leaving nothing there', async () => {
    const config = RefineryConfig.parse({ limits: { maxDownloadBytes: 2 * MiB } });
    const cacheDir = join(work, 'http');
    const index = new IndexClient({
      indexes: [{ url: `${served.url}/simple/` }],
      cacheDir,
      httpOptions: { ...httpLimits(config), sleep: async () => undefined },
    });
    const file = { filename: 'bomb-1.0.tar.gz', url: `${served.url}/files/bomb-1.0.tar.gz`, sha256: 'a'.repeat(64) } as Parameters<IndexClient['download']>[0];
    const e = await errorOf(index.download(file, join(work, 'out')));
    expect(e.message).toMatch(/larger than the 2097152-byte cap \(limits\.maxDownloadBytes\)/);
    expect(await filesUnder(cacheDir)).toEqual([]);
    expect(await filesUnder(join(work, 'out'))).toEqual([]);
  });

  it('refuses caps below 1 KiB in refinery.yml', () => {
    expect(() => RefineryConfig.parse({ limits: { maxDownloadBytes: 10 } })).toThrow();
  });
});
