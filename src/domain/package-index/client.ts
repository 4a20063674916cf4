/**
 * IndexClient: project pages from one primary index plus extra indexes, merged like pip merges
 * --index-url and --extra-index-url (every index is asked, all files are kept, primary first; no
 * index "wins"). Pages come as PEP 691 JSON when the server offers it, else PEP 503 HTML.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyVerified, downloadVerified, verifyBytes } from '../../adapters/download.js';
import { type Derivation, HttpCache, type PageAnswer } from '../../adapters/http-cache.js';
import { HttpClient, type HttpClientOptions, redactUrl } from '../../adapters/http.js';
import { RefineryError } from '../../errors.js';
import type { DistFile } from '../model/files.js';
import { isWheel } from '../python/filenames.js';
import { parseCoreMetadata, staticRequiresDist } from '../python/metadata.js';
import { normalizeName } from '../python/names.js';
import { readSdistBuildRequires, readSdistPkgInfo, readSdistSource, readWheelMetadata, type SdistSource } from './dist-contents.js';
import { indexError } from './links.js';
import { parseHtmlPage } from './parse-html.js';
import { parseJsonPage } from './parse-json.js';
import { pageToFiles, sortVersions } from './project-files.js';
import { ProjectPage } from './project-page.js';
import type { CoreMetadataResult, IndexConfig, Project } from './types.js';

/** PEP 691 content negotiation: JSON preferred, HTML accepted (static trees serve text/html). */
export const SIMPLE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';

const JSON_TYPES = new Set(['application/vnd.pypi.simple.v1+json', 'application/vnd.pypi.simple.latest+json', 'application/json']);
const HTML_TYPES = new Set(['application/vnd.pypi.simple.v1+html', 'application/vnd.pypi.simple.latest+html', 'text/html']);

export interface IndexClientOptions {
  /** Primary index first, extras after. */
  indexes: readonly IndexConfig[];
  /** On-disk HTTP cache directory; without it nothing is cached between calls. */
  cacheDir?: string;
  /** A shared client (its counters then cover this index client too). */
  http?: HttpClient;
  /** Options for the client created when `http` is not given. */
  httpOptions?: HttpClientOptions;
}

// Bump when parsing, filtering or ProjectPage's encoding changes: older cache entries are then misses.
const PAGE_RESULT_FORMAT = 3;

export class IndexClient {
  readonly http: HttpClient;
  readonly indexes: readonly string[];
  private readonly cache: HttpCache | undefined;
  /** Each project's pages, per index: the value once known, the promise while fetching. */
  private readonly pages = new Map<string, Pages | Promise<Pages>>();
  private readonly metadata = new Map<string, Promise<CoreMetadataResult>>();

  constructor(options: IndexClientOptions) {
    if (options.indexes.length === 0) throw new RefineryError('config', 'no package index configured', { fix: 'configure at least one index URL' });
    this.http = options.http ?? new HttpClient(options.httpOptions);
    this.indexes = options.indexes.map((ix) => this.register(ix));
    this.cache = options.cacheDir ? new HttpCache(options.cacheDir, this.http) : undefined;
  }

  /**
   * Files and versions of a project from every index; `found: false` when none knows it.
   * Answers are remembered for the client's lifetime (a scan asks for the same project once per
   * target); `forget()` drops them. Failures are not remembered.
   */
  async getProject(name: string): Promise<Project> {
    const project = normalizeName(name);
    const perIndex = await this.projectPages(project);
    const out: Project = { name: project, found: false, files: [], versions: [], sources: [], skipped: [] };
    const versions: string[] = [];
    for (const [i, page] of perIndex.entries()) {
      if (!page) continue;
      out.found = true;
      out.sources.push({ index: this.indexes[i]!, format: page.format });
      for (const v of page.releases) out.files.push(...page.release(v));
      out.skipped.push(...page.skipped);
      versions.push(...page.versions);
    }
    out.versions = sortVersions(versions);
    return out;
  }

  /**
   * Files of one release (a normalized version) from every index, primary first: what a scan asks
   * for. Only that release is parsed from the cached pages.
   */
  async getRelease(name: string, version: string): Promise<DistFile[]> {
    return this.releaseNow(name, version) ?? releaseOf(await this.projectPages(normalizeName(name)), version);
  }

  /**
   * getRelease's answer when it needs no request: the project's pages are remembered, or fresh in
   * the cache on every index. Undefined otherwise. A warm scan gets all its answers this way,
   * without a promise per step (see HttpCache.freshDerived).
   */
  releaseNow(name: string, version: string): DistFile[] | undefined {
    const pages = this.pagesNow(normalizeName(name));
    return pages && releaseOf(pages, version);
  }

  /** Each index's page of the project (undefined where the index does not know it), remembered. */
  private projectPages(project: string): Promise<Pages> {
    const now = this.pagesNow(project);
    if (now) return Promise.resolve(now);
    let pending = this.pages.get(project) as Promise<Pages> | undefined;
    if (!pending) {
      pending = Promise.all(this.indexes.map((ix) => this.fetchProjectPage(ix, project)));
      this.pages.set(project, pending);
      // Remembered as a value once known; failures are not remembered.
      pending.then(
        (pages) => this.pages.get(project) === pending && this.pages.set(project, pages),
        () => this.pages.get(project) === pending && this.pages.delete(project),
      );
    }
    return pending;
  }

