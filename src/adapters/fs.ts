import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** JSON with keys sorted at every level, two-space indent and a trailing newline: diffs stay small. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** A copy with object keys sorted at every level and undefined fields dropped. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && value.constructor === Object) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * Write a file so that readers see either the old or the new content, never a torn one:
 * temp file in the same directory, fsync, rename. `durable: false` skips the fsync, for caches,
 * where losing an entry in a power cut costs a refetch, not data (fsync costs ms per file).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: { durable?: boolean } = {}): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  // The folder usually exists: create it only when the write says it does not (a mkdir per write
  // was a third of a cold scan's time).
  const write = opts.durable === false ? () => writeFile(tmp, data) : () => writeDurably(tmp, data);
  try {
    await write().catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
      await mkdir(dirname(path), { recursive: true });
      await write();
    });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * The same atomic write, synchronous and without fsync: for many small cache entries. On the
 * scan benchmark (2 cores, the index server sharing them) this cost less in total than the
 * async calls, whose thread-pool round trips add CPU on every file (`npm run bench:scan`).
 */
let cacheWrites = 0;
export function writeCacheFileSync(path: string, data: string | Uint8Array): void {
  // pid + a counter is unique among concurrent writers, and cheaper than random bytes per file.
  const tmp = `${path}.${process.pid}.${++cacheWrites}.tmp`;
  try {
    try {
      writeFileSync(tmp, data);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(tmp, data);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

async function writeDurably(path: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, stableJson(value));
}
