/**
 * Package indexes for tests and benchmarks, all on 127.0.0.1 with a random port:
 * - FixtureIndexServer: the project's own PEP 691/503 server (node:http) with content negotiation,
 *   sha256 hashes, requires-python, PEP 658/714 metadata files, PEP 592 yanked, ETag /
 *   Last-Modified / Cache-Control with 304s, injectable latency and faults, request counters.
 *   It serves real dists from a directory (projectsFromDir) or generated in-memory projects
 *   (syntheticProjects) for the 1,000-project benchmark.
 * - startPypiServer: the real third-party pypiserver over a directory.
 * - startStaticIndex: a plain PEP 503 tree written to a temp dir, served by `python3 -m http.server`.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { readSdistPkgInfo, readWheelMetadata } from '../../src/domain/package-index/dist-contents.js';
import { isSdist, isWheel, parseSdistFilename, parseWheelFilename } from '../../src/domain/python/filenames.js';
import { parseCoreMetadata } from '../../src/domain/python/metadata.js';
import { normalizeName } from '../../src/domain/python/names.js';
import { pytoolsBin } from './pytools.js';

// ------------------------------------------------------------------ data served

export interface ServedFile {
  filename: string;
  /** The bytes, or a function making them on demand (synthetic projects stay cheap). */
  body: Buffer | (() => Buffer);
  /** Computed from the body when not given. */
  sha256?: string;
  requiresPython?: string;
  /** Core metadata text, served as the PEP 658 `<file>.metadata` file. None: no metadata file. */
  metadata?: string;
  /** PEP 592: a reason string (possibly empty) marks the file yanked. */
  yanked?: false | string;
}

export interface ServedProject {
  /** Display name (as in the metadata); pages are served under the normalized name. */
  name: string;
  files: ServedFile[];
}

function bodyOf(f: ServedFile): Buffer {
  return typeof f.body === 'function' ? f.body() : f.body;
}

function sha256Of(f: ServedFile): string {
  f.sha256 ??= createHash('sha256').update(bodyOf(f)).digest('hex');
  return f.sha256;
}

function metadataSha(f: ServedFile): string | undefined {
  return f.metadata === undefined ? undefined : createHash('sha256').update(f.metadata).digest('hex');
}

/**
 * Every wheel and sdist in `dir` as served projects: requires-python from the wheel METADATA or
 * sdist PKG-INFO, PEP 658 metadata files for wheels (as PyPI publishes them).
 */
export async function projectsFromDir(dir: string, opts: { yanked?: Record<string, string> } = {}): Promise<ServedProject[]> {
  const byName = new Map<string, ServedProject>();
  for (const filename of (await readdir(dir)).sort()) {
    if (filename.startsWith('.')) continue;
    const path = join(dir, filename);
    let name: string;
    let text: string;
    if (isWheel(filename)) {
      name = parseWheelFilename(filename).name;
      text = await readWheelMetadata(path);
    } else if (isSdist(filename)) {
      name = parseSdistFilename(filename).name;
      text = await readSdistPkgInfo(path);
    } else continue;
    const file: ServedFile = { filename, body: await readFile(path), yanked: opts.yanked?.[filename] ?? false };
    const meta = parseCoreMetadata(text, filename);
    if (meta.requiresPython) file.requiresPython = meta.requiresPython;
    if (isWheel(filename)) file.metadata = text;
    const project = byName.get(name) ?? { name: meta.name, files: [] };
    project.files.push(file);
    byName.set(name, project);
  }
  return [...byName.values()];
}

export interface SyntheticOptions {
  /** Versions per project (default 3). */
  versions?: number;
  /** Every n-th project also ships a cp312 s390x wheel (default 4; 0 for none). */
  s390xEvery?: number;
  /** Dependencies of project i (names of other synthetic projects). */
  dependencies?: (i: number) => string[];
}

