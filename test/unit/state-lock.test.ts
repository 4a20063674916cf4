// The state folder's writer lock (src/domain/state/lock.ts) and saveState's recovery under it (write.ts):
// real files, real processes for dead owners.
import { spawn } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefineryError } from '../../src/errors.js';
import { record } from '../../src/stages/record/record.js';
import { runId } from '../../src/stages/record/results.js';
import { emptyState, loadState, saveState, stateFiles, withStateLock } from '../../src/domain/state/index.js';
import { makeResult, writeResults, type ResultSpec } from '../helpers/state-results.js';

const T0 = Date.parse('2026-06-01T00:00:00Z');
let root: string;
let seq = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-state-lock-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const spec = (i: number): ResultSpec => ({
  pkg: i % 2 ? 'numpy' : 'lxml',
  version: `1.${i}`,
  start: T0 + i * 60_000,
  runner: `r${i}`,
  attempts: [{ status: 'failure', failureClass: 'transient' }, { status: 'success' }],
});
async function results(...specs: ResultSpec[]): Promise<string> {
  const dir = join(root, `results-${seq++}`);
  await writeResults(dir, specs);
  return dir;
}
const keys = async (state: string) => [...(await loadState(state)).packages.values()].flatMap((p) => p.history.map((h) => `${h.run}#${h.attempt}`)).sort();
const expectedKeys = (...specs: ResultSpec[]) => specs.flatMap((s) => makeResult(s).attempts.map((a) => `${runId(makeResult(s))}#${a.n}`)).sort();
const lockFile = (state: string) => join(state, '.lock');
const folder = async (name: string) => {
  const dir = join(root, `${name}-${seq++}`);
  await mkdir(dir, { recursive: true });
  return dir;
};
const foreignLock = (o: { pid: number; host?: string; token?: string }) =>
  `${JSON.stringify({ schema: 'refinery/lock@1', pid: o.pid, host: o.host ?? hostname(), started: '2026-06-01T00:00:00.000Z', token: o.token ?? 'f'.repeat(16), purpose: 'record' })}\n`;

/** The pid of a process that has exited (so it is dead on this host). */
async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((ok) => p.on('exit', ok));
  return p.pid!;
}

