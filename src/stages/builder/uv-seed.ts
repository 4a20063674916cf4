/**
 * A seeded uv cache for the uv frontend in an emulated container. A fresh container's uv starts
 * with an empty cache, so every build asks the image's Python for its interpreter facts (about
 * 0.6 s under QEMU) and every backend hook imports setuptools from source, compiling its
 * bytecode under QEMU (about 1.2 s): for a one-file C extension that is a third of a turbo build.
 *
 * A seed is a uv cache made once by a trusted run that executes no package code: uv installs the
 * newest setuptools and wheel (wheels only, `--no-build`) into a throwaway venv, and the image's
 * Python byte-compiles the unpacked wheels (`compileall`, checked-hash pycs: a pyc is used only
 * while its source's hash matches). The index pages are dropped, so each build still resolves
 * its build requirements afresh; uv takes a wheel from the seed only when the resolution picks
 * that very file, and a build whose choice differs downloads as before. Each attempt gets its
 * own copy (never a link), so what a build writes into its cache stays in its work folder.
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readlink, rename, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { readJson } from '../../adapters/json-file.js';
import { sha256 } from '../../adapters/blob-cache.js';
import type { Executor } from '../../domain/executors/types.js';
import type { Preset } from '../../domain/model/preset.js';
import { uvEnv } from './attempt.js';

/** What a seed holds: the build requirements most sdists ask for (and setuptools' legacy default). */
export const SEEDED_PACKAGES = ['setuptools', 'wheel'] as const;

/** Where a cache folder keeps its seeds. */
export function uvSeedsDir(cacheDir: string): string {
  return join(cacheDir, 'uv-seeds');
}

/** A seed is made again after a day: newer releases of what it holds are then taken from it again. */
export const SEED_MAX_AGE_MS = 24 * 3600_000;

const SeedManifest = z
  .object({
    schema: z.literal('refinery/uv-seed@1'),
    createdAt: z.string().datetime(),
    uv: z.string(),
    python: z.string(),
    /** `name==version` lines, as `uv pip freeze` printed them. */
    packages: z.array(z.string().regex(/^[A-Za-z0-9._-]+==[A-Za-z0-9.+!_-]+$/)).max(20),
  })
  .strict();
export type SeedManifest = z.infer<typeof SeedManifest>;

export interface UvSeed {
  /** Host folder holding the seeded uv cache (copy it, never link it). */
  dir: string;
  manifest: SeedManifest;
  /** Made by this call (its time is `ms`), or found fresh. */
  made: boolean;
  ms: number;
}

export interface SeedOptions {
  executor: Executor;
  preset: Preset;
  /** The image's interpreter (executor-side path). */
  python: string;
  uv: { path: string; version: string };
  /** Folder of seeds (`<cacheDir>/uv-seeds`). */
  seedsDir: string;
  /** The executor's identity of the preset (image digest): a seed belongs to one image. */
  identity: string;
  /** The refinery's uv.toml for the configured indexes, if any (credentials in its URLs). */
  uvConf?: string;
  /** The build's environment: index settings under pip's or uv's names are part of the seed's key. */
  env: Readonly<Record<string, string>>;
  signal?: AbortSignal;
  now?: () => number;
}

