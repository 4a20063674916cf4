import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../src/domain/executors/types.js';
import { Preset } from '../../src/domain/model/preset.js';
import { copySeed, ensureUvSeed, SEED_MAX_AGE_MS, uvSeedKey } from '../../src/stages/builder/uv-seed.js';

// The seeded uv cache's bookkeeping: which seed a build may use, when one is made again, what an
// attempt gets. Making a seed for real (a container, uv, compileall) is in test/e2e/turbo.test.ts.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refinery-uv-seed-unit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const preset = Preset.parse({
  name: 'debian-local',
  image: 'refinery/debian-s390x:bookworm',
  packageManager: 'apt',
  python: { '3.11': '/usr/bin/python3' },
  platform: 'linux',
});
const base = { identity: 'sha256:image-a', python: '/usr/bin/python3', uv: { path: '/opt/refinery/turbo/frontend/uv', version: '0.13.9' }, env: {} };

/** An executor whose sessions cannot start: counts how often a seed was about to be made. */
function refusingExecutor(): Executor & { opened: number } {
  const e = {
    kind: 'container' as const,
    opened: 0,
    check: async () => [],
    identity: async () => ({ fingerprint: base.identity }),
    packageManager: () => 'apt' as const,
    interpreter: () => base.python,
    open: async () => {
      e.opened++;
      throw new Error('no engine in this test');
    },
  };
  return e;
}

async function writeSeed(seedsDir: string, createdAt: string, manifest?: string): Promise<string> {
  const d = join(seedsDir, uvSeedKey(base));
  await mkdir(join(d, 'archive-v0', 'abc', 'setuptools', '__pycache__'), { recursive: true });
  await writeFile(join(d, 'archive-v0', 'abc', 'setuptools', '__init__.py'), '# setuptools\n');
  await writeFile(join(d, 'archive-v0', 'abc', 'setuptools', '__pycache__', '__init__.cpython-311.pyc'), 'pyc');
  await writeFile(
    join(d, 'refinery-seed.json'),
    manifest ??
      JSON.stringify({ schema: 'refinery/uv-seed@1', createdAt, uv: '0.13.9', python: base.python, packages: ['setuptools==84.2.1', 'wheel==0.48.0'] }),
  );
  return d;
}

describe('uv seed: the key', () => {
  it('one seed per image, interpreter, uv version and index configuration; earlier waves and other settings do not split it', () => {
    const k = uvSeedKey(base);
    expect(k).toMatch(/^[0-9a-f]{24}$/);
    expect(uvSeedKey({ ...base, identity: 'sha256:image-b' })).not.toBe(k);
    expect(uvSeedKey({ ...base, python: '/usr/bin/python3.12' })).not.toBe(k);
    expect(uvSeedKey({ ...base, uv: { ...base.uv, version: '0.14.0' } })).not.toBe(k);
    expect(uvSeedKey({ ...base, uvConf: '[[index]]\nurl = "https://mirror.example/simple"\n' })).not.toBe(k);
    expect(uvSeedKey({ ...base, env: { PIP_INDEX_URL: 'https://mirror.example/simple' } })).not.toBe(k);
    expect(uvSeedKey({ ...base, env: { UV_EXTRA_INDEX_URL: 'https://extra.example/simple' } })).not.toBe(k);
    expect(uvSeedKey({ ...base, env: { PIP_FIND_LINKS: '/work/find-links', CFLAGS: '-O3' } })).toBe(k);
  });
});

describe('uv seed: found, made again, or done without', () => {
  it('a seed younger than a day is used as it is: no container is started', async () => {
    const seedsDir = join(dir, 'fresh');
    const d = await writeSeed(seedsDir, new Date(Date.now() - 3600_000).toISOString());
    const executor = refusingExecutor();
    const lines: string[] = [];
    const seed = await ensureUvSeed({ ...base, executor, preset, seedsDir }, (l) => lines.push(l));
    expect(seed?.dir).toBe(d);
    expect(seed?.made).toBe(false);
    expect(seed?.manifest.packages).toEqual(['setuptools==84.2.1', 'wheel==0.48.0']);
    expect(executor.opened).toBe(0);
    expect(lines).toEqual([]);
  });

  it('an older seed, or a manifest that does not validate, is made again; when that fails the build goes on without one and says why', async () => {
    for (const [name, created, manifest] of [
      ['stale', new Date(Date.now() - SEED_MAX_AGE_MS - 1000).toISOString(), undefined],
      ['hand-edited', '', '{"schema": "refinery/uv-seed@1", "packages": ["setuptools==84; rm -rf /"]}'],
    ] as const) {
      const seedsDir = join(dir, name);
      await writeSeed(seedsDir, created, manifest);
      const executor = refusingExecutor();
      const lines: string[] = [];
      expect(await ensureUvSeed({ ...base, executor, preset, seedsDir }, (l) => lines.push(l))).toBeUndefined();
      expect(executor.opened, name).toBe(1);
      expect(lines).toEqual(['not seeded: the seed could not be made (no engine in this test); the build fills its own']);
      // The half-made seed is gone; the old one is left for the next try.
      expect((await readdir(seedsDir)).filter((e) => e.startsWith('.new-'))).toEqual([]);
    }
  });

  it("a found seed with a link out of it (a hostile cache entry) is not used but made again; uv's own links between its entries are kept", async () => {
    const seedsDir = join(dir, 'links');
    const d = await writeSeed(seedsDir, new Date().toISOString());
    await mkdir(join(d, 'wheels-v8', 'pypi', 'setuptools'), { recursive: true });
    await symlink('../../../archive-v0/abc', join(d, 'wheels-v8', 'pypi', 'setuptools', '84.2.1-py3-none-any'));
    const ok = refusingExecutor();
    expect((await ensureUvSeed({ ...base, executor: ok, preset, seedsDir }, () => undefined))?.made).toBe(false);
    expect(ok.opened).toBe(0);
    for (const target of ['/etc', '../../../../../outside']) {
      await rm(join(d, 'escape'), { force: true });
      await symlink(target, join(d, 'escape'));
      const executor = refusingExecutor();
      expect(await ensureUvSeed({ ...base, executor, preset, seedsDir }, () => undefined), target).toBeUndefined();
      expect(executor.opened, target).toBe(1);
    }
  });

  it("an attempt's copy holds the seed's files as its own (no hard link back into the seed), without the manifest", async () => {
    const seedsDir = join(dir, 'copy');
    const d = await writeSeed(seedsDir, new Date().toISOString());
    const seed = await ensureUvSeed({ ...base, executor: refusingExecutor(), preset, seedsDir }, () => undefined);
    const work = join(dir, 'work');
    await mkdir(work);
    await copySeed(seed!, work, 'uv-cache-1');
    const rel = join('archive-v0', 'abc', 'setuptools', '__pycache__', '__init__.cpython-311.pyc');
    const [a, b] = await Promise.all([stat(join(d, rel)), stat(join(work, 'uv-cache-1', rel))]);
    expect(b.ino).not.toBe(a.ino);
    expect(a.nlink).toBe(1);
    expect(await readdir(join(work, 'uv-cache-1'))).toEqual(['archive-v0']);
  });
});
