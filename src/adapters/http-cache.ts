/**
 * On-disk HTTP cache for index pages (content-addressed files are blob-cache.ts's).
 *
 * Pages: ETag + Last-Modified + max-age + fetch time. A fresh entry (within max-age) is served
 * without a request; a stale one is revalidated with If-None-Match / If-Modified-Since and a 304
 * counts as a hit. No max-age means "revalidate every time" (no heuristic freshness).
 * Every write is atomic; an unreadable or inconsistent entry is dropped and refetched, never
 * reported to the user.
 *
 * A page entry is either the body (`get`: one file per entry, a meta JSON line, then the body) or
 * only what the caller derived from the body (`getDerived`: the parsed page, which is all a later
 * run needs). Derived entries are kept together in one pack file written when a scan is done
 * (page-pack.ts), the meta and the derivation's JSON part in the pack's index: creating a thousand
 * small files was the largest cost of a cold scan, and opening them of a warm one
 * (`npm run bench:scan`). Files are read and written synchronously: one small
 * synchronous call costs less than the async open/stat/read/close round trips of the thread pool.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BlobCache, sha256 } from './blob-cache.js';
import { writeCacheFileSync } from './fs.js';
import { type PackEntry, PagePack } from './page-pack.js';
import type { BufferedResponse, HttpClient } from './http.js';

export { sha256, sha256File } from './blob-cache.js';

/** The meta line of a page entry. */
interface EntryMeta {
  version: 2;
  url: string;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  maxAgeSeconds?: number;
  fetchedAt: number;
  /** What follows the meta line: the body (its size and sha256), or a derivation (its id). */
  body?: { size: number; sha256: string };
  derived?: string;
  /** A derivation's JSON part (see Derivation.encode); its bytes follow as the entry's data. */
  head?: unknown;
}

/**
 * The meta line checked field by field rather than with zod: these are the refinery's own files,
 * a warm scan reads a thousand of them, and zod's first thousand parses in a fresh process cost
 * a tenth of that scan (`npm run bench:scan`). Anything unexpected makes the entry unusable.
 */
function entryMetaOf(v: unknown): EntryMeta {
  const m = v as Record<string, unknown> | null;
  const optionalString = (k: string) => m![k] === undefined || typeof m![k] === 'string';
  const body = m?.body as { size?: unknown; sha256?: unknown } | undefined;
  const ok =
    typeof m === 'object' &&
    m !== null &&
    m.version === 2 &&
    typeof m.url === 'string' &&
    typeof m.fetchedAt === 'number' &&
    (m.maxAgeSeconds === undefined || (typeof m.maxAgeSeconds === 'number' && m.maxAgeSeconds >= 0)) &&
    optionalString('contentType') &&
    optionalString('etag') &&
    optionalString('lastModified') &&
    optionalString('derived') &&
    (body === undefined ? typeof m.derived === 'string' : Number.isInteger(body.size) && typeof body.sha256 === 'string' && SHA256.test(body.sha256));
  if (!ok) throw new Error('malformed cache entry meta');
  return m as unknown as EntryMeta;
}

/** What a caller computes from a 200 page answer, kept instead of the body (see getDerived). */
export interface Derivation<T> {
  /** Changes whenever `fn` or the encoding would give something different for the same answer. */
  id: string;
  fn(answer: PageAnswer): T;
  /**
   * The stored form: `head` is JSON kept with the entry's meta (parsed with every other entry's in
   * one go when the pack is read), `data` bytes the value reads itself, when it needs them.
   */
  encode(value: T): { head: unknown; data: Buffer };
  /** The stored value back; undefined when damaged (the entry is then dropped and refetched). */
  decode(head: unknown, data: Buffer): T | undefined;
}

/** A 200 page as `fn` sees it. */
export interface PageAnswer {
  status: number;
  url: string;
  contentType: string | undefined;
  body: Buffer;
}

export interface CachedResponse extends PageAnswer {
  /** How the answer was obtained: no request, a 304 revalidation, or a full response. */
  source: 'fresh' | 'revalidated' | 'network';
}

