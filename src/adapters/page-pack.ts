/**
 * A page pack: the derived page entries of a cache (parsed project pages) in a single file, so a
 * scan reads one file instead of a thousand and a first scan creates one instead of a thousand
 * (creating and opening files costs more than the few kilobytes in each). Written whole and
 * atomically; a damaged pack reads as none, which costs refetches, never wrong answers.
 *
 * Layout: `refinery-pack 1 <index bytes>\n`, the index (JSON: key -> [offset, length]), then
 * the entries back to back, each exactly as in its entry file.
 */
import { readFileSync } from 'node:fs';
import { writeCacheFileSync } from './fs.js';

const MAGIC = 'refinery-pack 1 ';

export class PagePack {
  private constructor(
    private readonly index: Map<string, [number, number]>,
    private readonly data: Buffer,
  ) {}

  get size(): number {
    return this.index.size;
  }

  /** Every key with its entry. */
  *entries(): Generator<[string, Buffer]> {
    for (const [key, [at, length]] of this.index) yield [key, this.data.subarray(at, at + length)];
  }

  /** The entry stored under `key`, or undefined. */
  get(key: string): Buffer | undefined {
    const span = this.index.get(key);
    return span ? this.data.subarray(span[0], span[0] + span[1]) : undefined;
  }

  /** The pack at `path`; null when there is none or it is damaged (entry files still answer). */
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
      const indexBytes = Number(head.slice(MAGIC.length));
      const indexEnd = newline + 1 + indexBytes;
      const entries = JSON.parse(raw.toString('utf8', newline + 1, indexEnd)) as Record<string, [number, number]>;
      const data = raw.subarray(indexEnd);
      const index = new Map<string, [number, number]>();
      for (const [key, span] of Object.entries(entries)) {
        if (!Array.isArray(span) || !Number.isInteger(span[0]) || !Number.isInteger(span[1]) || span[0] < 0 || span[0] + span[1] > data.length) return null;
        index.set(key, span);
      }
      return new PagePack(index, data);
    } catch {
      return null;
    }
  }

  /** Write `entries` as the pack at `path` (atomically; best effort like every cache write). */
  static write(path: string, entries: ReadonlyMap<string, Buffer>): void {
    const index: Record<string, [number, number]> = {};
    let at = 0;
    for (const [key, bytes] of entries) {
      index[key] = [at, bytes.length];
      at += bytes.length;
    }
    const indexJson = Buffer.from(JSON.stringify(index));
    try {
      writeCacheFileSync(path, Buffer.concat([Buffer.from(`${MAGIC}${indexJson.length}\n`), indexJson, ...entries.values()]));
    } catch {
      // a cache that cannot be written costs speed only
    }
  }
}
