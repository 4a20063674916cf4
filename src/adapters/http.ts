/**
 * HTTP client over node:http/https with keep-alive agents: bounded concurrency, an idle timeout per
 * request, bounded retries with exponential backoff and jitter (./backoff.ts) on 429/5xx/network
 * errors/timeouts (honouring Retry-After, capped), redirects, gzip/deflate/br bodies, per-index
 * credentials that never appear in errors, and counters that benchmarks read to assert what went
 * over the wire.
 *
 * Bodies are capped on their decoded bytes as they stream, so a small gzip response that inflates
 * without bound is cut at the cap: `get` (index pages, metadata files) at `maxPageBytes` (64 MiB),
 * `stream` (distributions) at `maxDownloadBytes` (2 GiB); refinery.yml's `limits` sets both.
 *
 * Why not the global fetch: on the 1,000-page scan benchmark fetch spent about twice the CPU per
 * request (web streams, per-request AbortSignal plumbing) of node:http, and a scan is mostly
 * small page requests (`npm run bench:scan` prints the figures).
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { backoffDelayMs } from './backoff.js';
import { type Env, proxyForUrl } from './proxy.js';
import { type Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { RefineryError } from '../errors.js';

export type HttpAuth = { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string };

/** Credentials apply to every URL that starts with `prefix` (an index base URL) and to no other. */
export interface HttpCredential {
  prefix: string;
  auth: HttpAuth;
}

export interface HttpStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Requests carrying If-None-Match or If-Modified-Since. */
  conditionalRequests: number;
  /** 304 Not Modified answers. */
  notModified: number;
  /** Answers served from the on-disk cache without a request (fresh or immutable). */
  cacheHits: number;
  /** Response body bytes received. */
  bytes: number;
  /** Attempts that were retried. */
  retries: number;
}

export type HttpEvent =
  | { type: 'request'; method: string; url: string; conditional: boolean; attempt: number }
  | { type: 'response'; url: string; status: number }
  | { type: 'retry'; url: string; attempt: number; delayMs: number; reason: string }
  | { type: 'cache-hit'; url: string };

export interface HttpClientOptions {
  /** Requests in flight at once (default 16). */
  concurrency?: number;
  /** Abort when no headers or body bytes arrive for this long (default 30 s). */
  timeoutMs?: number;
  /** Attempts per request, the first included (default 4). */
  maxAttempts?: number;
  /** Backoff base (default 250 ms): retry n waits between half and all of min(maxDelay, base * 2^(n-1)) (./backoff.ts). */
  backoffBaseMs?: number;
  /** Backoff ceiling (default 10 s). */
  backoffMaxMs?: number;
  /** Longest Retry-After we wait; longer values are cut to this (default 60 s). */
  retryAfterCapMs?: number;
  credentials?: readonly HttpCredential[];
  userAgent?: string;
  onEvent?: (event: HttpEvent) => void;
  /**
   * Environment with HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY (default process.env): how
   * requests reach the indexes, as pip, uv and curl read it.
   */
  env?: Env;
  /** The proxy for a URL ('' for none); overrides `env`. */
  proxyFor?: (url: URL) => string;
  /** Largest decoded body `get` buffers: index pages, metadata files (default 64 MiB). */
  maxPageBytes?: number;
  /** Largest decoded body `stream` hands on: distributions (default 2 GiB). */
  maxDownloadBytes?: number;
  /** Injectable for tests: jitter source and sleeping. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface RequestOptions {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Default caps on decoded response bodies (refinery.yml `limits.maxPageBytes` / `limits.maxDownloadBytes`). */
export const DEFAULT_MAX_PAGE_BYTES = 64 * 1024 ** 2;
export const DEFAULT_MAX_DOWNLOAD_BYTES = 2 * 1024 ** 3;

/** A cap on one body and the setting that raises it (named in the error). */
interface BodyCap {
  bytes: number;
  setting: string;
}

/** Response headers, looked up case-insensitively (the part of fetch's Headers we use). */
export class ResponseHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(', ') : v;
  }
}

