/**
 * Wheel tag compatibility for a CPython target on Linux s390x: the ordered tag list that
 * `packaging.tags.sys_tags()` would produce on such a machine (non-debug, GIL build), and picking
 * the best wheel from an index listing by it.
 */
import type { DistFile } from '../model/files.js';
import { policyLibc, type Target } from '../model/target.js';
import { DEFAULT_PATCH } from './environment.js';
import { isWheel, parseWheelFilename, type WheelFilename } from './filenames.js';
import { isValidSpecifier, satisfies } from './version.js';

const ARCH = 's390x';
/** packaging: the oldest glibc any non-x86 manylinux tag is generated for is 2.17. */
const OLDEST_GLIBC_MINOR = 17;
/** packaging's `_LEGACY_MANYLINUX_MAP` entries that can occur on s390x. */
const LEGACY_MANYLINUX: Readonly<Record<string, string>> = { '2.17': 'manylinux2014' };

/**
 * Platform tags, most specific first. glibc policies: manylinux_2_N down to 2_17 (with the
 * manylinux2014 alias right after 2_17), then linux_s390x. musl: musllinux_1_N down to 1_0, then
 * linux_s390x. The plain `linux` policy promises no libc baseline, so only linux_s390x.
 */
export function platformTags(policy: Target['platform']): string[] {
  const libc = policyLibc(policy);
  const tags: string[] = [];
  if (policy !== 'linux' && libc.libc === 'glibc') {
    for (let minor = libc.minor; minor >= OLDEST_GLIBC_MINOR; minor--) {
      tags.push(`manylinux_${libc.major}_${minor}_${ARCH}`);
      const legacy = LEGACY_MANYLINUX[`${libc.major}.${minor}`];
      if (legacy) tags.push(`${legacy}_${ARCH}`);
    }
  } else if (libc.libc === 'musl') {
    for (let minor = libc.minor; minor >= 0; minor--) tags.push(`musllinux_${libc.major}_${minor}_${ARCH}`);
  }
  tags.push(`linux_${ARCH}`);
  return tags;
}

function pythonParts(python: string): { major: number; minor: number; nodot: string } {
  const [major, minor] = python.split('.').map(Number) as [number, number];
  return { major, minor, nodot: `${major}${minor}` };
}

const tagListCache = new Map<string, readonly string[]>();

/**
 * Every `interpreter-abi-platform` tag the target accepts, most preferred first:
 * cpXY-cpXY-*, cpXY-abi3-*, cpXY-none-*, cpXW-abi3-* (W = Y-1 .. 2), pyXY-none-*, py3-none-*,
 * py3W-none-*, cpXY-none-any, pyXY-none-any, py3-none-any, py3W-none-any.
 */
export function compatibleTags(target: Pick<Target, 'python' | 'platform'>): readonly string[] {
  const key = `${target.python}/${target.platform}`;
  const cached = tagListCache.get(key);
  if (cached) return cached;
  const { major, minor, nodot } = pythonParts(target.python);
  const plats = platformTags(target.platform);
  const cp = `cp${nodot}`;
  const tags: string[] = [];
  const each = (interp: string, abi: string) => {
    for (const p of plats) tags.push(`${interp}-${abi}-${p}`);
  };
  // cpython_tags()
  each(cp, cp);
  each(cp, 'abi3');
  each(cp, 'none');
  for (let m = minor - 1; m >= 2; m--) each(`cp${major}${m}`, 'abi3');
  // compatible_tags(interpreter=cpXY)
  const pyRange = [`py${nodot}`, `py${major}`, ...Array.from({ length: minor }, (_, i) => `py${major}${minor - 1 - i}`)];
  for (const py of pyRange) each(py, 'none');
  tags.push(`${cp}-none-any`);
  for (const py of pyRange) tags.push(`${py}-none-any`);
  const frozen = Object.freeze(tags);
  tagListCache.set(key, frozen);
  return frozen;
}

const rankCache = new Map<string, ReadonlyMap<string, number>>();

/** Tag -> position in compatibleTags (0 is best). */
export function tagRanks(target: Pick<Target, 'python' | 'platform'>): ReadonlyMap<string, number> {
  const key = `${target.python}/${target.platform}`;
  let ranks = rankCache.get(key);
  if (!ranks) {
    const m = new Map<string, number>();
    compatibleTags(target).forEach((t, i) => {
      if (!m.has(t)) m.set(t, i);
    });
    ranks = m;
    rankCache.set(key, ranks);
  }
  return ranks;
}

