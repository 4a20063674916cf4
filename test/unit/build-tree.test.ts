import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pidNamespacePrefix } from '../../src/adapters/process-tree.js';
import { buildUnit, type BuildOptions } from '../../src/stages/builder/index.js';
import { HostExecutor } from '../../src/domain/executors/index.js';
import { loadHintCatalog } from '../../src/domain/hints/index.js';
import { Preset } from '../../src/domain/model/preset.js';
import { record } from '../../src/stages/record/record.js';
import { loadState } from '../../src/domain/state/index.js';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { processesWith, pyDaemon } from '../helpers/procs.js';
import { pytoolsBin, requirePytools } from '../helpers/pytools.js';
import { hostUnit } from '../helpers/units.js';

// Timeouts and leftovers stop the whole build tree: children that call setsid(), daemons that
// leave the session, and daemons that hold the build's output open. Real pip, real processes.
const havePy = requirePytools();
const seeds = join(import.meta.dirname, '..', '..', 'seeds', 'hints.yml');
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-build-tree-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const unitFor = hostUnit;

async function options(pidNamespace: boolean, extra: Partial<BuildOptions> = {}): Promise<BuildOptions> {
  return {
    executor: new HostExecutor({ python: pytoolsBin('python'), hostArch: process.arch, tree: { pidNamespace, outputGraceMs: 2_000, pollMs: 500 } }),
    preset: Preset.parse({ name: 'host', image: 'none', packageManager: 'none', python: { '3.11': 'python3' }, platform: 'linux' }),
    catalog: await loadHintCatalog(seeds),
    outDir: join(work, `out-${randomBytes(4).toString('hex')}`),
    workRoot: work,
    env: { PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1' },
    skipCheck: true,
    maxAttempts: 1,
    ...extra,
  };
}

const mark = (what: string) => `refinery-test-${what}-${randomBytes(6).toString('hex')}`;

describe.runIf(havePy && process.platform === 'linux')('build trees', () => {
  it('this machine (root here) can make a PID namespace, or says why not', async () => {
    // The probe either yields unshare's argv or nothing; on this test machine (root) it works.
    const prefix = await pidNamespacePrefix();
    if (process.getuid?.() === 0) expect(prefix?.[0]).toBe('unshare');
    else expect(prefix === undefined || prefix[0] === 'unshare').toBe(true);
  });

  for (const pidNamespace of [true, false]) {
    const how = pidNamespace ? 'PID namespace' : 'process group';
    it(`the phase timeout kills a setsid() child and a daemon that left the session (${how})`, async () => {
      const child = mark('setsid-child');
      const daemon = mark('daemon');
      const sdist = await makeBackendSdist(
        work,
        `hangs-${pidNamespace ? 'ns' : 'pg'}`,
        `import subprocess, sys, time
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", ${JSON.stringify(child)}], start_new_session=True)
${pyDaemon(daemon, { keepOutput: false })}
print("started", flush=True)
time.sleep(300)
`,
      );
      const o = await options(pidNamespace, { timeouts: { build: 6_000 } });
      const r = await buildUnit(unitFor(`hangs-${pidNamespace ? 'ns' : 'pg'}`, sdist), o);
      expect(r.status).toBe('failure');
      expect(r.attempts[0]).toMatchObject({ killed: true, failureClass: 'timeout', phase: 'build' });
      expect(processesWith(child)).toEqual([]);
      expect(processesWith(daemon)).toEqual([]);
      const log = await readFile(join(o.outDir, r.log), 'utf8');
      expect(log).toContain('started');
      expect(log).toContain(`KILLED: phase build exceeded its timeout of 6 s; process tree stopped (${how})`);
    }, 60_000);

    it(`a daemon holding the backend's output does not make pip wait for the unit timeout (${how})`, async () => {
      const daemon = mark('output-holder');
      const name = `holder-${pidNamespace ? 'ns' : 'pg'}`;
      const sdist = await makeBackendSdist(work, name, `${pyDaemon(daemon, { keepOutput: true })}print("daemon started", flush=True)\n`);
      const o = await options(pidNamespace, { unitTimeoutMs: 90_000 });
      const started = Date.now();
      const r = await buildUnit(unitFor(name, sdist), o);
      // Built, once the holder was stopped (grace 2 s), far from the 90 s unit timeout.
      expect(r.status).toBe('success');
      expect(Date.now() - started).toBeLessThan(45_000);
      expect(processesWith(daemon)).toEqual([]);
      const log = await readFile(join(o.outDir, r.log), 'utf8');
      expect(log).toMatch(/still hold its output open, so its parent waited: stopped them/);
    }, 120_000);
  }

  it('with the build frontend: leftovers holding the output are stopped once the command exits (process group)', async () => {
    // In a PID namespace the kernel ends them with the command; without one, the bounded wait for
    // the output to close does.
    const daemon = mark('build-holder');
    const sdist = await makeBackendSdist(work, 'holder-build', `${pyDaemon(daemon, { keepOutput: true })}print("daemon started", flush=True)\n`);
    const o = await options(false, { unitTimeoutMs: 90_000, frontend: 'build', isolation: false });
    const started = Date.now();
    const r = await buildUnit(unitFor('holder-build', sdist), o);
    expect(r.status).toBe('success');
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(processesWith(daemon)).toEqual([]);
    const log = await readFile(join(o.outDir, r.log), 'utf8');
    expect(log).toMatch(/process\(es\) the command left running were stopped/);
  }, 120_000);

  it('a cancel (the signal the CLI aborts on SIGTERM) stops the tree and writes a cancelled result; the work folder is gone', async () => {
    const child = mark('cancel-child');
    const sdist = await makeBackendSdist(
      work,
      'cancel-me',
      `import subprocess, sys, time
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", ${JSON.stringify(child)}], start_new_session=True)
print("building", flush=True)
time.sleep(300)
`,
    );
    const root = await mkdtemp(join(work, 'root-'));
    const controller = new AbortController();
    const o = await options(true, { workRoot: root, signal: controller.signal });
    // Aborted once the build code runs (the attempt log is written live).
    const timer = setInterval(() => {
      try {
        if (readFileSync(join(o.outDir, 'cancel-me-0.1-py3-host.attempt-1.log'), 'utf8').includes('building')) controller.abort();
      } catch {
        // not there yet
      }
    }, 200);
    const r = await buildUnit(unitFor('cancel-me', sdist), o).finally(() => clearInterval(timer));
    expect(r.status).toBe('cancelled');
    expect(r.attempts).toHaveLength(1);
    expect(r.attempts[0]).toMatchObject({ killed: true, phase: 'build' });
    expect(r.attempts[0]!.failureClass).toBeUndefined();
    expect(processesWith(child)).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
    const log = await readFile(join(o.outDir, r.log), 'utf8');
    expect(log).toContain('KILLED: the build was cancelled (refinery was asked to stop); process tree stopped (PID namespace)');
    expect(JSON.parse(await readFile(join(o.outDir, 'cancel-me-0.1-py3-host.result.json'), 'utf8')).status).toBe('cancelled');
  }, 60_000);

  it('a cancel before anything ran still writes a cancelled result (attempt 1 in phase fetch)', async () => {
    const sdist = await makeBackendSdist(work, 'never-built', 'raise SystemExit(1)\n');
    const root = await mkdtemp(join(work, 'root-'));
    const controller = new AbortController();
    controller.abort();
    const o = await options(true, { workRoot: root, signal: controller.signal });
    const r = await buildUnit(unitFor('never-built', sdist), o);
    expect(r).toMatchObject({ status: 'cancelled', attempts: [{ n: 1, phase: 'fetch', killed: true, status: 'failure' }] });
    expect(readdirSync(root)).toEqual([]);
    // The record stage reads it, counts it, and records nothing: the unit is planned again.
    const stateDir = join(root, 'state');
    const rec = await record(o.outDir, stateDir);
    expect(rec).toMatchObject({ results: 0, cancelled: 1, attempts: 0, packages: [] });
    expect((await loadState(stateDir)).packages.size).toBe(0);
  });
});
