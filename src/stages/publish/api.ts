import { stableJson } from '../../adapters/fs.js';
import { cmp } from '../../domain/state/canonical.js';
import type { State } from '../../domain/state/types.js';
import { byVersion } from './simple-index.js';
import type { SiteWheel } from './wheels.js';

/**
 * The JSON API: `api/packages/<name>.json` (the versions on the index by Python tag and platform,
 * with each wheel), `api/index.json` (every package with its newest version) and
 * `api/manifest.json` (every manifest entry of the state).
 */

export function packageApi(name: string, wheels: readonly SiteWheel[]): string {
  const versions = [...new Set(wheels.map((w) => w.entry.version))].sort(byVersion);
  const byTag: Record<string, Record<string, string[]>> = {};
  for (const w of wheels) {
    for (const py of w.parsed.pythonTags) {
      for (const plat of w.parsed.platformTags) {
        const list = ((byTag[py] ??= {})[plat] ??= []);
        if (!list.includes(w.entry.version)) list.push(w.entry.version);
      }
    }
  }
  for (const plats of Object.values(byTag)) for (const list of Object.values(plats)) list.sort(byVersion);
  return stableJson({
    schema: 'refinery/site-package@1',
    name,
    versions: versions.map((version) => ({
      version,
      wheels: wheels
        .filter((w) => w.entry.version === version)
        .map((w) => ({
          filename: w.entry.filename,
          url: w.url,
          sha256: w.entry.sha256,
          size: w.entry.size,
          python: w.parsed.pythonTags,
          abi: w.parsed.abiTags,
          platform: w.parsed.platformTags,
          requiresPython: w.requiresPython,
          yanked: w.yanked,
          variant: w.entry.variant,
          preset: w.entry.preset,
          builtAt: w.entry.builtAt,
          // The build provenance attestation kept for it (verify with `gh attestation verify`), and
          // its PEP 740 file on the site (the bundle itself is there, not repeated here).
          ...(w.entry.attestation ? { attestation: { id: w.entry.attestation.id, ...(w.entry.attestation.url ? { url: w.entry.attestation.url } : {}) } } : {}),
          ...(w.provenance?.sitePath ? { provenance: w.provenance.sitePath } : {}),
          // What the smoke test in a bare container said: verified as is, with system packages installed, or not.
          verified: w.entry.unverified ? 'unverified' : w.entry.runtimePackages ? 'with-runtime-packages' : 'yes',
          ...(w.entry.unverified ? { unverified: w.entry.unverified } : {}),
          ...(w.entry.externalLibraries ? { externalLibraries: w.entry.externalLibraries } : {}),
          ...(w.entry.runtimePackages ? { runtimePackages: w.entry.runtimePackages } : {}),
        })),
    })),
    byPythonTag: byTag,
  });
}

export function indexApi(wheels: ReadonlyMap<string, readonly SiteWheel[]>, state: State): string {
  const names = [...state.packages.keys()].sort(cmp);
  return stableJson({
    schema: 'refinery/site-index@1',
    packages: names.map((name) => {
      const list = wheels.get(name) ?? [];
      const versions = [...new Set(list.map((w) => w.entry.version))].sort(byVersion);
      return { name, latest: versions[versions.length - 1] ?? null, wheels: list.length };
    }),
  });
}

export function manifestApi(state: State): string {
  const entries = [...state.packages.keys()]
    .sort(cmp)
    .flatMap((name) =>
      [...state.packages.get(name)!.manifest].sort((a, b) => cmp(a.filename, b.filename) || cmp(a.builtAt, b.builtAt) || cmp(a.sha256, b.sha256)),
    );
  return stableJson({ schema: 'refinery/site-manifest@1', manifest: entries });
}
