import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { sha256File } from '../../adapters/blob-cache.js';
import { join } from 'node:path';
import { writeFileAtomic } from '../../adapters/fs.js';
import { isSdist, isWheel, parseSdistFilename, parseWheelFilename } from '../../domain/python/filenames.js';
import { cmp } from '../../domain/state/canonical.js';
import { isValidVersion, versionCompare } from '../../domain/python/version.js';
import { esc } from './html.js';

/**
 * The index pip and uv read: PEP 503 HTML pages (all a static host such as GitHub Pages can
 * serve) with a PEP 691 JSON twin beside each (`index.json`) for clients and proxies that
 * negotiate; `#sha256=` fragments, `data-requires-python`, PEP 658/714 metadata attributes,
 * PEP 592 yank marks and PEP 740 provenance links.
 */

/** The API version the pages declare: 1.3 carries PEP 740 `provenance`. */
export const API_VERSION = '1.3';

export interface IndexFile {
  filename: string;
  /** Relative to the site root, or absolute http(s). */
  url: string;
  sha256: string;
  size: number;
  requiresPython?: string;
  /** sha256 of the PEP 658 metadata file at `<url>.metadata`. */
  metadataSha256?: string;
  yanked?: string;
  /** Provenance file, relative to the site root. */
  provenance?: string;
  uploadTime?: string;
  version: string;
}

/** Relative URL from `simple/<name>/` to a site path; absolute URLs unchanged. */
function fromProject(url: string): string {
  return /^https?:\/\//.test(url) ? url : `../../${url.split('/').map(encodeURIComponent).join('/')}`;
}

export function projectHtml(name: string, files: readonly IndexFile[]): string {
  const links = files.map((f) => {
    const attrs = [`href="${esc(`${fromProject(f.url)}#sha256=${f.sha256}`)}"`];
    if (f.requiresPython) attrs.push(`data-requires-python="${esc(f.requiresPython)}"`);
    if (f.metadataSha256) attrs.push(`data-core-metadata="sha256=${f.metadataSha256}"`, `data-dist-info-metadata="sha256=${f.metadataSha256}"`);
    if (f.yanked !== undefined) attrs.push(`data-yanked="${esc(f.yanked)}"`);
    if (f.provenance) attrs.push(`data-provenance="${esc(fromProject(f.provenance))}"`);
    return `<a ${attrs.join(' ')}>${esc(f.filename)}</a>`;
  });
  return doc(`Links for ${name}`, links);
}

export function projectJson(name: string, files: readonly IndexFile[]): string {
  const versions = [...new Set(files.map((f) => f.version))].sort(byVersion);
  const body = {
    meta: { 'api-version': API_VERSION },
    name,
    versions,
    files: files.map((f) => ({
      filename: f.filename,
      url: fromProject(f.url),
      hashes: { sha256: f.sha256 },
      'requires-python': f.requiresPython ?? null,
      'core-metadata': f.metadataSha256 ? { sha256: f.metadataSha256 } : false,
      'dist-info-metadata': f.metadataSha256 ? { sha256: f.metadataSha256 } : false,
      yanked: f.yanked === undefined ? false : f.yanked || true,
      size: f.size,
      ...(f.uploadTime ? { 'upload-time': f.uploadTime } : {}),
      provenance: f.provenance ? fromProject(f.provenance) : null,
    })),
  };
  return `${JSON.stringify(body)}\n`;
}

export function rootHtml(names: readonly string[]): string {
  return doc(
    'Simple index',
    names.map((n) => `<a href="${esc(encodeURIComponent(n))}/">${esc(n)}</a>`),
  );
}

export function rootJson(names: readonly string[]): string {
  return `${JSON.stringify({ meta: { 'api-version': API_VERSION }, projects: names.map((name) => ({ name })) })}\n`;
}

function doc(title: string, links: string[]): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><meta name="pypi:repository-version" content="${API_VERSION}"><title>${esc(title)}</title></head>\n<body>\n<h1>${esc(title)}</h1>\n${links.join('<br>\n')}\n</body>\n</html>\n`;
}

export function byVersion(a: string, b: string): number {
  if (isValidVersion(a) && isValidVersion(b)) return versionCompare(a, b) || cmp(a, b);
  return cmp(a, b);
}

/**
 * Write a static PEP 503 tree for a folder of distributions (the demo's stand-in for PyPI):
 * `simple/index.html`, `simple/<name>/index.html` with `#sha256=` fragments, the files under `files/`.
 */
export async function writeSimpleIndex(distDir: string, outDir: string): Promise<{ projects: number; files: number }> {
  const byProject = new Map<string, IndexFile[]>();
  const names = (await readdir(distDir)).filter((f) => isWheel(f) || isSdist(f)).sort();
  await mkdir(join(outDir, 'files'), { recursive: true });
  for (const filename of names) {
    const parsed = isWheel(filename) ? parseWheelFilename(filename) : parseSdistFilename(filename);
    const src = join(distDir, filename);
    await copyFile(src, join(outDir, 'files', filename));
    const list = byProject.get(parsed.name) ?? [];
    list.push({ filename, url: `files/${filename}`, sha256: await sha256File(src), size: 0, version: parsed.version });
    byProject.set(parsed.name, list);
  }
  const projects = [...byProject.keys()].sort();
  await writeFileAtomic(join(outDir, 'simple', 'index.html'), rootHtml(projects));
  for (const p of projects) await writeFileAtomic(join(outDir, 'simple', p, 'index.html'), projectHtml(p, byProject.get(p)!));
  return { projects: projects.length, files: names.length };
}
