/**
 * On-disk HTTP cache for index pages and content-addressed files.
 *
 * Pages: body + ETag + Last-Modified + max-age + fetch time. A fresh entry (within max-age) is
 * served without a request; a stale one is revalidated with If-None-Match / If-Modified-Since and a
 * 304 counts as a hit. No max-age means "revalidate every time" (no heuristic freshness).
 * Blobs (metadata files, distributions) are keyed by their sha256 and never revalidated.
 * Every write is atomic; an unreadable or inconsistent entry is dropped and refetched, never
 * reported to the user.
 *
 * A page entry is one file: a meta JSON line, optionally the caller's derived value (the parsed
 * page) as a second JSON line, then the body. Entries are read and written synchronously: a scan
 * reads and writes a thousand of them, and one small synchronous call costs less than the async
 * open/stat/read/close round trips through the thread pool (`npm run bench:scan`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, rmSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { RefineryError } from '../errors.js';
import { writeCacheFileSync, writeFileAtomic } from './fs.js';
import { type BufferedResponse, type HttpClient, redactUrl } from './http.js';

const EntryMeta = z.object({
  version: z.literal(1),
  url: z.string(),
  status: z.number().int(),
  contentType: z.string().optional(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  maxAgeSeconds: z.number().nonnegative().optional(),
  fetchedAt: z.number(),
  bodySha256: z.string().regex(/^[0-9a-f]{64}$/),
  bodySize: z.number().int().nonnegative(),
  /** Id of the derivation stored on the line after this one. */
  derived: z.string().optional(),
});
type EntryMeta = z.infer<typeof EntryMeta>;

interface StoredEntry {
  meta: EntryMeta;
  body: Buffer;
  derived?: { id: string; value: unknown };
}

/** What a caller computes from a page answer, to be kept with it (see HttpCache.get). */
export interface Derivation<T> {
  /** Changes whenever `fn` would compute something different from the same answer. */
  id: string;
  fn(answer: Pick<CachedResponse, 'status' | 'url' | 'contentType' | 'body'>): T;
  /** A cheap shape check of a stored value: a damaged one is derived again. */
  check(value: unknown): value is T;
}

export interface CachedResponse {
  status: number;
  url: string;
  contentType: string | undefined;
  body: Buffer;
  /** sha256 of `body`: a key for what callers derive from it (see readDerived). */
  sha256: string;
  /** How the answer was obtained: no request, a 304 revalidation, or a full response. */
  source: 'fresh' | 'revalidated' | 'network';
}

export interface HttpCacheOptions {
  now?: () => number;
}

const SHA256 = /^[0-9a-f]{64}$/;

export class HttpCache {
  private readonly now: () => number;