export interface BufferedResponse {
  status: number;
  /** Final URL after redirects, credentials removed. */
  url: string;
  headers: ResponseHeaders;
  body: Buffer;
}

export interface StreamedResponse {
  status: number;
  url: string;
  headers: ResponseHeaders;
  /** The body; consume it inside the callback (the concurrency slot is held until it returns). */
  body: Readable;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

/** A counting semaphore: at most `limit` holders at once, FIFO for waiters. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError('semaphore limit must be >= 1');
  }
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.active--;
    };
  }
}

/** Remove user:password@ from a URL so it can be shown. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/**
 * Parse Retry-After: delta-seconds or an HTTP-date. Returns milliseconds from `now`, or undefined
 * when absent or unparseable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The request in flight, so the idle timer and the caller's signal can cut it. Cheaper than an
 * AbortController per request, which node:http wires through several listeners.
 */
class InFlight {
  req: http.ClientRequest | undefined;
  res: IncomingMessage | undefined;
  reason: Error | undefined;
  cancel(reason: Error): void {
    this.reason ??= reason;
    this.req?.destroy(this.reason);
    this.res?.destroy(this.reason);
  }
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export class HttpClient {
  readonly stats: HttpStats = emptyStats();
  private readonly semaphore: Semaphore;
  private readonly credentials: HttpCredential[];
  private readonly opts: Required<Omit<HttpClientOptions, 'onEvent' | 'credentials' | 'env'>> & Pick<HttpClientOptions, 'onEvent'>;
  /** One agent per origin: direct (keep-alive) or through the proxy the environment names for it. */
  private readonly originAgents = new Map<string, http.Agent>();

  constructor(options: HttpClientOptions = {}) {
    this.opts = {
      concurrency: options.concurrency ?? 16,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxAttempts: Math.max(1, options.maxAttempts ?? 4),
      backoffBaseMs: options.backoffBaseMs ?? 250,
      backoffMaxMs: options.backoffMaxMs ?? 10_000,
      retryAfterCapMs: options.retryAfterCapMs ?? 60_000,
      userAgent: options.userAgent ?? 's390x-wheel-refinery',
      random: options.random ?? Math.random,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      now: options.now ?? Date.now,
      proxyFor: options.proxyFor ?? ((url) => proxyForUrl(url, options.env ?? process.env)),
      maxPageBytes: options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES,
      maxDownloadBytes: options.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES,
      onEvent: options.onEvent,
    };
    this.semaphore = new Semaphore(this.opts.concurrency);
    this.credentials = [...(options.credentials ?? [])];
    // Keep-alive: a scan sends hundreds of requests to one host. Idle sockets are unref'd by the
    // agent, so they never keep the process alive.
    const agentOptions = { keepAlive: true, maxSockets: this.opts.concurrency };
    this.agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  }

  private readonly agents: { 'http:': http.Agent; 'https:': https.Agent };

  /** Credentials for one more index (the IndexClient adds those of its configured indexes). */
  addCredential(credential: HttpCredential): void {
    this.credentials.push(credential);
  }

  resetStats(): void {
    Object.assign(this.stats, emptyStats());
  }

  /** Counted by the cache layer when it answers without a request. */
  noteCacheHit(url: string): void {
    this.stats.cacheHits++;
    this.opts.onEvent?.({ type: 'cache-hit', url: redactUrl(url) });
  }

  /**
   * GET a URL and buffer the body. Statuses that are not retried (2xx, 3xx that were not
   * followed, 4xx other than 408/429) come back as they are; the caller decides what a 404 means.
   * Network errors, timeouts and retryable statuses that outlast every attempt throw a
   * RefineryError with code 'index'.
   */
  async get(url: string, options: RequestOptions = {}): Promise<BufferedResponse> {
    const cap = { bytes: this.opts.maxPageBytes, setting: 'limits.maxPageBytes' };
    return this.exchange(url, options, cap, (res) => {
      return new Promise<BufferedResponse>((resolve, reject) => {
        const chunks: Buffer[] = [];
        res.body.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.body.once('end', () => resolve({ status: res.status, url: res.url, headers: res.headers, body: Buffer.concat(chunks) }));
        res.body.once('error', reject);
        res.body.resume();
      });
    });
  }

  /**
   * Send a request and hand the streamed response to `consume`. When the body breaks off midway
   * (reset, idle timeout) the whole request, `consume` included, is retried, so `consume` must
   * start from scratch each time (write to a fresh temp file, not append). A body past
   * `maxDownloadBytes` (decoded) breaks off with a RefineryError naming the URL and the cap: the
   * consumer must not keep what it wrote.
   */
  async stream<T>(url: string, options: RequestOptions, consume: (res: StreamedResponse) => Promise<T>): Promise<T> {
    return this.exchange(url, options, { bytes: this.opts.maxDownloadBytes, setting: 'limits.maxDownloadBytes' }, consume);
  }

  private async exchange<T>(url: string, options: RequestOptions, cap: BodyCap, consume: (res: StreamedResponse) => Promise<T>): Promise<T> {
    const { url: bareUrl, auth } = this.splitCredentials(url);
    const shown = redactUrl(url);
    const method = options.method ?? 'GET';
    const headers: Record<string, string> = { 'user-agent': this.opts.userAgent, ...options.headers };
    if (auth) headers.authorization = authorizationHeader(auth);
    const conditional = Object.keys(headers).some((h) => /^if-(none-match|modified-since)$/i.test(h));

    let lastError = '';
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt++) {
      const release = await this.semaphore.acquire();
      let retryAfterMs: number | undefined;
      try {
        return await this.attempt(bareUrl, shown, method, headers, conditional, attempt, options.signal, cap, consume);
      } catch (e) {
        if (!(e instanceof RetryableError)) throw e;
        lastError = e.message;
        retryAfterMs = e.retryAfterMs;
      } finally {
        release();
      }
      if (options.signal?.aborted) {
        throw new RefineryError('index', `GET ${shown} was cancelled`, { cause: options.signal.reason });
      }
      if (attempt === this.opts.maxAttempts) break;
      const delayMs =
        retryAfterMs === undefined
          ? backoffDelayMs(attempt, { baseMs: this.opts.backoffBaseMs, maxMs: this.opts.backoffMaxMs }, this.opts.random)
          : Math.min(retryAfterMs, this.opts.retryAfterCapMs);
      this.stats.retries++;
      this.opts.onEvent?.({ type: 'retry', url: shown, attempt, delayMs, reason: lastError });
      await this.opts.sleep(delayMs);
    }
    throw new RefineryError('index', `GET ${shown} failed after ${this.opts.maxAttempts} attempt(s): ${lastError}`, {
      fix: 'check that the index is reachable; transient failures are retried automatically',
    });
  }

