/**
 * The session: one door for config, seeds and per-package settings. Real host builds of crafted
 * sdists served by a real index on loopback; the state folder is counted where it is read and written.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeExecutor } from '../../src/domain/executors/index.js';
import { buildInfo } from '../../src/domain/recipes/build-info.js';
import type { Recipe } from '../../src/domain/recipes/load.js';
import { loadState, manifestFor } from '../../src/domain/state/index.js';
import { openSession } from '../../src/session/index.js';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { runCli } from '../helpers/cli.js';
import { FixtureIndexServer, type ServedFile } from '../helpers/index-server.js';
import { pytoolsBin, requirePytools } from '../helpers/pytools.js';

// Count every load and save of a state folder, wherever in the library it happens.
const counts = vi.hoisted(() => ({ loads: 0, saves: 0 }));
vi.mock('../../src/domain/state/load.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/domain/state/load.js')>();
  return {
    ...m,
    loadState: (...a: Parameters<typeof m.loadState>) => {
      counts.loads++;
      return m.loadState(...a);
    },
  };
});
vi.mock('../../src/domain/state/write.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/domain/state/write.js')>();
  return {
    ...m,
    saveState: (...a: Parameters<typeof m.saveState>) => {
      counts.saves++;
      return m.saveState(...a);
    },
  };
});

const havePy = requirePytools();
let work: string;
let server: FixtureIndexServer;
/** Builds see only allowlisted variables, and pip inside the host builds must not reach an index. */
const buildEnv = { PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1' };

async function served(name: string, version: string, o: Partial<ServedFile> = {}): Promise<ServedFile> {
  const path = await makeBackendSdist(work, `${name}`, 'pass\n', { filename: `${name}-${version}.tar.gz` });
  return { filename: `${name}-${version}.tar.gz`, body: await readFile(path), ...o };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-session-'));
  server = await FixtureIndexServer.start({
    projects: [
      { name: 'yankonly', files: [await served('yankonly', '0.1', { yanked: 'broken release' })] },
      { name: 'newpython', files: [await served('newpython', '0.1', { requiresPython: '>=3.99' })] },
      { name: 'okpkg', files: [await served('okpkg', '0.1')] },
    ],
  });
  await writeFile(
    join(work, 'refinery.yml'),
    `indexes:\n  primary: ${server.url}\ntargets:\n  python: ["3.11"]\ncacheDir: cache\nbuild:\n  passEnv: [PIP_CONFIG_FILE, PIP_NO_INDEX]\n`,
  );
});
afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

describe('buildInfo: the per-package settings plan and build share', () => {
  const recipes = new Map<string, Recipe>([
    ['oldonly', { name: 'oldonly', description: '', remedy: {}, hints: ['h1'], versions: '<2', skip: 'needs CUDA before 2.0' }],
  ]);
  it('applies a recipe with a versions range inside the range only, its skip included', () => {
    expect(buildInfo(recipes, 'oldonly', '1.5', 'debian-12')).toMatchObject({ skip: 'needs CUDA before 2.0', hints: ['h1'], recipe: { name: 'oldonly' } });
    const outside = buildInfo(recipes, 'oldonly', '2.0', 'debian-12');
    expect(outside).toEqual({ preset: 'debian-12', hints: [] });
  });
});

