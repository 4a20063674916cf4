import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRefineryError, type RefineryError } from '../../src/errors.js';
import { record } from '../../src/stages/record/record.js';
import { loadState, stateFiles } from '../../src/domain/state/index.js';
import { upgrade } from '../../src/domain/state/migrate.js';
import { writeResults } from '../helpers/state-results.js';

const T0 = Date.parse('2026-02-01T00:00:00Z');
let root: string;
let good: string;
let results2: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-state-load-'));
  good = join(root, 'good');
  const results = join(root, 'results');
  await writeResults(results, [
    { pkg: 'numpy', version: '1.0', start: T0 },
    { pkg: 'numpy', version: '1.1', start: T0 + 1000, attempts: [{ status: 'failure', failureClass: 'transient' }] },
  ]);
  await record(results, good);
  results2 = join(root, 'results2');
  await writeResults(results2, [{ pkg: 'numpy', version: '1.2', start: T0 + 5000 }]);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let n = 0;
/** A copy of the good state with one file changed. */
async function broken(rel: string, change: (text: string) => string): Promise<string> {
  const dir = join(root, `case-${n++}`);
  await cp(good, dir, { recursive: true });
  await writeFile(join(dir, rel), change(await readFile(join(dir, rel), 'utf8')));
  return dir;
}

async function loadError(dir: string): Promise<RefineryError> {
  try {
    await loadState(dir);
  } catch (e) {
    if (isRefineryError(e)) return e;
    throw e;
  }
  throw new Error('expected loadState to fail');
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir, { recursive: true })).map(String)) {
    const text = await readFile(join(dir, f), 'utf8').catch(() => undefined);
    if (text !== undefined) out[f] = text;
  }
  return out;
}

describe('loading a state folder', () => {
  it('a missing folder is an empty state', async () => {
    expect((await loadState(join(root, 'nope'))).packages.size).toBe(0);
  });

  it('round-trips what record wrote', async () => {
    const s = await loadState(good);
    expect([...s.packages.keys()]).toEqual(['numpy']);
    expect(Object.fromEntries(stateFiles(s))).toEqual(
      Object.fromEntries(Object.entries(await snapshot(good)).filter(([k]) => !k.endsWith('/') && k.includes('.'))),
    );
  });

  it('accepts a hand-reformatted file (other indentation, other key order) and keeps every fact', async () => {
    const dir = await broken('packages/numpy.json', (t) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(t)).reverse()), null, 8));
    const s = await loadState(dir);
    expect(Object.fromEntries(stateFiles(s))).toEqual(Object.fromEntries(stateFiles(await loadState(good))));
  });
});

describe('invalid state is a clear error naming file, line and field, and is never overwritten', () => {
  const cases: Array<[string, string, (t: string) => string, Partial<{ field: string; line: number; message: RegExp }>]> = [
    ['truncated package file', 'packages/numpy.json', (t) => t.slice(0, Math.floor(t.length / 2)), { message: /not valid JSON.*truncated/ }],
    ['corrupt bytes', 'packages/numpy.json', (t) => `\u0000\u0001${t.slice(3)}`, { message: /not valid JSON/ }],
    ['truncated history line', 'history/numpy.jsonl', (t) => t.slice(0, t.length - 40), { line: 3, message: /not valid JSON/ }],
    [
      'newer schema version',
      'packages/numpy.json',
      (t) => t.replace('refinery/package@1', 'refinery/package@7'),
      { field: 'schema', message: /newer refinery/ },
    ],
    ['unknown schema', 'state.json', (t) => t.replace('refinery/state@1', 'something/else@1'), { field: 'schema' }],
    [
      'hand-added field',
      'packages/numpy.json',
      (t) => t.replace('"drops": [],', '"drops": [],\n  "notes": "mine",'),
      { field: 'notes', message: /unknown field 'notes'/ },
    ],
    ['wrong type deep inside', 'packages/numpy.json', (t) => t.replace(/"size": \d+/, '"size": "big"'), { field: 'manifest.0.size' }],
    ['bad time in history', 'history/numpy.jsonl', (t) => t.replace(/"startedAt":"[^"]+"/, '"startedAt":"yesterday"'), { line: 2, field: 'startedAt' }],
    [
      'an attempt duplicated with different content',
      'history/numpy.jsonl',
      (t) => {
        const lines = t.trimEnd().split('\n');
        return `${[...lines, lines[1]!.replace('"durationMs":60000', '"durationMs":1')].join('\n')}\n`;
      },
      { line: 4, message: /appears twice/ },
    ],
    ['package name mismatch', 'packages/numpy.json', (t) => t.replace('\n  "name": "numpy"', '\n  "name": "scipy"'), { field: 'name' }],
    // The wheel's filename names numpy: the entry contradicts itself before it contradicts the file.
    [
      'manifest entry of another package',
      'packages/numpy.json',
      (t) => t.replace('"name": "numpy"', '"name": "scipy"'),
      { field: 'manifest.0.filename', message: /another project than scipy/ },
    ],
  ];
  for (const [what, rel, change, expected] of cases) {
    it(what, async () => {
      const dir = await broken(rel, change);
      const before = await snapshot(dir);
      const e = await loadError(dir);
      expect(e.code).toBe('state');
      expect(e.location.file).toBe(join(dir, rel));
      if (expected.field) expect(e.location.field).toBe(expected.field);
      if (expected.line) expect(e.location.line).toBe(expected.line);
      if (expected.message) expect(e.message).toMatch(expected.message);
      expect(e.fix).toBeTruthy();
      await expect(record(results2, dir)).rejects.toMatchObject({ code: 'state' });
      expect(await snapshot(dir)).toEqual(before);
    });
  }

  it('package files without the marker are refused', async () => {
    const dir = join(root, 'nomarker');
    await cp(good, dir, { recursive: true });
    await rm(join(dir, 'state.json'));
    expect((await loadError(dir)).message).toMatch(/state.json is missing/);
  });

  it('a stray file in packages/ is refused rather than ignored', async () => {
    const dir = join(root, 'stray');
    await cp(good, dir, { recursive: true });
    await writeFile(join(dir, 'packages', 'NumPy.json'), '{}');
    expect((await loadError(dir)).location.file).toBe(join(dir, 'packages', 'NumPy.json'));
  });
});

describe('migrations', () => {
  it('an older file is upgraded step by step, keeping its data', () => {
    const migrations = {
      'refinery/package@1': (raw: Record<string, unknown>) => ({ ...raw, schema: 'refinery/package@2', renamed: raw.old }),
      'refinery/package@2': (raw: Record<string, unknown>) => ({ ...raw, schema: 'refinery/package@3' }),
    };
    expect(upgrade({ schema: 'refinery/package@1', old: 5 }, 'refinery/package@3', 'f.json', migrations)).toEqual({
      schema: 'refinery/package@3',
      old: 5,
      renamed: 5,
    });
  });

  it('a version without a migration path is an error, not a guess', () => {
    expect(() => upgrade({ schema: 'refinery/package@0' }, 'refinery/package@1', 'f.json', {})).toThrow(/no migration from refinery\/package@0/);
  });
});
