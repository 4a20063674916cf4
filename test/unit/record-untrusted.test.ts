// Result files come from build jobs that ran someone's build code: record treats them as hostile.
// Each case here is one defect of issue 9 ("Why" 1 and 7), tried through the real CLI on real files.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalWheelStore } from '../../src/domain/storage/local.js';
import { runCli } from '../helpers/cli.js';
import { makeResult, wheelContent, type ResultSpec } from '../helpers/state-results.js';

const T0 = Date.parse('2026-07-01T00:00:00Z');
const spec: ResultSpec = { pkg: 'numpy', version: '2.0', start: T0 };
let root: string;
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-untrusted-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

type Result = ReturnType<typeof makeResult>;

/** A case folder `<root>/c<n>/deep/er/down/` holding results/job/, state/ and store/, so `../` names have somewhere to land that we can see. */
async function caseDir(): Promise<{ base: string; results: string; job: string; state: string; store: string }> {
  const base = join(root, `c${n++}`);
  const down = join(base, 'deep', 'er', 'down');
  const results = join(down, 'results');
  const job = join(results, 'job');
  await mkdir(job, { recursive: true });
  // The store sits deeper than the results, so a climbing name resolves somewhere new from it.
  return { base, results, job, state: join(down, 'state'), store: join(down, 'stores', 'local', 'store') };
}

async function writeResult(job: string, r: Result, wheel: Buffer | null = wheelContent(spec), name = `${r.unit.package}.result.json`): Promise<void> {
  await writeFile(join(job, name), `${JSON.stringify(r, null, 2)}\n`);
  if (wheel && r.wheel) await writeFile(join(job, r.wheel.filename), wheel).catch(() => undefined);
}

async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true }).catch(() => [] as string[])).map(String).sort();
}

const record = (c: { results: string; state: string }, ...extra: string[]) =>
  runCli(['record', '--results', c.results, '--state', c.state, ...extra], { cwd: root });