  private async attempt<T>(
    url: string,
    shown: string,
    method: string,
    headers: Record<string, string>,
    conditional: boolean,
    attempt: number,
    signal: AbortSignal | undefined,
    cap: BodyCap,
    consume: (res: StreamedResponse) => Promise<T>,
  ): Promise<T> {
    this.stats.requests++;
    if (conditional) this.stats.conditionalRequests++;
    this.opts.onEvent?.({ type: 'request', method, url: shown, conditional, attempt });

    // Idle timeout: re-armed on headers and on every body chunk, so a slow but moving download
    // lives on while a hung connection is cut.
    const flight = new InFlight();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      flight.cancel(new Error(`idle for ${this.opts.timeoutMs} ms`));
    }, this.opts.timeoutMs);
    const arm = () => timer.refresh();
    const onOuterAbort = () => flight.cancel(signal!.reason instanceof Error ? signal!.reason : new Error('cancelled'));
    if (signal?.aborted) onOuterAbort();
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      let res: IncomingMessage;
      let finalUrl: string;
      try {
        ({ res, url: finalUrl } = await this.send(url, method, headers, flight));
      } catch (e) {
        if (signal?.aborted) throw e;
        if (e instanceof RefineryError) throw e;
        throw new RetryableError(timedOut ? `no response within ${this.opts.timeoutMs} ms` : networkReason(e));
      }
      arm();
      const status = res.statusCode ?? 0;
      this.opts.onEvent?.({ type: 'response', url: shown, status });
      if (status === 304) this.stats.notModified++;
      if (RETRY_STATUSES.has(status)) {
        res.destroy();
        throw new RetryableError(`HTTP ${status}`, parseRetryAfter(headerOf(res.headers['retry-after']), this.opts.now()));
      }
      res.on('data', (chunk: Buffer) => {
        this.stats.bytes += chunk.length;
        arm();
      });
      // Pause until the consumer attaches; the 'data' listener above would otherwise start the flow.
      res.pause();
      const tooLarge = () =>
        new RefineryError('index', `GET ${shown}: the response is larger than the ${cap.bytes}-byte cap (${cap.setting})`, {
          fix: `no index serves a page or file this large on purpose; if this one really is, raise ${cap.setting} in refinery.yml`,
        });
      // Without a content encoding the declared length is the body: refuse before reading it.
      const declared = Number(headerOf(res.headers['content-length']) ?? NaN);
      if (!res.headers['content-encoding'] && declared > cap.bytes) {
        res.destroy();
        throw tooLarge();
      }
      const body = decoded(res, cap.bytes, tooLarge);
      try {
        return await consume({ status, url: redactUrl(finalUrl), headers: new ResponseHeaders(res.headers), body });
      } catch (e) {
        res.destroy();
        if (body !== res) body.destroy();
        if (e instanceof RefineryError || signal?.aborted) throw e;
        if (timedOut) throw new RetryableError(`body stalled for ${this.opts.timeoutMs} ms`);
        if (isNetworkError(e)) throw new RetryableError(networkReason(e));
        throw e;
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  /**
   * One request, following redirects like a browser would: 303 turns into GET, and the
   * Authorization header is dropped when the redirect leaves the origin (as fetch does).
   */
  private async send(url: string, method: string, headers: Record<string, string>, flight: InFlight): Promise<{ res: IncomingMessage; url: string }> {
    let current = new URL(url);
    let hdrs: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...headers };
    for (let hop = 0; ; hop++) {
      const res = await this.request(current, method, hdrs, flight);
      const status = res.statusCode ?? 0;
      const location = headerOf(res.headers.location);
      if (!REDIRECT_STATUSES.has(status) || location === null) return { res, url: current.toString() };
      res.resume();
      if (hop === MAX_REDIRECTS)
        throw new RefineryError('index', `GET ${redactUrl(url)} redirected more than ${MAX_REDIRECTS} times`, { fix: 'check the index URL' });
      const next = new URL(location, current);
      if (next.origin !== current.origin) hdrs = Object.fromEntries(Object.entries(hdrs).filter(([k]) => k.toLowerCase() !== 'authorization'));
      if (status === 303) method = 'GET';
      current = next;
    }
  }