  private pagesNow(project: string): Pages | undefined {
    const known = this.pages.get(project);
    if (known) return known instanceof Promise ? undefined : known;
    if (!this.cache) return undefined;
    const pages: Pages = [];
    for (const index of this.indexes) {
      const page = this.cache.freshDerived(`${index}${project}/`, { accept: SIMPLE_ACCEPT }, this.pageDerivation(index, project));
      if (!page) return undefined; // a page to fetch or revalidate: the async way, for all indexes
      pages.push(page);
    }
    this.pages.set(project, pages);
    return pages;
  }

  /**
   * Store the parsed pages this client fetched or revalidated (the cache's pack file, see
   * HttpCache.savePack). Call when a scan is done, also a failed one: until then they live in
   * memory only.
   */
  saveCache(): void {
    this.cache?.savePack();
  }

  /** Drop remembered answers (all, or one project's page), e.g. after the index changed. */
  forget(name?: string): void {
    if (name === undefined) {
      this.pages.clear();
      this.metadata.clear();
    } else this.pages.delete(normalizeName(name));
  }

  /**
   * Core metadata of a file: the PEP 658 metadata file when the index has one (hash-checked), else
   * METADATA from the wheel or PKG-INFO from the sdist (downloaded, hash-checked, cached).
   */
  getMetadata(file: DistFile): Promise<CoreMetadataResult> {
    return this.memo(this.metadata, `${file.url}#${file.sha256 ?? ''}`, () => this.loadMetadata(file));
  }

  private async loadMetadata(file: DistFile): Promise<CoreMetadataResult> {
    const wheel = isWheel(file.filename);
    if (file.metadata !== false) {
      const text = await this.fetchMetadataFile(file);
      // An advertised metadata file that is missing falls back to the distribution, as pip does.
      if (text !== undefined) return metadataResult(text, 'pep658', file);
    }
    return this.withLocalCopy(file, async (path) =>
      wheel
        ? metadataResult(await readWheelMetadata(path, file.filename), 'wheel', file)
        : metadataResult(await readSdistPkgInfo(path, file.filename), 'sdist', file),
    );
  }

  /** `[build-system] requires` of an sdist (pip's default ["setuptools>=40.8.0"] when absent). */
  async getBuildRequires(sdistFile: DistFile): Promise<string[]> {
    if (isWheel(sdistFile.filename)) throw new RefineryError('input', `${sdistFile.filename} is a wheel, not an sdist: it has no build requirements`);
    return this.withLocalCopy(sdistFile, (path) => readSdistBuildRequires(path, sdistFile.filename));
  }

  /** The sdist's compiled sources (bytes by language, tests and data left out): what a build estimate weighs. */
  async getSdistSource(sdistFile: DistFile): Promise<SdistSource> {
    if (isWheel(sdistFile.filename)) throw new RefineryError('input', `${sdistFile.filename} is a wheel, not an sdist`);
    return this.withLocalCopy(sdistFile, (path) => readSdistSource(path, sdistFile.filename));
  }

  /**
   * Download a file into `destDir` (created when missing) and return its path. The sha256 and
   * size the index published are checked; on a mismatch nothing is left behind. Files without a
   * published hash are downloaded unverified (as pip does without --require-hashes).
   */
  async download(file: DistFile, destDir: string): Promise<string> {
    const dest = join(destDir, safeFilename(file));
    const expected = { sha256: file.sha256, size: file.size };
    if (this.cache && file.sha256)
      await copyVerified(await this.cache.fetchBlob(file.url, file.sha256, file.size), dest, expected, { name: redactUrl(file.url) });
    else await downloadVerified(this.http, file.url, dest, expected);
    return dest;
  }

