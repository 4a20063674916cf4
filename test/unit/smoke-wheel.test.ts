/**
 * What the smoke test reads from a wheel and how it judges: the ELF dynamic section parser
 * against binutils' readelf on real shared objects (s390x ones made by the host's s390x cross gcc,
 * this machine's own x86-64 libraries), hostile ELF bytes, the modules and extension modules of a
 * wheel laid out as ruamel.yaml.clib's (a namespace package), and the smoke script itself run by a
 * real CPython on a crafted wheel.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElfError, parseElf } from '../../src/domain/python/elf.js';
import { judgeSmoke, parseSmokeOutput, SMOKE_SCRIPT, smokeSpec } from '../../src/stages/builder/smoke.js';
import { inspectWheel } from '../../src/stages/builder/wheel-contents.js';
import { pytoolsBin, requirePytools } from '../helpers/pytools.js';

const CROSS = '/usr/bin/s390x-linux-gnu-gcc';
let dir: string;
let ext: string;
let vendored: string;

/** readelf's NEEDED names of a shared object (binutils reads any ELF, whatever its machine). */
function readelfNeeded(file: string): string[] {
  const out = execFileSync('readelf', ['-d', '-W', file], { encoding: 'utf8' });
  return [...out.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]!);
}

/** A wheel (zip) with these members, written by CPython's zipfile as wheel builders do. */
async function writeWheel(path: string, members: Record<string, string | { file: string }>): Promise<string> {
  const spec = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  await writeFile(spec, JSON.stringify(members));
  execFileSync(
    pytoolsBin('python'),
    [
      '-c',
      'import json,sys,zipfile\nm=json.load(open(sys.argv[2]))\nwith zipfile.ZipFile(sys.argv[1],"w") as z:\n' +
        ' for k,v in m.items():\n  z.writestr(k, open(v["file"],"rb").read() if isinstance(v,dict) else v)\n',
      path,
      spec,
    ],
    { stdio: 'pipe' },
  );
  return path;
}

