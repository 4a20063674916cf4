/**
 * HTTP client over Node's global fetch (undici): bounded concurrency, an idle timeout per request,
 * bounded retries with exponential backoff and full jitter on 429/5xx/network errors/timeouts
 * (honouring Retry-After, capped), per-index credentials that never appear in errors, and counters
 * that benchmarks read to assert what went over the wire.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
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
  /** Backoff base (default 250 ms): attempt n waits random() * min(maxDelay, base * 2^(n-1)). */
  backoffBaseMs?: number;
  /** Backoff ceiling (default 10 s). */
  backoffMaxMs?: number;
  /** Longest Retry-After we wait; longer values are cut to this (default 60 s). */
  retryAfterCapMs?: number;
  credentials?: readonly HttpCredential[];
  userAgent?: string;
  onEvent?: (event: HttpEvent) => void;
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

export interface BufferedResponse {
  status: number;
  /** Final URL after redirects, credentials removed. */
  url: string;
  headers: Headers;
  body: Buffer;
}

export interface StreamedResponse {
  status: number;
  url: string;
  headers: Headers;
  /** The body; consume it inside the callback (the concurrency slot is held until it returns). */
  body: Readable;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

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
  private readonly opts: Required<Omit<HttpClientOptions, 'onEvent' | 'credentials'>> & Pick<HttpClientOptions, 'onEvent'>;

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
      onEvent: options.onEvent,
    };
    this.semaphore = new Semaphore(this.opts.concurrency);
    this.credentials = [...(options.credentials ?? [])];
  }

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
   * GET a URL and buffer the body. Statuses that are not retried (2xx, 3xx that fetch did not
   * follow, 4xx other than 408/429) come back as they are; the caller decides what a 404 means.
   * Network errors, timeouts and retryable statuses that outlast every attempt throw a
   * RefineryError with code 'index'.
   */
  async get(url: string, options: RequestOptions = {}): Promise<BufferedResponse> {
    return this.stream(url, options, async (res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) chunks.push(chunk as Buffer);
      return { status: res.status, url: res.url, headers: res.headers, body: Buffer.concat(chunks) };
    });
  }

  /**
   * Send a request and hand the streamed response to `consume`. When the body breaks off midway
   * (reset, idle timeout) the whole request, `consume` included, is retried, so `consume` must
   * start from scratch each time (write to a fresh temp file, not append).
   */
  async stream<T>(url: string, options: RequestOptions, consume: (res: StreamedResponse) => Promise<T>): Promise<T> {
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
        return await this.attempt(bareUrl, shown, method, headers, conditional, attempt, options.signal, consume);
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
      const backoff = this.opts.random() * Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** (attempt - 1));
      const delayMs = retryAfterMs === undefined ? backoff : Math.min(retryAfterMs, this.opts.retryAfterCapMs);
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
    consume: (res: StreamedResponse) => Promise<T>,
  ): Promise<T> {
    this.stats.requests++;
    if (conditional) this.stats.conditionalRequests++;
    this.opts.onEvent?.({ type: 'request', method, url: shown, conditional, attempt });

    // Idle timeout: re-armed on headers and on every body chunk, so a slow but moving download
    // lives on while a hung connection is cut.
    const controller = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.opts.timeoutMs);
    };
    const onOuterAbort = () => controller.abort();
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    arm();
    try {
      let res: Response;
      try {
        res = await fetch(url, { method, headers, signal: controller.signal, redirect: 'follow' });
      } catch (e) {
        if (signal?.aborted) throw e;
        throw new RetryableError(timedOut ? `no response within ${this.opts.timeoutMs} ms` : networkReason(e));
      }
      arm();
      this.opts.onEvent?.({ type: 'response', url: shown, status: res.status });
      if (res.status === 304) this.stats.notModified++;
      if (RETRY_STATUSES.has(res.status)) {
        await res.body?.cancel().catch(() => undefined);
        throw new RetryableError(`HTTP ${res.status}`, parseRetryAfter(res.headers.get('retry-after'), this.opts.now()));
      }
      const web = res.body ?? new Blob([]).stream();
      const body = Readable.fromWeb(web as WebReadableStream<Uint8Array>);
      body.on('data', (chunk: Buffer) => {
        this.stats.bytes += chunk.length;
        arm();
      });
      // Pause until the consumer attaches; the 'data' listener above would otherwise start the flow.
      body.pause();
      try {
        return await consume({ status: res.status, url: redactUrl(res.url || url), headers: res.headers, body });
      } catch (e) {
        body.destroy();
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

  /** fetch refuses URLs with user:password@, so they become a basic auth header. */
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

function authorizationHeader(auth: HttpAuth): string {
  if (auth.kind === 'bearer') return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

function isNetworkError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: string }).code ?? (e.cause as { code?: string } | undefined)?.code;
  return (
    e.name === 'AbortError' ||
    e.message === 'fetch failed' ||
    e.message === 'terminated' ||
    (typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR_|ERR_STREAM_PREMATURE_CLOSE)/.test(code))
  );
}

/** The useful part of undici's "fetch failed" (the cause's code), never headers or credentials. */
function networkReason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause as { code?: string; message?: string } | undefined;
  const code = cause?.code ?? (e as { code?: string }).code;
  return code ? `${e.message} (${code})` : e.message;
}
