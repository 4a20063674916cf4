// The state folder lives in the user's repository, where a pull request can put anything: entries of
// the wrong kind, bytes that are not UTF-8, names that climb out of their folder. Each is a state
// error (exit 9) naming the file (and line and field), and the folder is left as it was.
// Issue 9, "Why" 1 (state files holding hostile names) and 8.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record } from '../../src/stages/record/record.js';
import { loadState } from '../../src/domain/state/index.js';
import { runCli } from '../helpers/cli.js';
import { writeResults } from '../helpers/state-results.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
let root: string;
let good: string;
let results: string;
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-state-hostile-'));
  good = join(root, 'good');
  await writeResults(join(root, 'first'), [
    { pkg: 'numpy', version: '1.0', start: T0 },
    { pkg: 'numpy', version: '1.1', start: T0 + 1000, attempts: [{ status: 'failure', failureClass: 'permanent' }] },
  ]);
  await record(join(root, 'first'), good);
  results = join(root, 'results');
  await writeResults(results, [{ pkg: 'numpy', version: '1.2', start: T0 + 5000 }]);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function copy(): Promise<string> {
  const dir = join(root, `case-${n++}`);
  await cp(good, dir, { recursive: true });
  return dir;
}

/** Every entry under `dir` with its bytes (or its kind), to show nothing changed. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const d of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const p = join(d.parentPath, d.name);
    out[p] = d.isFile() ? (await readFile(p)).toString('base64') : d.isDirectory() ? 'dir' : 'other';
  }
  return out;
}

async function recordInto(dir: string) {
  const before = await snapshot(dir);
  const r = await runCli(['record', '--results', results, '--state', dir], { cwd: root });
  expect(r.code, r.stderr).toBe(9);
  expect(r.stderr).toMatch(/^refinery: error: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(await snapshot(dir)).toEqual(before);
  return r.stderr;
}

describe('a state path of the wrong kind is a state error naming it', () => {
  it('state.json is a folder', async () => {
    const dir = await copy();
    await rm(join(dir, 'state.json'));
    await mkdir(join(dir, 'state.json'));
    expect(await recordInto(dir)).toContain(`${join(dir, 'state.json')}: is a folder, expected a regular file`);
  });

  it('packages is a file', async () => {
    const dir = await copy();
    await rm(join(dir, 'packages'), { recursive: true });
    await writeFile(join(dir, 'packages'), 'x');
    expect(await recordInto(dir)).toContain(`${join(dir, 'packages')}: is a regular file, expected a folder`);
  });

  it('history is a symlink to a folder elsewhere', async () => {
    const dir = await copy();
    await mkdir(join(root, `elsewhere-${n}`));
    await rm(join(dir, 'history'), { recursive: true });
    await symlink(join(root, `elsewhere-${n}`), join(dir, 'history'));
    expect(await recordInto(dir)).toContain(`${join(dir, 'history')}: is a symbolic link, expected a folder`);
  });

  it('a package file is a folder, or a symlink to a file outside', async () => {
    const dir = await copy();
    await rm(join(dir, 'packages', 'numpy.json'));
    await mkdir(join(dir, 'packages', 'numpy.json'));
    expect(await recordInto(dir)).toContain(`${join(dir, 'packages', 'numpy.json')}: is a folder, expected a regular file`);
    await rm(join(dir, 'packages', 'numpy.json'), { recursive: true });
    await writeFile(join(root, 'secret'), 'TOKEN=ghp_secret');
    await symlink(join(root, 'secret'), join(dir, 'packages', 'numpy.json'));
    const err = await recordInto(dir);
    expect(err).toContain('is a symbolic link, expected a regular file');
    expect(err).not.toContain('ghp_');
  });
});

describe('invalid UTF-8 in a state file is refused, never rewritten as U+FFFD', () => {
  it('in a history line: the error names the line, and the bytes stay', async () => {
    const dir = await copy();
    const file = join(dir, 'history', 'numpy.jsonl');
    const bytes = await readFile(file);
    // Line 3 is the second attempt; one byte of its package name becomes 0xC3 followed by ASCII (a broken sequence).
    const line3 = bytes.indexOf('\n', bytes.indexOf('\n') + 1) + 1;
    bytes[bytes.indexOf('"numpy"', line3) + 1] = 0xc3;
    await writeFile(file, bytes);
    expect(await recordInto(dir)).toContain(`${file}:3: is not valid UTF-8`);
    await expect(loadState(dir)).rejects.toMatchObject({ code: 'state', location: { file, line: 3 } });
  });

  it('in a package file', async () => {
    const dir = await copy();
    const file = join(dir, 'packages', 'numpy.json');
    await writeFile(file, Buffer.concat([await readFile(file), Buffer.from([0xff, 0xfe])]));
    expect(await recordInto(dir)).toMatch(/numpy\.json:\d+: is not valid UTF-8/);
  });
});

describe('hostile names in state files are refused with file, line and field', () => {
  const cases: Array<[string, string, (t: string) => string, { line?: number; field: string }]> = [
    ['a log path climbing out', 'history/numpy.jsonl', (t) => t.replace(/"log":"[^"]+"/, '"log":"../../../../etc/shadow"'), { line: 2, field: 'log' }],
    ['a version with separators', 'history/numpy.jsonl', (t) => t.replace('"version":"1.0"', '"version":"1.0/../../../x"'), { line: 2, field: 'version' }],
    ['a unit id with a separator', 'history/numpy.jsonl', (t) => t.replace(/"unit":"[^"]+"/, '"unit":"a\\\\b"'), { line: 2, field: 'unit' }],
    [
      'a wheel filename climbing out',
      'packages/numpy.json',
      (t) => t.replace(/"filename": "numpy-/, '"filename": "../../numpy-'),
      { field: 'manifest.0.filename' },
    ],
    [
      'a wheel filename of another version',
      'packages/numpy.json',
      (t) => t.replace(/"filename": "numpy-1\.0-/, '"filename": "numpy-6.6-'),
      { field: 'manifest.0.filename' },
    ],
    [
      'a local store location climbing out',
      'packages/numpy.json',
      (t) => t.replace('"kind": "none"', '"kind": "local",\n        "location": "0123456789abcdef/../../../x.whl"'),
      { field: 'manifest.0.storage.location' },
    ],
    [
      'a known-failing version with a NUL',
      'packages/numpy.json',
      (t) => {
        const at = t.indexOf('"knownFailing"');
        return t.slice(0, at) + t.slice(at).replace('"version": "1.1"', '"version": "1.1\\u0000"');
      },
      { field: 'knownFailing.0.version' },
    ],
  ];
  for (const [what, rel, change, expected] of cases) {
    it(what, async () => {
      const dir = await copy();
      const file = join(dir, rel);
      const text = await readFile(file, 'utf8');
      const changed = change(text);
      expect(changed).not.toBe(text);
      await writeFile(file, changed);
      const err = await recordInto(dir);
      expect(err).toContain(`${file}${expected.line ? `:${expected.line}` : ''}: ${expected.field}: `);
    });
  }

  it('a file name with control characters is named escaped', async () => {
    const dir = await copy();
    await writeFile(join(dir, 'packages', '\u001b[31mevil.json'), '{}');
    const err = await recordInto(dir);
    expect(err).toContain('\\u001b[31mevil.json');
    expect(err).toContain('not a state file name');
    expect(err).not.toContain('\u001b');
  });

  it('a JSON syntax error quotes nothing of the file', async () => {
    const dir = await copy();
    const file = join(dir, 'packages', 'numpy.json');
    await writeFile(file, 'TOKEN=ghp_secretvalue');
    const err = await recordInto(dir);
    expect(err).toContain(`${file}: not valid JSON (unexpected character "T")`);
    expect(err).not.toMatch(/OKEN|ghp_/);
  });

  it('a hand-added field with a hostile name is quoted short and escaped', async () => {
    const dir = await copy();
    const file = join(dir, 'packages', 'numpy.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"drops": [],', `"drops": [],\n  "\\u001b[31m${'z'.repeat(500)}": 1,`));
    const err = await recordInto(dir);
    expect(err).toMatch(/unknown field "\\u001b\[31mz+…"/);
    expect(err).not.toContain('\u001b');
    expect(err).not.toContain('z'.repeat(100));
  });
});
