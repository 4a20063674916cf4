// Synthetic state for bench/state.ts: realistic history lines, 50 attempts per package.
import { createHash } from 'node:crypto';
import { normalizePackage, type HistoryEntry, type State } from '../src/domain/state/index.js';
import { emptyPackage } from '../src/domain/state/types.js';

export const PER_PACKAGE = 50;
const T0 = Date.parse('2025-01-01T00:00:00Z');

/** A state of `entries` attempts, `perPackage` per package, built in memory. */
export function syntheticState(entries: number, perPackage = PER_PACKAGE): State {
  const packages = new Map();
  const count = Math.ceil(entries / perPackage);
  for (let p = 0; p < count; p++) {
    const name = `pkg-${String(p).padStart(6, '0')}`;
    const pkg = emptyPackage(name);
    for (let i = 0; i < perPackage && p * perPackage + i < entries; i++) {
      const start = T0 + (p * perPackage + i) * 1000;
      const version = `1.${Math.floor(i / 2) % 500}`;
      const unit = `${name}-${version}-cp312-manylinux_2_28`;
      const status = i % 2 === 0 ? 'failure' : 'success';
      const h: HistoryEntry = {
        package: name,
        version,
        unit,
        variant: '3.12',
        targets: ['cp312-manylinux_2_28_s390x'],
        run: createHash('sha256').update(`${name}${i}`).digest('hex').slice(0, 16),
        attempt: 1,
        attempts: 1,
        outcome: status,
        status,
        startedAt: new Date(start).toISOString(),
        finishedAt: new Date(start + 600_000).toISOString(),
        durationMs: 600_000,
        ...(status === 'failure' ? { phase: 'build' as const, failureClass: 'transient' as const } : {}),
        hintsApplied: [],
        killed: false,
        executor: 'container',
        preset: 'manylinux_2_28',
        imageDigest: `sha256:${'ab'.repeat(32)}`,
        runner: 'ubuntu-24.04',
        runUrl: `https://github.com/acme/wheels/actions/runs/${p}`,
        log: `${unit}.attempt-1.log`,
        inputsFingerprint: `sha256:${createHash('sha256').update(unit).digest('hex')}`,
      };
      pkg.history.push(h);
    }
    packages.set(name, normalizePackage(pkg));
  }
  return { packages };
}
