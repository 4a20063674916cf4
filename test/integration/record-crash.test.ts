import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record } from '../../src/stages/record/record.js';
import { loadState, stateFiles } from '../../src/domain/state/index.js';
import { writeResults, type ResultSpec } from '../helpers/state-results.js';

const T0 = Date.parse('2026-05-01T00:00:00Z');
const REPO = resolve(import.meta.dirname, '..', '..');
let root: string;
let child: string;
let base: string;
let resultsB: string;
let oldBytes: Record<string, string>;
let newBytes: Record<string, string>;

const bytes = async (dir: string) => Object.fromEntries(stateFiles(await loadState(dir)));

/** Run record in a child process; resolve when it says it is about to write, and when it exits. */
function startRecord(state: string): { ready: Promise<number>; exit: Promise<number | null>; kill: () => void } {
  const p = spawn(process.execPath, [child, resultsB, state], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const ready = new Promise<number>((ok) =>
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) ok(performance.now());
    }),
  );
  const exit = new Promise<number | null>((ok) => p.on('exit', (code) => ok(code)));
  return { ready, exit, kill: () => p.kill('SIGKILL') };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-crash-'));
  // Bundled once so each of the 50 runs starts in milliseconds (no TypeScript loader).
  child = join(root, 'record-child.mjs');
  await build({
    stdin: {
      contents: `import { record } from './src/stages/record/record.ts';
        const [results, state] = process.argv.slice(2);
        await record(results, state, { onReady: () => process.stdout.write('ready\\n') });
        process.stdout.write('done\\n');`,
      resolveDir: REPO,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: child,
    logLevel: 'silent',
  });
  base = join(root, 'base');
  const specs = (k: number): ResultSpec[] =>
    ['numpy', 'scipy', 'lxml', 'cffi', 'pillow', 'pyyaml'].map((pkg, i) => ({
      pkg,
      version: `1.${k}`,
      start: T0 + k * 3600_000 + i,
      attempts: [{ status: i % 2 ? 'failure' : 'success', failureClass: 'transient' }],
    }));
  await writeResults(join(root, 'results-a'), specs(0));
  await record(join(root, 'results-a'), base);
  resultsB = join(root, 'results-b');
  await writeResults(resultsB, specs(1));
  const expectedNew = join(root, 'expected-new');
  await cp(base, expectedNew, { recursive: true });
  await record(resultsB, expectedNew);
  oldBytes = await bytes(base);
  newBytes = await bytes(expectedNew);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('record survives SIGKILL at any point', () => {
  // 50 times: copy a small state, start a bundled record child, kill it, check, record again
  // (about a second each on two loaded cores).
  it('50 kills at random moments leave the old or the new state, never a mix, and the next record completes it', { timeout: 150_000 }, async () => {
    // How long the write phase takes here, to aim the kills into it.
    const cal = join(root, 'calibrate');
    await cp(base, cal, { recursive: true });
    const c = startRecord(cal);
    const readyAt = await c.ready;
    await c.exit;
    const window = Math.max(2, performance.now() - readyAt);

    const seen = { old: 0, new: 0, interrupted: 0, lockLeft: 0 };
    for (let i = 0; i < 50; i++) {
      const dir = join(root, `run-${i}`);
      await cp(base, dir, { recursive: true });
      const r = startRecord(dir);
      await r.ready;
      await new Promise((ok) => setTimeout(ok, Math.random() * window * 1.2));
      r.kill();
      await r.exit;
      // Leftovers of an interrupted write: a journal or temp files.
      const left = (await readdir(dir, { recursive: true })).map(String).filter((f) => f.endsWith('.tmp') || f.endsWith('.journal.json'));
      if (left.length > 0) seen.interrupted++;
      // A writer killed before it finished held the folder's lock (load to save) and left it.
      const lockLeft = existsSync(join(dir, '.lock'));
      if (lockLeft) seen.lockLeft++;
      const got = await bytes(dir);
      const isOld = JSON.stringify(got) === JSON.stringify(oldBytes);
      const isNew = JSON.stringify(got) === JSON.stringify(newBytes);
      expect(isOld || isNew, `run ${i}: state is neither the old nor the new one`).toBe(true);
      if (isOld) seen.old++;
      else seen.new++;
      // Recording again finishes the job: the same new state, with no leftovers. The dead
      // writer's lock is taken over at once (its pid is gone), never waited for.
      const notices: string[] = [];
      await record(resultsB, dir, { lock: { waitMs: 5_000, log: (l) => notices.push(l) } });
      expect(notices).toEqual(lockLeft ? [expect.stringMatching(/^took over the stale state lock .* is no longer running$/)] : []);
      expect(existsSync(join(dir, '.lock'))).toBe(false);
      expect(await bytes(dir)).toEqual(newBytes);
      expect((await readdir(dir, { recursive: true })).map(String).filter((f) => f.endsWith('.tmp') || f.endsWith('.journal.json'))).toEqual([]);
    }
    console.log(`crash test: ${JSON.stringify(seen)} (write window ~${window.toFixed(1)} ms)`);
    expect(seen.old + seen.new).toBe(50);
    // Most kills land while the writer holds the lock: the takeover path really ran.
    expect(seen.lockLeft).toBeGreaterThan(0);
  });
});
