/**
 * A page pack: the derived page entries of a cache (parsed project pages) in a single file, so a
 * scan reads one file instead of a thousand and a first scan creates one instead of a thousand
 * (creating and opening files costs more than the few kilobytes in each). Written whole and
 * atomically; a damaged pack reads as none, which costs refetches, never wrong answers.
 *
 * Layout: `refinery-pack 2 <index bytes> <sha256 of everything after the line>\n`, the index
 * (JSON: key -> [offset, length, meta]), then each entry's data back to back. Every entry's meta
 * (HTTP validators and what the caller keeps as JSON) is in the index, so a warm scan parses one
 * JSON document for all its pages instead of two small ones per page, and checks one hash instead
 * of one per page (`npm run bench:scan`); the data is only sliced, and read when asked for.
 */
import { readFileSync } from 'node:fs';
import { sha256 } from './blob-cache.js';
import { writeCacheFileSync } from './fs.js';

const MAGIC = 'refinery-pack 2 ';

/** One packed entry: JSON-able meta, and bytes the owner reads as it likes. */
export interface PackEntry {
  meta: unknown;
  data: Buffer;
}

export class PagePack {
  private constructor(private readonly index: Map<string, PackEntry>) {}

  get size(): number {
    return this.index.size;
  }

  /** Every key with its entry. */
  entries(): IterableIterator<[string, PackEntry]> {
    return this.index.entries();
  }

  /** The entry stored under `key`, or undefined. */
  get(key: string): PackEntry | undefined {
    return this.index.get(key);
  }

  /** The pack at `path`; null when there is none, it is damaged, or another layout. */
  static load(path: string): PagePack | null {
    let raw: Buffer;
    try {
      raw = readFileSync(path);
    } catch {
      return null;
    }
    try {
      const newline = raw.indexOf(0x0a);
      const head = raw.toString('latin1', 0, Math.max(newline, 0));
      if (newline < 0 || !head.startsWith(MAGIC)) return null;
      const [indexBytes, hash] = head.slice(MAGIC.length).split(' ');
      const body = raw.subarray(newline + 1);
      if (sha256(body) !== hash) return null;
      const indexEnd = Number(indexBytes);
      const spans = JSON.parse(body.toString('utf8', 0, indexEnd)) as Record<string, [number, number, unknown]>;
      const data = body.subarray(indexEnd);
      const index = new Map<string, PackEntry>();
      for (const key in spans) {
        const span = spans[key]!;
        if (!Array.isArray(span) || !Number.isInteger(span[0]) || !Number.isInteger(span[1]) || span[0] < 0 || span[0] + span[1] > data.length) return null;
        index.set(key, { meta: span[2], data: data.subarray(span[0], span[0] + span[1]) });
      }
      return new PagePack(index);
    } catch {
      return null;
    }
  }

  /** Write `entries` as the pack at `path` (atomically; best effort like every cache write). */
  static write(path: string, entries: ReadonlyMap<string, PackEntry>): void {
    const spans: Record<string, [number, number, unknown]> = {};
    const datas: Buffer[] = [];
    let at = 0;
    for (const [key, { meta, data }] of entries) {
      spans[key] = [at, data.length, meta];
      datas.push(data);
      at += data.length;
    }
    const index = Buffer.from(JSON.stringify(spans));
    const body = Buffer.concat([index, ...datas]);
    try {
      writeCacheFileSync(path, Buffer.concat([Buffer.from(`${MAGIC}${index.length} ${sha256(body)}\n`), body]));
    } catch {
      // a cache that cannot be written costs speed only
    }
  }
}
