// A local stand-in for the parts of GitHub's REST API that refinery writes through: the Git Data
// API (refs, commits, trees, blobs) and release assets. Objects are real git objects (same SHA-1
// as git would compute); response bodies are the documented payloads from test/fixtures/github
// with their values filled in. Binds 127.0.0.1 on a random port.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'github');
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

type Obj =
  | { type: 'blob'; data: Buffer }
  | { type: 'tree'; entries: TreeEntry[] }
  | { type: 'commit'; tree: string; parents: string[]; message: string; date: string };
interface TreeEntry {
  name: string;
  mode: string;
  type: 'blob' | 'tree';
  sha: string;
}

export interface InjectedFailure {
  method: string;
  /** Matched against the request path. */
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** How many matching requests fail (default 1). */
  times?: number;
}

interface Release {
  id: number;
  tag: string;
  assets: Array<{ id: number; name: string; data: Buffer; contentType: string; created: string }>;
}

export class FakeGitHub {
  readonly owner = 'acme';
  readonly repo = 'wheels';
  readonly token = 'ghs_fake-installation-token';
  private server: Server | undefined;
  private objects = new Map<string, Obj>();
  private refs = new Map<string, string>();
  private releases: Release[] = [];
  private nextId = 1000;
  private failures: InjectedFailure[] = [];
  /** Every request served, for assertions ("METHOD /path status"). */
  readonly log: string[] = [];
  url = '';
  /**
   * With `start({web: true})`: the stand-in for github.com, which answers a release asset's
   * `browser_download_url` (`/<owner>/<repo>/releases/download/<tag>/<name>`) with a 302 to
   * `assetsUrl`, another host and port, as GitHub redirects to its asset host with a signed URL
   * that does not end in the file name. Both log to `webLog` ("METHOD host/path status").
   */
  webUrl = '';
  assetsUrl = '';
  readonly webLog: string[] = [];
  private web: Server[] = [];

