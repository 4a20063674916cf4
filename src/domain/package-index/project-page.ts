/**
 * One index's page of a project after parsing and filtering, grouped by release, in the form the
 * page cache keeps. A scan needs the files of one version per project, while a PyPI page lists
 * every release (thousands of files for numpy): the stored form is a small header plus one JSON
 * array per release, and a release is parsed only when asked for.
 *
 * Encoded: the header {url, format, versions, skipped, releases: [[version, bytes]...]} as JSON
 * (the cache keeps it with the entry's meta), and the release arrays back to back as bytes. The
 * page pack checks the integrity of both (one hash per pack), so they are trusted here once their
 * shapes and sizes agree.
 */
import type { DistFile } from '../model/files.js';
import type { PageFiles } from './project-files.js';
import type { Project } from './types.js';

interface Header {
  url: string;
  format: 'json' | 'html';
  versions: string[];
  skipped: Project['skipped'];
  releases: [version: string, bytes: number][];
}

export class ProjectPage {
  /** Releases parsed so far (most pages are asked for one). */
  private parsed: Map<string, DistFile[]> | undefined;

  private constructor(
    private readonly header: Header,
    private readonly blob: Buffer,
  ) {}

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
    const known = this.parsed?.get(version);
    if (known) return known;
    let files: DistFile[] = [];
    let at = 0;
    for (const [v, bytes] of this.header.releases) {
      if (v === version) {
        files = JSON.parse(this.blob.toString('utf8', at, at + bytes)) as DistFile[];
        break;
      }
      at += bytes;
    }
    (this.parsed ??= new Map()).set(version, files);
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
    const header: Header = {
      url,
      format,
      versions: files.versions,
      skipped: files.skipped,
      releases: [...groups.keys()].map((v, i) => [v, chunks[i]!.length]),
    };
    const page = new ProjectPage(header, Buffer.concat(chunks));
    page.parsed = groups;
    return page;
  }

  encode(): { head: unknown; data: Buffer } {
    return { head: this.header, data: this.blob };
  }

  /** The stored form back, or undefined when it is not this format or its parts disagree. */
  static decode(head: unknown, data: Buffer): ProjectPage | undefined {
    const h = head as Header | null;
    let bytes = 0;
    const ok =
      typeof h === 'object' &&
      h !== null &&
      typeof h.url === 'string' &&
      (h.format === 'json' || h.format === 'html') &&
      Array.isArray(h.versions) &&
      Array.isArray(h.skipped) &&
      Array.isArray(h.releases) &&
      h.releases.every((r) => Array.isArray(r) && typeof r[0] === 'string' && Number.isInteger(r[1]) && (bytes += r[1]) >= 0) &&
      bytes === data.length;
    return ok ? new ProjectPage(h, data) : undefined;
  }
}