/** `count` generated projects `synthetic-NNNN`, each with sdists and pure wheels, bodies made on demand. */
export function syntheticProjects(count: number, opts: SyntheticOptions = {}): ServedProject[] {
  const versions = opts.versions ?? 3;
  const s390xEvery = opts.s390xEvery ?? 4;
  const projects: ServedProject[] = [];
  for (let i = 0; i < count; i++) {
    const name = `synthetic-${String(i).padStart(4, '0')}`;
    const under = name.replace(/-/g, '_');
    const files: ServedFile[] = [];
    for (let v = 0; v < versions; v++) {
      const version = `1.${v}.0`;
      const deps = opts.dependencies?.(i) ?? [];
      const metadata = [
        'Metadata-Version: 2.1',
        `Name: ${name}`,
        `Version: ${version}`,
        'Requires-Python: >=3.8',
        ...deps.map((d) => `Requires-Dist: ${d}`),
        '',
      ].join('\n');
      const filenames = [`${under}-${version}.tar.gz`, `${under}-${version}-py3-none-any.whl`];
      if (s390xEvery > 0 && i % s390xEvery === 0) filenames.push(`${under}-${version}-cp312-cp312-manylinux_2_17_s390x.manylinux2014_s390x.whl`);
      for (const filename of filenames) {
        files.push({
          filename,
          body: () => Buffer.from(`synthetic distribution ${filename}\n`),
          requiresPython: '>=3.8',
          ...(filename.endsWith('.whl') ? { metadata } : {}),
        });
      }
    }
    projects.push({ name, files });
  }
  return projects;
}

// ------------------------------------------------------------------ page rendering

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A PEP 503 page with the PEP 592/658/714 attributes, links relative to `/simple/<name>/`. */
export function renderHtmlPage(project: ServedProject, opts: { pep658?: boolean } = {}): string {
  const lines = project.files.map((f) => {
    const attrs = [`href="../../files/${encodeURIComponent(f.filename)}#sha256=${sha256Of(f)}"`];
    if (f.requiresPython) attrs.push(`data-requires-python="${escapeHtml(f.requiresPython)}"`);
    const msha = opts.pep658 === false ? undefined : metadataSha(f);
    if (msha) attrs.push(`data-dist-info-metadata="sha256=${msha}"`, `data-core-metadata="sha256=${msha}"`);
    if (f.yanked !== undefined && f.yanked !== false) attrs.push(`data-yanked="${escapeHtml(f.yanked)}"`);
    return `    <a ${attrs.join(' ')}>${escapeHtml(f.filename)}</a><br/>`;
  });
  return [
    '<!DOCTYPE html>',
    '<html>',
    '  <head>',
    '    <meta name="pypi:repository-version" content="1.1">',
    `    <title>Links for ${escapeHtml(project.name)}</title>`,
    '  </head>',
    '  <body>',
    `    <h1>Links for ${escapeHtml(project.name)}</h1>`,
    ...lines,
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}

export function renderJsonPage(project: ServedProject, opts: { pep658?: boolean } = {}): string {
  const versions = new Set<string>();
  const files = project.files.map((f) => {
    const version = isWheel(f.filename) ? parseWheelFilename(f.filename).version : parseSdistFilename(f.filename).version;
    versions.add(version);
    const msha = opts.pep658 === false ? undefined : metadataSha(f);
    return {
      filename: f.filename,
      url: `../../files/${encodeURIComponent(f.filename)}`,
      hashes: { sha256: sha256Of(f) },
      'requires-python': f.requiresPython ?? null,
      'core-metadata': msha ? { sha256: msha } : false,
      'dist-info-metadata': msha ? { sha256: msha } : false,
      yanked: f.yanked === undefined || f.yanked === false ? false : f.yanked === '' ? true : f.yanked,
      size: bodyOf(f).length,
    };
  });
  return JSON.stringify({ meta: { 'api-version': '1.1' }, name: normalizeName(project.name), files, versions: [...versions] });
}

function renderRootHtml(projects: Iterable<ServedProject>): string {
  const links = [...projects].map((p) => `    <a href="${normalizeName(p.name)}/">${escapeHtml(p.name)}</a><br/>`);
  return [
    '<!DOCTYPE html>',
    '<html><head><meta name="pypi:repository-version" content="1.1"><title>Simple index</title></head><body>',
    ...links,
    '</body></html>',
    '',
  ].join('\n');
}

function renderRootJson(projects: Iterable<ServedProject>): string {
  return JSON.stringify({ meta: { 'api-version': '1.1' }, projects: [...projects].map((p) => ({ name: p.name })) });
}

// ------------------------------------------------------------------ own server

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'slow'; delayMs: number; chunks?: number }
  | { kind: 'malformed'; body: string; contentType: string };

export interface FaultRule {
  /** Requests whose path contains this string or matches this RegExp; every request when absent. */
  path?: string | RegExp;
  fault: Fault;
  /** How many matching requests it hits (default 1; Infinity for all). */
  times?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  accept: string | undefined;
  conditional: boolean;
  status: number;
  fault?: Fault['kind'];
}

