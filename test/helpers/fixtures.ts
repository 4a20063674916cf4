/**
 * Real distributions from PyPI, downloaded once with pip at pinned versions into
 * `.cache/fixtures/dists` and shared by the index, scan and resolution tests (one local index).
 * Every filename is pinned too, so a rerun checks presence without touching the network.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../src/adapters/process.js';
import { pytoolsBin, repoRoot } from './pytools.js';

export type FixtureRole =
  /** Upstream ships a manylinux s390x wheel (scan says "upstream"). */
  | 's390x-wheel'
  /** Pure-Python wheel (py3-none-any), installable on any target. */
  | 'pure-wheel'
  /** abi3 / platform wheel for another architecture only (x86_64): s390x needs a build. */
  | 'other-arch-wheel'
  /** Source distribution. */
  | 'sdist';

export interface FixtureDist {
  project: string;
  version: string;
  filename: string;
  role: FixtureRole;
  /** pip `--platform` for binary wheels of another platform than this machine. */
  platform?: string;
  /** The project publishes only an sdist for this version. */
  sdistOnly?: boolean;
}

/** Pinned fixtures. Checked against PyPI: these s390x wheels really exist (cp312, manylinux2014). */
export const FIXTURE_DISTS: readonly FixtureDist[] = [
  {
    project: 'PyYAML',
    version: '6.0.2',
    role: 's390x-wheel',
    platform: 'manylinux2014_s390x',
    filename: 'PyYAML-6.0.2-cp312-cp312-manylinux_2_17_s390x.manylinux2014_s390x.whl',
  },
  { project: 'PyYAML', version: '6.0.2', role: 'sdist', filename: 'pyyaml-6.0.2.tar.gz' },
  {
    project: 'charset-normalizer',
    version: '3.4.1',
    role: 's390x-wheel',
    platform: 'manylinux2014_s390x',
    filename: 'charset_normalizer-3.4.1-cp312-cp312-manylinux_2_17_s390x.manylinux2014_s390x.whl',
  },
  {
    project: 'cffi',
    version: '1.17.1',
    role: 's390x-wheel',
    platform: 'manylinux2014_s390x',
    filename: 'cffi-1.17.1-cp312-cp312-manylinux_2_17_s390x.manylinux2014_s390x.whl',
  },
  { project: 'cffi', version: '1.17.1', role: 'sdist', filename: 'cffi-1.17.1.tar.gz' },
  // MarkupSafe 3.0.2 has no s390x wheel on PyPI: x86_64 wheel + sdist means "needs-build" on s390x.
  {
    project: 'MarkupSafe',
    version: '3.0.2',
    role: 'other-arch-wheel',
    platform: 'manylinux2014_x86_64',
    filename: 'MarkupSafe-3.0.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
  },
  { project: 'MarkupSafe', version: '3.0.2', role: 'sdist', filename: 'markupsafe-3.0.2.tar.gz' },
  // abi3, x86_64 only at this version's manylinux_2_28 tag (no s390x wheel exists for 44.0.0).
  {
    project: 'cryptography',
    version: '44.0.0',
    role: 'other-arch-wheel',
    platform: 'manylinux_2_28_x86_64',
    filename: 'cryptography-44.0.0-cp39-abi3-manylinux_2_28_x86_64.whl',
  },
  { project: 'six', version: '1.17.0', role: 'pure-wheel', filename: 'six-1.17.0-py2.py3-none-any.whl' },
  { project: 'six', version: '1.17.0', role: 'sdist', filename: 'six-1.17.0.tar.gz' },
  { project: 'idna', version: '3.10', role: 'pure-wheel', filename: 'idna-3.10-py3-none-any.whl' },
  { project: 'certifi', version: '2025.1.31', role: 'pure-wheel', filename: 'certifi-2025.1.31-py3-none-any.whl' },
  { project: 'urllib3', version: '2.3.0', role: 'pure-wheel', filename: 'urllib3-2.3.0-py3-none-any.whl' },
  { project: 'requests', version: '2.32.3', role: 'pure-wheel', filename: 'requests-2.32.3-py3-none-any.whl' },
  { project: 'packaging', version: '24.2', role: 'pure-wheel', filename: 'packaging-24.2-py3-none-any.whl' },
  { project: 'packaging', version: '24.2', role: 'sdist', filename: 'packaging-24.2.tar.gz' },
  { project: 'pycparser', version: '2.22', role: 'pure-wheel', filename: 'pycparser-2.22-py3-none-any.whl' },
  { project: 'docopt', version: '0.6.2', role: 'sdist', sdistOnly: true, filename: 'docopt-0.6.2.tar.gz' },
  { project: 'pyperclip', version: '1.9.0', role: 'sdist', sdistOnly: true, filename: 'pyperclip-1.9.0.tar.gz' },
];