export interface DerivedResponse<T> {
  status: number;
  url: string;
  source: CachedResponse['source'];
  /** The derivation of a 200 answer; absent for other statuses. */
  derived?: T;
}

export interface HttpCacheOptions {
  now?: () => number;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** What a stored entry can answer with: its body, or the derivation asked for. */
type Stored<T> = { meta: EntryMeta; body: Buffer; derived?: undefined } | { meta: EntryMeta; body?: undefined; derived: T };

/** How long entries another scan packed are kept in this cache's pack without being used. */
const PACK_KEEP_DAYS = 30;

/** A derivation as packed: the meta carries its JSON part, the data its bytes. */
function packEntry(meta: EntryMeta, encoded: { head: unknown; data: Buffer }): PackEntry {
  return { meta: { ...meta, head: encoded.head }, data: encoded.data };
}

/** An entry file: its meta line, then the body. */
function entryBytes(meta: EntryMeta, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${JSON.stringify(meta)}\n`), content]);
}

/**
 * Page entries are keyed by URL and Accept header (the same URL answers JSON or HTML); a URL
 * holds no line break, so one separates them unambiguously.
 */
export function entryKey(url: string, headers: Record<string, string>): string {
  return `${url}\n${headers.accept ?? headers.Accept ?? ''}`;
}

export class HttpCache {
  private readonly now: () => number;
  /** The previous scan's entries in one file (undefined: not read yet; null: none). */
  private pack: PagePack | null | undefined;
  /** Derived entries served or stored by this cache, for the next pack. */
  private readonly used = new Map<string, PackEntry>();
  private packStale = false;

  constructor(
    readonly dir: string,
    private readonly http: HttpClient,
    options: HttpCacheOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.blobs = new BlobCache(dir, http);
  }

  /** Metadata files and distributions, by sha256 (the methods below hand over to it). */
  private readonly blobs: BlobCache;

  /**
   * GET a page through the cache. `headers` take part in the key (an Accept header changes what
   * the server answers). Only 200 answers are stored; other statuses pass through.
   */
  async get(url: string, headers: Record<string, string> = {}): Promise<CachedResponse> {
    const key = entryKey(url, headers);
    const raw = this.readEntryFile(key);
    const stored = raw && this.parseEntry(raw);
    if (raw && !stored) rmSync(this.entryPath(key), { force: true });
    const got = await this.revalidate(url, headers, stored || undefined);
    if (got.kind === 'network') {
      const res = got.res;
      const answer: CachedResponse = {
        status: res.status,
        url: res.url,
        contentType: res.headers.get('content-type') ?? undefined,
        body: res.body,
        source: 'network',
      };
      const meta = res.status === 200 ? this.metaFor(res) : undefined;
      if (meta) this.writeEntry(key, entryBytes({ ...meta, body: { size: res.body.length, sha256: sha256(res.body) } }, res.body));
      return answer;
    }
    const { meta, body } = got.stored as { meta: EntryMeta; body: Buffer };
    if (got.kind === 'revalidated') this.writeEntry(key, entryBytes(got.meta, body));
    return { status: 200, url: meta.url, contentType: meta.contentType, body, source: got.kind };
  }

  /**
   * GET a page and return what `derive` makes of it, storing that instead of the body: a later
   * fresh or revalidated hit answers without reading or parsing the page again. An entry with
   * another derivation id (the parser changed) is a miss, fetched without validators; one that does
   * not decode is dropped and fetched likewise. An answer that `derive.fn` rejects (throws) is not
   * stored.
   */
  async getDerived<T>(url: string, headers: Record<string, string>, derive: Derivation<T>): Promise<DerivedResponse<T>> {
    const key = entryKey(url, headers);
    const packed = this.packed(key);
    let stored = packed && this.unpack(packed, derive);
    if (!stored) {
      // a page stored by get() (a body entry) is derived once, then packed
      const raw = this.readEntryFile(key);
      stored = raw && this.parseEntry(raw);
    }
    const got = await this.revalidate(url, headers, stored || undefined);
    if (got.kind === 'network') {
      const res = got.res;
      if (res.status !== 200) return { status: res.status, url: res.url, source: 'network' };
      const answer: PageAnswer = { status: 200, url: res.url, contentType: res.headers.get('content-type') ?? undefined, body: res.body };
      const derived = derive.fn(answer);
      const meta = this.metaFor(res);
      if (meta) this.keep(key, packEntry({ ...meta, derived: derive.id }, derive.encode(derived)));
      return { status: 200, url: res.url, source: 'network', derived };
    }
    const entry = got.stored;
    const derived = entry.derived ?? derive.fn({ status: 200, url: entry.meta.url, contentType: entry.meta.contentType, body: entry.body! });
    if (got.kind === 'revalidated' || entry.derived === undefined) {
      const { body: _body, head: _head, ...meta } = got.meta;
      this.keep(key, packEntry({ ...meta, derived: derive.id }, derive.encode(derived)));
    } else this.keep(key, packed!, true);
    return { status: 200, url: entry.meta.url, source: got.kind, derived };
  }

  /**
   * The derivation of a page whose packed entry is fresh, at once (no request, no wait); undefined
   * otherwise, and then getDerived fetches or revalidates. A warm scan asks a thousand of these:
   * answering synchronously spares each a chain of promise hops (`npm run bench:scan`).
   */
  freshDerived<T>(url: string, headers: Record<string, string>, derive: Derivation<T>): T | undefined {
    const key = entryKey(url, headers);
    const packed = this.packed(key);
    const stored = packed && this.unpack(packed, derive);
    if (!stored || !this.isFresh(stored.meta)) return undefined;
    this.http.noteCacheHit(url);
    this.keep(key, packed, true);
    return stored.derived;
  }

  /** A derived entry: served or stored by this cache, else from the previous scans' pack. */
  private packed(key: string): PackEntry | undefined {
    return this.used.get(key) ?? this.loadPack()?.get(key);
  }

  private isFresh(meta: EntryMeta): boolean {
    return meta.maxAgeSeconds !== undefined && this.now() - meta.fetchedAt < meta.maxAgeSeconds * 1000;
  }

  /**
   * Write the derived entries this cache served or stored into the pack, one file the next scan
   * reads instead of one per project. Entries other scans of this cache packed stay, unless they
   * are older than PACK_KEEP_DAYS. Nothing is written when every entry came from the pack
   * unchanged. Derived entries are only kept this way: call it once a scan is done (also when it
   * failed), or its pages are fetched again next time.
   */
  savePack(): void {
    if (!this.packStale) return;
    const merged = new Map(this.used);
    const oldest = this.now() - PACK_KEEP_DAYS * 86_400_000;
    for (const [key, entry] of this.loadPack()?.entries() ?? []) {
      const fetchedAt = (entry.meta as { fetchedAt?: unknown } | null)?.fetchedAt;
      if (!merged.has(key) && typeof fetchedAt === 'number' && fetchedAt >= oldest) merged.set(key, entry);
    }
    PagePack.write(join(this.dir, 'pages.pack'), merged);
    this.packStale = false;
  }

  private loadPack(): PagePack | null {
    if (this.pack === undefined) this.pack = PagePack.load(join(this.dir, 'pages.pack'));
    return this.pack;
  }

  /** Remember an entry for the pack; one that did not come from the pack unchanged makes it stale. */
  private keep(key: string, entry: PackEntry, fromPack = false): void {
    this.used.set(key, entry);
    if (!fromPack) this.packStale = true;
  }

  /** Fresh entries answer alone; stale ones are revalidated; misses go to the network. */
  private async revalidate<T>(
    url: string,
    headers: Record<string, string>,
    stored: Stored<T> | undefined,
  ): Promise<{ kind: 'fresh' | 'revalidated'; stored: Stored<T>; meta: EntryMeta } | { kind: 'network'; res: BufferedResponse }> {
    const meta = stored?.meta;
    if (stored && this.isFresh(meta!)) {
      this.http.noteCacheHit(url);
      return { kind: 'fresh', stored, meta: meta! };
    }
    const conditional: Record<string, string> = {};
    if (meta?.etag) conditional['if-none-match'] = meta.etag;
    if (meta?.lastModified) conditional['if-modified-since'] = meta.lastModified;
    const res = await this.http.get(url, { headers: { ...headers, ...conditional } });
    if (res.status === 304 && stored) {
      this.http.noteCacheHit(url);
      const maxAge = maxAgeOf(res.headers.get('cache-control')) ?? meta!.maxAgeSeconds;
      const renewed: EntryMeta = { ...meta!, fetchedAt: this.now(), maxAgeSeconds: maxAge };
      if (maxAge === undefined) delete renewed.maxAgeSeconds;
      return { kind: 'revalidated', stored, meta: renewed };
    }
    return { kind: 'network', res };
  }

  /** A small content-addressed file (a PEP 658 metadata file); see BlobCache.getImmutable. */
  getImmutable(url: string, sha256Hex: string | undefined): Promise<Buffer | undefined> {
    return this.blobs.getImmutable(url, sha256Hex);
  }

  /** A verified copy of a distribution; see BlobCache.fetchBlob. */
  fetchBlob(url: string, sha256Hex: string, size?: number): Promise<string> {
    return this.blobs.fetchBlob(url, sha256Hex, size);
  }

  blobPath(sha256Hex: string): string {
    return this.blobs.blobPath(sha256Hex);
  }

  /**
   * One flat folder of page entries: a first scan creates a thousand of them, and fanning them out
   * over 256 sub-folders cost 256 mkdirs on top (ext4 and the like index large folders anyway).
   */
  private entryPath(key: string): string {
    return join(this.dir, 'pages', `${sha256(key)}.entry`);
  }

  private readEntryFile(key: string): Buffer | undefined {
    try {
      return readFileSync(this.entryPath(key));
    } catch {
      return undefined;
    }
  }

  /**
   * An entry file: the meta line, then the body. Undefined when damaged (the body must match the
   * size and sha256 on the meta line) or not a body entry.
   */
  private parseEntry(raw: Buffer): Stored<never> | undefined {
    try {
      const newline = raw.indexOf(0x0a);
      if (newline < 0) return undefined;
      const meta = entryMetaOf(JSON.parse(raw.toString('utf8', 0, newline)));
      const rest = raw.subarray(newline + 1);
      if (!meta.body || rest.length !== meta.body.size || sha256(rest) !== meta.body.sha256) return undefined;
      return { meta, body: rest };
    } catch {
      return undefined;
    }
  }

  /** A packed entry as `derive`'s value; undefined when another derivation's, or damaged. */
  private unpack<T>(entry: PackEntry, derive: Derivation<T>): Stored<T> | undefined {
    try {
      const meta = entryMetaOf(entry.meta);
      if (meta.derived !== derive.id) return undefined; // another parser's entry: fetch afresh
      const value = derive.decode(meta.head, entry.data);
      return value === undefined ? undefined : { meta, derived: value };
    } catch {
      return undefined;
    }
  }

  /** Metadata to store a 200 answer under, or undefined when the server forbids storing it. */
  private metaFor(res: BufferedResponse): Omit<EntryMeta, 'body' | 'derived'> | undefined {
    const cacheControl = res.headers.get('cache-control') ?? '';
    if (/\bno-store\b/i.test(cacheControl)) return undefined;
    const maxAge = /\bno-cache\b/i.test(cacheControl) ? 0 : maxAgeOf(cacheControl);
    const meta: Omit<EntryMeta, 'body' | 'derived'> = { version: 2, url: res.url, fetchedAt: this.now() };
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
   * One synchronous write per entry (see the header comment). Best effort: a cache that cannot be
   * written (full disk, read-only folder) costs speed, not correctness.
   */
  private writeEntry(key: string, bytes: Buffer): void {
    try {
      writeCacheFileSync(this.entryPath(key), bytes);
    } catch {
      // ignored on purpose
    }
  }
}

export function maxAgeOf(cacheControl: string | null): number | undefined {
  const m = cacheControl ? /(?:^|[,\s])max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl) : null;
  return m ? Number(m[1]) : undefined;
}
