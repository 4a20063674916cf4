import type { DistFile } from '../../domain/model/files.js';
import type { Target } from '../../domain/model/target.js';
import { markerEnvironment } from '../../domain/python/environment.js';
import { isSdist } from '../../domain/python/filenames.js';
import { evaluateMarker } from '../../domain/python/marker-ast.js';
import { normalizeVersion } from '../../domain/python/version.js';
import { parseMarker } from '../../domain/python/requirement.js';
import { bestWheel, isPureWheel, wheelAbi, wheelServes } from '../../domain/python/tags.js';
import { knownFailing, manifestFor, type ManifestEntry, type State } from '../../domain/state/index.js';
import { targetId } from '../../domain/model/target.js';
import type { ScanServices } from './scan.js';
import type { ResolvedLine } from './resolve.js';
import type { RequirementSet } from './sources.js';

/** The index operations scan uses (src/domain/package-index's IndexClient provides them). */
export interface IndexReader {
  /**
   * Files of one release (a normalized version) from every index; empty when there are none. An
   * answer at hand (a warm cache) may come back as is rather than as a promise.
   */
  releaseFiles(name: string, version: string): DistFile[] | Promise<DistFile[]>;
  buildRequires(sdist: DistFile): Promise<string[]>;
  sdistSource?(sdist: DistFile): Promise<{ bytes: number; languages: string[] }>;
}

export interface ServiceOptions {
  index: IndexReader;
  state: State;
  resolve(set: RequirementSet, python: string): Promise<ResolvedLine[]>;
  onProgress?: ScanServices['onProgress'];
  now?: () => Date;
}

/** Wire the packaging core, the index and the state into what scan needs. */
export function scanServices(o: ServiceOptions): ScanServices {
  const markers = new Map<string, ReturnType<typeof parseMarker>>();
  return {
    resolve: o.resolve,
    filesOf: (name, version) => o.index.releaseFiles(name, normalizeVersion(version) ?? version),
    bestWheel: (list, target) => bestWheel(list, target, { pinned: true })?.file,
    isSdist,
    wheelAbi,
    markerHolds(marker: string, target: Target) {
      let ast = markers.get(marker);
      if (!ast) {
        ast = parseMarker(marker);
        markers.set(marker, ast);
      }
      return evaluateMarker(ast, markerEnvironment({ python: target.python }));
    },
    built(name, version, target) {
      const id = targetId(target);
      // A wheel serves the targets of the unit that built it; a pure one also every target its
      // Python tag admits (a py3 wheel built with 3.11 serves a 3.13 target added later).
      const m = manifestFor(o.state, name, version).find((e) => e.targets.includes(id) || (isPureWheel(e.tags) && wheelServes(e.tags, target)));
      return m ? { filename: m.filename } : undefined;
    },
    knownPure(name) {
      // The latest wheel the refinery built of the package decides: a package that gained
      // compiled code stops being built once for all Pythons at its next version.
      const latest = o.state.packages.get(name)?.manifest.reduce<ManifestEntry | undefined>((a, m) => (!a || m.builtAt > a.builtAt ? m : a), undefined);
      return latest !== undefined && isPureWheel(latest.tags);
    },
    knownFailing(name, version, target) {
      const k = knownFailing(o.state, name, version).find(
        (e) => e.retry !== 'queued' && (e.variant === target.python || e.variant === 'abi3' || e.variant === 'py3'),
      );
      return k ? { attempt: `${k.unit}#${k.attempt}`, reason: k.failureClass ?? 'failure' } : undefined;
    },
    buildRequires: (sdist) => o.index.buildRequires(sdist),
    ...(o.index.sdistSource ? { sdistSource: o.index.sdistSource.bind(o.index) } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.now ? { now: o.now } : {}),
  };
}
