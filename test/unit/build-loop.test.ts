import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnit, sha256File, type BuildEvent, type BuildOptions } from '../../src/stages/builder/index.js';
import { HostExecutor } from '../../src/domain/executors/index.js';
import { loadHintCatalog, mergeCatalogs, parseHintCatalog } from '../../src/domain/hints/index.js';
import { Preset } from '../../src/domain/model/preset.js';
import { BuildResult } from '../../src/domain/model/result.js';
import type { PlanUnit } from '../../src/domain/model/plan.js';
import { RefineryError } from '../../src/errors.js';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { processesWith } from '../helpers/procs.js';
import { pytoolsBin, requirePytools } from '../helpers/pytools.js';
import { hostUnit } from '../helpers/units.js';

// The pipeline on this machine's Python (host executor): the same loop, phases, kills and result
// files as on s390x, in seconds. Real pip, real processes; the packages are crafted to fail on cue.
const run = requirePytools();
let work: string;
const seeds = join(import.meta.dirname, '..', '..', 'seeds', 'hints.yml');

// Test-only hints next to the shipped ones: one with an `any` remedy (env), one apt-only.
const testHints = parseHintCatalog(
  `version: 1
hints:
  - id: demo-lib
    class: missing-system-lib
    description: the crafted demo library
    priority: 60
    match: [{ pattern: "demo/lib\\\\.h: No such file or directory" }]
    remedy: { any: { env: { DEMO_LIB: "1" } } }
  - id: test-fallback
    class: missing-toolchain
    fallback: true
    description: the test's generic next step
    remedy: { any: { env: { DEMO_TOOLS: "1" } } }
  - id: apt-only-lib
    class: missing-system-lib
    description: only apt knows this one
    priority: 60
    match: [{ pattern: "aptonly\\\\.h: No such file or directory" }]
    remedy: { apt: { packages: [libaptonly-dev] } }
`,
  'test-hints.yml',
);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-build-loop-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const unitFor = hostUnit;

