/**
 * refinery publish as a library and a command: the PEP 503/691 index over real wheels in a local
 * store, determinism, incremental republish, release links, hostile state content, metrics read by
 * prometheus_client's parser, Parquet read back by pyarrow, and the suggested hint snippet.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRefineryError } from '../../src/errors.js';
import { loadHintCatalog, parseHintCatalog } from '../../src/domain/hints/index.js';
import { publishSite } from '../../src/stages/publish/index.js';
import { saveState } from '../../src/domain/state/index.js';
import { LocalWheelStore } from '../../src/domain/storage/index.js';
import { runCli } from '../helpers/cli.js';
import { attemptFor, stateOf, storedEntry } from '../helpers/publish-fixtures.js';
import { pytoolsBin, repoRoot, requirePytools } from '../helpers/pytools.js';
import { siteState } from '../helpers/site-state.js';

const run = promisify(execFile);
let root: string;
let store: LocalWheelStore;
const catalogP = loadHintCatalog(join(repoRoot, 'seeds/hints.yml'));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-publish-'));
  store = new LocalWheelStore(join(root, 'store'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function tree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(relative(dir, p), await readFile(p));
    }
  };
  await walk(dir);
  return out;
}

async function realState() {
  const idna = await storedEntry(store, 'idna-3.10-py3-none-any.whl', { name: 'idna', version: '3.10' });
  const certifi = await storedEntry(store, 'certifi-2024.12.14-py3-none-any.whl', { name: 'certifi', version: '2024.12.14' });
  return stateOf({ name: 'idna', manifest: [idna], history: [attemptFor(idna)] }, { name: 'certifi', manifest: [certifi], history: [attemptFor(certifi)] });
}

describe('the simple index', () => {
  it('lists stored wheels with sha256 fragments, requires-python, PEP 658 metadata files and a PEP 691 twin', async () => {
    const out = join(root, 'site-index');
    const r = await publishSite(await realState(), out, { localStore: store.root, catalog: await catalogP });
    expect(r.wheels).toBe(2);
    const wheel = await readFile(join(repoRootDists(), 'idna-3.10-py3-none-any.whl'));
    const sha = createHash('sha256').update(wheel).digest('hex');
    const html = await readFile(join(out, 'simple/idna/index.html'), 'utf8');
    const href = `../../files/${sha.slice(0, 16)}/idna-3.10-py3-none-any.whl#sha256=${sha}`;
    expect(html).toContain(`href="${href}"`);
    expect(html).toContain('data-requires-python="&gt;=3.6"');
    const meta = await readFile(join(out, `files/${sha.slice(0, 16)}/idna-3.10-py3-none-any.whl.metadata`));
    expect(meta.toString()).toMatch(/^Metadata-Version: .*\nName: idna\nVersion: 3\.10/);
    const metaSha = createHash('sha256').update(meta).digest('hex');
    expect(html).toContain(`data-core-metadata="sha256=${metaSha}" data-dist-info-metadata="sha256=${metaSha}"`);
    expect(html).toContain('<meta name="pypi:repository-version" content="1.3">');
    // The site's copy of the wheel is the stored bytes.
    expect((await readFile(join(out, `files/${sha.slice(0, 16)}/idna-3.10-py3-none-any.whl`))).equals(wheel)).toBe(true);
    const json = JSON.parse(await readFile(join(out, 'simple/idna/index.json'), 'utf8'));
    expect(json).toMatchObject({ meta: { 'api-version': '1.3' }, name: 'idna', versions: ['3.10'] });
    expect(json.files[0]).toMatchObject({
      filename: 'idna-3.10-py3-none-any.whl',
      url: href.split('#')[0],
      hashes: { sha256: sha },
      'requires-python': '>=3.6',
      'core-metadata': { sha256: metaSha },
      yanked: false,
      size: wheel.length,
      provenance: null,
    });
    expect(await readFile(join(out, 'simple/index.html'), 'utf8')).toMatch(/<a href="certifi\/">certifi<\/a><br>\n<a href="idna\/">idna<\/a>/);
    expect(JSON.parse(await readFile(join(out, 'simple/index.json'), 'utf8')).projects).toEqual([{ name: 'certifi' }, { name: 'idna' }]);
    const api = JSON.parse(await readFile(join(out, 'api/packages/idna.json'), 'utf8'));
    expect(api.byPythonTag).toEqual({ py3: { any: ['3.10'] } });
  });

  it('the package page says which compilers built each wheel and each attempt (turbo or emulated)', async () => {
    const out = join(root, 'site-compiler');
    const state = await realState();
    const idna = state.packages.get('idna')!;
    idna.manifest[0]!.compiler = 'turbo';
    idna.history = [attemptFor(idna.manifest[0]!, { compiler: 'turbo' })];
    await publishSite(state, out, { localStore: store.root, catalog: await catalogP });
    const page = await readFile(join(out, 'packages/idna.html'), 'utf8');
    const wheels = page.slice(page.indexOf('Wheels on the index'), page.indexOf('</table>', page.indexOf('Wheels on the index')));
    expect(wheels).toContain('<td>container, turbo compilers</td>');
    const attempts = page.slice(page.indexOf('id="attempts"'));
    expect(attempts).toContain('container, turbo compilers');
    // A wheel from before turbo existed says nothing about compilers.
    const certifi = await readFile(join(out, 'packages/certifi.html'), 'utf8');
    expect(certifi).not.toContain('compilers');
  });

  it("shows a wheel's build provenance attestation in the package API, and nothing for a wheel without", async () => {
    const out = join(root, 'site-attested');
    const state = await realState();
    const attestation = { id: '4242', url: 'https://github.com/acme/wheels/attestations/4242' };
    state.packages.get('idna')!.manifest[0]!.attestation = attestation;
    await publishSite(state, out, { localStore: store.root, catalog: await catalogP });
    const idna = JSON.parse(await readFile(join(out, 'api/packages/idna.json'), 'utf8'));
    expect(idna.versions[0].wheels[0].attestation).toEqual(attestation);
    const certifi = JSON.parse(await readFile(join(out, 'api/packages/certifi.json'), 'utf8'));
    expect(certifi.versions[0].wheels[0]).not.toHaveProperty('attestation');
  });

  it('says where a wheel is offered which system packages it imports with, and which wheel nothing verified', async () => {
    const out = join(root, 'site-runtime');
    const state = await realState();
    Object.assign(state.packages.get('idna')!.manifest[0]!, {
      externalLibraries: ['libjpeg.so.62'],
      runtimePackages: { manager: 'apt', packages: ['libjpeg62-turbo'] },
    });
    Object.assign(state.packages.get('certifi')!.manifest[0]!, {
      unverified: 'needs system libraries the bare image lacks: libpq.so.5',
      externalLibraries: ['libpq.so.5'],
    });
    await publishSite(state, out, { localStore: store.root, catalog: await catalogP });
    const idna = JSON.parse(await readFile(join(out, 'api/packages/idna.json'), 'utf8')).versions[0].wheels[0];
    expect(idna).toMatchObject({
      verified: 'with-runtime-packages',
      runtimePackages: { manager: 'apt', packages: ['libjpeg62-turbo'] },
      externalLibraries: ['libjpeg.so.62'],
    });
    expect(idna).not.toHaveProperty('unverified');
    const certifi = JSON.parse(await readFile(join(out, 'api/packages/certifi.json'), 'utf8')).versions[0].wheels[0];
    expect(certifi).toMatchObject({ verified: 'unverified', unverified: expect.stringContaining('libpq.so.5') });
    const page = await readFile(join(out, 'packages/idna.html'), 'utf8');
    expect(page).toContain('<th scope="col">Needs</th>');
    expect(page).toContain('verified with runtime packages: apt install libjpeg62-turbo');
    expect(await readFile(join(out, 'packages/certifi.html'), 'utf8')).toContain('UNVERIFIED: needs system libraries the bare image lacks: libpq.so.5');
    const plain = JSON.parse(await readFile(join(root, 'site-attested', 'api/packages/certifi.json'), 'utf8')).versions[0].wheels[0];
    expect(plain.verified).toBe('yes');
  });

  it('marks withdrawn wheels yanked and publishes PEP 740 provenance beside the wheel', async () => {
    const out = join(root, 'site-yank');
    const prov = join(root, 'prov');
    await mkdir(prov, { recursive: true });
    await writeFile(
      join(prov, 'idna-3.10-py3-none-any.whl.provenance'),
      JSON.stringify({ version: 1, attestation_bundles: [{ publisher: { kind: 'GitHub', repository: 'acme/wheels' }, attestations: [] }] }),
    );
    await publishSite(await realState(), out, {
      localStore: store.root,
      withdrawals: [{ package: 'certifi', version: '2024.12.14', reason: 'broken "on" z15 <b>' }],
      provenanceDir: prov,
    });
    const certifi = await readFile(join(out, 'simple/certifi/index.html'), 'utf8');
    expect(certifi).toContain('data-yanked="broken &quot;on&quot; z15 &lt;b&gt;"');
    expect(JSON.parse(await readFile(join(out, 'simple/certifi/index.json'), 'utf8')).files[0].yanked).toBe('broken "on" z15 <b>');
    const idna = await readFile(join(out, 'simple/idna/index.html'), 'utf8');
    const m = /data-provenance="([^"]+)"/.exec(idna);
    expect(m).not.toBeNull();
    const provFile = join(out, 'simple/idna', m![1]!);
    expect(JSON.parse(await readFile(provFile, 'utf8')).attestation_bundles[0].publisher.repository).toBe('acme/wheels');
    expect(idna).not.toContain('data-yanked');

    await writeFile(join(prov, 'idna-3.10-py3-none-any.whl.provenance'), '{"version": 2}');
    const err = await publishSite(await realState(), join(root, 'site-yank2'), { localStore: store.root, provenanceDir: prov }).catch((e) => e);
    expect(isRefineryError(err) && err.message).toMatch(/not a PEP 740 provenance object/);
  });

  it('links release assets where they are, and leaves out what pip could not install by that URL', async () => {
    const s = siteState({ packages: 1, attempts: 6 });
    const pkg = s.packages.get('pkg-00000')!;
    const [a, b, c] = pkg.manifest;
    expect(c).toBeDefined();
    b!.storage = { ...b!.storage, location: `https://github.com/acme/wheels/releases/download/wheels/0123456789abcdef-${b!.filename}` };
    c!.storage = { kind: 'github-release', location: `javascript:alert(1)//${c!.filename}` };
    const r = await publishSite(s, join(root, 'site-release'));
    const html = await readFile(join(root, 'site-release/simple/pkg-00000/index.html'), 'utf8');
    expect(html).toContain(`href="https://github.com/acme/wheels/releases/download/wheels/${a!.filename}#sha256=${a!.sha256}"`);
    expect(html).not.toContain(b!.filename);
    expect(html).not.toContain('javascript:');
    expect(r.warnings.join('\n')).toContain(`left out ${b!.filename}: its release asset URL does not end in the wheel file name`);
    expect(r.warnings.join('\n')).toContain(`left out ${c!.filename}: its release asset URL is not an http(s) URL`);
  });

  it('leaves out a local wheel that is missing or not the bytes the manifest vouches for, and refuses a folder it did not write', async () => {
    const dir = join(root, 'store-bad');
    const bad = new LocalWheelStore(dir);
    const idna = await storedEntry(bad, 'idna-3.10-py3-none-any.whl', { name: 'idna', version: '3.10' });
    const certifi = await storedEntry(bad, 'certifi-2024.12.14-py3-none-any.whl', { name: 'certifi', version: '2024.12.14' });
    await rm(join(dir, idna.storage.location!));
    await writeFile(join(dir, certifi.storage.location!), 'not the wheel');
    const s = stateOf({ name: 'idna', manifest: [idna] }, { name: 'certifi', manifest: [certifi] });
    const r = await publishSite(s, join(root, 'site-bad'), { localStore: dir });
    expect(r.wheels).toBe(0);
    expect(r.warnings).toEqual([
      'left out certifi-2024.12.14-py3-none-any.whl: the stored file does not match its sha256 in the manifest',
      `left out idna-3.10-py3-none-any.whl: not in the local store ${dir}`,
    ]);
    const foreign = join(root, 'foreign');
    await mkdir(foreign, { recursive: true });
    await writeFile(join(foreign, 'index.html'), 'mine');
    const err = await publishSite(s, foreign, { localStore: dir }).catch((e) => e);
    expect(isRefineryError(err) && err.describe()).toMatch(/foreign: the output folder is not empty and was not written by refinery publish/);
    expect(await readFile(join(foreign, 'index.html'), 'utf8')).toBe('mine');
  });

  it('refuses a manifest file name that is not a wheel name (no path leaves the site)', async () => {
    const s = siteState({ packages: 1, attempts: 2 });
    s.packages.get('pkg-00000')!.manifest[0]!.filename = '../../../evil-1.0-py3-none-any.whl';
    const err = await publishSite(s, join(root, 'site-evil')).catch((e) => e);
    expect(isRefineryError(err)).toBe(true);
    expect(err.describe()).toMatch(/packages\/pkg-00000\.json: manifest\.0\.filename: not a wheel file name/);
    await expect(stat(join(root, 'evil-1.0-py3-none-any.whl'))).rejects.toThrow();
  });
});

describe('determinism and incremental republish', () => {
  it('the same state gives the same bytes in another folder', async () => {
    const s = siteState({ packages: 12, attempts: 240 });
    const catalog = await catalogP;
    await publishSite(s, join(root, 'det-a'), { catalog, suggest: { repo: 'acme/wheels' } });
    await publishSite(siteState({ packages: 12, attempts: 240 }), join(root, 'det-b'), { catalog, suggest: { repo: 'acme/wheels' } });
    const a = await tree(join(root, 'det-a'));
    const b = await tree(join(root, 'det-b'));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [k, v] of a) expect(v.equals(b.get(k)!), k).toBe(true);
  });

  it('a republish with one changed package writes that package and the site-wide files only, and removes what is gone', async () => {
    const out = join(root, 'incr');
    const catalog = await catalogP;
    const first = await publishSite(siteState({ packages: 20, attempts: 400 }), out, { catalog });
    expect(first.written.length).toBeGreaterThan(60);
    const same = await publishSite(siteState({ packages: 20, attempts: 400 }), out, { catalog });
    expect(same.written).toEqual([]);
    const changed = siteState({ packages: 20, attempts: 400, bump: new Map([['pkg-00007', 86_400_000]]) });
    const again = await publishSite(changed, out, { catalog });
    const other = again.written.filter((f) => /pkg-\d{5}/.test(f) && !f.includes('pkg-00007') && !f.includes('pkg_00007'));
    expect(other).toEqual([]);
    expect(again.written).toEqual(
      expect.arrayContaining([
        'packages/pkg-00007.html',
        'simple/pkg-00007/index.html',
        'simple/pkg-00007/index.json',
        'api/packages/pkg-00007.json',
        'data/packages.json',
        'metrics.txt',
        'index.html',
      ]),
    );
    expect(again.written).not.toContain('simple/index.html');
    expect(again.written.length).toBeLessThan(20);
    // A package gone from the state: its pages go too.
    changed.packages.delete('pkg-00019');
    const gone = await publishSite(changed, out, { catalog });
    expect(gone.removed).toEqual(expect.arrayContaining(['packages/pkg-00019.html', 'simple/pkg-00019/index.html']));
    await expect(stat(join(out, 'packages/pkg-00019.html'))).rejects.toThrow();
  });
});

/** Every element, attribute and link in the generated HTML: only our own markup, only safe links. */
async function checkMarkup(dir: string): Promise<{ pages: number; texts: string }> {
  let pages = 0;
  let texts = '';
  const allowed = new Set(
    'html head meta title link script body a header nav main h1 h2 h3 p span section table caption thead tbody tr th td dl dt dd div ul li form label input select option noscript pre code details summary svg line text polyline circle desc br'.split(
      ' ',
    ),
  );
  for (const [rel, data] of await tree(dir)) {
    if (!rel.endsWith('.html')) continue;
    pages++;
    const doc = parseDocument(data.toString('utf8'));
    const walk = (n: { type?: string; name?: string; attribs?: Record<string, string>; children?: unknown[]; data?: string }) => {
      if (n.type === 'text') texts += n.data;
      if (n.name && n.type !== 'directive') {
        expect(allowed.has(n.name), `${rel}: <${n.name}>`).toBe(true);
        for (const [k, v] of Object.entries(n.attribs ?? {})) {
          expect(k.startsWith('on'), `${rel}: attribute ${k}`).toBe(false);
          // The one data: URL is our own empty icon (no favicon request).
          if (n.name === 'link' && n.attribs?.rel === 'icon' && k === 'href') expect(v).toBe('data:,');
          else if (k === 'href' || k === 'src' || k === 'data-provenance')
            expect(/^(https?:\/\/|\.\.\/|[a-z0-9#?][^:]*$)/i.test(v) && !/^\s*javascript:/i.test(v), `${rel}: ${k}=${v}`).toBe(true);
        }
        if (n.name === 'script') expect(n.attribs?.src, `${rel}: inline script`).toMatch(/^(\.\.\/)?assets\/app\.js$/);
      }
      for (const c of n.children ?? []) walk(c as typeof n);
    };
    walk(doc as never);
  }
  return { pages, texts };
}

describe('hostile state content', () => {
  it('is text everywhere: no markup, no script, no link scheme but http(s)', async () => {
    const s = siteState({ packages: 3, attempts: 30 });
    const evil = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>';
    const pkg = s.packages.get('pkg-00001')!;
    for (const h of pkg.history) {
      h.version = `1.0${evil}`;
      h.preset = `p"${evil}`;
      h.runner = evil;
      h.runUrl = 'javascript:alert(3)';
      h.log = `logs/${evil}.log`;
      h.hintsApplied = [evil];
      if (h.status === 'failure') {
        h.matchedHint = evil;
        h.failureClass = 'missing-system-lib';
      }
    }
    const { normalizePackage } = await import('../../src/domain/state/index.js');
    s.packages.set('pkg-00001', normalizePackage(pkg));
    expect(s.packages.get('pkg-00001')!.knownFailing.length).toBeGreaterThan(0);
    // A wheel on the index whose attestation link tries to leave its attribute, and one that is no http(s) link.
    const withWheel = [...s.packages.values()].find((p) => p.manifest.some((m) => m.storage.kind === 'github-release'));
    const attested = withWheel?.manifest.find((m) => m.storage.kind === 'github-release');
    if (attested) attested.attestation = { id: '42', url: "https://example.org/a'onmouseover='alert(4)" };
    const other = withWheel?.manifest.find((m) => m !== attested && m.storage.kind === 'github-release');
    if (other) other.attestation = { id: '43', url: 'javascript:alert(5)' };
    // A hint catalog (a user's --hints file) whose text is markup.
    const base = await catalogP;
    const catalog = { ...base, hints: [...base.hints, { ...base.hints[0]!, id: 'evil-hint', description: evil }] };
    const out = join(root, 'hostile');
    await publishSite(s, out, { catalog, suggest: { repo: 'acme/wheels' } });
    const { pages, texts } = await checkMarkup(out);
    expect(pages).toBeGreaterThan(4);
    // The hostile strings are there, as text.
    expect(texts).toContain('<script>alert(1)</script>');
    const pageHtml = await readFile(join(out, 'packages/pkg-00001.html'), 'utf8');
    expect(pageHtml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(pageHtml).not.toContain('javascript:');
    expect(attested).toBeDefined();
    const attestedPage = await readFile(join(out, `packages/${withWheel!.name}.html`), 'utf8');
    expect(attestedPage).toContain('href="https://example.org/a&#39;onmouseover=&#39;alert(4)"');
    expect(attestedPage).not.toContain('javascript:');
    if (other) expect(attestedPage).toContain('attestation 43');
    const dashboard = await readFile(join(out, 'index.html'), 'utf8');
    expect(dashboard).toMatch(/evil-hint<\/td><td>[^<]*<\/td><td>\d+<\/td><td>\d+<\/td><td>&lt;script&gt;alert\(1\)/);
    // JSON files stay JSON (the dashboard reads them with textContent only).
    const data = JSON.parse(await readFile(join(out, 'data/packages.json'), 'utf8'));
    expect(JSON.stringify(data)).toContain('alert(1)');
    const js = await readFile(join(out, 'assets/app.js'), 'utf8');
    expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    // Metrics label values escaped: one sample per line.
    const metrics = await readFile(join(out, 'metrics.txt'), 'utf8');
    for (const line of metrics.split('\n').filter(Boolean)) expect(line).toMatch(/^(# (HELP|TYPE) \S+ .+|[a-z_]+(\{.*\})? -?[0-9.e+]+)$/);
  });
});

describe('the dashboard', () => {
  it('shows what the state holds: queue depth and next due, QEMU vs native share, failures by class with the hint tried and next step, hint counts, the build time chart', async () => {
    const s = siteState({ packages: 12, attempts: 600 });
    // One package's attempts on a native s390x runner label, one on the host.
    const [a, b] = [...s.packages.values()];
    for (const h of a!.history) h.runner = 'ubuntu-24.04-s390x';
    for (const h of b!.history) h.executor = 'host';
    const out = join(root, 'dashboard');
    await publishSite(s, out, { catalog: await catalogP });
    const html = await readFile(join(out, 'index.html'), 'utf8');
    const doc = parseDocument(html);
    const text = (n: unknown): string => (n as { data?: string }).data ?? ((n as { children?: unknown[] }).children ?? []).map(text).join('');
    const all = text(doc);
    const pkgs = [...s.packages.values()];
    const history = pkgs.flatMap((p) => p.history);
    const queue = pkgs.flatMap((p) => p.queue.map((q) => ({ ...q, package: p.name })));
    const waiting = queue.filter((q) => q.status === 'waiting');
    expect(waiting.length).toBeGreaterThan(0);
    expect(all).toContain(`Queue depth${waiting.length} waiting, ${queue.filter((q) => q.status === 'gave-up').length} given up`);
    const next = [...waiting].sort((x, y) => Date.parse(x.nextEligibleAt) - Date.parse(y.nextEligibleAt))[0]!;
    expect(all).toContain(`Next due${next.package} ${next.version} at ${next.nextEligibleAt}`);
    const native = history.filter((h) => h.executor === 'native' || (h.executor === 'container' && /s390x/.test(h.runner ?? ''))).length;
    const host = history.filter((h) => h.executor === 'host').length;
    const qemu = history.length - native - host;
    const pct = (n: number) => `${((100 * n) / history.length).toFixed(1)}% (${n})`;
    expect(all).toContain(`Attempts under QEMU${pct(qemu)}`);
    expect(all).toContain(`Attempts native s390x${pct(native)}`);
    expect(all).toContain(`Attempts on the host (tests)${pct(host)}`);
    // Failures by class: one table per class, its failing units with the hint tried and the next step.
    const failing = pkgs.flatMap((p) => p.knownFailing.map((k) => ({ ...k, name: p.name })));
    expect(failing.length).toBeGreaterThan(0);
    for (const cls of new Set(failing.map((k) => k.failureClass))) {
      const n = failing.filter((k) => k.failureClass === cls).length;
      expect(all).toContain(`${cls}: ${n} failing unit(s)`);
    }
    const f = failing[0]!;
    const row = html.split('<tr>').find((r) => r.includes(`<td>${f.unit}</td>`))!;
    expect(row).toContain(`<td>${[f.matchedHint, ...f.hintsApplied].filter(Boolean).join(', ') || 'none'}</td>`);
    expect(row).toMatch(/<td>[^<]+( \(<a href="packages\/[^"]+#fixes">suggest a fix<\/a>\))?<\/td><\/tr>/);
    // The hint catalog: matches are failed attempts that matched the hint.
    const matched = history.filter((h) => h.matchedHint);
    expect(matched.length).toBeGreaterThan(0);
    const hint = matched[0]!.matchedHint!;
    const hintRow = html.split('<tr>').find((r) => r.startsWith(`<td>${hint}`))!;
    expect(hintRow).toContain(`<td>${matched.filter((h) => h.matchedHint === hint).length}</td>`);
    // Build time over time: an SVG line with one point per day of successful runs, and the same data as a table.
    const days = new Set(history.filter((h) => h.status === 'success').map((h) => h.finishedAt.slice(0, 10)));
    expect(html).toMatch(/<svg class="chart"[^>]*role="img"/);
    expect((html.match(/<circle /g) ?? []).length).toBe(days.size);
    // The 50 newest attempts.
    expect(all).toContain(`The ${Math.min(50, history.length)} newest attempts`);
  });
});

describe('the JSON API', () => {
  it('api/manifest.json is the whole manifest, api/index.json every package, api/packages/<name>.json the versions by Python tag and platform', async () => {
    const s = siteState({ packages: 6, attempts: 120 });
    const out = join(root, 'api');
    await publishSite(s, out, {});
    const manifest = JSON.parse(await readFile(join(out, 'api/manifest.json'), 'utf8'));
    expect(manifest.schema).toBe('refinery/site-manifest@1');
    const want = [...s.packages.values()].flatMap((p) => p.manifest);
    expect(want.length).toBeGreaterThan(0);
    expect(manifest.manifest).toHaveLength(want.length);
    expect(new Set(manifest.manifest.map((m: { sha256: string }) => m.sha256))).toEqual(new Set(want.map((m) => m.sha256)));
    const index = JSON.parse(await readFile(join(out, 'api/index.json'), 'utf8'));
    expect(index.packages.map((p: { name: string }) => p.name)).toEqual([...s.packages.keys()].sort());
    const pkg = [...s.packages.values()].find((p) => p.manifest.length > 0)!;
    const api = JSON.parse(await readFile(join(out, `api/packages/${pkg.name}.json`), 'utf8'));
    expect(api.versions.flatMap((v: { wheels: unknown[] }) => v.wheels).length).toBeGreaterThan(0);
    // Every listed wheel appears under each of its Python tags and platforms, with its version.
    for (const v of api.versions)
      for (const w of v.wheels) for (const py of w.python) for (const plat of w.platform) expect(api.byPythonTag[py][plat]).toContain(v.version);
    expect(index.packages.find((p: { name: string }) => p.name === pkg.name).wheels).toBe(api.versions.flatMap((v: { wheels: unknown[] }) => v.wheels).length);
  });
});

describe('suggest a fix', () => {
  it('builds a hint snippet from the log evidence that the catalog parser accepts, and a GitHub new-file link carrying it', async () => {
    const s = siteState({ packages: 4, attempts: 200 });
    const pkg = [...s.packages.values()].find((p) => p.knownFailing.some((k) => k.failureClass === 'missing-toolchain' && !k.matchedHint))!;
    expect(pkg).toBeDefined();
    const k = pkg.knownFailing.find((x) => x.failureClass === 'missing-toolchain' && !x.matchedHint)!;
    const attempt = pkg.history.find((h) => h.run === k.run && h.attempt === k.attempt)!;
    const logs = join(root, 'logs-results');
    await mkdir(join(logs, 'logs'), { recursive: true });
    await writeFile(
      join(logs, attempt.log!),
      'building...\ncc -I/usr/include\nfatal error: zstd.h: No such file or directory "quoted" <b>\ncompilation terminated.\n',
    );
    const out = join(root, 'suggest');
    await publishSite(s, out, { catalog: await catalogP, suggest: { repo: 'acme/wheels', branch: 'main', logsDir: logs } });
    const html = await readFile(join(out, `packages/${pkg.name}.html`), 'utf8');
    const doc = parseDocument(html);
    const links: string[] = [];
    const walk = (n: { name?: string; attribs?: Record<string, string>; children?: unknown[] }) => {
      if (n.name === 'a' && n.attribs?.class === 'suggest') links.push(n.attribs.href!);
      for (const c of n.children ?? []) walk(c as typeof n);
    };
    walk(doc as never);
    expect(links.length).toBeGreaterThan(0);
    const url = new URL(links.find((l) => decodeURIComponent(l).includes('zstd'))!);
    expect(url.origin + url.pathname).toBe('https://github.com/acme/wheels/new/main');
    expect(url.searchParams.get('filename')).toBe(`hints/${pkg.name}.yml`);
    const snippet = url.searchParams.get('value')!;
    const catalog = parseHintCatalog(snippet, 'suggested.yml');
    expect(catalog.hints[0]).toMatchObject({ id: `${pkg.name}-missing-toolchain`, class: 'missing-toolchain' });
    const re = new RegExp(catalog.hints[0]!.match[0]!.pattern, 'm');
    expect(re.test('fatal error: zstd.h: No such file or directory "quoted" <b>')).toBe(true);
  });
});

describe('metrics and exports read by real parsers', () => {
  const py = requirePytools();
  it.runIf(py)('metrics.txt parses with prometheus_client; Parquet reads back with pyarrow with the CSV rows', async () => {
    const s = siteState({ packages: 30, attempts: 600 });
    const out = join(root, 'metrics');
    await publishSite(s, out, { catalog: await catalogP });
    const script = `
import csv, json, sys
from prometheus_client.parser import text_string_to_metric_families
import pyarrow.parquet as pq
fams = {f.name: [(s.name, s.labels, s.value) for s in f.samples] for f in text_string_to_metric_families(open(sys.argv[1] + '/metrics.txt').read())}
def norm(v):
    if v is None: return ''
    if isinstance(v, bool): return 'true' if v else 'false'
    if isinstance(v, float) and v.is_integer(): return str(int(v))
    return str(v)
same = {}
for name in ['manifest', 'history']:
    rows = list(csv.reader(open(sys.argv[1] + '/exports/' + name + '.csv', newline='')))
    t = pq.read_table(sys.argv[1] + '/exports/' + name + '.parquet')
    cols = t.column_names
    prow = [[norm(r[c]) for c in cols] for r in t.to_pylist()]
    same[name] = {'csvHeader': rows[0] == cols, 'rows': len(prow), 'equal': rows[1:] == prow}
print(json.dumps({'fams': fams, 'same': same}))
`;
    const { stdout } = await run(pytoolsBin('python'), ['-c', script, out], { maxBuffer: 64 << 20 });
    const r = JSON.parse(stdout);
    const history = [...s.packages.values()].reduce((n, p) => n + p.history.length, 0);
    expect(r.same.history).toEqual({ csvHeader: true, rows: history, equal: true });
    expect(r.same.manifest).toEqual({ csvHeader: true, rows: [...s.packages.values()].reduce((n, p) => n + p.manifest.length, 0), equal: true });
    // prometheus_client names a counter family without its _total suffix.
    const value = (fam: string, sample: string, labels: Record<string, string> = {}) =>
      r.fams[fam].find(([n, l]: [string, Record<string, string>]) => n === sample && Object.entries(labels).every(([k, v]) => l[k] === v))?.[2];
    const waiting = [...s.packages.values()].flatMap((p) => p.queue).filter((q) => q.status === 'waiting').length;
    expect(waiting).toBeGreaterThan(0);
    expect(value('refinery_queue_depth', 'refinery_queue_depth', { status: 'waiting' })).toBe(waiting);
    expect(value('refinery_attempts', 'refinery_attempts')).toBe(history);
    const runs = r.fams.refinery_builds.reduce((n: number, x: [string, unknown, number]) => n + x[2], 0);
    expect(value('refinery_build_duration_seconds', 'refinery_build_duration_seconds_count')).toBe(runs);
    expect(value('refinery_build_duration_seconds', 'refinery_build_duration_seconds_bucket', { le: '+Inf' })).toBe(runs);
    expect(value('refinery_builds', 'refinery_builds_total', { status: 'failure', class: 'missing-system-lib' })).toBeGreaterThan(0);
    expect(value('refinery_hint_successes', 'refinery_hint_successes_total', { hint: 'libffi-dev' })).toBeGreaterThan(0);
    expect(value('refinery_last_record_timestamp_seconds', 'refinery_last_record_timestamp_seconds')).toBeGreaterThan(Date.parse('2026-06-01') / 1000);
  });
});

describe('the example Grafana dashboard', () => {
  it('queries only metrics that metrics.txt has', async () => {
    const out = join(root, 'grafana');
    await publishSite(siteState({ packages: 6, attempts: 120 }), out, { catalog: await catalogP });
    const metrics = await readFile(join(out, 'metrics.txt'), 'utf8');
    const families = new Set([...metrics.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    const dash = JSON.parse(await readFile(join(repoRoot, 'examples/grafana/refinery-dashboard.json'), 'utf8'));
    const exprs: string[] = dash.panels.flatMap((p: { targets: Array<{ expr: string }> }) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(8);
    for (const e of exprs) {
      for (const [name] of e.matchAll(/refinery_[a-z_]+/g)) expect(families, `${e}: ${name}`).toContain(name.replace(/_bucket$/, ''));
    }
  });
});

describe('refinery publish', () => {
  it('writes the site from a state folder and reports the files written; a second run writes none', async () => {
    const dir = join(root, 'cli');
    await saveState(join(dir, '.refinery'), await realState());
    const r = await runCli(['publish', '--out', 'site', '--store', `local:${store.root}`, '--json'], { cwd: dir, env: { GITHUB_REPOSITORY: 'acme/wheels' } });
    expect(r.code, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o).toMatchObject({ packages: 2, wheels: 2, removed: [] });
    expect(o.written).toBeGreaterThan(10);
    const again = await runCli(['publish', '--out', 'site', '--store', `local:${store.root}`], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^0 file\(s\) written, \d+ unchanged$/m);
    const bad = await runCli(['publish', '--out', 'site', '--store', 'release:wheels'], { cwd: dir });
    expect(bad.code).toBe(2);
    const missing = await runCli(['publish', '--out', 'site2'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/is in a local wheel store, and no store was given \(pass --store local:DIR/);
    const yank = await runCli(['publish', '--out', 'site', '--store', `local:${store.root}`, '--yank', 'idna==3.10:use 3.11'], { cwd: dir });
    expect(yank.code, yank.stderr).toBe(0);
    expect(await readFile(join(dir, 'site/simple/idna/index.html'), 'utf8')).toContain('data-yanked="use 3.11"');
  });
});

function repoRootDists(): string {
  return join(repoRoot, 'examples/demo/dists');
}
