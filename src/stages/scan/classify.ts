import { DEFAULT_PATCH } from '../../domain/python/environment.js';
import { satisfies } from '../../domain/python/version.js';
import type { DistFile } from '../../domain/model/files.js';
import type { InventoryEntry } from '../../domain/model/inventory.js';
import type { Target } from '../../domain/model/target.js';

/** What classification needs from the index, the packaging core and the state; injected. */
export interface ClassifyDeps {
  /**
   * Files of one project version from all indexes; empty when the project or version is absent.
   * Synchronous when the answer is at hand (a warm cache answers a thousand of these).
   */
  filesOf(name: string, version: string): DistFile[] | Promise<DistFile[]>;
  /** Best compatible wheel for the target, or undefined. */
  bestWheel(files: readonly DistFile[], target: Target): DistFile | undefined;
  /** Is this a source distribution file name. */
  isSdist(filename: string): boolean;
  /** ABI kind of a wheel file name. */
  wheelAbi(filename: string): 'cpython' | 'abi3' | 'none';
  /** The refinery's builds of this package made a pure-Python wheel (the latest one decides). */
  knownPure(name: string): boolean;
  /** The refinery's own wheel for this target, from the state manifest. */
  built(name: string, version: string, target: Target): { filename: string } | undefined;
  /** The last failed attempt, when the state marks this version as failing for good. */
  knownFailing(name: string, version: string, target: Target): { attempt: string; reason: string } | undefined;
  /** Build requirements declared by the sdist (PEP 518). */
  buildRequires(sdist: DistFile): Promise<string[]>;
  /** The sdist's compiled sources, when the index can say (estimates weigh them). */
  sdistSource?(sdist: DistFile): Promise<{ bytes: number; languages: string[] }>;
}

export interface Candidate {
  name: string;
  version: string;
  depth: number;
  requiredBy: string[];
}

/** Requires-Python is checked against the same interpreter version the marker environment uses. */
function interpreterVersion(python: string): string {
  return DEFAULT_PATCH[python] ?? `${python}.0`;
}

/**
 * The sdist a build of this release for CPython `python` starts from: not yanked, its
 * Requires-Python admitting the interpreter, a .tar.gz before other forms. Scan and ad-hoc builds
 * (`refinery build --package`) both choose here.
 */
export function chooseSdist(files: readonly DistFile[], python: string, isSdist: (filename: string) => boolean): DistFile | undefined {
  const full = interpreterVersion(python);
  const sdists = files.filter((f) => isSdist(f.filename) && f.yanked === false && (!f.requiresPython || satisfies(full, f.requiresPython)));
  return sdists.find((f) => f.filename.endsWith('.tar.gz')) ?? sdists[0];
}

/** Why no sdist of these files can be built for CPython `python` (the inventory's no-source reason). */
export function noSdistReason(files: readonly DistFile[], python: string, targetId: string, isSdist: (filename: string) => boolean): string {
  const full = interpreterVersion(python);
  const wheels = files.filter((f) => f.filename.endsWith('.whl'));
  const excludedByPython = files.find((f) => f.requiresPython && !satisfies(full, f.requiresPython));
  if (files.length === 0) return 'no files for this version on any index';
  if (excludedByPython && isSdist(excludedByPython.filename)) return `its sdist requires Python ${excludedByPython.requiresPython}`;
  if (files.some((f) => isSdist(f.filename) && f.yanked !== false)) return 'its only sdist is yanked';
  return `no sdist, and none of its ${wheels.length} wheel(s) fits ${targetId}`;
}

/**
 * Decide one (package, version, target). Order matters: an upstream wheel beats our own build (it is
 * what an installer would pick), our build beats a new one, and only a source can be built.
 */
export async function classify(c: Candidate, target: Target, targetId: string, excludedRule: string | undefined, deps: ClassifyDeps): Promise<InventoryEntry> {
  const base = { name: c.name, version: c.version, python: target.python, target: targetId, depth: c.depth, requiredBy: c.requiredBy };
  if (excludedRule) return { ...base, status: 'excluded', rule: excludedRule, reason: excludedRule };

  const got = deps.filesOf(c.name, c.version);
  const files = Array.isArray(got) ? got : await got;
  const wheel = deps.bestWheel(files, target);
  if (wheel) return { ...base, status: 'upstream-wheel', wheel, reason: wheel.filename };

  const sdist = chooseSdist(files, target.python, deps.isSdist);

  const built = deps.built(c.name, c.version, target);
  // The sdist stays attached: a rebuild asked for through the retry queue needs it.
  if (built) return { ...base, status: 'built', ref: built.filename, ...(sdist ? { sdist } : {}), reason: `built by the refinery: ${built.filename}` };

  if (!sdist) return { ...base, status: 'no-source', reason: noSdistReason(files, target.python, targetId, deps.isSdist) };

  const failing = deps.knownFailing(c.name, c.version, target);
  if (failing) return { ...base, status: 'known-failing', ref: failing.attempt, sdist, reason: `failed: ${failing.reason} (${failing.attempt})` };

  // One build serves every Python when upstream already ships abi3 wheels for other platforms, or
  // when the refinery's builds of this package came out pure Python.
  const abi = files.some((f) => f.filename.endsWith('.whl') && deps.wheelAbi(f.filename) === 'abi3') ? 'abi3' : deps.knownPure(c.name) ? 'none' : 'cpython';
  const buildRequires = await deps.buildRequires(sdist);
  const source = deps.sdistSource ? await deps.sdistSource(sdist) : undefined;
  return { ...base, status: 'needs-build', sdist, abi, buildRequires, ...(source ? { source } : {}), reason: sdist.filename };
}
