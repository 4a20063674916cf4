/**
 * The Actions runtime stand-in (test/helpers/actions-runtime.ts) speaks what the real, unmodified
 * @actions/artifact and @actions/cache clients expect: artifacts go up, are listed and come back
 * byte for byte; a cache is saved and restored by its key and by a restore-key prefix; the
 * service refuses a forged token and another run's artifacts stay invisible.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import * as cache from '@actions/cache';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionsRuntime } from '../helpers/actions-runtime.js';

let rt: ActionsRuntime;
let work: string;
const saved = { ...process.env };
beforeAll(async () => {
  rt = await ActionsRuntime.start();
  work = await mkdtemp(join(tmpdir(), 'refinery-runtime-'));
}, 60_000);
afterAll(async () => {
  await rt?.close();
  if (work) await rm(work, { recursive: true, force: true });
});
afterEach(() => {
  process.env = { ...saved };
});

/** The clients read the runner's variables from process.env, as in a node action. */
function asJob(env: Record<string, string>): void {
  Object.assign(process.env, env, { GITHUB_WORKSPACE: work, RUNNER_TEMP: join(work, 'tmp') });
}

describe('the Actions runtime stand-in', { timeout: 60_000 }, () => {
  it('takes an artifact from one job and gives it to the next, and only within its run', async () => {
    const run = rt.newRun();
    const src = join(work, 'up');
    await mkdir(join(src, 'sub'), { recursive: true });
    const wheel = Buffer.alloc(300_000, 7);
    await writeFile(join(src, 'demo-1.0-py3-none-any.whl'), wheel);
    await writeFile(join(src, 'sub', 'demo.result.json'), '{"status":"success"}\n');

    asJob(rt.jobEnv(run, 'build'));
    const up = await new DefaultArtifactClient().uploadArtifact(
      'refinery-result-demo',
      [join(src, 'demo-1.0-py3-none-any.whl'), join(src, 'sub', 'demo.result.json')],
      src,
    );
    expect(up.id).toBeGreaterThan(0);
    expect(up.size).toBeGreaterThan(0);

    asJob(rt.jobEnv(run, 'record'));
    const client = new DefaultArtifactClient();
    const { artifacts } = await client.listArtifacts();
    expect(artifacts.map((a) => a.name)).toEqual(['refinery-result-demo']);
    expect(artifacts[0]!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const dest = join(work, 'down');
    const got = await client.downloadArtifact(artifacts[0]!.id, { path: dest, expectedHash: artifacts[0]!.digest });
    expect(got.digestMismatch).toBe(false);
    expect((await readFile(join(dest, 'demo-1.0-py3-none-any.whl'))).equals(wheel)).toBe(true);
    expect(await readFile(join(dest, 'sub', 'demo.result.json'), 'utf8')).toContain('success');

    // The same name twice in one run is refused (artifacts are immutable).
    await expect(client.uploadArtifact('refinery-result-demo', [join(src, 'sub', 'demo.result.json')], src)).rejects.toThrow(/already exists|409/);

    // Another run sees none of them.
    asJob(rt.jobEnv(rt.newRun(), 'record'));
    expect((await new DefaultArtifactClient().listArtifacts()).artifacts).toEqual([]);
  });

  it('saves a cache and restores it by key and by restore-key prefix, in a later run', async () => {
    asJob(rt.jobEnv(rt.newRun(), 'build'));
    const dir = join(work, 'pip-cache');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'entry'), 'cached bytes');
    const id = await cache.saveCache([dir], 'refinery-pip-cp312-abc');
    expect(id).toBeGreaterThan(0);
    // An entry is immutable: saving the key again stores nothing.
    await writeFile(join(dir, 'entry'), 'changed');
    expect(await cache.saveCache([dir], 'refinery-pip-cp312-abc')).toBe(-1);

    asJob(rt.jobEnv(rt.newRun(), 'build'));
    await rm(dir, { recursive: true });
    expect(await cache.restoreCache([dir], 'refinery-pip-cp312-abc')).toBe('refinery-pip-cp312-abc');
    expect(await readFile(join(dir, 'entry'), 'utf8')).toBe('cached bytes');
    await rm(dir, { recursive: true });
    expect(await cache.restoreCache([dir], 'refinery-pip-cp312-new', ['refinery-pip-cp312-'])).toBe('refinery-pip-cp312-abc');
    expect(await readFile(join(dir, 'entry'), 'utf8')).toBe('cached bytes');
    expect(await cache.restoreCache([dir], 'refinery-pip-cp313-x', ['refinery-pip-cp313-'])).toBeUndefined();
    // The version covers the paths: the same key for other paths is a miss.
    expect(await cache.restoreCache([join(work, 'elsewhere')], 'refinery-pip-cp312-abc')).toBeUndefined();
  });

  it('refuses a forged token', async () => {
    const env = rt.jobEnv(rt.newRun(), 'build');
    const [h, b] = env.ACTIONS_RUNTIME_TOKEN!.split('.');
    const res = await fetch(new URL('/twirp/github.actions.results.api.v1.ArtifactService/ListArtifacts', rt.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h}.${b}.AAAA` },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'unauthenticated' });
  });
});