  private memo<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const known = map.get(key);
    if (known) return known;
    const p = load();
    map.set(key, p);
    p.catch(() => map.delete(key));
    return p;
  }

  private register(ix: IndexConfig): string {
    let u: URL;
    try {
      u = new URL(ix.url);
    } catch {
      throw new RefineryError('config', `index URL ${JSON.stringify(redactUrl(ix.url))} is not a valid URL`, { fix: 'use e.g. https://pypi.org/simple/' });
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new RefineryError('config', `index URL ${redactUrl(ix.url)} must be http(s)`, { fix: 'use e.g. https://pypi.org/simple/' });
    }
    const auth =
      ix.auth ??
      (u.username || u.password ? { kind: 'basic' as const, username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : undefined);
    u.username = '';
    u.password = '';
    u.hash = '';
    if (!u.pathname.endsWith('/')) u.pathname += '/';
    // Per host, as pip does: files often live outside the /simple/ path (e.g. /packages/).
    if (auth) this.http.addCredential({ prefix: `${u.origin}/`, auth });
    return u.toString();
  }

  /**
   * With a cache, the parsed form of a page is what is kept (not the page), so a warm scan skips
   * reading, parsing and validating thousands of links again.
   */
  private pageDerivation(index: string, project: string): Derivation<ProjectPage> {
    return {
      id: `project-page-${PAGE_RESULT_FORMAT}`,
      fn: (page) => parsePage(page, project, index),
      encode: (p) => p.encode(),
      decode: (head, data) => ProjectPage.decode(head, data),
    };
  }

  private async fetchProjectPage(index: string, project: string): Promise<ProjectPage | undefined> {
    const url = `${index}${project}/`;
    const derive = this.pageDerivation(index, project);
    const page: { status: number; derived?: ProjectPage } = this.cache
      ? await this.cache.getDerived(url, { accept: SIMPLE_ACCEPT }, derive)
      : await this.http.get(url, { headers: { accept: SIMPLE_ACCEPT } }).then((r) => {
          const answer = { status: r.status, url: r.url, contentType: r.headers.get('content-type') ?? undefined, body: r.body };
          return r.status === 200 ? { status: r.status, derived: derive.fn(answer) } : { status: r.status };
        });
    if (page.status === 404 || page.status === 410) return undefined;
    if (page.status === 401 || page.status === 403) {
      throw new RefineryError('index', `${redactUrl(url)}: access refused (HTTP ${page.status})`, {
        fix: 'configure credentials for this index (user:password in the URL or a token)',
      });
    }
    if (page.status === 407) {
      throw new RefineryError('index', `${redactUrl(url)}: the proxy asks for credentials (HTTP 407)`, {
        fix: 'put them in the proxy variable: HTTPS_PROXY=http://user:password@proxy:port (or HTTP_PROXY for http:// indexes)',
      });
    }
    if (page.status !== 200 || !page.derived) throw indexError(url, `unexpected HTTP ${page.status}`);
    return page.derived;
  }

  private async fetchMetadataFile(file: DistFile): Promise<string | undefined> {
    if (file.metadata === false) return undefined;
    const url = `${file.url}.metadata`;
    const want = file.metadata.sha256;
    let body: Buffer | undefined;
    if (this.cache) {
      body = await this.cache.getImmutable(url, want);
    } else {
      const res = await this.http.get(url);
      if (res.status === 404 || res.status === 410) return undefined;
      if (res.status !== 200) throw indexError(url, `unexpected HTTP ${res.status} for the PEP 658 metadata file`);
      body = res.body;
      verifyBytes(
        body,
        { sha256: want },
        { name: redactUrl(url), fix: 'the metadata file does not match the index page; retry, and report it to the index operator if it persists' },
      );
    }
    return body?.toString('utf8');
  }

  /** A local, hash-checked copy of a file for reading members: from the cache, or a temp dir. */
  private async withLocalCopy<T>(file: DistFile, use: (path: string) => Promise<T>): Promise<T> {
    if (this.cache && file.sha256) return use(await this.cache.fetchBlob(file.url, file.sha256, file.size));
    const dir = await mkdtemp(join(tmpdir(), 'refinery-dist-'));
    try {
      return await use(await this.download(file, dir));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** Each index's page of a project; undefined where the index does not know it. */
type Pages = (ProjectPage | undefined)[];

/** One release's files from every index's page, primary first. */
function releaseOf(pages: Pages, version: string): DistFile[] {
  const files: DistFile[] = [];
  for (const page of pages) if (page) files.push(...page.release(version));
  return files;
}

/** A 200 project page as files of `project`: PEP 691 JSON or PEP 503 HTML, by content type. */
function parsePage(page: PageAnswer, project: string, index: string): ProjectPage {
  const type = (page.contentType ?? 'text/html').split(';')[0]!.trim().toLowerCase();
  const format = JSON_TYPES.has(type) ? 'json' : HTML_TYPES.has(type) ? 'html' : undefined;
  if (!format) throw indexError(page.url, `unexpected content type ${JSON.stringify(type)} (expected PEP 691 JSON or PEP 503 HTML)`);
  const body = page.body.toString('utf8');
  const parsed = format === 'json' ? parseJsonPage(body, page.url) : parseHtmlPage(body, page.url);
  return ProjectPage.fromFiles(pageToFiles(parsed, project, page.url, index), page.url, format);
}

function metadataResult(text: string, source: CoreMetadataResult['source'], file: DistFile): CoreMetadataResult {
  const metadata = parseCoreMetadata(text, source === 'pep658' ? `${file.filename}.metadata` : file.filename);
  const kind = isWheel(file.filename) ? 'wheel' : 'sdist';
  return { text, metadata, source, dynamic: !staticRequiresDist(metadata, kind), file };
}

function safeFilename(file: DistFile): string {
  const name = file.filename;
  if (!name || /[/\\\0]/.test(name) || name === '.' || name === '..') {
    throw new RefineryError('index', `refusing to write a file named ${JSON.stringify(name)} from ${redactUrl(file.url)}`, {
      fix: 'the index lists a file name that is a path; report it to the index operator',
    });
  }
  return name;
}
