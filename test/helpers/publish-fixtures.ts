// Real wheels (the demo's PyPI files) in a local wheel store, as manifest entries of a state.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizePackage, type HistoryEntry, type ManifestEntry, type State } from '../../src/domain/state/index.js';
import { emptyPackage } from '../../src/domain/state/types.js';
import type { LocalWheelStore } from '../../src/domain/storage/index.js';
import { repoRoot } from './pytools.js';

export const DEMO_DISTS = join(repoRoot, 'examples/demo/dists');

/** Store a real wheel and return its manifest entry. */
export async function storedEntry(
  store: LocalWheelStore,
  filename: string,
  o: { name: string; version: string; builtAt?: string; source?: string },
): Promise<ManifestEntry> {
  const file = o.source ?? join(DEMO_DISTS, filename);
  const data = await readFile(file);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const storage = await store.put(file, { filename, sha256, size: data.length });
  const fp = `sha256:${createHash('sha256').update(filename).digest('hex')}`;
  return {
    name: o.name,
    version: o.version,
    filename,
    tags: ['py3-none-any'],
    targets: ['cp312-manylinux_2_28_s390x'],
    variant: 'py3',
    sha256,
    size: data.length,
    preset: 'manylinux_2_28',
    executor: 'container',
    builtAt: o.builtAt ?? '2026-06-01T10:00:00.000Z',
    inputsFingerprint: fp,
    unit: `${o.name}-${o.version}-py3-manylinux_2_28`,
    run: createHash('sha256').update(`run ${filename}`).digest('hex').slice(0, 16),
    sdist: { filename: `${o.name}-${o.version}.tar.gz`, sha256: 'a'.repeat(64) },
    storage,
  };
}

/** A successful one-attempt run matching a manifest entry. */
export function attemptFor(m: ManifestEntry, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    package: m.name,
    version: m.version,
    unit: m.unit,
    variant: m.variant,
    targets: m.targets,
    run: m.run,
    attempt: 1,
    attempts: 1,
    outcome: 'success',
    status: 'success',
    startedAt: '2026-06-01T09:50:00.000Z',
    finishedAt: m.builtAt,
    durationMs: 600_000,
    hintsApplied: [],
    killed: false,
    executor: m.executor,
    preset: m.preset,
    inputsFingerprint: m.inputsFingerprint,
    ...extra,
  };
}

export function stateOf(...pkgs: Array<{ name: string; manifest?: ManifestEntry[]; history?: HistoryEntry[] }>): State {
  const packages = new Map();
  for (const p of pkgs) packages.set(p.name, normalizePackage({ ...emptyPackage(p.name), manifest: p.manifest ?? [], history: p.history ?? [] }));
  return { packages };
}