/** Index settings that choose which files the seed holds; earlier waves' find-links do not. */
const INDEX_VARS = ['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'UV_INDEX_URL', 'UV_EXTRA_INDEX_URL', 'UV_DEFAULT_INDEX', 'UV_INDEX'] as const;

/** The seed a build can use: one per image, interpreter, uv version and index configuration. */
export function uvSeedKey(o: Pick<SeedOptions, 'identity' | 'python' | 'uv' | 'uvConf' | 'env'>): string {
  const index = INDEX_VARS.map((k) => [k, o.env[k] ?? null]);
  return sha256(JSON.stringify({ identity: o.identity, python: o.python, uv: o.uv.version, uvConf: o.uvConf ?? null, index })).slice(0, 24);
}

/**
 * The fresh seed for this build, made first when there is none (about 5 s under QEMU, once a day
 * per key). Undefined when it cannot be made (said through `log`): the build then fills its own
 * cache, as without seeds.
 */
export async function ensureUvSeed(o: SeedOptions, log: (line: string) => void): Promise<UvSeed | undefined> {
  const now = o.now ?? Date.now;
  const dir = join(o.seedsDir, uvSeedKey(o));
  const found = await readSeed(dir);
  if (found && now() - Date.parse(found.createdAt) < SEED_MAX_AGE_MS) return { dir, manifest: found, made: false, ms: 0 };
  const t0 = now();
  await mkdir(o.seedsDir, { recursive: true });
  const tmp = await mkdtemp(join(o.seedsDir, '.new-'));
  try {
    const manifest = await makeSeed(o, tmp, now);
    // Atomic: a concurrent build sees the old seed, none, or this one, never half of one.
    await rm(dir, { recursive: true, force: true });
    await rename(join(tmp, 'cache'), dir).catch(async (e) => {
      if (!(await readSeed(dir))) throw e;
    });
    return { dir, manifest, made: true, ms: now() - t0 };
  } catch (e) {
    log(`not seeded: the seed could not be made (${(e as Error).message.split('\n')[0]}); the build fills its own`);
    return undefined;
  } finally {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * A seed found on disk (perhaps restored from the Actions cache, or edited by hand): its manifest
 * validates, and it holds only files, folders and uv's own relative links between its entries.
 * Anything else (a link out of it, a device, a FIFO) makes it absent, and it is made again.
 */
async function readSeed(dir: string): Promise<SeedManifest | undefined> {
  try {
    const manifest = await readJson(SeedManifest, join(dir, MANIFEST), { code: 'environment', fix: 'remove the seed folder; the next build makes it again' });
    for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile() || e.isDirectory()) continue;
      if (!e.isSymbolicLink()) return undefined;
      const target = await readlink(join(e.parentPath, e.name));
      const inside = relative(dir, resolve(e.parentPath, target));
      if (isAbsolute(target) || inside.startsWith('..') || isAbsolute(inside)) return undefined;
    }
    return manifest;
  } catch {
    return undefined;
  }
}

const MANIFEST = 'refinery-seed.json';

async function makeSeed(o: SeedOptions, tmp: string, now: () => number): Promise<SeedManifest> {
  if (o.uvConf) await writeFile(join(tmp, 'uv.toml'), o.uvConf, { mode: 0o600 });
  const session = await o.executor.open({
    name: `refinery-uv-seed-${randomBytes(4).toString('hex')}`,
    hostWorkDir: tmp,
    preset: o.preset,
    maxLifetimeMs: 15 * 60_000,
    compiler: 'emulated',
    uv: true,
  });
  const wd = session.workDir;
  const env = { ...uvEnv(o.env, o.uvConf ? `${wd}/uv.toml` : undefined), UV_CACHE_DIR: `${wd}/cache` };
  const venvPython = `${wd}/venv/bin/python`;
  let freeze = '';
  try {
    const steps: string[][] = [
      [o.uv.path, 'venv', '--quiet', `${wd}/venv`, '--python', o.python],
      // Wheels only: a seed runs no package's build code.
      [o.uv.path, 'pip', 'install', '--quiet', '--no-build', '--python', venvPython, ...SEEDED_PACKAGES],
      [o.uv.path, 'pip', 'freeze', '--python', venvPython],
      // Compiles, never imports, what the wheels unpacked into the cache.
      [o.python, '-m', 'compileall', '-q', '-j', '0', '--invalidation-mode', 'checked-hash', `${wd}/cache/archive-v0`],
    ];
    for (const argv of steps) {
      const r = await session.exec(argv, { env, timeoutMs: 10 * 60_000, ...(o.signal ? { signal: o.signal } : {}) });
      if (r.exitCode !== 0) throw new Error(`${argv.slice(0, 3).join(' ')} exited ${r.exitCode}: ${r.output.trim().split('\n').at(-1) ?? ''}`);
      if (argv[2] === 'freeze') freeze = r.output;
    }
  } finally {
    await session.close();
  }
  // What a build must still do itself: read the index, make its own env. No credentials kept.
  const cache = join(tmp, 'cache');
  for (const e of await readdir(cache)) if (/^(simple-v|builds-v|sdists-v)/.test(e)) await rm(join(cache, e), { recursive: true, force: true });
  const manifest = SeedManifest.parse({
    schema: 'refinery/uv-seed@1',
    createdAt: new Date(now()).toISOString(),
    uv: o.uv.version,
    python: o.python,
    packages: freeze
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.includes('==')),
  });
  await writeFile(join(cache, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** An attempt's own copy of the seed, at `rel` in its work folder (real copies: no link back). */
export async function copySeed(seed: UvSeed, workDir: string, rel: string): Promise<void> {
  await cp(seed.dir, join(workDir, rel), { recursive: true, verbatimSymlinks: true, filter: (src) => !src.endsWith(MANIFEST) });
}
