/**
 * Distribution filenames: wheels (PEP 427 / binary distribution format) and sdists (PEP 625).
 * Mirrors packaging.utils.parse_wheel_filename / parse_sdist_filename, and returns the expanded
 * tag triples so callers never re-split compressed tag sets.
 */
import { RefineryError } from '../../errors.js';
import { normalizeName } from './names.js';
import { isValidVersion, normalizeVersion } from './version.js';

export interface WheelFilename {
  /** PEP 503 normalized project name. */
  name: string;
  /** Canonical PEP 440 version (`str(Version(...))`). */
  version: string;
  /** The version exactly as written in the filename. */
  versionRaw: string;
  /** Build tag, when present: leading digits and the rest (`1abc` -> 1, "abc"), for ordering. */
  build?: { number: number; rest: string; raw: string };
  pythonTags: string[];
  abiTags: string[];
  platformTags: string[];
  /** Every `python-abi-platform` triple the compressed tag set expands to, lowercased. */
  tags: string[];
}

export type SdistFormat = 'tar.gz' | 'zip' | 'tar.bz2' | 'tar.xz' | 'tar' | 'tgz';

export interface SdistFilename {
  name: string;
  version: string;
  versionRaw: string;
  format: SdistFormat;
}

// Longest first so `.tar.gz` wins over `.tar`.
const SDIST_EXTENSIONS: readonly SdistFormat[] = ['tar.gz', 'tar.bz2', 'tar.xz', 'tgz', 'zip', 'tar'];

// packaging: re.match(r"^[\w\d._]*$", name, re.UNICODE); \w is Unicode letters/digits/underscore.
const WHEEL_NAME_PART = /^[\p{L}\p{N}_.]+$/u;

function invalid(filename: string, why: string): RefineryError {
  return new RefineryError('input', `invalid distribution filename ${JSON.stringify(filename)}: ${why}`, {
    fix: 'wheel names look like name-1.0-cp312-cp312-manylinux_2_28_s390x.whl, sdists like name-1.0.tar.gz',
  });
}

export function isWheel(filename: string): boolean {
  return filename.endsWith('.whl');
}

export function isSdist(filename: string): boolean {
  return sdistFormat(filename) !== undefined;
}

const SDIST_SUFFIXES = SDIST_EXTENSIONS.map((ext) => [`.${ext}`, ext] as const);

function sdistFormat(filename: string): SdistFormat | undefined {
  const lower = filename.toLowerCase();
  return SDIST_SUFFIXES.find(([suffix]) => lower.endsWith(suffix))?.[1];
}

export function parseWheelFilename(filename: string): WheelFilename {
  if (!filename.endsWith('.whl')) throw invalid(filename, "extension must be '.whl'");
  const stem = filename.slice(0, -'.whl'.length);
  const parts = stem.split('-');
  if (parts.length !== 5 && parts.length !== 6) {
    throw invalid(filename, `expected 5 or 6 dash-separated parts, found ${parts.length}`);
  }
  const namePart = parts[0] ?? '';
  const versionRaw = parts[1] ?? '';
  // Names are escaped with single underscores in wheel filenames, so `__` or a dash means a bad escape.
  if (namePart.includes('__') || !WHEEL_NAME_PART.test(namePart)) {
    throw invalid(filename, `invalid project name ${JSON.stringify(namePart)}`);
  }
  const version = normalizeVersion(versionRaw);
  if (version === null) throw invalid(filename, `invalid version ${JSON.stringify(versionRaw)}`);

  let build: WheelFilename['build'];
  if (parts.length === 6) {
    const raw = parts[2] ?? '';
    const m = /^(\d+)(.*)$/s.exec(raw);
    if (!m) throw invalid(filename, `build tag ${JSON.stringify(raw)} must start with a digit`);
    build = { number: Number(m[1]), rest: m[2] ?? '', raw };
  }
  const n = parts.length;
  const py = parts[n - 3]!.toLowerCase().split('.');
  const abi = parts[n - 2]!.toLowerCase().split('.');
  const plat = parts[n - 1]!.toLowerCase().split('.');
  // Indexed loops: a scan parses thousands of these once each, mostly before V8 optimizes them,
  // where for-of allocates an iterator result per step.
  const tags: string[] = [];
  for (let i = 0; i < py.length; i++) {
    for (let j = 0; j < abi.length; j++) {
      for (let k = 0; k < plat.length; k++) {
        const tag = `${py[i]}-${abi[j]}-${plat[k]}`;
        if (!tags.includes(tag)) tags.push(tag);
      }
    }
  }
  return {
    name: normalizeName(namePart),
    version,
    versionRaw,
    ...(build ? { build } : {}),
    pythonTags: py,
    abiTags: abi,
    platformTags: plat,
    tags,
  };
}

/**
 * Parse `name-version.tar.gz` (or .zip and the legacy tar formats). Without `projectName` the
 * version is what follows the last dash, as packaging does. With it, a filename whose stem starts
 * with the project name (normalized comparison) is split right after it, which handles legacy
 * sdists such as `foo-bar-1.0-1.tar.gz` whose version part holds a dash.
 */
export function parseSdistFilename(filename: string, projectName?: string): SdistFilename {
  const format = sdistFormat(filename);
  if (!format) throw invalid(filename, `extension must be one of ${SDIST_EXTENSIONS.map((e) => `.${e}`).join(', ')}`);
  const stem = filename.slice(0, -(format.length + 1));

  if (projectName !== undefined) {
    const wanted = normalizeName(projectName);
    for (let i = stem.indexOf('-'); i > 0; i = stem.indexOf('-', i + 1)) {
      if (normalizeName(stem.slice(0, i)) !== wanted) continue;
      const versionRaw = stem.slice(i + 1);
      const version = normalizeVersion(versionRaw);
      if (version !== null) return { name: wanted, version, versionRaw, format };
    }
    throw invalid(filename, `it does not start with project ${JSON.stringify(projectName)} followed by a valid version`);
  }

  const dash = stem.lastIndexOf('-');
  if (dash < 0) throw invalid(filename, 'no dash separates name and version');
  const versionRaw = stem.slice(dash + 1);
  const version = normalizeVersion(versionRaw);
  if (version === null || !isValidVersion(versionRaw)) throw invalid(filename, `invalid version ${JSON.stringify(versionRaw)}`);
  return { name: normalizeName(stem.slice(0, dash)), version, versionRaw, format };
}