  private request(url: URL, method: string, headers: Record<string, string>, flight: InFlight): Promise<IncomingMessage> {
    const protocol = url.protocol;
    if (protocol !== 'http:' && protocol !== 'https:') {
      return Promise.reject(
        new RefineryError('index', `unsupported URL scheme ${JSON.stringify(protocol)} in ${redactUrl(url.toString())}`, {
          fix: 'index URLs must be http:// or https://',
        }),
      );
    }
    const mod = protocol === 'https:' ? https : http;
    if (flight.reason) return Promise.reject(flight.reason);
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method, headers, agent: this.agentFor(url) });
      flight.req = req;
      req.once('response', (res: IncomingMessage) => {
        flight.res = res;
        resolve(res);
      });
      req.once('error', reject);
      req.end();
    });
  }

  private agentFor(url: URL): http.Agent {
    let agent = this.originAgents.get(url.origin);
    if (!agent) {
      const proxy = this.opts.proxyFor(url);
      if (proxy) checkProxyUrl(proxy, url);
      const options = { keepAlive: true, maxSockets: this.opts.concurrency };
      if (!proxy) agent = url.protocol === 'https:' ? this.agents['https:'] : this.agents['http:'];
      else if (url.protocol === 'https:')
        agent = new HttpsProxyAgent(proxy, options); // CONNECT tunnel
      else agent = new HttpProxyAgent(proxy, options); // absolute-form requests to the proxy
      this.originAgents.set(url.origin, agent);
    }
    return agent;
  }

  /** URLs with user:password@ become a basic auth header, so credentials never travel in URLs we show. */
  private splitCredentials(url: string): { url: string; auth?: HttpAuth } {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new RefineryError('index', `invalid URL ${JSON.stringify(redactUrl(url))}`);
    }
    let auth: HttpAuth | undefined;
    if (u.username || u.password) {
      auth = { kind: 'basic', username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
      u.username = '';
      u.password = '';
    }
    const bare = u.toString();
    if (!auth) {
      // The longest matching prefix wins, so a more specific index beats a host-wide entry.
      let best: HttpCredential | undefined;
      for (const c of this.credentials) {
        if (bare.startsWith(c.prefix) && (!best || c.prefix.length > best.prefix.length)) best = c;
      }
      auth = best?.auth;
    }
    return auth ? { url: bare, auth } : { url: bare };
  }
}

