/**
 * `refinery yield`: a list of pinned releases, each through the whole pipeline on the host
 * executor (quick; its wheels are for this machine), over crafted sdists served by a real PEP 503
 * index on loopback. One builds, one fails the way ujson 6.1.0 did without g++ (classified), one
 * fails with an error no hint knows (unclassified, its error line kept), one is not on the index;
 * the table, --json and the progress lines (live log path, heartbeats) are what a user sees.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadState } from '../../src/domain/state/index.js';
import { parseYieldList } from '../../src/chain/yield.js';
import { RefineryError } from '../../src/errors.js';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { runCli } from '../helpers/cli.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { pytoolsBin } from '../helpers/pytools.js';

const env = { REFINERY_UV: pytoolsBin('uv') };
let server: FixtureIndexServer;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yield-cli-'));
  const dists = join(work, 'dists');
  await mkdir(dists);
  // Sleeps a little so a heartbeat of 0.2 s has something to say.
  await makeBackendSdist(dists, 'yield-good', 'import time\nprint("compiling yield_good", flush=True)\ntime.sleep(1.5)\n');
  await makeBackendSdist(dists, 'yield-cxx', 'raise SystemExit("error: [Errno 2] No such file or directory: \'s390x-linux-gnu-g++\'")\n');
  await makeBackendSdist(dists, 'yield-odd', 'raise SystemExit("fatal: the frobnicator is not calibrated")\n');
  server = await FixtureIndexServer.start({ projects: await projectsFromDir(dists) });
  await writeFile(join(work, 'refinery.yml'), `targets:\n  python: ["3.11"]\nindexes:\n  primary: ${server.url}\ncacheDir: cache\n`);
  await writeFile(join(work, 'list.txt'), '# corpus\nyield-good==0.1\nyield-cxx==0.1   # needs g++\nyield-odd==0.1\nyield-missing==0.1\n');
});
afterAll(async () => server?.close());

describe('refinery yield on the host executor', () => {
  it('reports built, failed by class with the evidence line, unclassified with its error line, and the yield', async () => {
    const r = await runCli(['yield', 'list.txt', '--executor', 'host', '--json', '--max-attempts', '2', '--heartbeat', '0.2'], { cwd: work, env });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const row = (name: string) => report.rows.find((x: { name: string }) => x.name === name);
    expect(row('yield-good')).toMatchObject({ outcome: 'built', attempts: 1 });
    expect(row('yield-cxx')).toMatchObject({
      outcome: 'failed',
      failureClass: 'missing-toolchain',
      evidence: "error: [Errno 2] No such file or directory: 's390x-linux-gnu-g++'",
    });
    expect(row('yield-odd')).toMatchObject({ outcome: 'failed', failureClass: 'unclassified', evidence: 'fatal: the frobnicator is not calibrated' });
    expect(row('yield-missing')).toMatchObject({ outcome: 'error', reason: expect.stringMatching(/^(no-source|error)/) });
    expect(report).toMatchObject({ attempted: 4, built: 1, unverified: 0, failed: 3, failuresByClass: { 'missing-toolchain': 1, unclassified: 1, error: 1 } });
    expect(report.yield).toBeCloseTo(0.25);

    // --json: stdout is one document; progress is JSON lines on stderr, starting with the live log.
    const events = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const start = events.find((e) => e.event === 'attempt-start' && e.unit.startsWith('yield-good'));
    expect(start.log).toMatch(/yield-good-0\.1\/yield-good-0\.1-cp311-manylinux_2_28\.attempt-1\.log$/);
    const beats = events.filter((e) => e.event === 'heartbeat' && e.unit.startsWith('yield-good'));
    expect(beats.length).toBeGreaterThan(0);
    expect(beats.map((b) => b.lastLine)).toContain('compiling yield_good');
    expect(beats[0]).toMatchObject({ attempt: 1, phase: expect.stringMatching(/^(build|test)$/) });

    // Each release was recorded into the state like any run.
    const state = await loadState(join(work, '.refinery'));
    expect(state.packages.get('yield-good')!.manifest).toHaveLength(1);
    expect(state.packages.get('yield-cxx')!.history.length).toBeGreaterThan(0);
    // Four host builds at most twice each, four scans: well under a minute idle, budgeted for load.
  }, 300_000);

  it('prints a table with the yield line; text progress names the live log', async () => {
    await writeFile(join(work, 'one.txt'), 'yield-cxx==0.1\n');
    const r = await runCli(['yield', 'one.txt', '--executor', 'host', '--max-attempts', '1', '--out', 'again'], { cwd: work, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^package\s+version\s+outcome\s+class\s+attempts\s+time\s+evidence \/ reason$/m);
    expect(r.stdout).toMatch(
      /^yield-cxx\s+0\.1\s+failed\s+missing-toolchain\s+1\s+\d+s\s+error: \[Errno 2\] No such file or directory: 's390x-linux-gnu-g\+\+'$/m,
    );
    expect(r.stdout).toContain('yield: 0.0% (0 built + 0 built-unverified of 1 attempted; 1 failed: missing-toolchain 1)');
    // (the first run's missing-toolchain failure moved the unit to the next newer preset)
    expect(r.stderr).toMatch(
      /yield-cxx-0\.1-cp311-manylinux_2_\d+: attempt 1; live log: \S+\/again\/yield-cxx-0\.1\/yield-cxx-0\.1-cp311-manylinux_2_\d+\.attempt-1\.log/,
    );
  }, 180_000);
});

describe('the list', () => {
  it('one pinned release a line, comments and duplicates allowed; anything else is one error naming the line', () => {
    expect(parseYieldList('a==1\n# x\n\nB_c==2.0 # y\na==1\n', 'l.txt')).toEqual([
      { name: 'a', version: '1' },
      { name: 'b-c', version: '2.0' },
    ]);
    for (const bad of ['numpy>=1', 'x==1; rm -rf /', 'x == 1', '$(id)==1']) {
      expect(() => parseYieldList(`a==1\n${bad}\n`, 'l.txt')).toThrow(RefineryError);
      try {
        parseYieldList(`a==1\n${bad}\n`, 'l.txt');
      } catch (e) {
        expect((e as RefineryError).location).toMatchObject({ file: 'l.txt', line: 2 });
      }
    }
    expect(() => parseYieldList('# nothing\n', 'l.txt')).toThrow(/names no release/);
  });
});