function expectRefused(r: { code: number; stderr: string }, code = 4): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toMatch(/^refinery: error: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('names in a result that would become paths', () => {
  it('a wheel filename climbing out of the store writes nothing outside it (--store local:DIR)', async () => {
    const c = await caseDir();
    const r = makeResult(spec);
    r.wheel!.filename = '../../../X';
    // The "wheel" the name points at, from the results' side (<case>/deep/er/X).
    await writeResult(c.job, r);
    const before = await tree(c.base);
    expect(before).toContain(join('deep', 'er', 'X'));
    // main read it and wrote it to <store>/<sha16>/../../../X, i.e. <case>/deep/er/down/stores/X.
    const res = await record(c, '--store', `local:${c.store}`);
    expectRefused(res);
    expect(res.stderr).toContain('wheel.filename');
    expect(await tree(c.base)).toEqual(before);
  });

  it('without --store the same name does not enter the manifest', async () => {
    const c = await caseDir();
    const r = makeResult(spec);
    r.wheel!.filename = '../../../numpy-2.0-cp312-cp312-manylinux_2_28_s390x.whl';
    await writeResult(c.job, r, null);
    expectRefused(await record(c));
    expect(await tree(c.state)).toEqual([]);
  });

  it('a wheel of another package or version than the unit is refused', async () => {
    for (const filename of ['scipy-2.0-cp312-cp312-manylinux_2_28_s390x.whl', 'numpy-9.9-cp312-cp312-manylinux_2_28_s390x.whl', 'numpy-2.0.tar.gz']) {
      const c = await caseDir();
      const r = makeResult(spec);
      r.wheel!.filename = filename;
      await writeResult(c.job, r);
      const res = await record(c);
      expectRefused(res);
      expect(res.stderr).toContain('wheel.filename');
    }
  });

  it('a version, unit id or log name with separators or .. is refused, naming the field', async () => {
    const cases: Array<[string, (r: Result) => void]> = [
      ['unit.version', (r) => (r.unit.version = '1.0/../../../x')],
      ['unit.id', (r) => (r.unit.id = '../../x')],
      ['attempts.0.log', (r) => (r.attempts[0]!.log = '../../../../etc/shadow')],
      ['log', (r) => (r.log = '/etc/shadow')],
      ['log', (r) => (r.log = 'logs\\x.log')],
      ['sdist.filename', (r) => (r.sdist.filename = 'a/b.tar.gz')],
    ];
    for (const [field, change] of cases) {
      const c = await caseDir();
      const r = makeResult({ ...spec, attempts: [{ status: 'failure' }] });
      change(r);
      await writeResult(c.job, r);
      const res = await record(c);
      expect(res.code, `${field}: ${res.stdout}${res.stderr}`).toBe(4);
      expectRefused(res);
      expect(res.stderr).toContain(`${field}: `);
      expect(await tree(c.state)).toEqual([]);
    }
  });

  it('a stored wheel is fetched only from inside the store, into the destination folder', async () => {
    const c = await caseDir();
    const store = new LocalWheelStore(c.store);
    const r = makeResult(spec);
    await writeResult(c.job, r);
    const w = r.wheel!;
    const ref = await store.put(join(c.job, w.filename), w);
    const dest = join(c.base, 'dest');
    // A location outside the store (main only looked for '..' segments) ...
    const outside = join(c.base, 'outside.whl');
    await writeFile(outside, wheelContent(spec));
    await expect(store.get({ kind: 'local', location: outside }, w, dest)).rejects.toMatchObject({ code: 'state' });
    // ... or a filename that climbs out of the destination (main copied to dest/../../X).
    const before = await tree(c.base);
    await expect(store.get(ref, { ...w, filename: '../../X' }, dest)).rejects.toMatchObject({ code: 'input' });
    expect(await tree(c.base)).toEqual(before);
    expect(await readFile(await store.get(ref, w, dest))).toEqual(wheelContent(spec));
  });
});

describe('result files and wheels that are not what they claim', () => {
  it('a result over the size cap is refused before it is parsed (main kept it as one huge history line)', async () => {
    const c = await caseDir();
    const r = makeResult(spec);
    r.runner = 'r'.repeat(2 * 1024 * 1024);
    await writeResult(c.job, r);
    const res = await record(c);
    expectRefused(res);
    expect(res.stderr).toMatch(/over the cap of 1048576/);
    expect(await tree(c.state)).toEqual([]);
    // The 200 MB result (sparse here): refused from its size alone, nothing read.
    await truncate(join(c.job, 'numpy.result.json'), 200 * 1024 * 1024);
    const big = await record(c);
    expectRefused(big);
    expect(big.stderr).toMatch(/holds 209715200 bytes, over the cap of 1048576/);
  });

  it('a FIFO named *.result.json is refused at once instead of hanging record', async () => {
    const c = await caseDir();
    execFileSync('mkfifo', [join(c.job, 'x.result.json')]);
    const res = await record(c);
    expectRefused(res);
    expect(res.stderr).toMatch(/x\.result\.json: the result is a FIFO, not a regular file/);
  }, 10_000);

  it('a dangling symlink or a folder named *.result.json is an input error, not a stack trace', async () => {
    const c = await caseDir();
    await symlink(join(c.base, 'nowhere'), join(c.job, 'a.result.json'));
    let res = await record(c);
    expectRefused(res);
    expect(res.stderr).toMatch(/a\.result\.json: the result is a symbolic link/);
    await rm(join(c.job, 'a.result.json'));
    await mkdir(join(c.job, 'b.result.json'));
    res = await record(c);
    expectRefused(res);
    expect(res.stderr).toMatch(/b\.result\.json: the result is a folder/);
  });

  it('a symlinked result is refused without reading, quoting nothing of its target', async () => {
    const c = await caseDir();
    const secret = join(c.base, 'secret.txt');
    await writeFile(secret, 'TOKEN=ghp_verysecretvalue\n');
    await symlink(secret, join(c.job, 'numpy.result.json'));
    const res = await record(c);
    expectRefused(res);
    expect(res.stderr).not.toMatch(/TOKEN|ghp_/);
  });

  it('a result that is not JSON is quoted in at most one escaped character', async () => {
    const c = await caseDir();
    await writeFile(join(c.job, 'numpy.result.json'), 'TOKEN=ghp_verysecretvalue');
    const res = await record(c);
    expectRefused(res);
    expect(res.stderr).toMatch(/not valid JSON \(unexpected character "T"\)/);
    expect(res.stderr).not.toMatch(/OKEN|ghp_/);
  });

  it('a result that is not UTF-8 is refused with its line, never read as U+FFFD', async () => {
    const c = await caseDir();
    const bytes = Buffer.from(`${JSON.stringify(makeResult({ ...spec, attempts: [{ status: 'failure' }] }), null, 2)}\n`);
    // Line 4 is `    "id": "numpy-...`: one byte of the id becomes 0xff.
    bytes[bytes.indexOf('"id": "numpy') + 7] = 0xff;
    await writeFile(join(c.job, 'numpy.result.json'), bytes);
    const res = await record(c);
    expectRefused(res);
    expect(res.stderr).toMatch(/numpy\.result\.json:4: the result is not valid UTF-8/);
  });

  it('two results of the same run with different content are one clear error, not a silent pick', async () => {
    const c = await caseDir();
    const ok = makeResult(spec);
    const failed = { ...makeResult({ ...spec, attempts: [{ status: 'failure' }] }) };
    await writeResult(c.job, ok);
    await mkdir(join(c.results, 'job2'));
    await writeResult(join(c.results, 'job2'), failed, null);
    const res = await record(c);
    expectRefused(res);
    expect(res.stderr).toMatch(/two results of the same build run of numpy-2\.0-cp312-manylinux_2_28 .* differ/);
    expect(await tree(c.state)).toEqual([]);
    // The same result twice (e.g. downloaded twice) is fine.
    await rm(join(c.results, 'job2'), { recursive: true });
    await mkdir(join(c.results, 'job2'));
    await writeResult(join(c.results, 'job2'), ok);
    expect((await record(c)).code).toBe(0);
  });

  it('the wheel size and sha256 are checked without --store too', async () => {
    const c = await caseDir();
    const r = makeResult(spec);
    await writeResult(c.job, r, Buffer.concat([wheelContent(spec), Buffer.from('x')]));
    let res = await record(c);
    expectRefused(res);
    expect(res.stderr).toMatch(/the wheel holds \d+ bytes, expected \d+/);
    await writeFile(join(c.job, r.wheel!.filename), Buffer.alloc(r.wheel!.size, 0x78));
    res = await record(c);
    expectRefused(res);
    expect(res.stderr).toMatch(/sha256 mismatch/);
    await rm(join(c.job, r.wheel!.filename));
    res = await record(c);
    expectRefused(res);
    expect(res.stderr).toMatch(/wheel file missing: ENOENT/);
    expect(await tree(c.state)).toEqual([]);
  });

  it('a wheel that is a symlink or a FIFO is refused, even when the link points at the right bytes', async () => {
    const c = await caseDir();
    const r = makeResult(spec);
    await writeResult(c.job, r, null);
    const real = join(c.base, 'real.whl');
    await writeFile(real, wheelContent(spec));
    await symlink(real, join(c.job, r.wheel!.filename));
    let res = await record(c, '--store', `local:${c.store}`);
    expectRefused(res);
    expect(res.stderr).toMatch(/the wheel is a symbolic link/);
    await rm(join(c.job, r.wheel!.filename));
    execFileSync('mkfifo', [join(c.job, r.wheel!.filename)]);
    res = await record(c);
    expectRefused(res);
    expect(res.stderr).toMatch(/the wheel is a FIFO/);
  }, 10_000);

  it('a wheel over the cap is refused before it is read', async () => {
    const c = await caseDir();
    const r = makeResult(spec);
    r.wheel!.size = 3 * 1024 ** 3;
    await writeResult(c.job, r);
    const res = await record(c);
    expectRefused(res);
    expect(res.stderr).toMatch(/over the cap of 2147483648/);
  });

  it('a valid result still records, with the wheel stored under the store folder', async () => {
    const c = await caseDir();
    const r = makeResult(spec);
    await writeResult(c.job, r);
    const res = await record(c, '--store', `local:${c.store}`, '--json');
    expect(res.code, res.stderr).toBe(0);
    expect(await tree(c.store)).toEqual([r.wheel!.sha256.slice(0, 16), `${r.wheel!.sha256.slice(0, 16)}/${r.wheel!.filename}`]);
    expect(await readFile(join(c.store, r.wheel!.sha256.slice(0, 16), r.wheel!.filename))).toEqual(wheelContent(spec));
  });
});
