import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildResult } from '../../src/domain/model/result.js';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { runCli } from '../helpers/cli.js';
import { pytoolsBin, requirePytools } from '../helpers/pytools.js';

// `refinery build --unit FILE` as a matrix job runs it, on the host executor (fast, same pipeline).
const havePy = requirePytools();
let work: string;
/** Builds see only allowlisted variables: the config names the pip ones these tests set. */
let passConfig: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-build-cli-'));
  passConfig = join(work, 'refinery.yml');
  await writeFile(passConfig, 'build:\n  passEnv: [PIP_CONFIG_FILE, PIP_NO_INDEX]\n');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function unitFile(name: string, beforeBuild: string): Promise<{ file: string; sdist: string }> {
  const sdist = await makeBackendSdist(work, name, beforeBuild);
  const unit = {
    id: `${name}-0.1-py3-manylinux_2_28`,
    package: name,
    version: '0.1',
    python: 'py3',
    buildPython: '3.12',
    targets: ['cp312-manylinux_2_28_s390x'],
    preset: 'manylinux_2_28',
    hints: [],
    runner: { kind: 'qemu', labels: ['ubuntu-latest'] },
    runs_on: '["ubuntu-latest"]',
    wave: 0,
    needs: [],
    sdist: { filename: `${name}-0.1.tar.gz`, url: `https://files.example.invalid/${name}-0.1.tar.gz` },
    estimatedSeconds: 10,
    reason: 'new',
  };
  const file = join(work, `${name}.unit.json`);
  await writeFile(file, JSON.stringify(unit));
  return { file, sdist };
}

// Real host builds through the CLI (a venv and a pip wheel each).
describe.runIf(havePy)('refinery build --unit', { timeout: 240_000 }, () => {
  it('builds a plan unit and prints the result JSON', async () => {
    const { file, sdist } = await unitFile('cli-ok', 'pass\n');
    const out = join(work, 'out-ok');
    const r = await runCli(
      ['build', '--unit', file, '--sdist', sdist, '--executor', 'host', '--host-python', pytoolsBin('python'), '-c', passConfig, '-o', out, '--json'],
      {
        env: { PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1' },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const result = BuildResult.parse(JSON.parse(r.stdout));
    expect(result).toMatchObject({ status: 'success', executor: 'host', preset: 'manylinux_2_28', unit: { id: 'cli-ok-0.1-py3-manylinux_2_28' } });
    expect(JSON.parse(await readFile(join(out, 'cli-ok-0.1-py3-manylinux_2_28.result.json'), 'utf8'))).toEqual(JSON.parse(r.stdout));
  });

  it('--find-links hands a folder of earlier wheels to the build; a folder that does not exist is a usage error (exit 2)', async () => {
    const env = { PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1' };
    const dep = await unitFile('cli-dep', 'pass\n');
    const wave0 = join(work, 'out-wave-0');
    const built = await runCli(
      ['build', '--unit', dep.file, '--sdist', dep.sdist, '--executor', 'host', '--host-python', pytoolsBin('python'), '-c', passConfig, '-o', wave0, '--json'],
      { env },
    );
    expect(built.code, built.stderr).toBe(0);
    const { file } = await unitFile('cli-user', 'import cli_dep\n');
    // the same sdist again, now declaring the build requirement
    const sdist = await makeBackendSdist(work, 'cli-user', 'import cli_dep\n', { requires: ['cli-dep'] });
    const args = (...extra: string[]) => [
      'build',
      '--unit',
      file,
      '--sdist',
      sdist,
      '--executor',
      'host',
      '--host-python',
      pytoolsBin('python'),
      '-c',
      passConfig,
      '-o',
      join(work, 'out-wave-1'),
      ...extra,
    ];
    const missing = await runCli(args('--find-links', join(work, 'no-such-wheels')), { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--find-links');
    expect(missing.stderr).toContain('no such folder');
    const ok = await runCli(args('--find-links', wave0, '--json'), { env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(BuildResult.parse(JSON.parse(ok.stdout)).status).toBe('success');
  });

  it('exits 7 with the failure class and where the log is when the build fails', async () => {
    const { file, sdist } = await unitFile('cli-bad', 'import sys\nprint("x.c:1:10: fatal error: ffi.h: No such file or directory")\nsys.exit(1)\n');
    const r = await runCli(
      ['build', '--unit', file, '--sdist', sdist, '--executor', 'host', '--host-python', pytoolsBin('python'), '-c', passConfig, '-o', join(work, 'out-bad')],
      {
        env: { PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1' },
      },
    );
    expect(r.code).toBe(7);
    // libffi has no remedy for the host (no package manager): one attempt, classified.
    expect(r.stderr).toMatch(/attempt 1: failure in build \[missing-system-lib: libffi\]/);
    expect(r.stderr).toMatch(/failed after 1 attempt\(s\): missing-system-lib \(hint libffi\) in phase build/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a file that is not a plan unit, naming the field', async () => {
    const file = join(work, 'bad.unit.json');
    await writeFile(file, JSON.stringify({ id: 'a b', package: 'x' }));
    const r = await runCli(['build', '--unit', file, '--executor', 'host']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/bad\.unit\.json.*id.*not a plan unit|not a plan unit/);
  });
});