describe.runIf(havePy)('the session', { timeout: 300_000 }, () => {
  it('refinery build --package refuses a yanked-only or a requires-python-excluded sdist, as scan does', async () => {
    const yanked = await runCli(['build', '--package', 'yankonly==0.1', '--executor', 'host', '-o', join(work, 'out-y')], { cwd: work, env: buildEnv });
    expect(yanked.code, yanked.stderr).toBe(5); // an index error
    expect(yanked.stderr).toMatch(/yankonly==0\.1 has no sdist to build for CPython 3\.11: its only sdist is yanked/);
    const py = await runCli(['build', '--package', 'newpython==0.1', '--executor', 'host', '-o', join(work, 'out-p')], { cwd: work, env: buildEnv });
    expect(py.code, py.stderr).toBe(5);
    expect(py.stderr).toMatch(/newpython==0\.1 has no sdist to build for CPython 3\.11: its sdist requires Python >=3\.99/);
  });

  it('refinery build --package makes the plan unit and downloads the sdist once', async () => {
    const before = server.log.filter((r) => r.path.endsWith('okpkg-0.1.tar.gz')).length;
    const out = join(work, 'out-ok');
    const r = await runCli(['build', '--package', 'okpkg==0.1', '--executor', 'host', '--host-python', pytoolsBin('python'), '-o', out, '--json'], {
      cwd: work,
      env: buildEnv,
    });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    // The plan's id: package-version-variant-preset.
    expect(result.unit.id).toBe('okpkg-0.1-cp311-manylinux_2_28');
    expect(result.status).toBe('success');
    expect(server.log.filter((x) => x.path.endsWith('okpkg-0.1.tar.gz')).length - before).toBe(1);
  });

  it('a recipe limited to some versions applies at build time only inside its range', async () => {
    const recipes = new Map<string, Recipe>([
      ['okpkg', { name: 'okpkg', description: '', remedy: {}, hints: [], versions: '<0.1', skip: 'old releases only' }],
    ]);
    const inside = new Map<string, Recipe>([['okpkg', { ...recipes.get('okpkg')!, versions: '<=0.1' }]]);
    const executor = makeExecutor('host', {
      container: { engine: 'docker', hostArch: process.arch },
      process: { hostArch: process.arch, env: { ...process.env, ...buildEnv }, python: pytoolsBin('python') },
    });
    const open = (r: Map<string, Recipe>) => openSession({ cwd: work, env: { ...process.env, ...buildEnv }, seeds: { recipes: r } });
    const s1 = await open(recipes);
    const { unit, sdistFile } = await s1.adHocUnit({ package: 'okpkg', version: '0.1' });
    const built = await s1.build(unit, { executor, outDir: join(work, 'out-recipe'), ...(sdistFile ? { sdistFile } : {}) });
    expect(built.status).toBe('success');
    expect(built.attempts[0]!.hintsApplied).not.toContain('recipe:okpkg');
    const s2 = await open(inside);
    await expect(s2.build(unit, { executor, outDir: join(work, 'out-recipe2'), ...(sdistFile ? { sdistFile } : {}) })).rejects.toThrow(
      /okpkg is skipped by its recipe: old releases only/,
    );
    await expect(s2.adHocUnit({ package: 'okpkg', version: '0.1' })).rejects.toThrow(/okpkg==0\.1 is not built: recipe: old releases only/);
  });

  it('refinery run loads the state once and writes it once', async () => {
    const dir = await mkdtemp(join(work, 'run-'));
    await writeFile(join(dir, 'requirements.txt'), 'okpkg==0.1\n');
    await writeFile(
      join(dir, 'refinery.yml'),
      `requirements:\n  - file: requirements.txt\nindexes:\n  primary: ${server.url}\ntargets:\n  python: ["3.11"]\ncacheDir: cache\nbuild:\n  passEnv: [PIP_CONFIG_FILE, PIP_NO_INDEX]\n`,
    );
    counts.loads = 0;
    counts.saves = 0;
    const r = await runCli(['run', '--executor', 'host', '--host-python', pytoolsBin('python'), '--json'], {
      cwd: dir,
      env: { ...buildEnv, REFINERY_UV: pytoolsBin('uv') },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).units).toMatchObject([{ package: 'okpkg', outcome: 'built' }]);
    expect(counts).toEqual({ loads: 1, saves: 1 });
    expect(manifestFor(await loadState(join(dir, '.refinery')), 'okpkg', '0.1')).toHaveLength(1);
  });
});
