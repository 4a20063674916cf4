/**
 * `cargoRegistry` (a remedy field): crates from a directory source in the build environment instead
 * of crates.io. The schema refuses paths that could escape the TOML string or name a relative
 * place; a real host build runs the real cargo in the build code and resolves a crate that exists
 * only in that directory, with the network off (offline), so the config must be in force.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostExecutor, turboPyo3Config } from '../../src/domain/executors/index.js';
import { combineRemedies } from '../../src/domain/hints/remedy.js';
import { loadHintCatalog } from '../../src/domain/hints/index.js';
import { Remedy } from '../../src/domain/hints/schema.js';
import type { PlanUnit } from '../../src/domain/model/plan.js';
import { Preset } from '../../src/domain/model/preset.js';
import { parseRecipe } from '../../src/domain/recipes/load.js';
import { cargoRegistryConfig } from '../../src/stages/builder/attempt.js';
import { buildUnit } from '../../src/stages/builder/index.js';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { pytoolsBin, repoRoot } from '../helpers/pytools.js';

// Debian's cargo (the turbo toolchain's host cargo, scripts/setup-turbo-toolchain.sh installs it).
const CARGO = '/usr/bin/cargo';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-cargo-registry-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('cargoRegistry remedy field', () => {
  it('takes an absolute path of plain characters and refuses anything that could leave the TOML string or the path', () => {
    expect(Remedy.parse({ apt: { cargoRegistry: '/usr/share/cargo/registry' } }).apt!.cargoRegistry).toBe('/usr/share/cargo/registry');
    for (const bad of ['usr/share/cargo', '/a/../etc', '/a"b', '/a\nb', '/a b', '/a\\b', "/a'b"]) {
      expect(Remedy.safeParse({ any: { cargoRegistry: bad } }).success, bad).toBe(false);
    }
  });

  it('a recipe carries it into the attempt: the last form that names one wins', () => {
    const r = parseRecipe('name: x\nremedy:\n  apt: { packages: [librust-hex-dev], cargoRegistry: /usr/share/cargo/registry }\n', 'x.yml');
    const hint = { id: 'h', class: 'permanent' as const, description: '', match: [], priority: 0, remedy: r.remedy, evidence: [], fallback: false };
    expect(combineRemedies([hint], 'apt')).toMatchObject({ packages: ['librust-hex-dev'], cargoRegistry: '/usr/share/cargo/registry' });
    // A form for another package manager only: not applied here (its crates come from apt).
    expect(combineRemedies([hint], 'dnf').cargoRegistry).toBeUndefined();
  });

  it('the config replaces crates.io with the directory and turns the network off', () => {
    expect(parseToml(cargoRegistryConfig('/usr/share/cargo/registry'))).toEqual({
      source: { 'crates-io': { 'replace-with': 'refinery-local' }, 'refinery-local': { directory: '/usr/share/cargo/registry' } },
      net: { offline: true },
    });
  });

  it('turbo builds give pyo3 and maturin the target CPython as a config file (both see a cross build); nothing for anything else', () => {
    expect(turboPyo3Config('3.11')).toBe(
      'implementation=CPython\nversion=3.11\nshared=true\nabi3=false\nbuild_flags=WITH_THREAD\nsuppress_build_script_link_lines=false\npointer_width=64\n',
    );
    expect(turboPyo3Config('py3')).toBeUndefined();
  });

  it('a real build: cargo in the build resolves a crate that only the directory source has, offline', async () => {
    expect(existsSync(CARGO), `${CARGO} is missing: apt-get install cargo-web (scripts/setup-turbo-toolchain.sh)`).toBe(true);
    // A directory source with one crate nobody can download: found only through the config.
    const registry = join(work, 'registry');
    const crate = join(registry, 'refinery-probe-0.3.1');
    await mkdir(join(crate, 'src'), { recursive: true });
    await writeFile(join(crate, 'Cargo.toml'), '[package]\nname = "refinery-probe"\nversion = "0.3.1"\nedition = "2021"\n');
    await writeFile(join(crate, 'src', 'lib.rs'), 'pub fn probe() {}\n');
    await writeFile(join(crate, '.cargo-checksum.json'), '{"files":{}}');
    const result = join(work, 'resolved.txt');
    // `cargo fetch` honours an existing Cargo.lock, so the sdist's (below) must be out of the way.
    const buildCode = `import os, subprocess
proj = os.path.join(os.getcwd(), "probe")
open(os.path.join(proj, "Cargo.toml"), "w").write('[package]\\nname = "user"\\nversion = "0.1.0"\\nedition = "2021"\\n[dependencies]\\nrefinery-probe = "0.3"\\n')
subprocess.run([${JSON.stringify(CARGO)}, "fetch"], cwd=proj, check=True)
open(${JSON.stringify(result)}, "w").write(os.environ["CARGO_HOME"] + "\\n" + open(os.path.join(proj, "Cargo.lock")).read())
`;
    // The sdist's lock pins a version the directory source does not have: cargo would refuse it.
    const sdist = await makeBackendSdist(work, 'cargoprobe', buildCode, {
      files: {
        'probe/src/lib.rs': '',
        'probe/Cargo.lock':
          'version = 3\n\n[[package]]\nname = "refinery-probe"\nversion = "0.3.9"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "0000000000000000000000000000000000000000000000000000000000000000"\n\n[[package]]\nname = "user"\nversion = "0.1.0"\ndependencies = ["refinery-probe"]\n',
      },
    });
    const preset = Preset.parse({ name: 'host-test', image: 'none', packageManager: 'none', python: { '3.11': '/usr/bin/python3' }, platform: 'linux' });
    const unit: PlanUnit = {
      id: 'cargoprobe-0.1-host',
      package: 'cargoprobe',
      version: '0.1',
      python: '3.11',
      buildPython: '3.11',
      targets: [],
      preset: preset.name,
      hints: [],
      runner: { kind: 'qemu', labels: ['local'] },
      runs_on: '"local"',
      wave: 0,
      needs: [],
      sdist: { filename: 'cargoprobe-0.1.tar.gz', url: sdist },
      estimatedSeconds: 1,
      reason: 'test',
    };
    const recipe = parseRecipe(`name: cargoprobe\nremedy:\n  any: { cargoRegistry: ${registry} }\n`, 'cargoprobe.yml');
    const r = await buildUnit(unit, {
      executor: new HostExecutor({ hostArch: process.arch, python: pytoolsBin('python') }),
      preset,
      recipe,
      catalog: await loadHintCatalog(join(repoRoot, 'seeds', 'hints.yml')),
      outDir: join(work, 'out'),
      workRoot: work,
      sdistFile: sdist,
      isolation: false,
      skipCheck: true,
      maxAttempts: 1,
      // No index and no proxy: anything but the directory source would fail.
      env: { PIP_CONFIG_FILE: '/dev/null', CARGO_HTTP_PROXY: 'http://127.0.0.1:9' },
    });
    const log = await readFile(join(work, 'out', r.log), 'utf8');
    expect(r.status, log.slice(-3000)).toBe('success');
    expect(log).toContain(`[refinery] cargo: crates from ${registry} instead of crates.io (offline)`);
    expect(log).toContain('[refinery] cargo: probe/Cargo.lock set aside as Cargo.lock.sdist');
    const [home, ...lock] = (await readFile(result, 'utf8')).split('\n');
    // The attempt's own CARGO_HOME, inside the unit's work folder.
    expect(home).toMatch(new RegExp(`^${work}/refinery-cargoprobe-0\\.1-host-[^/]+/cargo-home-1$`));
    expect(lock.join('\n')).toMatch(/name = "refinery-probe"\nversion = "0\.3\.1"/);
  }, 120_000);
});
