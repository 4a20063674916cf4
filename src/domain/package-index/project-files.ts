/**
 * From page links to DistFile values: keep the links that are distributions of the requested
 * project (as pip does: wrong name, unknown extension or invalid version -> skipped with a reason),
 * check hashes are well-formed, and gather the versions.
 */
import type { DistFile } from '../model/files.js';
import { isSdist, isWheel, parseSdistFilename, parseWheelFilename } from '../python/filenames.js';
import { normalizeName } from '../python/names.js';
import { isValidVersion, normalizeVersion, versionCompare } from '../python/version.js';
import { indexError } from './links.js';
import type { ParsedPage, Project } from './types.js';

const SHA256 = /^[0-9a-f]{64}$/;

/** Version of a distribution file of `project`, or undefined when the name says otherwise. */
export function distVersion(filename: string, project: string): string | undefined {
  try {
    if (isWheel(filename)) {
      const w = parseWheelFilename(filename);
      return w.name === normalizeName(project) ? w.version : undefined;
    }
    if (isSdist(filename)) return parseSdistFilename(filename, project).version;
  } catch {
    return undefined;
  }
  return undefined;
}

export interface PageFiles {
  files: DistFile[];
  /** The normalized version each file's name states, aligned with `files`. */
  fileVersions: string[];
  /** Every version the page names (PEP 700 `versions` and file names), normalized, each once. */
  versions: string[];
  skipped: Project['skipped'];
}

export function pageToFiles(page: ParsedPage, project: string, pageUrl: string, index: string): PageFiles {
  const files: DistFile[] = [];
  const fileVersions: string[] = [];
  const versions: string[] = [];
  const skipped: Project['skipped'] = [];
  for (const v of page.versions ?? []) {
    const n = normalizeVersion(v);
    if (n !== null) versions.push(n);
  }
  for (const f of page.files) {
    // A filename is only ever a basename: never a path a download could escape through.
    if (!f.filename || /[/\\\0]/.test(f.filename) || f.filename === '.' || f.filename === '..') {
      skipped.push({ filename: f.filename, index, reason: 'not a plain file name' });
      continue;
    }
    if (!isWheel(f.filename) && !isSdist(f.filename)) {
      skipped.push({ filename: f.filename, index, reason: 'not a wheel or sdist' });
      continue;
    }
    const version = distVersion(f.filename, project);
    if (version === undefined) {
      skipped.push({ filename: f.filename, index, reason: `not a valid distribution file name of ${project}` });
      continue;
    }
    const sha256 = f.hashes.sha256;
    if (sha256 !== undefined && !SHA256.test(sha256)) throw indexError(pageUrl, `${f.filename}: sha256 ${JSON.stringify(sha256)} is not 64 hex digits`);
    const metaSha = f.metadata === false ? undefined : f.metadata.sha256;
    if (metaSha !== undefined && !SHA256.test(metaSha)) {
      throw indexError(pageUrl, `${f.filename}: metadata sha256 ${JSON.stringify(metaSha)} is not 64 hex digits`);
    }
    const file: DistFile = {
      filename: f.filename,
      url: f.url,
      yanked: f.yanked,
      metadata: f.metadata === false ? false : metaSha ? { sha256: metaSha } : {},
      index,
    };
    if (sha256 !== undefined) file.sha256 = sha256;
    if (f.size !== undefined) file.size = f.size;
    if (f.requiresPython !== undefined) file.requiresPython = f.requiresPython;
    const normalized = normalizeVersion(version) ?? version;
    files.push(file);
    fileVersions.push(normalized);
    versions.push(normalized);
  }
  return { files, fileVersions, versions: [...new Set(versions)], skipped };
}

/** Unique versions, ascending by PEP 440 (invalid ones dropped). */
export function sortVersions(versions: Iterable<string>): string[] {
  return [...new Set(versions)].filter(isValidVersion).sort(versionCompare);
}