describe('one writer per state folder', () => {
  it('a second record waits, says once for whom, then merges on top of the first', async () => {
    const state = await folder('wait');
    const lines: string[] = [];
    let release!: () => void;
    const holding = new Promise<void>((ok) => (release = ok));
    let entered!: () => void;
    const inside = new Promise<void>((ok) => (entered = ok));
    const first = withStateLock(
      state,
      async () => {
        await record(await results(spec(0)), state);
        entered();
        await holding;
      },
      { purpose: 'record' },
    );
    await inside;
    const second = record(await results(spec(1)), state, { lock: { log: (l) => lines.push(l) } });
    await sleep(400);
    // Still waiting: nothing of the second writer is in the state yet.
    expect(await keys(state)).toEqual(expectedKeys(spec(0)));
    release();
    await first;
    await second;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`waiting for the state lock ${lockFile(state)}: held by refinery record (pid ${process.pid} on ${hostname()}, since `);
    expect(await keys(state)).toEqual(expectedKeys(spec(0), spec(1)));
    expect(existsSync(lockFile(state))).toBe(false);
  });

  it('a writer that waits too long fails with one error naming the lock file and its owner, and writes nothing', async () => {
    const state = await folder('timeout');
    await record(await results(spec(0)), state);
    const before = Object.fromEntries(stateFiles(await loadState(state)));
    let release!: () => void;
    const holding = new Promise<void>((ok) => (release = ok));
    let entered!: () => void;
    const inside = new Promise<void>((ok) => (entered = ok));
    const holder = withStateLock(
      state,
      async () => {
        entered();
        return holding;
      },
      { purpose: 'queue add' },
    );
    await inside;
    const err = await record(await results(spec(1)), state, { lock: { waitMs: 300 } }).catch((e: unknown) => e);
    release();
    await holder;
    expect(err).toBeInstanceOf(RefineryError);
    expect((err as RefineryError).code).toBe('conflict');
    expect((err as RefineryError).message).toMatch(
      new RegExp(`^timed out after 0 s waiting for the state lock ${lockFile(state)}, held by refinery queue add \\(pid ${process.pid} on `),
    );
    expect((err as RefineryError).fix).toContain(`delete ${lockFile(state)}`);
    expect(Object.fromEntries(stateFiles(await loadState(state)))).toEqual(before);
  });

  it('takes over the lock of a dead process on this host at once, saying so in one line', async () => {
    const state = await folder('dead');
    const pid = await deadPid();
    await writeFile(lockFile(state), foreignLock({ pid }));
    const lines: string[] = [];
    const t = performance.now();
    await record(await results(spec(0)), state, { lock: { log: (l) => lines.push(l), waitMs: 60_000 } });
    expect(performance.now() - t).toBeLessThan(30_000);
    expect(lines).toEqual([
      `took over the stale state lock ${lockFile(state)}: refinery record (pid ${pid} on ${hostname()}, since 2026-06-01T00:00:00.000Z) is no longer running`,
    ]);
    expect(await keys(state)).toEqual(expectedKeys(spec(0)));
    expect((await readdir(state)).filter((f) => f.startsWith('.lock'))).toEqual([]);
  });

  it('waits for a fresh lock of another host, and takes it over once it is older than the bound', async () => {
    const state = await folder('host');
    await writeFile(lockFile(state), foreignLock({ pid: 1, host: 'runner-elsewhere' }));
    const err = await record(await results(spec(0)), state, { lock: { waitMs: 200, staleMs: 60_000 } }).catch((e: unknown) => e);
    expect((err as RefineryError).message).toContain('held by refinery record (pid 1 on runner-elsewhere, since 2026-06-01T00:00:00.000Z)');
    const old = new Date(Date.now() - 120_000);
    await utimes(lockFile(state), old, old);
    const lines: string[] = [];
    await record(await results(spec(0)), state, { lock: { waitMs: 200, staleMs: 60_000, log: (l) => lines.push(l) } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^took over the stale state lock .*: refinery record \(pid 1 on runner-elsewhere, since .*\) has not refreshed it for 1[12]\d s$/);
    expect(await keys(state)).toEqual(expectedKeys(spec(0)));
  });

  it('an unreadable lock is waited for while it may be being written, then taken over', async () => {
    const state = await folder('unreadable');
    await writeFile(lockFile(state), '');
    const err = await record(await results(spec(0)), state, { lock: { waitMs: 200 } }).catch((e: unknown) => e);
    expect((err as RefineryError).message).toContain('held by an unknown writer (unreadable lock');
    const old = new Date(Date.now() - 30_000);
    await utimes(lockFile(state), old, old);
    const lines: string[] = [];
    await record(await results(spec(0)), state, { lock: { waitMs: 200, log: (l) => lines.push(l) } });
    expect(lines[0]).toMatch(/^took over the stale state lock .* is unreadable$/);
  });

  it('the holder keeps its lock fresh, so a long record is never taken for stale', async () => {
    const state = await folder('refresh');
    let release!: () => void;
    const holding = new Promise<void>((ok) => (release = ok));
    let entered!: () => void;
    const inside = new Promise<void>((ok) => (entered = ok));
    const holder = withStateLock(
      state,
      async () => {
        entered();
        await holding;
        await saveState(state, emptyState());
      },
      { staleMs: 1_000 },
    );
    await inside;
    // Twice staleMs: only the refresh (every 100 ms) keeps the lock from being taken over.
    const err = await record(await results(spec(1)), state, { lock: { staleMs: 1_000, waitMs: 2_000 } }).catch((e: unknown) => e);
    release();
    // The holder still holds it: its save passes the ownership check.
    await holder;
    expect(err).toMatchObject({ code: 'conflict' });
    expect(String((err as Error).message)).toMatch(/^timed out after 2 s waiting/);
    expect(existsSync(join(state, 'state.json'))).toBe(true);
  });

  it('an in-process record inside a held lock re-enters it instead of waiting for itself', async () => {
    const state = await folder('reenter');
    await withStateLock(state, async () => {
      await record(await results(spec(0)), state, { lock: { waitMs: 100 } });
      await record(await results(spec(1)), state, { lock: { waitMs: 100 } });
    });
    expect(await keys(state)).toEqual(expectedKeys(spec(0), spec(1)));
  });

  it('a writer whose lock was taken over writes nothing and says so', async () => {
    const state = await folder('lost');
    await record(await results(spec(0)), state);
    const before = Object.fromEntries(stateFiles(await loadState(state)));
    const incoming = await loadState(state);
    incoming.packages.get('lxml')!.history.pop();
    const err = await withStateLock(state, async () => {
      // Another writer decided this one was stale and took the lock.
      await writeFile(lockFile(state), foreignLock({ pid: process.pid, token: '0'.repeat(16) }));
      return saveState(state, incoming, ['lxml']);
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'conflict' });
    expect((err as Error).message).toMatch(
      /^this run lost the state lock .* to refinery record \(pid \d+ on .*\): it was taken over as stale; nothing more was written$/,
    );
    expect(Object.fromEntries(stateFiles(await loadState(state)))).toEqual(before);
    expect((await readdir(state, { recursive: true })).map(String).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The other writer's lock is not removed by the one that lost it.
    expect(await readFile(lockFile(state), 'utf8')).toContain('0000000000000000');
  });

  it('a record that makes the state folder and then refuses its results leaves no folder behind', async () => {
    const state = join(root, `never-${seq++}`);
    const bad = await folder('bad-results');
    await writeFile(join(bad, 'x.result.json'), '{"schema": "refinery/result@1"}\n');
    await expect(record(bad, state)).rejects.toBeInstanceOf(RefineryError);
    expect(existsSync(state)).toBe(false);
  });
});

describe('saveState under the lock', () => {
  it("never deletes another writer's staged temp files", async () => {
    const state = await folder('temps');
    await record(await results(spec(0)), state);
    const staged = join(state, 'packages', `numpy.json.${process.pid}.deadbeef.tmp`);
    let release!: () => void;
    const holding = new Promise<void>((ok) => (release = ok));
    let entered!: () => void;
    const inside = new Promise<void>((ok) => (entered = ok));
    // Writer A has staged a file and is about to commit.
    const a = withStateLock(state, async () => {
      await writeFile(staged, 'staged by A\n');
      entered();
      await holding;
      expect(await readFile(staged, 'utf8')).toBe('staged by A\n');
      await rm(staged);
    });
    await inside;
    // Writer B saves meanwhile: its recovery must not touch A's file.
    const b = saveState(state, await loadState(state));
    await sleep(300);
    expect(existsSync(staged)).toBe(true);
    release();
    await a;
    await b;
  });

  it('clears the temp files a killed writer left, under the lock', async () => {
    const state = await folder('leftovers');
    await record(await results(spec(0)), state);
    const left = [
      join(state, 'packages', 'lxml.json.4242.0badf00d.tmp'),
      join(state, 'history', 'lxml.jsonl.4242.0badf00d.tmp'),
      join(state, '.journal.json.4242.0badf00d.tmp'),
    ];
    for (const f of left) await writeFile(f, 'partial');
    const mine = join(state, 'notes.tmp');
    await writeFile(mine, 'not a state temp file');
    await record(await results(spec(1)), state);
    for (const f of left) expect(existsSync(f), f).toBe(false);
    expect(existsSync(mine)).toBe(true);
  });

  it('a failed rename fails the save instead of losing the write silently', async () => {
    const state = await folder('rename');
    await record(await results(spec(0)), state);
    const r = await results(spec(1), spec(2));
    // Something outside refinery deletes temp files as they appear (as an old refinery's recovery did).
    const watchers = ['packages', 'history'].map((sub) =>
      watch(join(state, sub), (_e, name) => {
        if (name && String(name).endsWith('.tmp')) rm(join(state, sub, String(name)), { force: true }).catch(() => {});
      }),
    );
    try {
      const err = await record(r, state).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RefineryError);
      expect((err as RefineryError).code).toBe('state');
      expect((err as RefineryError).message).toMatch(
        /^could not move (packages|history)\/[a-z]+\.jsonl?\.\d+\.[0-9a-f]{8}\.tmp over (packages|history)\/[a-z]+\.jsonl?: ENOENT$/,
      );
    } finally {
      for (const w of watchers) w.close();
    }
  });
});