export interface IndexServerOptions {
  projects?: ServedProject[];
  /** 'negotiate' (default) honours Accept; 'html' / 'json' always serve that format. */
  format?: 'negotiate' | 'json' | 'html';
  /** Cache-Control max-age for simple pages in seconds (default 600, as PyPI); null sends none. */
  cacheMaxAge?: number | null;
  /** Added to every request, before faults (ms). */
  latencyMs?: number;
  /** Serve PEP 658 metadata files and advertise them (default true). */
  pep658?: boolean;
  /** Require this basic auth (or bearer token) on every request. */
  auth?: { username: string; password: string } | { token: string };
  /** Serve https with this key and certificate (see loopbackCertificate in proxy-server.ts). */
  tls?: { key: string; cert: string };
}

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
const HTML_TYPE = 'application/vnd.pypi.simple.v1+html';

/** Pick JSON or HTML from an Accept header by q-value (PEP 691), undefined when neither is acceptable. */
export function negotiate(accept: string | undefined): 'json' | 'html' | undefined {
  if (!accept) return 'html';
  let best: { kind: 'json' | 'html'; q: number } | undefined;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part
      .trim()
      .split(';')
      .map((s) => s.trim());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const kind =
      type === JSON_TYPE || type === 'application/vnd.pypi.simple.latest+json'
        ? 'json'
        : type === HTML_TYPE || type === 'application/vnd.pypi.simple.latest+html' || type === 'text/html' || type === '*/*' || type === 'text/*'
          ? 'html'
          : undefined;
    if (kind && q > 0 && (!best || q > best.q)) best = { kind, q };
  }
  return best?.kind;
}

export class FixtureIndexServer {
  readonly faults: FaultRule[] = [];
  readonly log: RequestRecord[] = [];
  latencyMs: number;
  private readonly projects = new Map<string, { project: ServedProject; modified: Date; rendered: Map<string, { body: string; etag: string }> }>();
  private readonly files = new Map<string, ServedFile>();
  private readonly sockets = new Set<Socket>();
  private connectionCount = 0;

  /** TCP connections accepted so far (keep-alive clients open few). */
  get connections(): number {
    return this.connectionCount;
  }
  private readonly opts: IndexServerOptions;
  private server!: Server;
  private port = 0;

  private constructor(opts: IndexServerOptions) {
    this.opts = opts;
    this.latencyMs = opts.latencyMs ?? 0;
    for (const p of opts.projects ?? []) this.setProject(p);
  }