async function options(extra: Partial<BuildOptions> = {}): Promise<BuildOptions & { events: BuildEvent[] }> {
  const events: BuildEvent[] = [];
  const preset = Preset.parse({ name: 'host', image: 'none', packageManager: 'none', python: { '3.11': 'python3' }, platform: 'linux' });
  return {
    executor: new HostExecutor({ python: pytoolsBin('python'), hostArch: process.arch }),
    preset,
    catalog: mergeCatalogs(await loadHintCatalog(seeds), testHints),
    outDir: join(work, 'out'),
    workRoot: work,
    env: { PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1' },
    backoff: { baseMs: 1000, maxMs: 8000 },
    random: () => 0.5,
    sleep: async (ms) => void events.push({ type: 'retry-wait', delayMs: ms, reason: 'slept' }),
    onEvent: (e) => events.push(e),
    events,
    ...extra,
  };
}

// Each test builds on the host: a fresh venv and a pip wheel per attempt, up to four attempts; seconds
// on an idle machine, minutes on a loaded 2-core one. Tests that take longer say so themselves.
describe.runIf(run)('build loop on the host executor', { timeout: 240_000 }, () => {
  it('builds, smoke-tests, and writes wheel, result JSON and log with matching sha256', async () => {
    const sdist = await makeBackendSdist(work, 'plain-ok', 'print("building plain-ok")\n');
    const o = await options();
    const r = await buildUnit(unitFor('plain-ok', sdist), o);
    expect(r.status).toBe('success');
    expect(r.attempts).toHaveLength(1);
    expect(r.wheel?.filename).toBe('plain_ok-0.1-py3-none-any.whl');
    expect(r.wheel?.tags).toEqual(['py3-none-any']);
    const wheelPath = join(o.outDir, r.wheel!.filename);
    expect(await sha256File(wheelPath)).toBe(r.wheel!.sha256);
    expect(r.sdist.sha256).toBe(await sha256File(sdist));
    expect(r.inputsFingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const onDisk = BuildResult.parse(JSON.parse(await readFile(join(o.outDir, `${r.unit.id}.result.json`), 'utf8')));
    expect(onDisk).toEqual(r);
    const log = await readFile(join(o.outDir, r.log), 'utf8');
    expect(log).toContain('building plain-ok'); // pip runs verbose: backend output is kept
    expect(log).toContain('REFINERY-SMOKE {"imported": ["plain_ok"]');
    expect(Object.keys(r.phaseDurationsMs)).toEqual(expect.arrayContaining(['fetch', 'build', 'test']));
  });

  it('a wheel of another project than the unit names is one build error naming both, not a schema error', async () => {
    const sdist = await makeBackendSdist(work, 'real-name', 'pass\n', { filename: 'claimed-name-0.1.tar.gz' });
    const o = await options({ outDir: join(work, 'out-mismatch') });
    await expect(buildUnit(unitFor('claimed-name', sdist), o)).rejects.toMatchObject({
      code: 'build',
      message: expect.stringContaining('the build made real_name-0.1-py3-none-any.whl, which is not a wheel of claimed-name 0.1'),
    });
    // One venv and one pip wheel on the host.
  }, 120_000);

  it('an unclassified failure gets the fallback hint and one more attempt, and keeps its error lines as evidence', async () => {
    const sdist = await makeBackendSdist(
      work,
      'mystery-fail',
      'import os, sys\nif os.environ.get("DEMO_TOOLS") != "1":\n    sys.exit("frobnicate: the zorkmid tool exploded (no hint knows this)")\n',
    );
    const o = await options({ outDir: join(work, 'out-fallback') });
    const r = await buildUnit(unitFor('mystery-fail', sdist), o);
    expect(r.status).toBe('success');
    expect(r.attempts).toHaveLength(2);
    const [first, second] = r.attempts;
    expect(first).toMatchObject({ status: 'failure', hintsApplied: [] });
    expect(first!.failureClass).toBeUndefined();
    expect(first!.evidence).toContain('frobnicate: the zorkmid tool exploded (no hint knows this)');
    expect(second).toMatchObject({ status: 'success', hintsApplied: ['test-fallback'] });
    expect(o.events).toContainEqual(expect.objectContaining({ type: 'hint-applied', hint: 'test-fallback' }));
    // record keeps the evidence in the history, where the dashboard and `hints` work read it.
    const { record } = await import('../../src/stages/record/record.js');
    const { state } = await record(o.outDir, join(work, 'state-fallback'));
    const lines = [...state.packages.values()].flatMap((p) => p.history).find((h) => h.attempt === 1)!;
    expect(lines.evidence).toContain('frobnicate: the zorkmid tool exploded (no hint knows this)');
    // Two venvs and two pip wheels on the host.
  }, 180_000);

  it('a predicted hint is in force from the first attempt and recorded as predicted: the history tells it from a learned one', async () => {
    const sdist = await makeBackendSdist(
      work,
      'needs-demo',
      'import os, sys\nif os.environ.get("DEMO_LIB") != "1":\n    sys.exit("fatal error: demo/lib.h: No such file or directory")\n',
    );
    const o = await options({ outDir: join(work, 'out-predicted') });
    const r = await buildUnit({ ...unitFor('needs-demo', sdist), hints: ['demo-lib'], predictedHints: ['demo-lib'] }, o);
    expect(r.status).toBe('success');
    expect(r.attempts).toHaveLength(1);
    expect(r.attempts[0]).toMatchObject({ hintsApplied: ['demo-lib'], hintsPredicted: ['demo-lib'] });
    const { record } = await import('../../src/stages/record/record.js');
    const { state } = await record(o.outDir, join(work, 'state-predicted'));
    const pkg = state.packages.get('needs-demo')!;
    expect(pkg.history.map((h) => [h.attempt, h.hintsApplied, h.hintsPredicted])).toEqual([[1, ['demo-lib'], ['demo-lib']]]);
    // Predicted and in force from the start: nothing was learned from a failure.
    expect(pkg.hints).toEqual([]);
    // One venv and one pip wheel on the host.
  }, 120_000);

  it('the fallback is tried once: a failure it does not fix ends the unit', async () => {
    const sdist = await makeBackendSdist(work, 'always-fails', 'import sys\nsys.exit("quux: cannot reticulate splines")\n');
    const o = await options({ outDir: join(work, 'out-fallback2') });
    const r = await buildUnit(unitFor('always-fails', sdist), o);
    expect(r.status).toBe('failure');
    expect(r.attempts.map((a) => a.hintsApplied)).toEqual([[], ['test-fallback']]);
    expect(r.attempts[1]!.evidence).toContain('quux: cannot reticulate splines');
  }, 180_000);

  it('a unit planned as pure (py3) serves all its targets with a pure wheel, only its build Python with a compiled one', async () => {
    const o = await options();
    const unit = (name: string, sdist: string): PlanUnit => ({
      ...unitFor(name, sdist),
      targets: ['cp311-manylinux_2_28_s390x', 'cp312-manylinux_2_28_s390x', 'cp313-manylinux_2_28_s390x'],
    });
    const pure = await makeBackendSdist(work, 'stays-pure', 'pass\n');
    expect((await buildUnit(unit('stays-pure', pure), o)).unit.targets).toHaveLength(3);
    // The host interpreter's own tag, so the smoke test can install the "compiled" wheel.
    const cp = (await execa(pytoolsBin('python'), ['-c', 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")'])).stdout.trim();
    const compiled = await makeBackendSdist(work, 'got-compiled', 'pass\n', { tag: `${cp}-${cp}-linux_${process.arch === 'x64' ? 'x86_64' : process.arch}` });
    const r = await buildUnit({ ...unit('got-compiled', compiled), buildPython: `${cp[2]}.${cp.slice(3)}` }, o);
    expect(r.status, r.attempts.map((a) => a.failureClass).join()).toBe('success');
    expect(r.wheel?.filename).toMatch(new RegExp(`-${cp}-${cp}-linux_`));
    expect(r.unit.targets).toEqual(
      ['cp311-manylinux_2_28_s390x', 'cp312-manylinux_2_28_s390x', 'cp313-manylinux_2_28_s390x'].filter((t) => t.startsWith(`${cp}-`)),
    );
  });

  it('takes build requirements from --find-links folders: what an earlier wave built', async () => {
    const o = await options(); // PIP_NO_INDEX=1: nothing comes from an index
    const wave0 = join(work, 'wave-0');
    const dep = await buildUnit(unitFor('wave-dep', await makeBackendSdist(work, 'wave-dep', 'pass\n')), { ...o, outDir: wave0 });
    expect(dep.status).toBe('success');
    const user = unitFor(
      'wave-user',
      await makeBackendSdist(work, 'wave-user', 'import wave_dep\nprint("build requirement from wave 0:", wave_dep.VALUE)\n', { requires: ['wave-dep'] }),
    );
    const without = await buildUnit(user, { ...o, maxAttempts: 1 });
    expect(without.status).toBe('failure');
    expect(await readFile(join(o.outDir, without.log), 'utf8')).toMatch(/wave-dep/);
    const output: string[] = [];
    const withLinks = await buildUnit(user, { ...o, findLinks: [wave0, join(work, 'no-such-folder')], onOutput: (c) => output.push(c) });
    expect(withLinks.status).toBe('success');
    expect(output.join('')).toContain('[refinery] find-links: 1 wheel(s) from earlier builds');
    expect(await readFile(join(o.outDir, withLinks.log), 'utf8')).toContain('build requirement from wave 0: 42');
  });

  it('takes build requirements from the configured index, with its credentials, through a private pip.conf', async () => {
    const o = await options();
    const dists = join(work, 'private-index');
    const dep = await buildUnit(unitFor('private-dep', await makeBackendSdist(work, 'private-dep', 'pass\n')), { ...o, outDir: dists });
    expect(dep.status).toBe('success');
    const auth = { username: 'ci@corp', password: 'p%ss w:rd' };
    const server = await FixtureIndexServer.start({ projects: await projectsFromDir(dists), auth });
    try {
      const user = unitFor(
        'private-user',
        await makeBackendSdist(work, 'private-user', 'import private_dep\nprint("from the private index:", private_dep.VALUE)\n', {
          requires: ['private-dep'],
        }),
      );
      // No pip config of the caller's: only what the build writes points pip anywhere.
      const env = { PIP_DISABLE_PIP_VERSION_CHECK: '1' };
      const anonymous = await buildUnit(user, { ...o, env, maxAttempts: 1, indexes: [{ url: server.url }] });
      expect(anonymous.status).toBe('failure');
      expect(server.log.some((r) => r.status === 401)).toBe(true);
      const r = await buildUnit(user, { ...o, env, indexes: [{ url: server.url, auth: { kind: 'basic', ...auth } }] });
      const log = await readFile(join(o.outDir, r.log), 'utf8');
      expect(r.status, log.slice(-1500)).toBe('success');
      expect(log).toContain('from the private index: 42');
      expect(log).not.toContain(auth.password); // pip masks it; the refinery never prints it
      // it lived in the unit's work folder only, removed with it
      expect((await readdir(work, { recursive: true })).filter((f) => f.endsWith('pip.conf'))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('classifies a failure, applies the matching hint and succeeds on the retry', async () => {
    const sdist = await makeBackendSdist(
      work,
      'needs-lib',
      'import os, sys\nif os.environ.get("DEMO_LIB") != "1":\n    print("needs_lib.c:3:10: fatal error: demo/lib.h: No such file or directory")\n    sys.exit(1)\n',
    );
    const o = await options();
    const r = await buildUnit(unitFor('needs-lib', sdist), o);
    expect(r.status).toBe('success');
    expect(r.attempts.map((a) => [a.status, a.failureClass, a.matchedHint, a.hintsApplied])).toEqual([
      ['failure', 'missing-system-lib', 'demo-lib', []],
      ['success', undefined, undefined, ['demo-lib']],
    ]);
    expect(r.attempts[0]!.phase).toBe('build');
    expect(o.events.filter((e) => e.type === 'hint-applied')).toEqual([{ type: 'hint-applied', hint: 'demo-lib', class: 'missing-system-lib', forAttempt: 2 }]);
    expect(existsSync(join(o.outDir, `${r.unit.id}.attempt-1.log`))).toBe(true);
  });

  it('never applies a remedy that has no form for the package manager, and stops', async () => {
    const sdist = await makeBackendSdist(work, 'apt-only', 'import sys\nprint("x.c:1:10: fatal error: aptonly.h: No such file or directory")\nsys.exit(1)\n');
    const o = await options();
    const r = await buildUnit(unitFor('apt-only', sdist), o);
    expect(r.status).toBe('failure');
    expect(r.attempts).toHaveLength(1);
    expect(r.attempts[0]!.matchedHint).toBe('apt-only-lib');
    expect(o.events.some((e) => e.type === 'hint-applied')).toBe(false);
  });

  it('retries transient faults with exponential backoff, bounded', async () => {
    const sdist = await makeBackendSdist(
      work,
      'flaky',
      "import sys\nprint(\"pip._vendor.urllib3.exceptions.ProtocolError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))\")\nsys.exit(1)\n",
    );
    const o = await options({ transientRetries: 2, maxAttempts: 5 });
    const r = await buildUnit(unitFor('flaky', sdist), o);
    expect(r.status).toBe('failure');
    expect(r.attempts.map((a) => a.failureClass)).toEqual(['transient', 'transient', 'transient']);
    const waits = o.events.filter((e): e is Extract<BuildEvent, { type: 'retry-wait' }> => e.type === 'retry-wait' && e.reason !== 'slept');
    expect(waits.map((w) => w.delayMs)).toEqual([750, 1500]);
  });

  it('succeeds after a transient fault clears', async () => {
    const marker = join(work, 'flaky-once-marker');
    const sdist = await makeBackendSdist(
      work,
      'flaky-once',
      `import os, sys\nm = ${JSON.stringify(marker)}\nif not os.path.exists(m):\n    open(m, "w").close()\n    print("qemu: uncaught target signal 11 (Segmentation fault) - core dumped")\n    sys.exit(1)\n`,
    );
    const o = await options();
    const r = await buildUnit(unitFor('flaky-once', sdist), o);
    expect(r.status).toBe('success');
    expect(r.attempts.map((a) => a.failureClass ?? a.status)).toEqual(['qemu-fault', 'success']);
  });

  it('kills the whole process tree at the phase timeout and records the kill', async () => {
    // Found by its command line: inside a PID namespace the build's own pids are not this machine's.
    const marker = `refinery-grandchild-${process.pid}-${Date.now()}`;
    const sdist = await makeBackendSdist(
      work,
      'hangs',
      `import subprocess, sys, time\np = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", ${JSON.stringify(marker)}])\nprint("started", flush=True)\ntime.sleep(300)\n`,
    );
    const o = await options({ timeouts: { build: 4_000 } });
    const r = await buildUnit(unitFor('hangs', sdist), o);
    expect(r.status).toBe('failure');
    expect(r.attempts).toHaveLength(1);
    expect(r.attempts[0]).toMatchObject({ killed: true, failureClass: 'timeout', phase: 'build' });
    const log = await readFile(join(o.outDir, r.log), 'utf8');
    expect(log).toContain('started');
    expect(log).toMatch(/KILLED: phase build exceeded its timeout of 4 s; process tree stopped/);
    expect(processesWith(marker)).toEqual([]);
  });

  it('refuses a wrong sha256 before building anything', async () => {
    const sdist = await makeBackendSdist(work, 'tampered', 'pass\n');
    const o = await options();
    const unit = { ...unitFor('tampered', sdist), sdist: { filename: 'tampered-0.1.tar.gz', url: sdist, sha256: '0'.repeat(64) } };
    await expect(buildUnit(unit, o)).rejects.toThrow(/sha256 mismatch for tampered-0.1.tar.gz/);
    expect(o.events).toHaveLength(0);
  });

  it('stops at the unit timeout even with attempts left', async () => {
    const sdist = await makeBackendSdist(work, 'slow-unit', 'import time\ntime.sleep(300)\n');
    const o = await options({ unitTimeoutMs: 3_000, timeouts: { build: 60_000 } });
    await expect(buildUnit(unitFor('slow-unit', sdist), o)).resolves.toMatchObject({
      status: 'failure',
      attempts: [{ killed: true, failureClass: 'timeout' }],
    });
    await expect(readFile(join(o.outDir, 'slow-unit-0.1-py3-host.log'), 'utf8')).resolves.toMatch(/KILLED: the unit exceeded its timeout/);
  });
});

describe('errors', () => {
  it('a recipe skip is an error with the reason', async () => {
    const o = await options({ recipe: { name: 'skipme', description: '', remedy: {}, hints: [], skip: 'no sdist upstream' } });
    await expect(buildUnit(unitFor('skipme', '/nonexistent.tar.gz'), o)).rejects.toThrow(RefineryError);
    await expect(buildUnit(unitFor('skipme', '/nonexistent.tar.gz'), o)).rejects.toThrow(/skipped by its recipe: no sdist upstream/);
  });
});
