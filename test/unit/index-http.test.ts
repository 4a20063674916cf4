import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient, type HttpClientOptions, parseRetryAfter, Semaphore } from '../../src/adapters/http.js';
import { RefineryError } from '../../src/errors.js';
import { FixtureIndexServer, syntheticProjects } from '../helpers/index-server.js';
import { startForwardProxy } from '../helpers/proxy-server.js';
import { proxyForUrl } from '../../src/adapters/proxy.js';

let server: FixtureIndexServer;
let delays: number[];

beforeEach(async () => {
  server = await FixtureIndexServer.start({ projects: syntheticProjects(3) });
  delays = [];
});
afterEach(async () => {
  await server.close();
});

/** A client whose backoff sleeps are recorded instead of waited for, with jitter pinned to max. */
function client(opts: HttpClientOptions = {}): HttpClient {
  return new HttpClient({
    random: () => 1,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...opts,
  });
}

const page = () => `${server.url}synthetic-0000/`;

describe('retries', () => {
  it('retries 500s and succeeds, counting each attempt', async () => {
    server.addFault({ path: '/simple/synthetic-0000/', fault: { kind: 'status', status: 500 }, times: 2 });
    const http = client();
    const res = await http.get(page());
    expect(res.status).toBe(200);
    expect(server.counters.byPath['/simple/synthetic-0000/']).toBe(3);
    expect(http.stats.requests).toBe(3);
    expect(http.stats.retries).toBe(2);
  });

  it('backs off exponentially with jitter, capped', async () => {
    server.addFault({ fault: { kind: 'status', status: 503 }, times: 5 });
    const http = client({ maxAttempts: 6, backoffBaseMs: 100, backoffMaxMs: 500 });
    await http.get(page());
    // random() pinned to 1 gives the ceiling of each jitter window: 100, 200, 400, then the cap.
    expect(delays).toEqual([100, 200, 400, 500, 500]);
  });

  it('draws the jittered delay uniformly between half the exponential window and all of it', async () => {
    server.addFault({ fault: { kind: 'status', status: 502 }, times: 2 });
    const http = client({ random: () => 0.25, backoffBaseMs: 1000 });
    await http.get(page());
    // Windows of 1 s and 2 s: half of each plus a quarter of the other half (adapters/backoff.ts).
    expect(delays).toEqual([625, 1250]);
  });

  it('honours Retry-After in seconds on 429', async () => {
    server.addFault({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '7' } }, times: 1 });
    const http = client();
    expect((await http.get(page())).status).toBe(200);
    expect(delays).toEqual([7000]);
  });

  it('honours Retry-After as an HTTP date, and caps long waits', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    server.addFault({ fault: { kind: 'status', status: 503, headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' } }, times: 1 });
    server.addFault({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '3600' } }, times: 1 });
    const http = client({ now: () => now, retryAfterCapMs: 60_000 });
    await http.get(page());
    expect(delays).toEqual([30_000, 60_000]);
  });

  it('never retries a 404 or other 4xx', async () => {
    server.addFault({ fault: { kind: 'status', status: 403 }, times: 1 });
    const http = client();
    expect((await http.get(page())).status).toBe(403);
    expect((await http.get(`${server.url}no-such-project/`)).status).toBe(404);
    expect(server.counters.requests).toBe(2);
    expect(delays).toEqual([]);
  });

  it('retries connection resets', async () => {
    server.addFault({ fault: { kind: 'reset' }, times: 2 });
    const http = client();
    expect((await http.get(page())).status).toBe(200);
    expect(server.counters.requests).toBe(3);
  });

  it('times out a hanging response and retries it', async () => {
    server.addFault({ fault: { kind: 'hang' }, times: 1 });
    const http = client({ timeoutMs: 300 });
    expect((await http.get(page())).status).toBe(200);
    expect(server.counters.requests).toBe(2);
    expect(http.stats.retries).toBe(1);
  });

  it('times out a body that stalls midway and retries the whole request', async () => {
    server.addFault({ fault: { kind: 'slow', delayMs: 1000, chunks: 3 }, times: 1 });
    const http = client({ timeoutMs: 300 });
    const res = await http.get(page());
    expect(res.body.toString()).toContain('synthetic-0000');
    expect(server.counters.requests).toBe(2);
  });

  it("stops at once when the caller's signal aborts, without retrying", async () => {
    server.addFault({ fault: { kind: 'hang' }, times: 1 });
    const http = client({ timeoutMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run cancelled')), 50);
    const started = Date.now();
    await expect(http.get(page(), { signal: controller.signal })).rejects.toThrow('run cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(http.stats.retries).toBe(0);
    expect(server.counters.requests).toBe(1);
  });

  it('gives up after the bounded attempts with one index error naming the URL', async () => {
    server.addFault({ fault: { kind: 'status', status: 500 }, times: Infinity });
    const http = client({ maxAttempts: 3 });
    const err = await http.get(page()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefineryError);
    expect((err as RefineryError).code).toBe('index');
    expect((err as RefineryError).message).toContain('after 3 attempt(s): HTTP 500');
    expect((err as RefineryError).message).toContain('/simple/synthetic-0000/');
    expect(server.counters.requests).toBe(3);
  });

  it('retries a refused connection and then names the cause', async () => {
    const url = page();
    await server.close();
    const http = client({ maxAttempts: 3 });
    const err = (await http.get(url).catch((e: unknown) => e)) as RefineryError;
    expect(err.code).toBe('index');
    expect(err.message).toContain('ECONNREFUSED');
    expect(http.stats.requests).toBe(3);
    server = await FixtureIndexServer.start();
  });

  it('parses Retry-After forms', () => {
    expect(parseRetryAfter('12', 0)).toBe(12_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1000)).toBe(4000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});

describe('credentials', () => {
  it('sends basic auth for the matching prefix only and never shows it in errors', async () => {
    await server.close();
    server = await FixtureIndexServer.start({ projects: syntheticProjects(1), auth: { username: 'alice', password: 's3cr3t' } });
    const http = client({ maxAttempts: 1, credentials: [{ prefix: `${server.origin}/`, auth: { kind: 'basic', username: 'alice', password: 's3cr3t' } }] });
    expect((await http.get(page())).status).toBe(200);
    const other = client({ maxAttempts: 1 });
    expect((await other.get(page())).status).toBe(401);
  });

  it('turns user:password@ in a URL into basic auth and redacts it from errors', async () => {
    await server.close();
    server = await FixtureIndexServer.start({ projects: syntheticProjects(1), auth: { username: 'bob', password: 'hunter2' } });
    const http = client({ maxAttempts: 2 });
    const withCreds = page().replace('http://', 'http://bob:hunter2@');
    expect((await http.get(withCreds)).status).toBe(200);
    server.addFault({ fault: { kind: 'status', status: 500 }, times: Infinity });
    const err = (await http.get(withCreds).catch((e: unknown) => e)) as RefineryError;
    expect(err.message).not.toContain('hunter2');
    expect(err.message).not.toContain('bob');
  });

  it('sends bearer tokens', async () => {
    await server.close();
    server = await FixtureIndexServer.start({ projects: syntheticProjects(1), auth: { token: 'tok-123' } });
    const http = client({ credentials: [{ prefix: server.url, auth: { kind: 'bearer', token: 'tok-123' } }] });
    expect((await http.get(page())).status).toBe(200);
  });
});

describe('concurrency', () => {
  it('keeps at most `concurrency` requests in flight', async () => {
    await server.close();
    server = await FixtureIndexServer.start({ projects: syntheticProjects(12), latencyMs: 50 });
    let inFlight = 0;
    let peak = 0;
    const http = new HttpClient({
      concurrency: 3,
      onEvent: (e) => {
        if (e.type === 'request') peak = Math.max(peak, ++inFlight);
        if (e.type === 'response') inFlight--;
      },
    });
    const names = Array.from({ length: 12 }, (_, i) => `synthetic-${String(i).padStart(4, '0')}`);
    const results = await Promise.all(names.map((n) => http.get(`${server.url}${n}/`)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(peak).toBe(3);
  });

  it('semaphore hands slots over in FIFO order', async () => {
    const s = new Semaphore(1);
    const order: number[] = [];
    const first = await s.acquire();
    const waiters = [1, 2, 3].map(async (n) => {
      const release = await s.acquire();
      order.push(n);
      release();
    });
    first();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
  });
});

describe('stats', () => {
  it('counts requests, conditional requests, 304s and bytes', async () => {
    const http = client();
    const first = await http.get(page());
    const etag = first.headers.get('etag') ?? '';
    const again = await http.get(page(), { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(http.stats).toMatchObject({ requests: 2, conditionalRequests: 1, notModified: 1, bytes: first.body.length, retries: 0 });
    http.resetStats();
    expect(http.stats.requests).toBe(0);
  });
});

/** A bare server for transport details the fixture index does not exercise. */
async function rawServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; close: () => Promise<void>; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const s = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        s.closeAllConnections();
        s.close(() => resolve());
      }),
  };
}

describe('transport', () => {
  it('decodes gzip, deflate and brotli bodies and asks for them', async () => {
    const text = JSON.stringify({ files: Array.from({ length: 50 }, (_, i) => `pkg-${i}.tar.gz`) });
    const raw = await rawServer((req, res) => {
      const enc = req.url!.slice(1);
      const body = enc === 'gzip' ? gzipSync(text) : enc === 'deflate' ? deflateSync(text) : brotliCompressSync(text);
      res.writeHead(200, { 'content-encoding': enc, 'content-type': 'application/json' });
      res.end(body);
    });
    try {
      const http = client();
      for (const enc of ['gzip', 'deflate', 'br']) {
        const res = await http.get(`${raw.url}/${enc}`);
        expect(res.body.toString()).toBe(text);
      }
      expect(raw.seen[0]!.headers['accept-encoding']).toContain('gzip');
      // Wire bytes are counted, not decoded ones.
      expect(http.stats.bytes).toBeLessThan(3 * text.length);
    } finally {
      await raw.close();
    }
  });

  it('retries a corrupt compressed body like any broken transfer, then names it', async () => {
    const raw = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(Buffer.from('not gzip at all'));
    });
    try {
      const http = client({ maxAttempts: 2 });
      const err = (await http.get(`${raw.url}/x`).catch((e: unknown) => e)) as RefineryError;
      expect(err).toBeInstanceOf(RefineryError);
      expect(err.message).toMatch(/after 2 attempt\(s\)/);
      expect(raw.seen).toHaveLength(2);
    } finally {
      await raw.close();
    }
  });

  it('follows redirects, reports the final URL, and turns a 303 into a GET', async () => {
    const raw = await rawServer((req, res) => {
      if (req.url === '/a') res.writeHead(301, { location: '/b' }).end();
      else if (req.url === '/b') res.writeHead(303, { location: '/c' }).end();
      else res.writeHead(200).end(`${req.method} ${req.url}`);
    });
    try {
      const res = await client().get(`${raw.url}/a`);
      expect(res.body.toString()).toBe('GET /c');
      expect(res.url).toBe(`${raw.url}/c`);
      expect(raw.seen.map((r) => r.url)).toEqual(['/a', '/b', '/c']);
    } finally {
      await raw.close();
    }
  });

  it('keeps credentials on same-origin redirects and drops them when the redirect leaves the origin', async () => {
    const other = await rawServer((_req, res) => res.writeHead(200).end('elsewhere'));
    const raw = await rawServer((req, res) => {
      if (req.url === '/same') res.writeHead(302, { location: '/away' }).end();
      else if (req.url === '/away') res.writeHead(302, { location: `${other.url}/files/x` }).end();
    });
    try {
      const http = client({ credentials: [{ prefix: `${raw.url}/`, auth: { kind: 'bearer', token: 'tok-9' } }] });
      expect((await http.get(`${raw.url}/same`)).body.toString()).toBe('elsewhere');
      expect(raw.seen.map((r) => r.headers.authorization)).toEqual(['Bearer tok-9', 'Bearer tok-9']);
      expect(other.seen[0]!.headers.authorization).toBeUndefined();
    } finally {
      await raw.close();
      await other.close();
    }
  });

  it('stops a redirect loop with one index error', async () => {
    const raw = await rawServer((_req, res) => res.writeHead(302, { location: '/loop' }).end());
    try {
      const err = (await client()
        .get(`${raw.url}/loop`)
        .catch((e: unknown) => e)) as RefineryError;
      expect(err.code).toBe('index');
      expect(err.message).toContain('redirected more than 10 times');
      expect(raw.seen).toHaveLength(11);
    } finally {
      await raw.close();
    }
  });

  it('refuses URL schemes other than http and https', async () => {
    const err = (await client()
      .get('ftp://example.invalid/simple/')
      .catch((e: unknown) => e)) as RefineryError;
    expect(err.code).toBe('index');
    expect(err.message).toContain('unsupported URL scheme "ftp:"');
  });

  it('reuses connections (keep-alive) across requests to one index', async () => {
    const http = client();
    for (let i = 0; i < 5; i++) await http.get(page());
    expect(server.connections).toBe(1);
  });
});

describe('proxies', () => {
  it('sends http:// requests through the proxy the environment names, and straight on when it names none', async () => {
    const proxy = await startForwardProxy();
    try {
      const via = client({ proxyFor: () => proxy.url });
      expect((await via.get(page())).body.toString()).toContain('synthetic-0000');
      expect(proxy.log).toEqual([`GET ${page()}`]);
      const direct = client({ proxyFor: () => '' });
      expect((await direct.get(page())).status).toBe(200);
      expect(proxy.log).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('authenticates to the proxy with user:password from its URL; without them the 407 comes back as it is', async () => {
    const proxy = await startForwardProxy({ auth: { username: 'corp', password: 'p@ss' } });
    try {
      const withCreds = proxy.url.replace('http://', 'http://corp:p%40ss@');
      expect((await client({ proxyFor: () => withCreds }).get(page())).status).toBe(200);
      expect((await client({ proxyFor: () => proxy.url }).get(page())).status).toBe(407);
    } finally {
      await proxy.close();
    }
  });

  it('takes HTTP_PROXY and NO_PROXY from the environment it is given', async () => {
    const proxy = await startForwardProxy();
    try {
      expect((await client({ env: { HTTP_PROXY: proxy.url, NO_PROXY: 'example.invalid' } }).get(page())).status).toBe(200);
      expect(proxy.log).toHaveLength(1);
      expect((await client({ env: { http_proxy: proxy.url, NO_PROXY: '127.0.0.1' } }).get(page())).status).toBe(200);
      expect(proxy.log).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('refuses a proxy variable that is no http(s) URL with one config error, without retrying', async () => {
    for (const bad of ['socks5://corp:secret@proxy:1080', 'http://']) {
      const http = client({ env: { HTTP_PROXY: bad } });
      const err = (await http.get(page()).catch((e: unknown) => e)) as RefineryError;
      expect(err).toBeInstanceOf(RefineryError);
      expect(err.code).toBe('config');
      expect(err.message).toContain('not an http:// or https:// URL');
      expect(err.message).not.toContain('secret');
      expect(http.stats.retries).toBe(0);
    }
  });

  it('reads proxy variables the way pip and curl do', () => {
    const u = (s: string) => new URL(s);
    expect(proxyForUrl(u('https://pypi.org/simple/'), { HTTPS_PROXY: 'http://proxy:3128' })).toBe('http://proxy:3128');
    expect(proxyForUrl(u('https://pypi.org/simple/'), { https_proxy: 'proxy:3128', HTTPS_PROXY: 'http://other:1' })).toBe('http://proxy:3128');
    expect(proxyForUrl(u('http://pypi.org/simple/'), { HTTPS_PROXY: 'http://proxy:3128' })).toBe('');
    expect(proxyForUrl(u('http://pypi.org/simple/'), { ALL_PROXY: 'http://all:1' })).toBe('http://all:1');
    const env = { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'internal.example, .corp.example,*.lab.example,mirror:8443,[::1]' };
    const direct = [
      'https://internal.example/',
      'https://a.internal.example/',
      'https://corp.example/',
      'https://x.corp.example/',
      'https://y.lab.example/',
      'https://mirror:8443/',
      'https://[::1]/',
    ];
    for (const d of direct) expect(proxyForUrl(u(d), env), d).toBe('');
    for (const p of ['https://pypi.org/', 'https://notinternal.example/', 'https://mirror/', 'https://[::2]/'])
      expect(proxyForUrl(u(p), env), p).toBe('http://p:1');
    expect(proxyForUrl(u('https://pypi.org/'), { ...env, no_proxy: '*' })).toBe('');
  });
});