  static async start(opts: IndexServerOptions = {}): Promise<FixtureIndexServer> {
    const s = new FixtureIndexServer(opts);
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      s.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    };
    s.server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : createServer(handler);
    s.server.on('connection', (socket: Socket) => {
      s.connectionCount++;
      s.sockets.add(socket);
      socket.on('close', () => s.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    s.port = (s.server.address() as AddressInfo).port;
    return s;
  }

  /** http://127.0.0.1:PORT (https:// when serving TLS) */
  get origin(): string {
    return `${this.opts.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** The simple index base URL, http://127.0.0.1:PORT/simple/ */
  get url(): string {
    return `${this.origin}/simple/`;
  }

  /** Add or replace a project (its pages get a new ETag and Last-Modified). */
  setProject(project: ServedProject): void {
    const key = normalizeName(project.name);
    const old = this.projects.get(key);
    if (old) for (const f of old.project.files) this.files.delete(f.filename);
    // Whole seconds, as HTTP dates carry no more; a change always moves it forward.
    const modified = new Date(Math.max(Math.floor(Date.now() / 1000) * 1000, (old?.modified.getTime() ?? 0) + 1000));
    this.projects.set(key, { project, modified, rendered: new Map() });
    for (const f of project.files) this.files.set(f.filename, f);
  }

  removeProject(name: string): void {
    const old = this.projects.get(normalizeName(name));
    if (old) for (const f of old.project.files) this.files.delete(f.filename);
    this.projects.delete(normalizeName(name));
  }

  /** Yank (reason string) or un-yank (false) a file; its project page changes. */
  setYanked(filename: string, reason: string | false): void {
    for (const { project } of this.projects.values()) {
      const f = project.files.find((x) => x.filename === filename);
      if (f) {
        f.yanked = reason;
        this.setProject(project);
        return;
      }
    }
    throw new Error(`no served file ${filename}`);
  }

  addFault(rule: FaultRule): void {
    this.faults.push({ times: 1, ...rule });
  }

  /** Counters over the request log. */
  get counters(): { requests: number; conditional: number; notModified: number; byPath: Record<string, number> } {
    const byPath: Record<string, number> = {};
    for (const r of this.log) byPath[r.path] = (byPath[r.path] ?? 0) + 1;
    return {
      requests: this.log.length,
      conditional: this.log.filter((r) => r.conditional).length,
      notModified: this.log.filter((r) => r.status === 304).length,
      byPath,
    };
  }

  resetCounters(): void {
    this.log.length = 0;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const conditional = req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;
    const record: RequestRecord = { method: req.method ?? 'GET', path, accept: req.headers.accept, conditional, status: 0 };
    this.log.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    if (this.latencyMs > 0) await sleep(this.latencyMs);

    const rule = this.faults.find((r) => (r.times ?? 1) > 0 && matches(r.path, path));
    if (rule) {
      rule.times = (rule.times ?? 1) - 1;
      record.fault = rule.fault.kind;
      return this.applyFault(rule.fault, req, res);
    }
    if (this.opts.auth && !authorized(this.opts.auth, req.headers.authorization)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="fixture"', 'content-type': 'text/plain' });
      res.end('authentication required\n');
      return;
    }
    if (path === '/simple' || path === '/') return redirect(res, '/simple/');
    if (path === '/simple/') return this.sendPage(req, res, 'root', undefined);
    let m = /^\/simple\/([^/]+)(\/?)$/.exec(path);
    if (m) {
      const key = normalizeName(m[1]!);
      if (key !== m[1] || m[2] !== '/') return redirect(res, `/simple/${key}/`);
      return this.sendPage(req, res, key, this.projects.get(key));
    }
    m = /^\/files\/(.+)$/.exec(path);
    if (m) return this.sendFile(req, res, m[1]!);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  }

  private sendPage(req: IncomingMessage, res: ServerResponse, key: string, entry: ReturnType<typeof this.projects.get>): void {
    if (key !== 'root' && !entry) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    const format = this.opts.format === 'json' || this.opts.format === 'html' ? this.opts.format : negotiate(req.headers.accept);
    if (!format) {
      res.writeHead(406, { 'content-type': 'text/plain' });
      res.end('not acceptable\n');
      return;
    }
    let rendered: { body: string; etag: string };
    let modified: Date;
    if (entry) {
      modified = entry.modified;
      const cached = entry.rendered.get(format);
      if (cached) rendered = cached;
      else {
        const body = format === 'json' ? renderJsonPage(entry.project, this.opts) : renderHtmlPage(entry.project, this.opts);
        rendered = { body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"` };
        entry.rendered.set(format, rendered);
      }
    } else {
      const all = [...this.projects.values()];
      const body = format === 'json' ? renderRootJson(all.map((e) => e.project)) : renderRootHtml(all.map((e) => e.project));
      rendered = { body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"` };
      modified = new Date(Math.max(0, ...all.map((e) => e.modified.getTime())));
    }
    const headers: Record<string, string> = {
      'content-type': format === 'json' ? JSON_TYPE : 'text/html; charset=utf-8',
      etag: rendered.etag,
      'last-modified': modified.toUTCString(),
      vary: 'Accept',
    };
    if (this.opts.cacheMaxAge !== null) headers['cache-control'] = `max-age=${this.opts.cacheMaxAge ?? 600}, public`;
    if (notModified(req, rendered.etag, modified)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, headers);
    res.end(rendered.body);
  }

  private sendFile(req: IncomingMessage, res: ServerResponse, name: string): void {
    const isMeta = name.endsWith('.metadata');
    const file = this.files.get(isMeta ? name.slice(0, -'.metadata'.length) : name);
    const body = file
      ? isMeta
        ? this.opts.pep658 === false || file.metadata === undefined
          ? undefined
          : Buffer.from(file.metadata)
        : bodyOf(file)
      : undefined;
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
    const headers = { 'content-type': 'application/octet-stream', etag, 'cache-control': 'max-age=31536000, immutable', 'content-length': String(body.length) };
    if (notModified(req, etag, undefined)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, headers);
    res.end(body);
  }

  private async applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<void> {
    switch (fault.kind) {
      case 'status':
        res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers });
        res.end(fault.body ?? `injected ${fault.status}\n`);
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return; // never answered; close() destroys the socket
      case 'malformed':
        res.writeHead(200, { 'content-type': fault.contentType });
        res.end(fault.body);
        return;
      case 'slow': {
        // Headers at once, then the body in chunks with pauses: tests idle timeouts mid-body.
        res.writeHead(200, { 'content-type': 'text/html' });
        const chunks = fault.chunks ?? 3;
        for (let i = 0; i < chunks && !res.destroyed; i++) {
          res.write(`<!-- chunk ${i} -->\n`);
          await sleep(fault.delayMs);
        }
        res.end('<html><body></body></html>\n');
      }
    }
  }
}