beforeAll(async () => {
  requirePytools();
  dir = await mkdtemp(join(tmpdir(), 'yield-smoke-unit-'));
  // A vendored library (as auditwheel puts in pkg.libs/) and an extension module needing it and libm.
  await writeFile(join(dir, 'demo.c'), 'int demo(void) { return 42; }\n');
  await writeFile(join(dir, 'ext.c'), '#include <math.h>\nextern int demo(void);\ndouble f(double x) { return sqrt(x) + demo(); }\n');
  vendored = join(dir, 'libdemo-1a2b3c4d.so.1');
  execFileSync(CROSS, ['-shared', '-fPIC', '-Wl,-soname,libdemo-1a2b3c4d.so.1', '-o', vendored, join(dir, 'demo.c')]);
  ext = join(dir, '_ruamel_yaml.cpython-311-s390x-linux-gnu.so');
  execFileSync(CROSS, ['-shared', '-fPIC', '-o', ext, join(dir, 'ext.c'), vendored, '-lm']);
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('ELF dynamic section', () => {
  it('an s390x shared object (big-endian, from the cross gcc): machine 22 and the NEEDED list readelf shows', async () => {
    const info = parseElf(await readFile(ext));
    expect(info).toMatchObject({ machine: 22, bits: 64, littleEndian: false });
    expect(info.needed).toEqual(readelfNeeded(ext));
    expect(info.needed).toEqual(expect.arrayContaining(['libdemo-1a2b3c4d.so.1', 'libm.so.6']));
    expect(parseElf(await readFile(vendored)).soname).toBe('libdemo-1a2b3c4d.so.1');
  });

  it("this machine's own libraries (little-endian x86-64) read the same as readelf", async () => {
    const libs = ['/lib/x86_64-linux-gnu/libz.so.1', '/lib/x86_64-linux-gnu/libssl.so.3', '/lib/x86_64-linux-gnu/libstdc++.so.6'].filter((f) => existsSync(f));
    expect(libs.length).toBeGreaterThan(0);
    for (const lib of libs) {
      const info = parseElf(await readFile(lib));
      expect(info.machine).toBe(62);
      expect(info.needed, lib).toEqual(readelfNeeded(lib));
    }
  });

  it('hostile bytes: not ELF, truncated, offsets past the end — one ElfError each', async () => {
    const real = await readFile(ext);
    expect(() => parseElf(Buffer.from('not an elf at all'))).toThrow(ElfError);
    expect(() => parseElf(real.subarray(0, 40))).toThrow(ElfError);
    const badPhoff = Buffer.from(real);
    badPhoff.writeBigUInt64BE(0xffffffffffn, 32);
    expect(() => parseElf(badPhoff)).toThrow(/outside the file|out of range/);
  });

  it('any byte mutation of a real object gives an ElfInfo or an ElfError, never another error', async () => {
    const real = new Uint8Array(await readFile(ext));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 4095 }), fc.nat({ max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const b = Uint8Array.from(real);
        for (const [at, v] of edits) b[at % b.length] = v;
        try {
          const info = parseElf(b);
          expect(Array.isArray(info.needed)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(ElfError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('what a wheel gives the smoke test to check', () => {
  it('ruamel.yaml.clib layout: the namespace by its first real package, every extension, NEEDED minus what the wheel carries', async () => {
    const wheel = await writeWheel(join(dir, 'ruamel.yaml.clib-0.2.15-cp311-cp311-linux_s390x.whl'), {
      'ruamel/yaml/clib/__init__.py': '',
      'ruamel/yaml/clib/setup_helpers.py': '',
      '_ruamel_yaml.cpython-311-s390x-linux-gnu.so': { file: ext },
      'ruamel_yaml_clib.libs/libdemo-1a2b3c4d.so.1': { file: vendored },
      'ruamel.yaml.clib-0.2.15.dist-info/top_level.txt': '_ruamel_yaml\nruamel\n',
      'ruamel.yaml.clib-0.2.15.dist-info/RECORD': '',
      'ruamel.yaml.clib-0.2.15.data/scripts/tool': '#!/bin/sh\n',
    });
    const c = await inspectWheel(wheel);
    expect(c.modules).toEqual(['_ruamel_yaml', 'ruamel.yaml.clib']);
    expect(c.extensions).toEqual(['_ruamel_yaml']);
    expect(c.needed).toEqual(['libm.so.6']);
    expect(c.machines).toEqual([22]);
    expect(c.badObjects).toEqual([]);
  });

  it('a .so that is not ELF is reported, not trusted; names that are not identifiers are not imported', async () => {
    const wheel = await writeWheel(join(dir, 'odd-1.0-cp311-cp311-linux_s390x.whl'), {
      'odd/__init__.py': '',
      'odd/_fake.cpython-311-s390x-linux-gnu.so': 'plain text',
      'not-a-module/x.py': '',
    });
    const c = await inspectWheel(wheel);
    expect(c.modules).toEqual(['odd']);
    expect(c.extensions).toEqual(['odd._fake']);
    expect(c.badObjects).toEqual([{ member: 'odd/_fake.cpython-311-s390x-linux-gnu.so', error: 'not an ELF shared object' }]);
    expect(JSON.parse(smokeSpec(c))).toEqual({ modules: ['odd'], extensions: ['odd._fake'], needed: [] });
  });
});

describe('the verdict', () => {
  const base = { imported: [], linked: [], failed: [], missingDeps: [], missingLibraries: [], byteorder: 'big' };
  it('passed, unverified (imports nothing; libraries missing) and failed (the wheel itself)', () => {
    expect(judgeSmoke({ ...base, imported: ['markupsafe', 'markupsafe._speedups'] })).toEqual({ verdict: 'passed', externalLibraries: [] });
    // argon2-cffi-bindings: its one module needs cffi, which is not installed
    expect(
      judgeSmoke({ ...base, missingDeps: [{ module: '_argon2_cffi_bindings', missing: '_cffi_backend' }], linked: ['_argon2_cffi_bindings._ffi'] }),
    ).toMatchObject({ verdict: 'unverified', reason: 'imports nothing without its dependencies (_cffi_backend not installed)' });
    expect(
      judgeSmoke({
        ...base,
        imported: ['PIL'],
        failed: [{ module: 'PIL._imaging', error: "ImportError('libjpeg.so.62: cannot open shared object file: No such file or directory')" }],
        missingLibraries: ['libjpeg.so.62', 'libtiff.so.6'],
      }),
    ).toEqual({
      verdict: 'unverified',
      reason: 'needs system libraries the bare image lacks: libjpeg.so.62, libtiff.so.6',
      externalLibraries: ['libjpeg.so.62', 'libtiff.so.6'],
    });
    expect(judgeSmoke({ ...base, imported: ['a'], failed: [{ module: 'a._x', error: "ImportError('undefined symbol: foo')" }] })).toMatchObject({
      verdict: 'failed',
      reason: "import a._x failed: ImportError('undefined symbol: foo')",
    });
  });
});

describe('the smoke script, run by a real CPython on a crafted wheel', () => {
  it('imports the namespace by its first real package and tells an absent dependency from a broken module of its own', async () => {
    const wheel = await writeWheel(join(dir, 'nsdemo-0.1-py3-none-any.whl'), {
      'nsdemo_ns/core/__init__.py': 'VALUE = 1\n',
      // needs a runtime dependency that --no-deps leaves out
      'nsdemo_ns/needsdep/__init__.py': 'import nsdemo_ns.absent_runtime_dep\n',
      // a module of its own missing: the wheel is broken
      'brokenpkg/__init__.py': 'from . import not_in_wheel\n',
      'nsdemo-0.1.dist-info/RECORD': '',
    });
    const c = await inspectWheel(wheel);
    expect(c.modules).toEqual(['brokenpkg', 'nsdemo_ns.core', 'nsdemo_ns.needsdep']);
    const venv = join(dir, 'venv');
    execFileSync(pytoolsBin('python'), ['-m', 'venv', '--without-pip', venv]);
    const out = execFileSync(join(venv, 'bin', 'python'), ['-c', SMOKE_SCRIPT, wheel, smokeSpec(c)], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    const report = parseSmokeOutput(out)!;
    expect(report.imported).toEqual(['nsdemo_ns.core']);
    expect(report.missingDeps).toEqual([{ module: 'nsdemo_ns.needsdep', missing: 'nsdemo_ns.absent_runtime_dep' }]);
    expect(report.failed.map((f) => f.module)).toEqual(['brokenpkg']);
    expect(judgeSmoke(report)).toMatchObject({ verdict: 'failed', reason: expect.stringContaining('import brokenpkg failed') });
  });

  it("a .so without PyInit (pycryptodome's, loaded with ctypes) is loaded and linked, not failed; one whose library is gone is a missing library", async () => {
    // host-built (this CPython loads them): a plain library, and one needing a library deleted after linking
    await writeFile(join(dir, 'raw.c'), 'int raw_add(int a, int b) { return a + b; }\n');
    await writeFile(join(dir, 'gone.c'), 'int gone(void) { return 1; }\n');
    await writeFile(join(dir, 'needsgone.c'), 'extern int gone(void);\nint needs(void) { return gone(); }\n');
    const raw = join(dir, 'raw.so');
    const gone = join(dir, 'libgonedemo.so');
    const needs = join(dir, 'needsgone.so');
    execFileSync('gcc', ['-shared', '-fPIC', '-o', raw, join(dir, 'raw.c')]);
    execFileSync('gcc', ['-shared', '-fPIC', '-Wl,-soname,libgonedemo.so', '-o', gone, join(dir, 'gone.c')]);
    execFileSync('gcc', ['-shared', '-fPIC', '-o', needs, join(dir, 'needsgone.c'), gone]);
    const wheel = await writeWheel(join(dir, 'rawdemo-0.1-cp39-abi3-linux_x86_64.whl'), {
      'rawdemo/__init__.py': '',
      'rawdemo/_raw_add.abi3.so': { file: raw },
      'rawdemo/_needs.abi3.so': { file: needs },
      'rawdemo-0.1.dist-info/RECORD': '',
    });
    await rm(gone);
    const c = await inspectWheel(wheel);
    expect(c.extensions).toEqual(['rawdemo._needs', 'rawdemo._raw_add']);
    const venv = join(dir, 'venv3');
    execFileSync(pytoolsBin('python'), ['-m', 'venv', '--without-pip', venv]);
    const out = execFileSync(join(venv, 'bin', 'python'), ['-c', SMOKE_SCRIPT, wheel, smokeSpec(c)], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    const report = parseSmokeOutput(out)!;
    expect(report.imported).toEqual(['rawdemo']);
    expect(report.linked).toEqual(['rawdemo._raw_add']);
    expect(report.failed).toEqual([{ module: 'rawdemo._needs', error: expect.stringContaining('libgonedemo.so: cannot open shared object file') }]);
    expect(judgeSmoke(report)).toMatchObject({ verdict: 'unverified', externalLibraries: ['libgonedemo.so'] });
    expect(report.missingLibraries).toEqual(['libgonedemo.so']);
  });

  it('a member path that escapes site-packages stops the script before anything is written outside', async () => {
    const wheel = await writeWheel(join(dir, 'evil-0.1-py3-none-any.whl'), { '../../../../evil_escape.py': 'x = 1\n' });
    const venv = join(dir, 'venv2');
    execFileSync(pytoolsBin('python'), ['-m', 'venv', '--without-pip', venv]);
    let out = '';
    try {
      execFileSync(join(venv, 'bin', 'python'), ['-c', SMOKE_SCRIPT, wheel, JSON.stringify({ modules: [], extensions: [], needed: [] })], { encoding: 'utf8' });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout);
    }
    expect(out).toContain('REFINERY-SMOKE-ERROR member escapes site-packages');
    expect(existsSync(join(venv, 'evil_escape.py'))).toBe(false);
  });
});