/** Best (lowest) rank of a wheel for the target, or undefined when it does not install there. */
export function wheelRank(wheel: WheelFilename, target: Pick<Target, 'python' | 'platform'>): number | undefined {
  const ranks = tagRanks(target);
  let best: number | undefined;
  for (const t of wheel.tags) {
    const r = ranks.get(t);
    if (r !== undefined && (best === undefined || r < best)) best = r;
  }
  return best;
}

/** A pure-Python wheel: every tag is `<python>-none-any`, so no CPython ABI or platform binds it. */
export function isPureWheel(tags: readonly string[]): boolean {
  return tags.length > 0 && tags.every((t) => t.endsWith('-none-any'));
}

/** Whether a wheel with these (expanded, lowercase) tags installs on the target. */
export function wheelServes(tags: readonly string[], target: Pick<Target, 'python' | 'platform'>): boolean {
  const ranks = tagRanks(target);
  return tags.some((t) => ranks.has(t));
}

/**
 * What a wheel's binary promise is: 'cpython' (built for one CPython ABI, e.g. cp312),
 * 'abi3' (stable ABI, any later CPython) or 'none' (no compiled Python ABI).
 * A compressed set with several ABIs reports the most specific one.
 */
export function wheelAbi(filename: string): 'cpython' | 'abi3' | 'none' {
  const { abiTags } = parseWheelFilename(filename);
  if (abiTags.some((a) => a.startsWith('cp'))) return 'cpython';
  if (abiTags.includes('abi3')) return 'abi3';
  return 'none';
}

export type WheelCandidate = Pick<DistFile, 'filename'> & Partial<Pick<DistFile, 'yanked' | 'requiresPython'>>;

export interface BestWheel<T extends WheelCandidate> {
  file: T;
  wheel: WheelFilename;
  /** The most preferred tag of this wheel the target accepts. */
  tag: string;
  rank: number;
}

export interface BestWheelOptions {
  /** The requirement pins this exact version (`==`): yanked files may be used (PEP 592). */
  pinned?: boolean;
  /** Interpreter version checked against Requires-Python; defaults to DEFAULT_PATCH[python]. */
  pythonFullVersion?: string;
}

/**
 * The wheel among `files` (one release's files, as an index lists them) the target would install:
 * only wheels whose tags it accepts and whose Requires-Python admits it; yanked ones only when
 * pinned; best tag rank first, then the highest build tag. Invalid filenames are skipped, and an
 * unparseable Requires-Python is ignored, as pip does. Undefined when none fits.
 */
export function bestWheel<T extends WheelCandidate>(
  files: readonly T[],
  target: Pick<Target, 'python' | 'platform'>,
  opts: BestWheelOptions = {},
): BestWheel<T> | undefined {
  const python = opts.pythonFullVersion ?? DEFAULT_PATCH[target.python] ?? `${target.python}.0`;
  const tagList = compatibleTags(target);
  let best: BestWheel<T> | undefined;
  for (const file of files) {
    if (!isWheel(file.filename)) continue;
    if (file.yanked !== undefined && file.yanked !== false && !opts.pinned) continue;
    const rp = file.requiresPython?.trim();
    if (rp && isValidSpecifier(rp) && !satisfies(python, rp)) continue;
    if (!mayRunOnArch(file.filename)) continue;
    let wheel: WheelFilename;
    try {
      wheel = parseWheelFilename(file.filename);
    } catch {
      continue;
    }
    const rank = wheelRank(wheel, target);
    if (rank === undefined) continue;
    const candidate: BestWheel<T> = { file, wheel, tag: tagList[rank] as string, rank };
    if (!best || better(candidate, best)) best = candidate;
  }
  return best;
}

/**
 * Whether a wheel's platform tags could fit at all (an s390x tag or `any`), read from the name
 * without a full parse: most wheels of a release are for Windows, macOS, x86_64 or aarch64, and a
 * numpy release has dozens. Every tag compatibleTags() lists ends in `_s390x` or is `any`.
 */
function mayRunOnArch(filename: string): boolean {
  const stem = filename.endsWith('.whl') ? filename.slice(0, -4) : filename;
  const platforms = stem
    .slice(stem.lastIndexOf('-') + 1)
    .toLowerCase()
    .split('.');
  return platforms.some((p) => p === 'any' || p.endsWith(`_${ARCH}`));
}

function better(a: BestWheel<WheelCandidate>, b: BestWheel<WheelCandidate>): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank;
  const an = a.wheel.build?.number ?? -1;
  const bn = b.wheel.build?.number ?? -1;
  if (an !== bn) return an > bn;
  return (a.wheel.build?.rest ?? '') > (b.wheel.build?.rest ?? '');
}