  async start(o: { web?: boolean } = {}): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => send(res, 500, { message: String(e) }));
    });
    this.url = await listen(this.server);
    if (o.web) {
      const web = createServer((req, res) => this.handleWeb(req, res));
      const assets = createServer((req, res) => this.handleAssets(req, res));
      this.web = [web, assets];
      this.webUrl = await listen(web);
      this.assetsUrl = await listen(assets);
    }
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([this.server, ...this.web].map((s) => new Promise<void>((ok) => s?.close(() => ok()) ?? ok())));
  }

  /** Replace a stored asset's bytes (a tampered download). */
  tamperAsset(name: string, data: Buffer): void {
    const a = this.releases.flatMap((r) => r.assets).find((x) => x.name === name);
    if (!a) throw new Error(`no asset ${name}`);
    a.data = data;
  }

  private handleWeb(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', this.webUrl).pathname;
    const m = /^\/([^/]+)\/([^/]+)\/releases\/download\/([^/]+)\/([^/]+)$/.exec(path);
    const r = m && m[1] === this.owner && m[2] === this.repo ? this.releases.find((x) => x.tag === decodeURIComponent(m[3]!)) : undefined;
    const a = r?.assets.find((x) => x.name === decodeURIComponent(m![4]!));
    const status = a ? 302 : 404;
    this.webLog.push(`${req.method} web${path} ${status}`);
    if (!a) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    const sig = createHash('sha256').update(`${a.id}`).digest('hex').slice(0, 16);
    res.writeHead(302, { location: `${this.assetsUrl}/production-release-asset/${a.id}?sig=${sig}&response-content-type=application%2Foctet-stream` });
    res.end();
  }

  private handleAssets(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.assetsUrl);
    const m = /^\/production-release-asset\/(\d+)$/.exec(url.pathname);
    const a = m ? this.releases.flatMap((r) => r.assets).find((x) => x.id === Number(m[1])) : undefined;
    const ok = a && url.searchParams.get('sig') === createHash('sha256').update(`${a.id}`).digest('hex').slice(0, 16);
    this.webLog.push(`${req.method} assets${url.pathname} ${ok ? 200 : 403}`);
    if (!ok) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('Forbidden');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': a.data.length });
    res.end(req.method === 'HEAD' ? undefined : a.data);
  }

  inject(f: InjectedFailure): void {
    this.failures.push({ times: 1, ...f });
  }

  /** Create a commit with these files on `branch` (on top of its current head, if any). */
  seed(branch: string, files: Record<string, string | Buffer>, message = 'seed'): string {
    const parent = this.refs.get(`heads/${branch}`);
    const base = parent ? (this.objects.get(parent) as Extract<Obj, { type: 'commit' }>).tree : undefined;
    const tree = this.applyToTree(
      base,
      Object.entries(files).map(([path, text]) => ({ path, sha: this.put({ type: 'blob', data: Buffer.isBuffer(text) ? text : Buffer.from(text) }) })),
    );
    const commit = this.put({ type: 'commit', tree, parents: parent ? [parent] : [], message, date: new Date().toISOString() });
    this.refs.set(`heads/${branch}`, commit);
    return commit;
  }

  head(branch: string): string | undefined {
    return this.refs.get(`heads/${branch}`);
  }

  /** Every file at the head of `branch`: path -> text. */
  files(branch: string): Map<string, string> {
    const out = new Map<string, string>();
    const head = this.refs.get(`heads/${branch}`);
    if (!head) return out;
    const walk = (sha: string, prefix: string) => {
      for (const e of (this.objects.get(sha) as Extract<Obj, { type: 'tree' }>).entries) {
        if (e.type === 'tree') walk(e.sha, `${prefix}${e.name}/`);
        else out.set(`${prefix}${e.name}`, (this.objects.get(e.sha) as Extract<Obj, { type: 'blob' }>).data.toString('utf8'));
      }
    };
    walk((this.objects.get(head) as Extract<Obj, { type: 'commit' }>).tree, '');
    return out;
  }

  /** Commits reachable from `branch`, newest first, following first parents. */
  commits(branch: string): Array<{ sha: string; parents: string[]; message: string }> {
    const out = [];
    let sha = this.refs.get(`heads/${branch}`);
    while (sha) {
      const c = this.objects.get(sha) as Extract<Obj, { type: 'commit' }>;
      out.push({ sha, parents: c.parents, message: c.message });
      sha = c.parents[0];
    }
    return out;
  }

  // --- git objects ----------------------------------------------------------------------------

  private put(o: Obj): string {
    let body: Buffer;
    if (o.type === 'blob') body = o.data;
    else if (o.type === 'tree') {
      const sorted = [...o.entries].sort((a, b) => cmpBytes(a.type === 'tree' ? `${a.name}/` : a.name, b.type === 'tree' ? `${b.name}/` : b.name));
      o = { type: 'tree', entries: sorted };
      body = Buffer.concat(sorted.map((e) => Buffer.concat([Buffer.from(`${e.type === 'tree' ? '40000' : e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex')])));
    } else {
      const when = `${Math.floor(Date.parse(o.date) / 1000)} +0000`;
      const who = `Refinery Test <refinery@example.invalid> ${when}`;
      body = Buffer.from(`tree ${o.tree}\n${o.parents.map((p) => `parent ${p}\n`).join('')}author ${who}\ncommitter ${who}\n\n${o.message}`);
    }
    const sha = createHash('sha1').update(`${o.type} ${body.length}\0`).update(body).digest('hex');
    this.objects.set(sha, o);
    return sha;
  }

  /** A new tree: `base` with each path set to a blob sha (or removed when sha is null). */
  private applyToTree(base: string | undefined, changes: Array<{ path: string; sha: string | null; mode?: string }>): string {
    const entries = new Map<string, TreeEntry>();
    if (base) for (const e of (this.objects.get(base) as Extract<Obj, { type: 'tree' }>).entries) entries.set(e.name, e);
    const nested = new Map<string, Array<{ path: string; sha: string | null; mode?: string }>>();
    for (const c of changes) {
      const [first, ...rest] = c.path.split('/');
      if (rest.length === 0) {
        if (c.sha === null) entries.delete(first!);
        else entries.set(first!, { name: first!, mode: c.mode ?? '100644', type: 'blob', sha: c.sha });
      } else nested.set(first!, [...(nested.get(first!) ?? []), { ...c, path: rest.join('/') }]);
    }
    for (const [dir, sub] of nested) {
      const have = entries.get(dir);
      entries.set(dir, { name: dir, mode: '040000', type: 'tree', sha: this.applyToTree(have?.type === 'tree' ? have.sha : undefined, sub) });
    }
    return this.put({ type: 'tree', entries: [...entries.values()] });
  }

  private isAncestor(ancestor: string, of: string): boolean {
    const seen = new Set<string>();
    const stack = [of];
    while (stack.length) {
      const sha = stack.pop()!;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      const o = this.objects.get(sha);
      if (o?.type === 'commit') stack.push(...o.parents);
    }
    return false;
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const done = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      this.log.push(`${method} ${url.pathname} ${status}`);
      send(res, status, payload, headers);
    };
    const failure = this.failures.find((f) => f.method === method && f.path.test(url.pathname) && (f.times ?? 1) > 0);
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      return done(failure.status, failure.body, failure.headers);
    }
    if (!url.pathname.startsWith('/download/') && req.headers.authorization !== `token ${this.token}`) {
      return done(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    }
    const api = `${this.url}/repos/${this.owner}/${this.repo}`;
    const prefix = `/repos/${this.owner}/${this.repo}`;
    const uploads = `/uploads${prefix}`;
    const path = decodeURIComponent(url.pathname);
    // biome-ignore lint/suspicious/noExplicitAny: recorded GitHub payloads are loose JSON
    const json = () => JSON.parse(body.toString('utf8') || '{}') as Record<string, any>;
    const notFound = () => done(404, fixture('error-not-found.json'));
    let m: RegExpExecArray | null;

    if (method === 'GET' && (m = new RegExp(`^${prefix}/git/ref/(.+)$`).exec(path))) {
      const sha = this.refs.get(m[1]!);
      return sha ? done(200, this.refBody(m[1]!, sha, api)) : notFound();
    }
    if (method === 'PATCH' && (m = new RegExp(`^${prefix}/git/refs/(.+)$`).exec(path))) {
      const ref = m[1]!;
      const { sha, force } = json();
      const current = this.refs.get(ref);
      if (!current)
        return done(422, { message: 'Reference does not exist', documentation_url: 'https://docs.github.com/rest/git/refs#update-a-reference', status: '422' });
      if (this.objects.get(sha)?.type !== 'commit')
        return done(422, { message: 'Object does not exist', documentation_url: 'https://docs.github.com/rest/git/refs#update-a-reference', status: '422' });
      if (!force && !this.isAncestor(current, sha)) return done(422, fixture('error-update-ref-not-fast-forward.json'));
      this.refs.set(ref, sha);
      return done(200, this.refBody(ref, sha, api));
    }
    if (method === 'GET' && (m = new RegExp(`^${prefix}/git/commits/([0-9a-f]{40})$`).exec(path))) {
      const o = this.objects.get(m[1]!);
      return o?.type === 'commit' ? done(200, this.commitBody(m[1]!, o, api)) : notFound();
    }
    if (method === 'POST' && path === `${prefix}/git/commits`) {
      const { message, tree, parents } = json();
      if (this.objects.get(tree)?.type !== 'tree') return done(422, { message: 'Tree SHA does not exist', status: '422' });
      const c = { type: 'commit' as const, tree, parents, message, date: new Date().toISOString() };
      const sha = this.put(c);
      return done(201, this.commitBody(sha, c, api));
    }
    if (method === 'GET' && (m = new RegExp(`^${prefix}/git/trees/([0-9a-f]{40})$`).exec(path))) {
      const o = this.objects.get(m[1]!);
      if (o?.type !== 'tree') return notFound();
      return done(200, this.treeBody(m[1]!, url.searchParams.has('recursive'), api));
    }
    if (method === 'POST' && path === `${prefix}/git/trees`) {
      const { base_tree, tree } = json();
      if (base_tree && this.objects.get(base_tree)?.type !== 'tree') return done(422, { message: 'base_tree is not a valid tree oid', status: '422' });
      const items = tree as Array<{ path: string; sha?: string | null; content?: string; mode: string }>;
      // Like GitHub: an entry gives either a blob sha (null deletes) or inline content that becomes a blob.
      const sha = this.applyToTree(
        base_tree,
        items.map((t) => ({
          path: t.path,
          sha: t.content !== undefined ? this.put({ type: 'blob', data: Buffer.from(t.content) }) : (t.sha ?? null),
          mode: t.mode,
        })),
      );
      return done(201, this.treeBody(sha, false, api));
    }
    if (method === 'GET' && (m = new RegExp(`^${prefix}/git/blobs/([0-9a-f]{40})$`).exec(path))) {
      const o = this.objects.get(m[1]!);
      if (o?.type !== 'blob') return notFound();
      const b64 = o.data.toString('base64').replace(/(.{60})/g, '$1\n');
      return done(200, { ...fixture('git-blob.json'), content: `${b64}\n`, sha: m[1], size: o.data.length, url: `${api}/git/blobs/${m[1]}` });
    }
    if (method === 'POST' && path === `${prefix}/git/blobs`) {
      const { content, encoding } = json();
      const sha = this.put({ type: 'blob', data: Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8') });
      return done(201, { ...fixture('git-blob-created.json'), sha, url: `${api}/git/blobs/${sha}` });
    }
    // Releases and their assets.
    if (method === 'GET' && (m = new RegExp(`^${prefix}/releases/tags/(.+)$`).exec(path))) {
      const r = this.releases.find((x) => x.tag === decodeURIComponent(m![1]!));
      return r ? done(200, this.releaseBody(r, api)) : notFound();
    }
    if (method === 'POST' && path === `${prefix}/releases`) {
      const { tag_name } = json();
      if (this.releases.some((r) => r.tag === tag_name)) {
        return done(422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
          documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release',
          status: '422',
        });
      }
      const r: Release = { id: this.nextId++, tag: tag_name, assets: [] };
      this.releases.push(r);
      return done(201, this.releaseBody(r, api));
    }
    if (method === 'GET' && (m = new RegExp(`^${prefix}/releases/(\\d+)/assets$`).exec(path))) {
      const r = this.releases.find((x) => x.id === Number(m![1]));
      return r
        ? done(
            200,
            r.assets.map((a) => this.assetBody(r, a, api)),
          )
        : notFound();
    }
    if (method === 'POST' && (m = new RegExp(`^${uploads}/releases/(\\d+)/assets$`).exec(path))) {
      const r = this.releases.find((x) => x.id === Number(m![1]));
      if (!r) return notFound();
      const name = url.searchParams.get('name') ?? '';
      if (r.assets.some((a) => a.name === name)) {
        return done(422, { message: 'Validation Failed', errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }], status: '422' });
      }
      const a = {
        id: this.nextId++,
        name,
        data: body,
        contentType: String(req.headers['content-type'] ?? 'application/octet-stream'),
        created: new Date().toISOString(),
      };
      r.assets.push(a);
      return done(201, this.assetBody(r, a, api));
    }
    if (method === 'GET' && (m = new RegExp(`^${prefix}/releases/assets/(\\d+)$`).exec(path))) {
      const found = this.releases.flatMap((r) => r.assets.map((a) => ({ r, a }))).find(({ a }) => a.id === Number(m![1]));
      if (!found) return notFound();
      // Like GitHub: the binary comes from a redirect to a download host.
      if (String(req.headers.accept).includes('application/octet-stream')) return done(302, '', { location: `${this.url}/download/${found.a.id}` });
      return done(200, this.assetBody(found.r, found.a, api));
    }
    if (method === 'GET' && (m = /^\/download\/(\d+)$/.exec(path))) {
      const a = this.releases.flatMap((r) => r.assets).find((x) => x.id === Number(m![1]));
      if (!a) return notFound();
      this.log.push(`${method} ${path} 200`);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': a.data.length });
      res.end(a.data);
      return;
    }
    return notFound();
  }

  private refBody(ref: string, sha: string, api: string): unknown {
    const t = fixture('git-ref.json');
    return { ...t, ref: `refs/${ref}`, url: `${api}/git/refs/${ref}`, object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` } };
  }

  private commitBody(sha: string, c: Extract<Obj, { type: 'commit' }>, api: string): unknown {
    const t = fixture('git-commit.json');
    const who = { date: c.date.replace(/\.\d{3}Z$/, 'Z'), name: 'Refinery Test', email: 'refinery@example.invalid' };
    return {
      ...t,
      sha,
      url: `${api}/git/commits/${sha}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/commit/${sha}`,
      author: who,
      committer: who,
      message: c.message,
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      parents: c.parents.map((p) => ({ sha: p, url: `${api}/git/commits/${p}`, html_url: `https://github.com/${this.owner}/${this.repo}/commit/${p}` })),
    };
  }

  private treeBody(sha: string, recursive: boolean, api: string): unknown {
    const items: unknown[] = [];
    const walk = (treeSha: string, prefix: string) => {
      for (const e of (this.objects.get(treeSha) as Extract<Obj, { type: 'tree' }>).entries) {
        const blob = e.type === 'blob' ? (this.objects.get(e.sha) as Extract<Obj, { type: 'blob' }>) : undefined;
        items.push({
          path: `${prefix}${e.name}`,
          mode: e.mode,
          type: e.type,
          sha: e.sha,
          ...(blob ? { size: blob.data.length } : {}),
          url: `${api}/git/${e.type}s/${e.sha}`,
        });
        if (recursive && e.type === 'tree') walk(e.sha, `${prefix}${e.name}/`);
      }
    };
    walk(sha, '');
    return { ...fixture('git-tree.json'), sha, url: `${api}/git/trees/${sha}`, tree: items, truncated: false };
  }

  private releaseBody(r: Release, api: string): unknown {
    const t = fixture('release.json');
    return {
      ...t,
      id: r.id,
      tag_name: r.tag,
      name: r.tag,
      url: `${api}/releases/${r.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/releases/tag/${r.tag}`,
      assets_url: `${api}/releases/${r.id}/assets`,
      upload_url: `${this.url}/uploads/repos/${this.owner}/${this.repo}/releases/${r.id}/assets{?name,label}`,
      assets: r.assets.map((a) => this.assetBody(r, a, api)),
    };
  }

  private assetBody(r: Release, a: Release['assets'][number], api: string): unknown {
    const t = fixture('release-asset.json');
    return {
      ...t,
      id: a.id,
      name: a.name,
      label: '',
      url: `${api}/releases/assets/${a.id}`,
      browser_download_url: `${this.webUrl || 'https://github.com'}/${this.owner}/${this.repo}/releases/download/${r.tag}/${a.name}`,
      content_type: a.contentType,
      size: a.data.length,
      digest: `sha256:${createHash('sha256').update(a.data).digest('hex')}`,
      download_count: 0,
      created_at: a.created,
      updated_at: a.created,
    };
  }
}

function cmpBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-api-version-selected': '2022-11-28',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    ...headers,
  });
  res.end(text);
}
