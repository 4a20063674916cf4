/**
 * What the build action keeps between workflow runs, through the Actions cache service
 * (@actions/cache; entries are immutable, so a key names exactly what it holds):
 * - `refinery-wheel-v1-<inputs fingerprint>`: one unit's successful build (wheel, result JSON, log).
 *   The fingerprint hashes every input that changes the wheel (sdist, image, python, hints, env,
 *   compiler), as the pipeline's reuse does, so a hit is the wheel this build would make; the files
 *   are checked as record checks them (schema, plain names, the wheel's size and sha256) first.
 * - `refinery-pip-v1-<os>-<arch>-<preset>-py<python>-<hash of the batch's sdists>`, restore prefix
 *   without the hash: pip's own download cache, for the host and native executors (a container
 *   build's pip runs inside the throwaway container).
 * - `refinery-uvseed-v1-<os>-<arch>-<UTC day>`, restore prefix without the day: the seeded uv
 *   caches (uv-seed.ts) the uv frontend starts container builds from, made once and then kept for
 *   every job of the day instead of made again on each fresh runner. A seed older than a day is
 *   made again by the build itself, whatever the cache restored.
 * A cache service that does not answer costs the speed-up, never the build.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import type { BuildResult } from '../../domain/model/result.js';
import type { PlanUnit } from '../../domain/model/plan.js';
import { readVerified } from '../../domain/storage/store.js';
import { readResults, wheelPath } from '../../session/index.js';

export function cacheAvailable(): boolean {
  return cache.isFeatureAvailable();
}

export function wheelCacheKey(fingerprint: string): string {
  return `refinery-wheel-v1-${fingerprint.replace(/^sha256:/, '')}`;
}

/** The folder a unit's cached build lives in; the same path every run (it is part of the cache version). */
export function wheelCacheDir(cacheDir: string, unit: PlanUnit): string {
  return join(cacheDir, 'actions-wheels', unit.id);
}

/**
 * Restore a unit's earlier build of the same inputs into `outDir`. Returns the result when the
 * cache held a good one for this fingerprint, else undefined (and the unit is built).
 */
export async function restoreWheel(unit: PlanUnit, fingerprint: string, cacheDir: string, outDir: string): Promise<BuildResult | undefined> {
  const dir = wheelCacheDir(cacheDir, unit);
  await rm(dir, { recursive: true, force: true });
  const key = wheelCacheKey(fingerprint);
  if (!(await cache.restoreCache([dir], key))) return undefined;
  try {
    const found = (await readResults(dir)).filter((rf) => rf.result.unit.id === unit.id);
    const rf = found[0];
    if (found.length !== 1 || !rf || rf.result.status !== 'success' || !rf.result.wheel)
      throw new Error(`it does not hold one successful result of ${unit.id}`);
    const wheel = wheelPath(rf)!;
    await readVerified(wheel, rf.result.wheel);
    await mkdir(outDir, { recursive: true });
    for (const f of [wheel, rf.file, join(dir, rf.result.log)]) await copyFile(f, join(outDir, basename(f)));
    return rf.result;
  } catch (e) {
    core.warning(`the cached build ${key} is not usable (${(e as Error).message}); building ${unit.id}`);
    return undefined;
  }
}

/**
 * Keep a successful build for later runs (files already in `outDir`, named by the result), under
 * the fingerprint of the unit's inputs before building: a build a hint fixed on a later attempt
 * is found again by the same unit.
 */
export async function saveWheel(result: BuildResult, fingerprint: string, cacheDir: string, unit: PlanUnit, outDir: string): Promise<void> {
  if (result.status !== 'success' || !result.wheel) return;
  const dir = wheelCacheDir(cacheDir, unit);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const f of [result.wheel.filename, `${unit.id}.result.json`, result.log]) await copyFile(join(outDir, f), join(dir, f));
  await cache.saveCache([dir], wheelCacheKey(fingerprint));
}

/**
 * pip's cache folder as builds on this machine see it: the host and native executors pass HOME
 * (not XDG_CACHE_HOME) through, and PIP_CACHE_DIR only when the config's build.passEnv names it.
 */
export function pipCacheDir(passEnv: Readonly<Record<string, string>>, home: string = homedir()): string {
  return passEnv.PIP_CACHE_DIR ?? join(home, '.cache', 'pip');
}

export function pipCacheKeys(units: readonly PlanUnit[]): { key: string; restoreKeys: string[] } {
  const u = units[0]!;
  const prefix = `refinery-pip-v1-${process.platform}-${process.arch}-${u.preset}-py${u.buildPython}-`;
  const sdists = units.map((x) => x.sdist.sha256 ?? x.sdist.url).sort();
  return { key: prefix + createHash('sha256').update(sdists.join('\n')).digest('hex').slice(0, 16), restoreKeys: [prefix] };
}

/** Restore pip's cache; returns whether the exact key hit (then there is nothing new to save). */
export async function restorePip(units: readonly PlanUnit[], dir: string): Promise<boolean> {
  const { key, restoreKeys } = pipCacheKeys(units);
  return (await cache.restoreCache([dir], key, restoreKeys)) === key;
}

export async function savePip(units: readonly PlanUnit[], dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await cache.saveCache([dir], pipCacheKeys(units).key);
}

export function uvSeedCacheKeys(now: Date = new Date()): { key: string; restoreKeys: string[] } {
  const prefix = `refinery-uvseed-v1-${process.platform}-${process.arch}-`;
  return { key: prefix + now.toISOString().slice(0, 10), restoreKeys: [prefix] };
}

/** Restore the seeds folder; returns whether today's entry hit (then there is nothing new to save). */
export async function restoreUvSeeds(dir: string): Promise<boolean> {
  const { key, restoreKeys } = uvSeedCacheKeys();
  return (await cache.restoreCache([dir], key, restoreKeys)) === key;
}

/** Keep the seeds this job has (made or restored) for the rest of the day's jobs, if it has any. */
export async function saveUvSeeds(dir: string): Promise<void> {
  const seeds = await readdir(dir).catch(() => [] as string[]);
  if (seeds.some((e) => !e.startsWith('.'))) await cache.saveCache([dir], uvSeedCacheKeys().key);
}
