import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, utimes, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { RefineryError } from '../../errors.js';
import { LOCK_FILE } from './layout.js';

/**
 * One writer per state folder. The lock is the file `<state>/.lock`, created with O_EXCL and
 * holding its owner (pid, host, start time, a random token). The holder touches its mtime every
 * `staleMs / 10`; another writer waits (bounded, said once) and takes the lock over when it is
 * stale: its owner's pid is dead on this host, or it was not touched for `staleMs` (another host, a
 * reused pid, a hung process). A SIGKILLed writer therefore never blocks the next one for long.
 *
 * Why not proper-lockfile: its staleness is mtime only (a killed owner blocks everyone for `stale`
 * ms, at least 2 s: 70 times in the crash test) and it records no owner to name to whoever waits.
 *
 * The lock is re-entrant within one async call chain (AsyncLocalStorage), so `record --commit git`
 * holds it across record and the commit-back while record() and saveState() inside reuse it, and
 * concurrent calls in one process (Promise.all over record()) exclude each other like processes do.
 * The lock's file operations are synchronous: a few tiny calls, where the thread-pool round trips
 * of async ones cost more than the calls (`npm run bench:state` measures the lock's cost).
 */

export interface StateLockOptions {
  /** How long to wait for another writer before failing (ms; default 10 minutes). */
  waitMs?: number;
  /** A lock not touched for this long is stale (ms; default 5 minutes). */
  staleMs?: number;
  /** What this writer does, shown to whoever waits (e.g. `record`). */
  purpose?: string;
  /** Where the one-line notices go (waiting, taking over a stale lock). */
  log?: (line: string) => void;
}

export const DEFAULT_LOCK_WAIT_MS = 10 * 60_000;
export const DEFAULT_LOCK_STALE_MS = 5 * 60_000;
/** An unreadable lock (a writer killed between creating and filling it) is stale after this. */
const UNREADABLE_GRACE_MS = 10_000;

const LockOwner = z.strictObject({
  schema: z.literal('refinery/lock@1'),
  pid: z.number().int().positive(),
  host: z.string(),
  started: z.string(),
  token: z.string(),
  purpose: z.string().optional(),
});
type LockOwner = z.infer<typeof LockOwner>;

interface Held {
  file: string;
  token: string;
  /** Throws when the lock is no longer ours (taken over as stale); no-op for the benchmark baseline. */
  verify: () => Promise<void>;
}

const held = new AsyncLocalStorage<ReadonlyMap<string, Held>>();

/** Run `fn` holding the lock of the state folder `dir` (created when missing). */
export async function withStateLock<T>(dir: string, fn: () => Promise<T>, o: StateLockOptions = {}): Promise<T> {
  const key = resolve(dir);
  const outer = held.getStore();
  if (outer?.has(key)) return fn();
  const lock = await acquire(key, o);
  try {
    return await held.run(new Map([...(outer ?? []), [key, lock.held]]), fn);
  } finally {
    await lock.release();
  }
}

/** Whether this call chain holds the lock of `dir`. */
export function holdsStateLock(dir: string): boolean {
  return held.getStore()?.has(resolve(dir)) ?? false;
}

/** Fail unless this call chain still holds the lock of `dir` (checked before a write's commit point). */
export async function verifyStateLock(dir: string): Promise<void> {
  const h = held.getStore()?.get(resolve(dir));
  if (!h) throw new Error(`internal: the state lock of ${dir} is not held`);
  await h.verify();
}

/** Benchmark baseline only (bench/state.ts): run `fn` as if it held the lock, without taking it. */
export function withoutStateLockForBaseline<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const key = resolve(dir);
  return held.run(new Map([...(held.getStore() ?? []), [key, { file: join(key, LOCK_FILE), token: '', verify: async () => {} }]]), fn);
}