  constructor(
    readonly dir: string,
    private readonly http: HttpClient,
    options: HttpCacheOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * GET a page through the cache. `headers` take part in the key (an Accept header changes what
   * the server answers). Only 200 answers are stored; other statuses pass through.
   *
   * `derive` turns a 200 answer into what the caller needs (a parsed page). Its result is stored
   * in the same entry, so a later fresh or revalidated hit returns it without parsing again; a
   * derivation with another `id` (the parser changed) is computed afresh.
   */
  async get<T = never>(url: string, headers: Record<string, string> = {}, derive?: Derivation<T>): Promise<CachedResponse & { derived?: T }> {
    const key = sha256(JSON.stringify([url, headers.accept ?? headers.Accept ?? '']));
    const entryPath = this.path('pages', key, '.entry');
    const cached = this.readEntry(entryPath);

    if (cached && cached.meta.maxAgeSeconds !== undefined && this.now() - cached.meta.fetchedAt < cached.meta.maxAgeSeconds * 1000) {
      this.http.noteCacheHit(url);
      return this.fromEntry(entryPath, cached, cached.meta, 'fresh', derive);
    }
    const conditional: Record<string, string> = {};
    if (cached?.meta.etag) conditional['if-none-match'] = cached.meta.etag;
    if (cached?.meta.lastModified) conditional['if-modified-since'] = cached.meta.lastModified;

    const res = await this.http.get(url, { headers: { ...headers, ...conditional } });
    if (res.status === 304 && cached) {
      this.http.noteCacheHit(url);
      const maxAge = maxAgeOf(res.headers.get('cache-control')) ?? cached.meta.maxAgeSeconds;
      const meta: EntryMeta = { ...cached.meta, fetchedAt: this.now(), maxAgeSeconds: maxAge };
      if (maxAge === undefined) delete meta.maxAgeSeconds;
      return this.fromEntry(entryPath, cached, meta, 'revalidated', derive);
    }
    const answer: CachedResponse & { derived?: T } = {
      status: res.status,
      url: res.url,
      contentType: res.headers.get('content-type') ?? undefined,
      body: res.body,
      sha256: sha256(res.body),
      source: 'network',
    };
    if (res.status !== 200) return answer;
    const meta = this.metaFor(res, answer.sha256);
    if (!meta) return derive ? { ...answer, derived: derive.fn(answer) } : answer;
    // Stored before deriving: a page that fails to parse is still a page the server sent.
    let derived: { id: string; value: T } | undefined;
    try {
      if (derive) derived = { id: derive.id, value: derive.fn(answer) };
    } finally {
      this.writeEntry(entryPath, meta, res.body, derived);
    }
    return derived ? { ...answer, derived: derived.value } : answer;
  }

  /** An answer from a stored entry, deriving (and storing the result) when the entry lacks it. */
  private fromEntry<T>(path: string, cached: StoredEntry, meta: EntryMeta, source: 'fresh' | 'revalidated', derive: Derivation<T> | undefined): CachedResponse & { derived?: T } {
    const answer: CachedResponse = { status: 200, url: meta.url, contentType: meta.contentType, body: cached.body, sha256: meta.bodySha256, source };
    const known = derive && cached.derived?.id === derive.id && derive.check(cached.derived.value) ? cached.derived.value : undefined;
    if (known !== undefined) {
      if (source === 'revalidated') this.writeEntry(path, meta, cached.body, { id: derive!.id, value: known });
      return { ...answer, derived: known };
    }
    let derived: { id: string; value: T } | undefined;
    try {
      if (derive) derived = { id: derive.id, value: derive.fn(answer) };
    } finally {
      if (derived || source === 'revalidated') this.writeEntry(path, meta, cached.body, derived);
    }
    return derived ? { ...answer, derived: derived.value } : answer;
  }

  /**
   * A small content-addressed file (a PEP 658 metadata file): from the cache when present, else
   * downloaded, checked against `sha256` and stored. Without a hash it is fetched every time.
   * Undefined when the server answers 404/410 (the caller may have another way to the data).
   */
  async getImmutable(url: string, sha256Hex: string | undefined): Promise<Buffer | undefined> {
    if (sha256Hex && SHA256.test(sha256Hex)) {
      const path = this.blobPath(sha256Hex);
      const existing = await readFile(path).catch(() => undefined);
      if (existing && sha256(existing) === sha256Hex) {
        this.http.noteCacheHit(url);
        return existing;
      }
    }
    const res = await this.http.get(url);
    if (res.status === 404 || res.status === 410) return undefined;
    if (res.status !== 200) {
      throw new RefineryError('index', `GET ${redactUrl(url)} answered HTTP ${res.status}`, {
        fix: 'the index listed this file but does not serve it; retry later or report it to the index operator',
      });
    }
    const got = sha256(res.body);
    if (sha256Hex) {
      if (got !== sha256Hex) throw hashMismatch(url, sha256Hex, got);
      await writeFileAtomic(this.blobPath(got), res.body, { durable: false });
    }
    return res.body;
  }

  /**
   * Path of a verified copy of a distribution in the cache, downloading (streamed, hashed on the
   * way) when it is not there yet. `sha256Hex` is required: content addressing is the point.
   */
  async fetchBlob(url: string, sha256Hex: string): Promise<string> {
    if (!SHA256.test(sha256Hex)) throw new RefineryError('index', `invalid sha256 ${JSON.stringify(sha256Hex)} for ${redactUrl(url)}`);
    const path = this.blobPath(sha256Hex);
    // Re-hashed on every use: cheap next to a download, and a damaged blob is replaced, not trusted.
    if ((await exists(path)) && (await sha256File(path)) === sha256Hex) {
      this.http.noteCacheHit(url);
      return path;
    }
    await downloadVerified(this.http, url, path, sha256Hex);
    return path;
  }

  /** Where a blob with this hash lives (whether or not it is there). */
  blobPath(sha256Hex: string): string {
    return join(this.dir, 'blobs', 'sha256', sha256Hex.slice(0, 2), sha256Hex);
  }

  private path(kind: string, key: string, ext: string): string {
    return join(this.dir, kind, key.slice(0, 2), `${key}${ext}`);
  }

  /** Entry layout: meta JSON line, then (when meta.derived) the derived JSON line, then the body. */
  private readEntry(path: string): StoredEntry | undefined {
    let raw: Buffer;
    try {
      raw = readFileSync(path);
    } catch {
      return undefined;
    }
    try {
      const newline = raw.indexOf(0x0a);
      if (newline < 0) throw new Error('no header line');
      const meta = EntryMeta.parse(JSON.parse(raw.toString('utf8', 0, newline)));
      let bodyStart = newline + 1;
      let derived: StoredEntry['derived'];
      if (meta.derived !== undefined) {
        const end = raw.indexOf(0x0a, bodyStart);
        if (end < 0) throw new Error('no derived line');
        derived = { id: meta.derived, value: JSON.parse(raw.toString('utf8', bodyStart, end)) };
        bodyStart = end + 1;
      }
      const body = raw.subarray(bodyStart);
      if (body.length !== meta.bodySize || sha256(body) !== meta.bodySha256) throw new Error('body does not match its entry');
      return { meta, body, ...(derived ? { derived } : {}) };
    } catch {
      // Corrupt entry: forget it, the network has the truth.
      rmSync(path, { force: true });
      return undefined;
    }
  }

  /** Metadata to store a 200 answer under, or undefined when the server forbids storing it. */
  private metaFor(res: BufferedResponse, bodySha256: string): EntryMeta | undefined {
    const cacheControl = res.headers.get('cache-control') ?? '';
    if (/\bno-store\b/i.test(cacheControl)) return undefined;
    const maxAge = /\bno-cache\b/i.test(cacheControl) ? 0 : maxAgeOf(cacheControl);
    const meta: EntryMeta = { version: 1, url: res.url, status: 200, fetchedAt: this.now(), bodySha256, bodySize: res.body.length };
    const contentType = res.headers.get('content-type');
    if (contentType) meta.contentType = contentType;
    const etag = res.headers.get('etag');
    if (etag) meta.etag = etag;
    const lastModified = res.headers.get('last-modified');
    if (lastModified) meta.lastModified = lastModified;
    if (maxAge !== undefined) meta.maxAgeSeconds = maxAge;
    return meta;
  }

  /**
   * One synchronous write per entry (see the header comment). The meta line names the body's size
   * and hash, so a damaged entry is noticed on read. Best effort: a cache that cannot be written
   * (full disk, read-only folder) costs speed, not correctness.
   */
  private writeEntry(path: string, meta: EntryMeta, body: Buffer, derived?: { id: string; value: unknown }): void {
    const head: EntryMeta = { ...meta };
    delete head.derived;
    if (derived) head.derived = derived.id;
    const lines = `${JSON.stringify(head)}\n${derived ? `${JSON.stringify(derived.value)}\n` : ''}`;
    try {
      writeCacheFileSync(path, Buffer.concat([Buffer.from(lines), body]));
    } catch {
      // ignored on purpose
    }
  }
}

/**
 * Stream `url` to `dest` while hashing it; the file appears (atomic rename) only when the hash
 * matches, and a mismatch leaves nothing behind.
 */
export async function downloadVerified(http: HttpClient, url: string, dest: string, sha256Hex: string | undefined): Promise<string> {
  await mkdir(dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  try {
    const got = await http.stream(url, {}, async (res) => {
      if (res.status !== 200) {
        res.body.destroy();
        throw new RefineryError('index', `GET ${res.url} answered HTTP ${res.status}`, {
          fix: 'the index listed this file but does not serve it; retry later or report it to the index operator',
        });
      }
      const hash = createHash('sha256');
      res.body.on('data', (chunk: Buffer) => hash.update(chunk));
      await pipeline(res.body, createWriteStream(tmp));
      return hash.digest('hex');
    });
    if (sha256Hex && got !== sha256Hex) throw hashMismatch(url, sha256Hex, got);
    await rename(tmp, dest);
    return got;
  } finally {
    await rm(tmp, { force: true });
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function maxAgeOf(cacheControl: string | null): number | undefined {
  const m = cacheControl ? /(?:^|[,\s])max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl) : null;
  return m ? Number(m[1]) : undefined;
}

function hashMismatch(url: string, want: string, got: string): RefineryError {
  return new RefineryError('index', `sha256 mismatch for ${redactUrl(url)}: the index says ${want}, the download is ${got}`, {
    fix: 'the file was changed or corrupted in transit; retry, and report it to the index operator if it persists',
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
