/**
 * The resolver provisions itself: without uv on PATH and without REFINERY_UV, `refinery scan`
 * installs the pinned uv from the configured index into the cache folder once, says so, and
 * reuses it. The wheel is PyPI's real uv wheel for this machine, served on loopback next to the
 * demo's distributions; the scan then resolves with the uv it installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inventory } from '../../src/domain/model/inventory.js';
import { provisionedUvPath, UV_VERSION } from '../../src/stages/scan/uv.js';
import { runCli } from '../helpers/cli.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { pytoolsBin, repoRoot } from '../helpers/pytools.js';

// No uv anywhere: not on PATH (the test venv is not on it), not named by REFINERY_UV.
const noUv = { REFINERY_UV: undefined, PATH: '/usr/local/bin:/usr/bin:/bin' };
let server: FixtureIndexServer;
let work: string;
let config: string;

/** PyPI's uv wheel for this machine, downloaded once into .cache (kept between runs). */
async function uvWheelDir(): Promise<string> {
  const dir = join(repoRoot, '.cache', 'test-downloads', `uv-${UV_VERSION}`);
  if (!existsSync(dir) || !(await readdir(dir)).some((f) => f.endsWith('.whl'))) {
    await mkdir(dir, { recursive: true });
    execFileSync(
      pytoolsBin('python'),
      ['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:', '-d', dir, `uv==${UV_VERSION}`],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 300_000,
      },
    );
  }
  return dir;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-uv-'));
  const dists = join(work, 'dists');
  await mkdir(dists);
  for (const dir of [join(repoRoot, 'examples', 'demo', 'dists'), await uvWheelDir()]) {
    for (const f of await readdir(dir)) if (/\.(whl|tar\.gz)$/.test(f)) await copyFile(join(dir, f), join(dists, f));
  }
  server = await FixtureIndexServer.start({ projects: await projectsFromDir(dists) });
  await writeFile(join(work, 'requirements.txt'), 'markupsafe==3.0.2\n');
  config = join(work, 'refinery.yml');
  await writeFile(config, `requirements:\n  - file: requirements.txt\ntargets:\n  python: ["3.12"]\nindexes:\n  primary: ${server.url}\n`);
}, 360_000);
afterAll(async () => {
  await server?.close();
});

const uvDownloads = () =>
  Object.entries(server.counters.byPath)
    .filter(([p]) => /\/uv-[^/]+\.whl$/.test(p))
    .reduce((n, [, c]) => n + c, 0);

describe('refinery scan without uv installs it once into the cache folder', () => {
  it('installs the pinned uv, says so once, resolves with it; a second scan reuses it without a download', async () => {
    const cache = join(work, 'cache');
    const args = ['scan', '--config', config, '--cache-dir', cache, '--state', join(work, 'state'), '--json'];
    const first = await runCli(args, { env: noUv });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr.match(/installing uv/g)).toHaveLength(1);
    expect(first.stderr).toContain(`uv ${UV_VERSION} from ${server.url}`);
    expect(existsSync(provisionedUvPath(cache))).toBe(true);
    expect(execFileSync(provisionedUvPath(cache), ['--version'], { encoding: 'utf8' })).toContain(UV_VERSION);
    const inv = Inventory.parse(JSON.parse(first.stdout));
    expect(inv.packages.map((p) => `${p.name}:${p.status}`)).toEqual(['markupsafe:needs-build']);
    expect(uvDownloads()).toBe(1);

    const second = await runCli(args, { env: noUv });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toContain('installing uv');
    expect(uvDownloads()).toBe(1);
  }, 180_000);

  it('--no-install keeps the clear error instead of downloading', async () => {
    const r = await runCli(['scan', '--config', config, '--cache-dir', join(work, 'cache-none'), '--no-install', '--json'], { env: noUv });
    expect(r.code).toBe(8);
    expect(r.stderr).toContain('uv (the resolver) was not found');
    expect(r.stderr).toContain('--no-install');
    expect(existsSync(provisionedUvPath(join(work, 'cache-none')))).toBe(false);
  }, 60_000);

  it('an unreachable index during the install ends in one clear error and leaves nothing behind', async () => {
    // A port nothing listens on: every request is refused.
    const dead = await FixtureIndexServer.start();
    const url = dead.url;
    await dead.close();
    const cfg = join(work, 'dead.yml');
    await writeFile(cfg, `requirements:\n  - file: requirements.txt\nindexes:\n  primary: ${url}/simple\n`);
    const cache = join(work, 'cache-dead');
    const r = await runCli(['scan', '--config', cfg, '--cache-dir', cache, '--json'], { env: noUv });
    expect(r.code).toBe(8);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`could not install uv ${UV_VERSION} from ${url}/simple`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack
    expect(existsSync(provisionedUvPath(cache))).toBe(false);
    expect(existsSync(join(cache, 'tools')) ? (await readdir(join(cache, 'tools'))).filter((f) => f.endsWith('.part')) : []).toEqual([]);
  }, 120_000);
});
