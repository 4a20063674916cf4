// Property (issue 9): whatever a build job leaves in the results folder (names with ../, absolute
// paths, separators, NUL, long or odd unicode names; symlinks, FIFOs and folders where files belong),
// `refinery record --store local:DIR` writes nothing outside the state, store and results folders,
// and ends in success or one RefineryError: never an internal error.
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadState } from '../../src/domain/state/index.js';
import { runCli } from '../helpers/cli.js';
import { makeResult, wheelContent, type ResultSpec } from '../helpers/state-results.js';

const T0 = Date.parse('2026-08-01T00:00:00Z');
const spec: ResultSpec = { pkg: 'numpy', version: '2.0', start: T0 };
const WHEEL = makeResult(spec).wheel!.filename;
let root: string;
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-hostile-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `@SANDBOX@` stands for the sandbox parent, so absolute names point somewhere we watch. */
const hostileName: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 9 }).map((k) => `${'../'.repeat(k)}escaped`),
  fc.integer({ min: 1, max: 9 }).map((k) => `${'../'.repeat(k)}${WHEEL}`),
  fc.constantFrom('@SANDBOX@/abs-escaped', `@SANDBOX@/${WHEEL}`, '/tmp', '/'),
  fc.constantFrom('a/b', 'a\\b', '..\\..\\x', 'x\u0000y', '.', '..', '', `./${WHEEL}`, `sub/${WHEEL}`, `${WHEEL}/`, `${WHEEL}\u0000`, 'numpy-2.0.tar.gz'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer({ min: 200, max: 400 }).map((k) => 'ä'.repeat(k)),
  fc.constant(WHEEL),
);

const FIELDS = ['wheel.filename', 'unit.version', 'unit.id', 'unit.package', 'attempts.0.log', 'log', 'sdist.filename', 'wheel.size'] as const;
type Field = (typeof FIELDS)[number];

/** Things a job can leave on disk instead of regular files. */
const TRICKS = [
  'none',
  'wheel-symlink-out',
  'wheel-fifo',
  'wheel-folder',
  'result-symlink',
  'result-fifo',
  'result-folder',
  'result-dangling',
  'folder-symlink-out',
  'second-result',
] as const;
type Trick = (typeof TRICKS)[number];

const caseArb = fc.record({
  changes: fc.array(fc.tuple(fc.constantFrom(...FIELDS), hostileName), { maxLength: 3 }),
  tricks: fc.subarray([...TRICKS]),
  /** Also write the wheel under the hostile filename (where the harness can). */
  wheelUnderName: fc.boolean(),
  failed: fc.boolean(),
});

function setField(r: Record<string, unknown>, field: Field, value: string): void {
  const [a, b] = field.split('.') as [string, string | undefined];
  if (field === 'attempts.0.log') (r.attempts as Array<Record<string, unknown>>)[0]!.log = value;
  else if (field === 'wheel.size') {
    if (r.wheel) (r.wheel as Record<string, unknown>).size = value.length * 1_000_000_007;
  } else if (b === undefined) r[a] = value;
  else if (r[a]) (r[a] as Record<string, unknown>)[b] = value;
}

/** Path -> kind and bytes of everything under `dir` (links are listed, not followed). */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out.set(p, 'dir');
        await walk(p);
      } else if (e.isFile()) out.set(p, `file:${(await readFile(p)).toString('base64')}`);
      else out.set(p, `other:${(await lstat(p)).mode}`);
    }
  };
  await walk(dir);
  return out;
}

describe('record of hostile results', () => {
  it('never writes outside the state, store and results folders, and always ends in success or a RefineryError', async () => {
    const codes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        // <sandbox>/s1/.../s6/{results,state,store}: nine ../ from the store reach above the sandbox.
        const sandbox = join(root, `run-${n++}`);
        const here = join(sandbox, 's1', 's2', 's3', 's4', 's5', 's6');
        const results = join(here, 'results');
        const job = join(results, 'job');
        const state = join(here, 'state');
        const store = join(here, 'store');
        await mkdir(job, { recursive: true });
        const outside = join(sandbox, 'outside');
        await mkdir(outside);
        await writeFile(join(outside, WHEEL), wheelContent(spec));

        const r = makeResult(c.failed ? { ...spec, attempts: [{ status: 'failure' }] } : spec) as unknown as Record<string, unknown>;
        for (const [field, name] of c.changes) setField(r, field, name.replaceAll('@SANDBOX@', sandbox));
        const wheelName = (r.wheel as { filename?: string } | undefined)?.filename ?? WHEEL;
        const tricks = new Set<Trick>(c.tricks);
        const put = async (name: string, make: (p: string) => Promise<unknown>) => {
          await make(join(job, name)).catch(() => undefined);
        };
        await put('numpy.result.json', (p) => writeFile(p, JSON.stringify(r)));
        if (c.wheelUnderName) await put(wheelName, (p) => writeFile(p, wheelContent(spec)));
        if (tricks.has('wheel-symlink-out')) await put(WHEEL, (p) => symlink(join(outside, WHEEL), p));
        else if (tricks.has('wheel-fifo')) await put(WHEEL, async (p) => execFileSync('mkfifo', [p], { stdio: 'ignore' }));
        else if (tricks.has('wheel-folder')) await put(WHEEL, (p) => mkdir(p));
        else await put(WHEEL, (p) => writeFile(p, wheelContent(spec)));
        if (tricks.has('result-symlink')) await put('linked.result.json', (p) => symlink(join(job, 'numpy.result.json'), p));
        if (tricks.has('result-fifo')) await put('fifo.result.json', async (p) => execFileSync('mkfifo', [p], { stdio: 'ignore' }));
        if (tricks.has('result-folder')) await put('folder.result.json', (p) => mkdir(p));
        if (tricks.has('result-dangling')) await put('dangling.result.json', (p) => symlink(join(sandbox, 'nowhere'), p));
        if (tricks.has('folder-symlink-out')) await put('linked-folder', (p) => symlink(outside, p));
        if (tricks.has('second-result')) {
          await mkdir(join(results, 'job2'));
          await writeFile(join(results, 'job2', 'numpy.result.json'), JSON.stringify({ ...r, status: r.status === 'success' ? 'failure' : 'success' }));
        }

        const before = await snapshot(sandbox);
        const run = await runCli(['record', '--results', results, '--state', state, '--store', `local:${store}`], { cwd: sandbox });
        expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
        expect([0, 4], run.stderr).toContain(run.code);
        codes.set(run.code, (codes.get(run.code) ?? 0) + 1);
        const after = await snapshot(sandbox);
        const inside = (p: string) => [results, state, store].some((d) => p === d || p.startsWith(`${d}${sep}`));
        const outsideOf = (m: Map<string, string>) => new Map([...m].filter(([p]) => !inside(p)));
        expect(outsideOf(after)).toEqual(outsideOf(before));
        // The results folder is only read.
        expect(new Map([...after].filter(([p]) => p.startsWith(`${results}${sep}`)))).toEqual(
          new Map([...before].filter(([p]) => p.startsWith(`${results}${sep}`))),
        );
        if (run.code === 0) {
          await loadState(state);
          for (const p of after.keys()) if (p.startsWith(`${store}${sep}`)) expect(relative(store, p).split(sep).length).toBeLessThanOrEqual(2);
        }
        await rm(sandbox, { recursive: true, force: true });
      }),
      { numRuns: 150 },
    );
    // The generator reaches both ends: some cases record, most are refused.
    expect(codes.get(0)).toBeGreaterThan(0);
    expect(codes.get(4)).toBeGreaterThan(0);
  }, 120_000);
});
