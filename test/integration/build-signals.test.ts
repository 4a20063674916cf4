import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildResult } from '../../src/domain/model/result.js';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { processesWith, pyDaemon } from '../helpers/procs.js';
import { pytoolsBin, repoRoot, requirePytools } from '../helpers/pytools.js';

// SIGTERM to a real `refinery build` (the bundled CLI, as a workflow runs it) at random moments of
// a host build: whatever the moment, no process of the build is left, no work folder, and the
// result says cancelled (or, when the build had already finished, success) with exit 143.
const havePy = requirePytools();
const cli = join(repoRoot, 'bin', 'refinery.js');
const haveDist = existsSync(join(repoRoot, 'dist', 'cli.js'));
if (process.env.CI === 'true' && !haveDist) throw new Error('dist/cli.js is missing: run `npm run build` first');

const RUNS = 50;
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-build-signals-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.runIf(havePy && haveDist && process.platform === 'linux')('SIGTERM to refinery build', () => {
  it(`stops the build tree, removes the work folder and writes a cancelled result (${RUNS} random moments)`, async () => {
    const python = pytoolsBin('python');
    // Two builds at a time (each worker its own marker): ${RUNS} runs in a few minutes on 2 cores.
    const worker = async (w: number, runs: number) => {
      const marker = `refinery-sigterm-${process.pid}-${w}-${Date.now()}`;
      // The build starts a setsid() child and a daemon that left the session, then works a while.
      const sdist = await makeBackendSdist(
        await mkdtemp(join(work, `w${w}-`)),
        'sigterm-demo',
        `import subprocess, sys, time
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", ${JSON.stringify(`${marker}-child`)}], start_new_session=True)
${pyDaemon(`${marker}-daemon`, { keepOutput: false })}
time.sleep(0.5)
`,
      );
      const once = async (i: number, delayMs: number | undefined) => {
        const tmp = join(work, `tmp-${w}-${i}`);
        // The marker in refinery's own command line too: it must be gone as well.
        const out = join(work, `out-${w}-${i}-${marker}`);
        await mkdir(tmp, { recursive: true });
        const child = execa(
          'node',
          [cli, 'build', '--package', 'sigterm-demo==0.1', '--sdist', sdist, '--executor', 'host', '--host-python', python, '-o', out, '--max-attempts', '1'],
          {
            // Work folders go to TMPDIR: this run's own, so leftovers are easy to see.
            env: { TMPDIR: tmp, PIP_CONFIG_FILE: '/dev/null' },
            reject: false,
            all: true,
          },
        );
        const started = Date.now();
        if (delayMs !== undefined) {
          // Once refinery has said which executor it uses, its signal handlers are in place.
          await new Promise<void>((resolve) => {
            const onData = (c: Buffer) => {
              if (c.toString().includes('executor host')) {
                child.stderr?.off('data', onData);
                resolve();
              }
            };
            child.stderr?.on('data', onData);
            void child.then(() => resolve());
          });
          await new Promise((r) => setTimeout(r, delayMs));
          child.kill('SIGTERM');
        }
        const r = await child;
        const left = processesWith(marker);
        const folders = readdirSync(tmp).filter((f) => f.startsWith('refinery-'));
        const resultFile = join(out, 'sigterm-demo-0.1-cp312-manylinux_2_28.result.json');
        const result = existsSync(resultFile) ? BuildResult.parse(JSON.parse(await readFile(resultFile, 'utf8'))) : undefined;
        return { code: r.exitCode, all: r.all, left, folders, result, ms: Date.now() - started };
      };

      // One build to the end: how long a whole build takes here, now.
      const full = await once(0, undefined);
      expect(full.code, full.all).toBe(0);
      expect(full.result?.status).toBe('success');
      expect(full.left).toEqual([]);
      expect(full.folders).toEqual([]);

      let cancelled = 0;
      for (let i = 1; i <= runs; i++) {
        const delay = Math.floor(Math.random() * full.ms * 0.8);
        const r = await once(i, delay);
        const what = `worker ${w} run ${i}, SIGTERM after ${delay} ms: exit ${r.code}\n${r.all}`;
        expect(r.left, what).toEqual([]);
        expect(r.folders, what).toEqual([]);
        if (r.code === 0) {
          // The build had finished when the signal came.
          expect(r.result?.status, what).toBe('success');
          continue;
        }
        expect(r.code, what).toBe(143);
        expect(r.result?.status, what).toBe('cancelled');
        expect(r.all, what).toMatch(/SIGTERM received: stopping the build/);
        cancelled++;
      }
      return cancelled;
    };
    const cancelled = (await Promise.all([worker(1, RUNS / 2), worker(2, RUNS / 2)])).reduce((a, b) => a + b, 0);
    // Random moments within 80% of a whole build: nearly all of them cancel it.
    expect(cancelled).toBeGreaterThanOrEqual(RUNS * 0.7);
  }, 480_000);
});
