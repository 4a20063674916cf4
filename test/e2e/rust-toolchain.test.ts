/**
 * Rust new enough, end to end in the local s390x image under QEMU: a setuptools-rust extension
 * whose Cargo.toml declares rust-version 1.80 (cargo refuses an older rustc, so a wheel proves
 * the toolchain met it), built emulated so the container's own Rust compiles it.
 * - debian-local lists its Rust toolchains: the first attempt installs rustc-web 1.85, not 1.63.
 * (The preset-without-a-list path, where rust-too-old's rustc-web replaces rust-toolchain's rustc,
 * and the choice when no listed toolchain is new enough are covered by test/unit/hints-rust.test.ts:
 * each more Rust install under QEMU costs 20 minutes or more here.)
 * Needs scripts/setup-s390x-env.sh; under CI=true a missing piece FAILS.
 *
 *   DOCKER_HOST=unix:///run/refinery-docker.sock npx vitest run test/e2e/rust-toolchain.test.ts
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerExecutor } from '../../src/domain/executors/index.js';
import { loadHintCatalog } from '../../src/domain/hints/index.js';
import type { PlanUnit } from '../../src/domain/model/plan.js';
import { Preset } from '../../src/domain/model/preset.js';
import { loadPresets } from '../../src/domain/presets/index.js';
import { buildUnit, type BuildOptions } from '../../src/stages/builder/index.js';
import { rustSdist } from '../fixtures/sdists/turbo.js';

const root = join(import.meta.dirname, '..', '..');
const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/refinery-docker.sock';
const CI = process.env.CI === 'true';
const CA = [process.env.REFINERY_CA_BUNDLE, process.env.PIP_CERT].find((f) => f && existsSync(f));

const shipped = (await loadPresets(join(root, 'seeds', 'presets.yml'))).get('debian-local')!;
const preset = Preset.parse({ ...shipped, ...(process.env.REFINERY_IMAGE ? { image: process.env.REFINERY_IMAGE } : {}) });
const executor = new ContainerExecutor({ host: DOCKER_HOST, network: 'host', hostArch: process.arch, ...(CA ? { caBundle: CA } : {}) });
const problems = (await executor.check(preset)).map((p) => `${p.what} -> ${p.fix}`);
const ready = problems.length === 0;

// Installing g++, rustc-web and cargo-web (LLVM, the Rust std) under QEMU took over 20 minutes on 2
// cores loaded by other builds (load 20+); then a small cargo build.
const PREPARE_TIMEOUT_MS = 40 * 60_000;
const BUILD_TIMEOUT_MS = 55 * 60_000;

let work: string;
let sdist: string;

function unit(): PlanUnit {
  return {
    id: 'rustdemo-0.1-cp311-debian-local',
    package: 'rustdemo',
    version: '0.1',
    python: '3.11',
    buildPython: '3.11',
    targets: ['cp311-linux_s390x'],
    preset: preset.name,
    hints: ['rust-toolchain'],
    compiler: 'emulated',
    runner: { kind: 'qemu', labels: ['ubuntu-latest'] },
    runs_on: '"ubuntu-latest"',
    wave: 0,
    needs: [],
    sdist: { filename: 'rustdemo-0.1.tar.gz', url: sdist },
    estimatedSeconds: 600,
    reason: 'e2e',
  };
}

async function options(name: string, p: Preset): Promise<BuildOptions> {
  return {
    executor,
    preset: p,
    catalog: await loadHintCatalog(join(root, 'seeds', 'hints.yml')),
    outDir: join(work, name),
    workRoot: work,
    isolation: true,
    skipCheck: true,
    compiler: 'emulated',
    sdistFile: sdist,
    unitTimeoutMs: BUILD_TIMEOUT_MS - 60_000,
    timeouts: { prepare: PREPARE_TIMEOUT_MS },
    backoff: { baseMs: 10, maxMs: 10 },
  };
}

describe('rust toolchain environment', () => {
  it.runIf(CI || ready)('has the s390x image, QEMU binfmt and a container engine', () => {
    expect(problems).toEqual([]);
  });
});

describe.runIf(ready)('a Rust toolchain new enough for the package', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'refinery-rust-'));
    sdist = await rustSdist(join(work, 'rustdemo-0.1.tar.gz'), { rustVersion: '1.80' });
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it(
    "debian-local installs rustc-web 1.85 for a crate with rust-version 1.80, not Debian's rustc 1.63",
    async () => {
      const o = await options('listed', preset);
      const r = await buildUnit(unit(), o);
      expect(r.status, r.log).toBe('success');
      expect(r.attempts).toHaveLength(1);
      const log = await readFile(join(o.outDir, r.attempts[0]!.log!), 'utf8');
      expect(log).toContain(
        '[refinery] rust: needs Rust >= 1.80.0 (rust-version 1.80 in Cargo.toml); rustc-web, cargo-web (Rust 1.85.0) of preset debian-local, not rustc, cargo (1.63.0)',
      );
      expect(log).toMatch(/apt-get install -y --no-install-recommends .*rustc-web cargo-web/);
      expect(log).not.toMatch(/apt-get install .* rustc cargo\b/);
    },
    BUILD_TIMEOUT_MS,
  );
});
