// Synthetic states for the publish tests and bench:publish: packages with several Pythons and
// presets, failures of every class (some fixed by a hint), retry queue entries, and wheels stored
// as GitHub release assets (links only: no wheel bytes needed).
import { createHash } from 'node:crypto';
import type { FailureClass } from '../../src/domain/model/result.js';
import { normalizePackage, type HistoryEntry, type ManifestEntry, type State } from '../../src/domain/state/index.js';
import { emptyPackage } from '../../src/domain/state/types.js';

const T0 = Date.parse('2026-06-01T00:00:00Z');
const PYTHONS = ['3.11', '3.12', '3.13'];
const PRESETS = ['manylinux_2_28', 'ubi9'];
const CLASSES: FailureClass[] = ['missing-system-lib', 'transient', 'missing-toolchain', 'big-endian', 'qemu-fault', 'permanent'];
const HINTS = ['libffi-dev', 'rust-toolchain', 'openssl-dev'];

const hex = (s: string, n = 64) => createHash('sha256').update(s).digest('hex').slice(0, n);

export interface SiteStateOptions {
  packages: number;
  attempts: number;
  /** Added to every package's times: a changed package in a republish. */
  bump?: ReadonlyMap<string, number>;
}

export function siteState(o: SiteStateOptions): State {
  const per = Math.max(1, Math.floor(o.attempts / o.packages));
  const packages = new Map();
  for (let p = 0; p < o.packages; p++) {
    const name = `pkg-${String(p).padStart(5, '0')}`;
    const shift = o.bump?.get(name) ?? 0;
    const pkg = emptyPackage(name);
    let i = 0;
    let run = 0;
    while (i < per) {
      const version = `1.${Math.floor(run / 6)}`;
      const variant = PYTHONS[run % PYTHONS.length]!;
      const preset = PRESETS[Math.floor(run / 3) % PRESETS.length]!;
      const unit = `${name}-${version}-cp${variant.replace('.', '')}-${preset}`;
      const runId = hex(`${name}/${run}/${shift}`, 16);
      const kind = (p + run) % 5; // 0,1: success; 2: fail then hint fixes; 3,4: failure
      const n = kind === 2 ? 2 : 1;
      const start = T0 + shift + (p * 97 + run * 3600) * 1000;
      const fp = `sha256:${hex(`${unit}|${shift}`)}`;
      for (let a = 1; a <= n && i < per; a++, i++) {
        const ok = kind < 2 || (kind === 2 && a === 2);
        const cls = CLASSES[(p + run) % CLASSES.length]!;
        const dur = 120_000 + ((p * 13 + run * 7) % 40) * 30_000;
        const h: HistoryEntry = {
          package: name,
          version,
          unit,
          variant,
          targets: [`cp${variant.replace('.', '')}-manylinux_2_28_s390x`],
          run: runId,
          attempt: a,
          attempts: n,
          outcome: kind < 3 ? 'success' : 'failure',
          status: ok ? 'success' : 'failure',
          startedAt: new Date(start + a * 1000).toISOString(),
          finishedAt: new Date(start + a * 1000 + dur).toISOString(),
          durationMs: dur,
          ...(ok ? {} : { phase: 'build' as const, failureClass: cls, ...(kind === 2 ? { matchedHint: HINTS[p % HINTS.length]! } : {}) }),
          hintsApplied: kind === 2 && a === 2 ? [HINTS[p % HINTS.length]!] : [],
          killed: false,
          executor: 'container',
          preset,
          runner: p % 10 === 0 ? 's390x-native' : 'ubuntu-24.04',
          runUrl: `https://github.com/acme/wheels/actions/runs/${p * 1000 + run}`,
          log: `${unit}.${a}.log`,
          inputsFingerprint: fp,
        };
        pkg.history.push(h);
        if (ok && a === n) pkg.manifest.push(manifestEntry(name, version, variant, preset, unit, runId, h.finishedAt, fp));
      }
      run++;
    }
    packages.set(name, normalizePackage(pkg));
  }
  return { packages };
}

function manifestEntry(name: string, version: string, variant: string, preset: string, unit: string, run: string, at: string, fp: string): ManifestEntry {
  const py = `cp${variant.replace('.', '')}`;
  const filename = `${name.replace(/-/g, '_')}-${version}-${py}-${py}-manylinux_2_28_s390x.whl`;
  return {
    name,
    version,
    filename,
    tags: [`${py}-${py}-manylinux_2_28_s390x`],
    targets: [`${py}-manylinux_2_28_s390x`],
    variant,
    sha256: hex(`${filename}|${fp}`),
    size: 100_000,
    preset,
    executor: 'container',
    builtAt: at,
    inputsFingerprint: fp,
    unit,
    run,
    sdist: { filename: `${name}-${version}.tar.gz`, sha256: hex(`${name}-${version}`) },
    storage: { kind: 'github-release', location: `https://github.com/acme/wheels/releases/download/wheels/${filename}`, assetId: 1 },
  };
}
