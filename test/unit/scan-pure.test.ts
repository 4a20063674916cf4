/**
 * Pure-Python packages: a wheel the refinery built that is pure serves every target its tag
 * admits, and once a package's builds came out pure its next versions are planned as one py3 unit.
 * Real scan + plan over a state with recorded manifests; the index answers from a table.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/domain/config/index.js';
import type { DistFile } from '../../src/domain/model/files.js';
import { plan, type PlanDeps } from '../../src/stages/plan/index.js';
import { TOP } from '../../src/stages/scan/resolve.js';
import { scan } from '../../src/stages/scan/scan.js';
import { scanServices } from '../../src/stages/scan/services.js';
import { emptyPackage, emptyState, type ManifestEntry, type State } from '../../src/domain/state/index.js';

const config = parseConfig('targets:\n  python: ["3.11", "3.12", "3.13"]\n', 'refinery.yml');

function sdist(name: string, version: string): DistFile {
  return {
    filename: `${name}-${version}.tar.gz`,
    url: `http://127.0.0.1/${name}-${version}.tar.gz`,
    sha256: 'b'.repeat(64),
    yanked: false,
    metadata: false,
    index: 'http://127.0.0.1/simple/',
  };
}

function built(name: string, version: string, filename: string, targets: string[], builtAt: string): ManifestEntry {
  const [, , ...rest] = filename.slice(0, -4).split('-');
  const [py, abi, plat] = rest.slice(-3) as [string, string, string];
  const tags = py.split('.').flatMap((p) => abi.split('.').flatMap((a) => plat.split('.').map((pl) => `${p}-${a}-${pl}`)));
  return {
    name,
    version,
    filename,
    tags,
    targets,
    variant: '3.11',
    sha256: 'c'.repeat(64),
    size: 1,
    preset: 'manylinux_2_28',
    executor: 'container',
    builtAt,
    inputsFingerprint: 'f',
    unit: `${name}-${version}`,
    run: 'r1',
    sdist: { filename: `${name}-${version}.tar.gz`, sha256: 'b'.repeat(64) },
    storage: { kind: 'none' },
  };
}

function stateWith(...entries: ManifestEntry[]): State {
  const state = emptyState();
  for (const e of entries) {
    const pkg = state.packages.get(e.name) ?? emptyPackage(e.name);
    pkg.manifest.push(e);
    state.packages.set(e.name, pkg);
  }
  return state;
}

async function scanPins(state: State, pins: [string, string][]) {
  const services = scanServices({
    index: { releaseFiles: (name, version) => [sdist(name, version)], buildRequires: async () => ['setuptools'] },
    state,
    resolve: async () => [],
  });
  const set = { requirements: [], constraints: [], extraIndexUrls: [], warnings: [], locked: pins.map(([name, version]) => ({ name, version, via: [TOP] })) };
  return scan(set, config, services);
}

const noHistory: PlanDeps = {
  recipe: () => undefined,
  learnedHints: () => [],
  lastFailure: () => undefined,
  queued: () => undefined,
  durationEstimate: () => undefined,
  presetSuccession: ['manylinux2014', 'manylinux_2_28', 'manylinux_2_34'],
  now: new Date('2026-11-27T00:00:00Z'),
};

describe('pure-Python packages', () => {
  it('a pure wheel built for 3.11 serves 3.12 and 3.13 too; a compiled one only the targets it was built for', async () => {
    const state = stateWith(
      built('docopt', '0.6.2', 'docopt-0.6.2-py2.py3-none-any.whl', ['cp311-manylinux_2_28_s390x'], '2026-11-01T00:00:00Z'),
      built('crcmod', '1.7', 'crcmod-1.7-cp311-cp311-manylinux_2_28_s390x.whl', ['cp311-manylinux_2_28_s390x'], '2026-11-01T00:00:00Z'),
    );
    const inv = await scanPins(state, [
      ['docopt', '0.6.2'],
      ['crcmod', '1.7'],
    ]);
    const status = (name: string) => inv.packages.filter((p) => p.name === name).map((p) => `${p.python}:${p.status}`);
    expect(status('docopt')).toEqual(['3.11:built', '3.12:built', '3.13:built']);
    expect(status('crcmod')).toEqual(['3.11:built', '3.12:needs-build', '3.13:needs-build']);
  });

  it('the next version of a package whose builds came out pure is one py3 unit; one that gained compiled code is per Python again', async () => {
    const state = stateWith(
      built('docopt', '0.6.1', 'docopt-0.6.1-py2.py3-none-any.whl', ['cp311-manylinux_2_28_s390x'], '2026-10-01T00:00:00Z'),
      // was pure, then its latest build came out compiled
      built('simplejson', '3.19.0', 'simplejson-3.19.0-py3-none-any.whl', ['cp311-manylinux_2_28_s390x'], '2026-09-01T00:00:00Z'),
      built('simplejson', '3.19.1', 'simplejson-3.19.1-cp311-cp311-manylinux_2_28_s390x.whl', ['cp311-manylinux_2_28_s390x'], '2026-10-01T00:00:00Z'),
    );
    const inv = await scanPins(state, [
      ['docopt', '0.6.2'],
      ['simplejson', '3.19.3'],
    ]);
    expect(new Set(inv.packages.filter((p) => p.name === 'docopt').map((p) => `${p.status}/${p.abi}`))).toEqual(new Set(['needs-build/none']));
    expect(new Set(inv.packages.filter((p) => p.name === 'simplejson').map((p) => `${p.status}/${p.abi}`))).toEqual(new Set(['needs-build/cpython']));
    const units = plan(inv, config, noHistory)
      .matrix.include.map((u) => `${u.id} ${u.buildPython} ${u.targets.length}`)
      .sort();
    expect(units).toEqual([
      'docopt-0.6.2-py3-manylinux_2_28 3.11 3',
      'simplejson-3.19.3-cp311-manylinux_2_28 3.11 1',
      'simplejson-3.19.3-cp312-manylinux_2_28 3.12 1',
      'simplejson-3.19.3-cp313-manylinux_2_28 3.13 1',
    ]);
  });
});