function emptyStats(): HttpStats {
  return { requests: 0, conditionalRequests: 0, notModified: 0, cacheHits: 0, bytes: 0, retries: 0 };
}

/** A proxy variable that is no http(s) URL is a configuration error, said once, not retried. */
function checkProxyUrl(proxy: string, target: URL): void {
  let scheme: string | undefined;
  try {
    scheme = new URL(proxy).protocol;
  } catch {
    scheme = undefined;
  }
  if (scheme === 'http:' || scheme === 'https:') return;
  const variable = target.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  throw new RefineryError(
    'config',
    `the proxy for ${target.origin} (${variable} or ALL_PROXY) is ${JSON.stringify(redactUrl(proxy))}, not an http:// or https:// URL`,
    {
      fix: `set it like http://proxy.example:3128 (credentials: http://user:password@proxy.example:3128), or unset it`,
    },
  );
}

function headerOf(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * The body as the server meant it: compressed transfers are decoded (what fetch did for us), and
 * counted after decoding, so the stream fails with `tooLarge()` once past `maxBytes` and the
 * decoder and the socket stop there (backpressure keeps at most a few chunks in flight). A plain
 * body with a Content-Length within the cap needs no counting: HTTP framing ends it there.
 */
function decoded(res: IncomingMessage, maxBytes: number, tooLarge: () => Error): Readable {
  const encoding = (headerOf(res.headers['content-encoding']) ?? '').trim().toLowerCase();
  let decoder: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined;
  if (encoding === 'gzip' || encoding === 'x-gzip') decoder = zlib.createGunzip();
  else if (encoding === 'deflate') decoder = zlib.createInflate();
  else if (encoding === 'br') decoder = zlib.createBrotliDecompress();
  const length = Number(headerOf(res.headers['content-length']) ?? NaN);
  if (!decoder && length <= maxBytes) return res;
  let seen = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(tooLarge());
      else done(null, chunk);
    },
  });
  // Plain pipes with the errors passed on by hand: with stream.pipeline here, client CPU for 1,000
  // small fixture pages rose by more than half; with pipes it stayed within noise of no cap at all.
  res.once('error', (e) => (decoder ?? capped).destroy(e));
  decoder?.once('error', (e) => capped.destroy(e));
  // Past the cap, or the consumer gone early: stop decoding and reading.
  capped.once('close', () => {
    if (capped.writableFinished) return;
    decoder?.destroy();
    res.destroy();
  });
  (decoder ? res.pipe(decoder) : res).pipe(capped);
  return capped;
}

function authorizationHeader(auth: HttpAuth): string {
  if (auth.kind === 'bearer') return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

function isNetworkError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: string }).code ?? (e.cause as { code?: string } | undefined)?.code;
  return (
    e.name === 'AbortError' ||
    e.message === 'aborted' ||
    (typeof code === 'string' &&
      /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ERR_STREAM_PREMATURE_CLOSE|Z_)/.test(code))
  );
}

/** The error's message and code, never headers or credentials. */
function networkReason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause as { code?: string; message?: string } | undefined;
  const code = cause?.code ?? (e as { code?: string }).code;
  return code ? `${e.message} (${code})` : e.message;
}