export const FIXTURE_DIR = join(repoRoot, '.cache', 'fixtures', 'dists');

export interface FixtureDistsResult {
  dir: string;
  dists: readonly (FixtureDist & { path: string; size: number })[];
}

/**
 * Make sure every pinned fixture is in `.cache/fixtures/dists` (downloading the missing ones with
 * pip, isolated from this machine's pip config) and return the directory and what is there.
 * pip writes into a private temp dir and the file is renamed into place, so concurrent test
 * workers never see a half-written file.
 */
export async function ensureFixtureDists(): Promise<FixtureDistsResult> {
  await mkdir(FIXTURE_DIR, { recursive: true });
  const missing = FIXTURE_DISTS.filter((d) => !existsSync(join(FIXTURE_DIR, d.filename)));
  if (missing.length > 0) {
    const python = pytoolsBin('python');
    const tmp = await mkdtemp(join(FIXTURE_DIR, '.download-'));
    try {
      for (const dist of missing) await download(python, dist, tmp);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  const dists = await Promise.all(
    FIXTURE_DISTS.map(async (d) => {
      const path = join(FIXTURE_DIR, d.filename);
      return { ...d, path, size: (await stat(path)).size };
    }),
  );
  return { dir: FIXTURE_DIR, dists };
}

async function download(python: string, dist: FixtureDist, tmp: string): Promise<void> {
  const dest = join(tmp, dist.filename.replace(/[^A-Za-z0-9._-]/g, '_'));
  await mkdir(dest, { recursive: true });
  const pin = `${dist.project}==${dist.version}`;
  const select =
    dist.role === 'sdist'
      ? [`--no-binary=${dist.project}`]
      : ['--only-binary=:all:', '--python-version', '3.12', ...(dist.platform ? ['--platform', dist.platform] : [])];
  // --isolated ignores PIP_* variables and user config; PIP_CONFIG_FILE=/dev/null drops the
  // machine-wide pip.conf (constraints, extra indexes) that users would not have.
  const args = ['-m', 'pip', '--isolated', 'download', '--no-deps', '--disable-pip-version-check', '--dest', dest, ...select, pin];
  const r = await run(python, args, { env: { PIP_CONFIG_FILE: '/dev/null' }, timeoutMs: 600_000 });
  if (r.exitCode !== 0) throw new Error(`pip download ${pin} failed (exit ${r.exitCode}):\n${r.all}`);
  const got = await readdir(dest);
  if (!got.includes(dist.filename)) {
    throw new Error(`pip download ${pin} produced ${JSON.stringify(got)}, expected ${dist.filename}: update FIXTURE_DISTS`);
  }
  await rename(join(dest, dist.filename), join(FIXTURE_DIR, dist.filename));
}

/** Fixtures of one project (name as written in FIXTURE_DISTS). */
export function fixturesOf(project: string): readonly FixtureDist[] {
  return FIXTURE_DISTS.filter((d) => d.project === project);
}