async function acquire(dir: string, o: StateLockOptions): Promise<{ held: Held; release: () => Promise<void> }> {
  const file = join(dir, LOCK_FILE);
  const waitMs = o.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const staleMs = o.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const log = o.log ?? (() => {});
  const created = { folder: false };
  const owner: LockOwner = {
    schema: 'refinery/lock@1',
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
    ...(o.purpose ? { purpose: o.purpose } : {}),
  };
  const deadline = Date.now() + waitMs;
  let waiting = false;
  for (;;) {
    if (tryCreate(dir, file, owner, created)) break;
    const seen = inspect(file);
    if (!seen) continue; // released meanwhile
    const stale = staleReason(seen, staleMs);
    if (stale) {
      if (takeOver(file, seen, owner.token)) log(`took over the stale state lock ${file}: ${describeOwner(seen)} ${stale}`);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new RefineryError('conflict', `timed out after ${Math.round(waitMs / 1000)} s waiting for the state lock ${file}, held by ${describeOwner(seen)}`, {
        fix: `let that run finish and record again (or wait longer with --lock-wait); if that process is gone for good, delete ${file}`,
      });
    }
    if (!waiting) {
      log(`waiting for the state lock ${file}: held by ${describeOwner(seen)}`);
      waiting = true;
    }
    await sleep(20 + Math.random() * 80);
  }

  let lost: string | undefined;
  const refresh = setInterval(
    () => {
      const now = new Date();
      utimes(file, now, now, (e) => {
        if (e) lost ??= e.code ?? String(e);
      });
    },
    Math.max(50, Math.floor(staleMs / 10)),
  );
  refresh.unref();
  const verify = async () => {
    if (ownerOf(file)?.token === owner.token) return;
    const now = inspect(file);
    throw new RefineryError(
      'conflict',
      `this run lost the state lock ${file}${now ? ` to ${describeOwner(now)}` : ''}${lost ? ` (${lost})` : ''}: it was taken over as stale; nothing more was written`,
      {
        fix: 'record again: what this run did not write is still in its results folder',
      },
    );
  };
  const release = async () => {
    clearInterval(refresh);
    if (ownerOf(file)?.token === owner.token) unlinkSync(file);
    // Leave no empty folder behind when this run made it (e.g. record refused its results).
    if (created.folder) {
      try {
        rmdirSync(dir);
      } catch {
        // Not empty: the state was written.
      }
    }
  };
  return { held: { file, token: owner.token, verify }, release };
}

function makeFolder(dir: string): boolean {
  try {
    return mkdirSync(dir, { recursive: true }) !== undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RefineryError('state', `cannot create the state folder: ${code ?? String(e)}`, {
      location: { file: dir },
      fix: code === 'EEXIST' || code === 'ENOTDIR' ? 'point --state at a folder (this path is a file)' : 'check the permissions of the state folder',
    });
  }
}

/** O_EXCL create of the lock with our owner in it; false when someone holds it. */
function tryCreate(dir: string, file: string, owner: LockOwner, created: { folder: boolean }): boolean {
  try {
    writeFileSync(file, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // No state folder yet (or a writer that had made it removed it again, empty): make it.
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (makeFolder(dir)) created.folder = true;
      return false;
    }
    throw new RefineryError('state', `cannot create the state lock: ${code ?? String(e)}`, {
      location: { file },
      fix: 'check that the state folder is writable',
    });
  }
}

/** The owner written in a lock file; undefined when it is missing or unreadable. */
function ownerOf(file: string): LockOwner | undefined {
  try {
    return parseOwner(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const parsed = LockOwner.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

interface Seen {
  owner: LockOwner | undefined;
  mtimeMs: number;
  ino: number;
}

/** The lock's owner and age; undefined when there is no lock. */
function inspect(file: string): Seen | undefined {
  try {
    const st = statSync(file);
    const text = readFileSync(file, 'utf8');
    return { owner: parseOwner(text), mtimeMs: st.mtimeMs, ino: st.ino };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function staleReason(seen: Seen, staleMs: number): string | undefined {
  const age = Date.now() - seen.mtimeMs;
  if (!seen.owner) return age > UNREADABLE_GRACE_MS ? 'is unreadable' : undefined;
  if (seen.owner.host === hostname() && !alive(seen.owner.pid)) return 'is no longer running';
  if (age > staleMs) return `has not refreshed it for ${Math.round(age / 1000)} s`;
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the stale lock `seen`, and only it: move the lock aside, and when what was moved is not
 * `seen` (another waiter took over first and made a fresh lock), put it back. Returns whether the
 * stale lock was removed.
 */
function takeOver(file: string, seen: Seen, token: string): boolean {
  const aside = `${file}.${token}.stale.tmp`;
  try {
    renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  const moved = inspect(aside);
  const same = moved !== undefined && moved.ino === seen.ino && moved.mtimeMs === seen.mtimeMs && moved.owner?.token === seen.owner?.token;
  // A fresh lock is put back without replacing one that appeared meanwhile; its owner's
  // verify() fails loudly if a third writer got in between.
  if (!same && moved) {
    try {
      linkSync(aside, file);
    } catch {
      // A third writer holds it now.
    }
  }
  unlinkSync(aside);
  return same;
}

function describeOwner(seen: Seen): string {
  const o = seen.owner;
  if (!o) return `an unknown writer (unreadable lock, modified ${new Date(seen.mtimeMs).toISOString()})`;
  return `${o.purpose ? `refinery ${o.purpose}` : 'refinery'} (pid ${o.pid} on ${o.host}, since ${o.started})`;
}
