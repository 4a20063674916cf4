/**
 * On-disk HTTP cache for index pages and content-addressed files.
 *
 * Pages: body + ETag + Last-Modified + max-age + fetch time. A fresh entry (within max-age) is
 * served without a request; a stale one is revalidated with If-None-Match / If-Modified-Since and a
 * 304 counts as a hit. No max-age means "revalidate every time" (no heuristic freshness).
 * Blobs (metadata files, distributions) are keyed by their sha256 and never revalidated.
 * Every write is atomic; an unreadable or inconsistent entry is dropped and refetched, never
 * reported to the user.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { RefineryError } from '../errors.js';
import { writeFileAtomic } from './fs.js';
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
});
type EntryMeta = z.infer<typeof EntryMeta>;

export interface CachedResponse {
  status: number;
  url: string;
  contentType: string | undefined;
  body: Buffer;
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
   */
  async get(url: string, headers: Record<string, string> = {}): Promise<CachedResponse> {
    const key = sha256(JSON.stringify([url, headers.accept ?? headers.Accept ?? '']));
    const metaPath = this.path('pages', key, '.json');
    const bodyPath = this.path('pages', key, '.body');
    const cached = await this.readEntry(metaPath, bodyPath);

    if (cached && cached.meta.maxAgeSeconds !== undefined && this.now() - cached.meta.fetchedAt < cached.meta.maxAgeSeconds * 1000) {
      this.http.noteCacheHit(url);
      return { status: 200, url: cached.meta.url, contentType: cached.meta.contentType, body: cached.body, source: 'fresh' };
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
      await this.writeMeta(metaPath, meta).catch(() => undefined);
      return { status: 200, url: cached.meta.url, contentType: cached.meta.contentType, body: cached.body, source: 'revalidated' };
    }
    // A cache that cannot be written (full disk, read-only dir) costs speed, not correctness.
    if (res.status === 200) await this.store(metaPath, bodyPath, res).catch(() => undefined);
    return { status: res.status, url: res.url, contentType: res.headers.get('content-type') ?? undefined, body: res.body, source: 'network' };
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

  private async readEntry(metaPath: string, bodyPath: string): Promise<{ meta: EntryMeta; body: Buffer } | undefined> {
    let raw: string;
    try {
      raw = await readFile(metaPath, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const meta = EntryMeta.parse(JSON.parse(raw));
      const body = await readFile(bodyPath);
      if (body.length !== meta.bodySize || sha256(body) !== meta.bodySha256) throw new Error('body does not match its entry');
      return { meta, body };
    } catch {
      // Corrupt or half-replaced entry: forget it, the network has the truth.
      await rm(metaPath, { force: true });
      await rm(bodyPath, { force: true });
      return undefined;
    }
  }

  private async store(metaPath: string, bodyPath: string, res: BufferedResponse): Promise<void> {
    const cacheControl = res.headers.get('cache-control') ?? '';
    if (/\bno-store\b/i.test(cacheControl)) return;
    const maxAge = /\bno-cache\b/i.test(cacheControl) ? 0 : maxAgeOf(cacheControl);
    const meta: EntryMeta = {
      version: 1,
      url: res.url,
      status: 200,
      fetchedAt: this.now(),
      bodySha256: sha256(res.body),
      bodySize: res.body.length,
    };
    const contentType = res.headers.get('content-type');
    if (contentType) meta.contentType = contentType;
    const etag = res.headers.get('etag');
    if (etag) meta.etag = etag;
    const lastModified = res.headers.get('last-modified');
    if (lastModified) meta.lastModified = lastModified;
    if (maxAge !== undefined) meta.maxAgeSeconds = maxAge;
    // Body first: the entry only becomes visible with its metadata, which names the body's hash.
    await writeFileAtomic(bodyPath, res.body, { durable: false });
    await this.writeMeta(metaPath, meta);
  }

  private async writeMeta(metaPath: string, meta: EntryMeta): Promise<void> {
    await writeFileAtomic(metaPath, JSON.stringify(meta), { durable: false });
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
