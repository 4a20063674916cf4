/**
 * One index's page of a project after parsing and filtering, grouped by release, in the form the
 * page cache keeps. A scan needs the files of one version per project, while a PyPI page lists
 * every release (thousands of files for numpy): the stored form is a small header plus one JSON
 * array per release, and a release is parsed only when asked for.
 *
 * Encoded: a header JSON line {url, format, versions, skipped, releases: [[version, bytes]...],
 * sha256 of the rest}, then the release arrays back to back. The hash is checked once on decode,
 * so the arrays parsed later can be trusted without checking each.
 */
import { sha256 } from '../adapters/blob-cache.js';
import type { DistFile } from '../model/files.js';
import type { PageFiles } from './project-files.js';
import type { Project } from './types.js';

interface Header {
  url: string;
  format: 'json' | 'html';
  versions: string[];
  skipped: Project['skipped'];
  releases: [version: string, bytes: number][];
  sha256: string;
}

export class ProjectPage {
  private readonly parsed = new Map<string, DistFile[]>();
  private readonly spans: Map<string, [start: number, end: number]>;

  private constructor(
    private readonly header: Header,
    private readonly blob: Buffer,
  ) {
    this.spans = new Map();
    let at = 0;
    for (const [version, bytes] of header.releases) {
      this.spans.set(version, [at, at + bytes]);
      at += bytes;
    }
  }

  get url(): string {
    return this.header.url;
  }
  get format(): 'json' | 'html' {
    return this.header.format;
  }
  /** Versions the page names (PEP 700 `versions` and file names), normalized, unsorted. */
  get versions(): readonly string[] {
    return this.header.versions;
  }
  get skipped(): Project['skipped'] {
    return this.header.skipped;
  }
  /** Releases with files, in the order the page first lists them. */
  get releases(): string[] {
    return this.header.releases.map(([v]) => v);
  }

  /** Files of one normalized version, in page order; empty when the page has none. */
  release(version: string): DistFile[] {
    const known = this.parsed.get(version);
    if (known) return known;
    const span = this.spans.get(version);
    const files = span ? (JSON.parse(this.blob.toString('utf8', span[0], span[1])) as DistFile[]) : [];
    this.parsed.set(version, files);
    return files;
  }

  /** Built from freshly parsed page files. */
  static fromFiles(files: PageFiles, url: string, format: 'json' | 'html'): ProjectPage {
    const groups = new Map<string, DistFile[]>();
    files.files.forEach((f, i) => {
      const v = files.fileVersions[i]!;
      const list = groups.get(v);
      if (list) list.push(f);
      else groups.set(v, [f]);
    });
    const chunks = [...groups.values()].map((list) => Buffer.from(JSON.stringify(list)));
    const blob = Buffer.concat(chunks);
    const header: Header = {
      url,
      format,
      versions: files.versions,
      skipped: files.skipped,
      releases: [...groups.keys()].map((v, i) => [v, chunks[i]!.length]),
      sha256: sha256(blob),
    };
    const page = new ProjectPage(header, blob);
    for (const [v, list] of groups) page.parsed.set(v, list);
    return page;
  }

  encode(): Buffer {
    return Buffer.concat([Buffer.from(`${JSON.stringify(this.header)}\n`), this.blob]);
  }

  /** The stored form back, or undefined when it is damaged or not this format. */
  static decode(data: Buffer): ProjectPage | undefined {
    const newline = data.indexOf(0x0a);
    if (newline < 0) return undefined;
    let header: Header;
    try {
      header = JSON.parse(data.toString('utf8', 0, newline)) as Header;
    } catch {
      return undefined;
    }
    const blob = data.subarray(newline + 1);
    const ok =
      typeof header === 'object' && header !== null && typeof header.url === 'string' && (header.format === 'json' || header.format === 'html') &&
      Array.isArray(header.versions) && Array.isArray(header.skipped) && Array.isArray(header.releases) &&
      header.releases.every((r) => Array.isArray(r) && typeof r[0] === 'string' && Number.isInteger(r[1])) &&
      header.releases.reduce((n, r) => n + r[1], 0) === blob.length && header.sha256 === sha256(blob);
    return ok ? new ProjectPage(header, blob) : undefined;
  }
}