function matches(rule: string | RegExp | undefined, path: string): boolean {
  if (rule === undefined) return true;
  return typeof rule === 'string' ? path.includes(rule) : rule.test(path);
}

function notModified(req: IncomingMessage, etag: string, modified: Date | undefined): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return inm.split(',').some((t) => t.trim() === etag || t.trim() === '*');
  const ims = req.headers['if-modified-since'];
  if (ims !== undefined && modified) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && modified.getTime() <= since;
  }
  return false;
}

function authorized(auth: NonNullable<IndexServerOptions['auth']>, header: string | undefined): boolean {
  if ('token' in auth) return header === `Bearer ${auth.token}`;
  return header === `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(301, { location });
  res.end();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ------------------------------------------------------------------ third-party servers

export interface RunningIndex {
  /** Simple index base URL ending in /simple/ */
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Poll `url` until it answers 200; fail early with the server's output when the process dies. */
async function waitReady(url: string, child: ResultPromise, what: string, output: () => string, timeoutMs = 30_000): Promise<void> {
  let exited = false;
  child.then(
    () => (exited = true),
    () => (exited = true),
  );
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${what} exited before it was ready:\n${output()}`);
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${what} was not ready at ${url} within ${timeoutMs} ms:\n${output()}`);
}

function startProcess(file: string, args: string[], cwd?: string): { child: ResultPromise; output: () => string } {
  let out = '';
  const child = execa(file, args, { reject: false, all: true, buffer: false, ...(cwd ? { cwd } : {}), env: { PYTHONUNBUFFERED: '1' } });
  child.all?.setEncoding('utf8');
  child.all?.on('data', (chunk: string) => {
    out = (out + chunk).slice(-20_000);
  });
  return { child, output: () => out };
}

async function stopProcess(child: ResultPromise): Promise<void> {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await child.catch(() => undefined);
  clearTimeout(timer);
}

/**
 * The real pypiserver (`pypi-server run`) over `dir`, no auth, no fallback to pypi.org (a missing
 * project is a 404 rather than a redirect to the internet).
 */
export async function startPypiServer(dir: string): Promise<RunningIndex> {
  const bin = pytoolsBin('pypi-server');
  const port = await freePort();
  const { child, output } = startProcess(bin, ['run', '-p', String(port), '-i', '127.0.0.1', '-a', '.', '-P', '.', '--disable-fallback', dir]);
  const url = `http://127.0.0.1:${port}/simple/`;
  await waitReady(url, child, 'pypi-server', output);
  return { url, stop: () => stopProcess(child) };
}

/**
 * A static PEP 503 tree (simple/<name>/index.html with relative links, `#sha256=` fragments,
 * data-requires-python, PEP 658/714 `.metadata` files, yanked marks) written to a temp dir and
 * served by `python3 -m http.server`.
 */
export async function startStaticIndex(projects: ServedProject[], opts: { pep658?: boolean } = {}): Promise<RunningIndex & { root: string }> {
  const root = await mkdtemp(join(tmpdir(), 'refinery-static-index-'));
  await mkdir(join(root, 'files'), { recursive: true });
  await mkdir(join(root, 'simple'), { recursive: true });
  await writeFile(join(root, 'simple', 'index.html'), renderRootHtml(projects));
  for (const p of projects) {
    const dir = join(root, 'simple', normalizeName(p.name));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'index.html'), renderHtmlPage(p, opts));
    for (const f of p.files) {
      await writeFile(join(root, 'files', f.filename), bodyOf(f));
      if (f.metadata !== undefined && opts.pep658 !== false) await writeFile(join(root, 'files', `${f.filename}.metadata`), f.metadata);
    }
  }
  // Port 0: http.server prints the port it bound, so there is no race for a free port.
  const { child, output } = startProcess('python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '--directory', root, '0']);
  const deadline = Date.now() + 30_000;
  let port: string | undefined;
  while (!port && Date.now() < deadline) {
    port = /port (\d+)/.exec(output())?.[1];
    if (!port) await sleep(50);
  }
  if (!port) {
    await stopProcess(child);
    throw new Error(`python3 -m http.server did not report its port:\n${output()}`);
  }
  const url = `http://127.0.0.1:${port}/simple/`;
  await waitReady(url, child, 'python3 -m http.server', output);
  return {
    url,
    root,
    stop: async () => {
      await stopProcess(child);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Copy the given files into a fresh temp dir (pypiserver serves a whole directory). */
export async function stageDir(paths: readonly string[]): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'refinery-dists-'));
  for (const p of paths) await copyFile(p, join(dir, p.slice(p.lastIndexOf('/') + 1)));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
