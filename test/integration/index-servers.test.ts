/**
 * The index client against three real servers over the same real PyPI distributions: the
 * project's own PEP 691 server, pypiserver (third party, PEP 503 HTML) and a static PEP 503 tree
 * served by `python3 -m http.server`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/adapters/http-cache.js';
import { IndexClient } from '../../src/domain/package-index/index.js';
import { readWheelMetadata } from '../../src/domain/package-index/dist-contents.js';
import { parseCoreMetadata } from '../../src/domain/python/metadata.js';
import { normalizeName } from '../../src/domain/python/names.js';
import { ensureFixtureDists, FIXTURE_DISTS, type FixtureDistsResult } from '../helpers/fixtures.js';
import { FixtureIndexServer, projectsFromDir, startPypiServer, startStaticIndex, type RunningIndex } from '../helpers/index-server.js';
import { repoRoot } from '../helpers/pytools.js';

// Without the test venv this suite cannot run; under CI that is a failure, not a skip.
const haveTools = existsSync(join(repoRoot, '.cache', 'pytools', 'bin', 'pypi-server'));
const runSuite = haveTools || process.env.CI === 'true';

const YANKED = { 'six-1.17.0.tar.gz': 'yanked for the test' };

interface ServerCase {
  kind: 'own' | 'pypiserver' | 'static';
  /** Publishes requires-python, PEP 658 metadata files and yanked marks. */
  rich: boolean;
}

const CASES: ServerCase[] = [
  { kind: 'own', rich: true },
  { kind: 'pypiserver', rich: false },
  { kind: 'static', rich: true },
];

describe.skipIf(!runSuite).each(CASES)('index client against the $kind index', ({ kind, rich }) => {
  let fixtures: FixtureDistsResult;
  let index: RunningIndex;
  let own: FixtureIndexServer | undefined;
  let client: IndexClient;
  let work: string;

  beforeAll(async () => {
    fixtures = await ensureFixtureDists();
    work = await mkdtemp(join(tmpdir(), `refinery-int-${kind}-`));
    const projects = await projectsFromDir(fixtures.dir, { yanked: YANKED });
    if (kind === 'own') {
      own = await FixtureIndexServer.start({ projects });
      index = { url: own.url, stop: () => own!.close() };
    } else if (kind === 'pypiserver') {
      index = await startPypiServer(fixtures.dir);
    } else {
      index = await startStaticIndex(projects);
    }
    client = new IndexClient({ indexes: [{ url: index.url }], cacheDir: join(work, 'cache') });
  });
  afterAll(async () => {
    await index?.stop();
    await rm(work, { recursive: true, force: true });
  });

  const projects = [...new Set(FIXTURE_DISTS.map((d) => d.project))];

  it.each(projects)('lists exactly the fixture files of %s with their sha256', async (project) => {
    const p = await client.getProject(project);
    expect(p.found).toBe(true);
    const want = fixtures.dists.filter((d) => d.project === project);
    expect(p.files.map((f) => f.filename).sort()).toEqual(want.map((d) => d.filename).sort());
    for (const f of p.files) {
      const local = fixtures.dists.find((d) => d.filename === f.filename)!;
      expect(f.sha256).toBe(sha256(await readFile(local.path)));
    }
    expect(p.versions).toEqual([...new Set(want.map((d) => d.version))]);
  });

  it('answers found: false for a project it does not have', async () => {
    expect((await client.getProject('no-such-project-anywhere')).found).toBe(false);
  });

  it('negotiates the page format', async () => {
    const p = await client.getProject('six');
    expect(p.sources[0]?.format).toBe(kind === 'own' ? 'json' : 'html');
  });

  // pypiserver 2.4 publishes neither requires-python nor yanks: the client must then report none.
  it(`reports requires-python as the index publishes it (${rich ? 'HTML-unescaped' : 'none from pypiserver'})`, async () => {
    const p = await client.getProject('six');
    for (const f of p.files) expect(f.requiresPython).toBe(rich ? '>=2.7, !=3.0.*, !=3.1.*, !=3.2.*' : undefined);
    const cffi = await client.getProject('cffi');
    for (const f of cffi.files) expect(f.requiresPython).toBe(rich ? '>=3.8' : undefined);
  });

  it(`reports yanked files as the index publishes them (${rich ? 'with the reason' : 'none from pypiserver'})`, async () => {
    const p = await client.getProject('six');
    expect(p.files.find((f) => f.filename === 'six-1.17.0.tar.gz')?.yanked).toBe(rich ? 'yanked for the test' : false);
    expect(p.files.find((f) => f.filename.endsWith('.whl'))?.yanked).toBe(false);
  });

  it(`reads wheel metadata ${rich ? 'through PEP 658 metadata files' : 'from the downloaded wheel'}`, async () => {
    const p = await client.getProject('PyYAML');
    const wheel = p.files.find((f) => f.filename.endsWith('s390x.whl'))!;
    const m = await client.getMetadata(wheel);
    expect(m.source).toBe(rich ? 'pep658' : 'wheel');
    expect(m.dynamic).toBe(false);
    const local = fixtures.dists.find((d) => d.filename === wheel.filename)!;
    expect(m.text).toBe(await readWheelMetadata(local.path));
    expect(m.metadata).toMatchObject({ name: 'PyYAML', version: '6.0.2', requiresPython: '>=3.8' });
  });

  it('reads sdist PKG-INFO: Metadata 2.3 is final, 2.1 and 1.1 are dynamic', async () => {
    const sdistOf = async (name: string) => (await client.getProject(name)).files.find((f) => f.filename.endsWith('.tar.gz'))!;
    const packaging = await client.getMetadata(await sdistOf('packaging'));
    expect(packaging).toMatchObject({ source: 'sdist', dynamic: false });
    expect(packaging.metadata.metadataVersion).toBe('2.3');
    const cffi = await client.getMetadata(await sdistOf('cffi'));
    expect(cffi.dynamic).toBe(true);
    expect(cffi.metadata.requiresDist).toEqual(['pycparser']);
    const docopt = await client.getMetadata(await sdistOf('docopt'));
    expect(docopt).toMatchObject({ source: 'sdist', dynamic: true });
    expect(normalizeName(docopt.metadata.name)).toBe('docopt');
  });

  it('reads [build-system] requires from real sdists', async () => {
    const sdistOf = async (name: string) => (await client.getProject(name)).files.find((f) => f.filename.endsWith('.tar.gz'))!;
    expect(await client.getBuildRequires(await sdistOf('packaging'))).toEqual(['flit_core >=3.3']);
    expect(await client.getBuildRequires(await sdistOf('PyYAML'))).toEqual(expect.arrayContaining(['setuptools', 'wheel']));
    expect((await client.getBuildRequires(await sdistOf('PyYAML'))).some((r) => r.startsWith('Cython'))).toBe(true);
    // six has no pyproject.toml: pip's default.
    expect(await client.getBuildRequires(await sdistOf('six'))).toEqual(['setuptools>=40.8.0']);
  });

  it('downloads a real wheel, sha256-verified', async () => {
    const p = await client.getProject('cryptography');
    const path = await client.download(p.files[0]!, join(work, 'dl'));
    const local = fixtures.dists.find((d) => d.filename === p.files[0]!.filename)!;
    expect(sha256(await readFile(path))).toBe(sha256(await readFile(local.path)));
  });

  it('falls back to the wheel when no metadata file can be had', async () => {
    // own: the advertised file answers 404; static: the file is gone; pypiserver advertises none.
    if (own) own.addFault({ path: /\.metadata$/, fault: { kind: 'status', status: 404 } });
    if ('root' in index) await rm(join((index as { root: string }).root, 'files', 'idna-3.10-py3-none-any.whl.metadata'));
    const fresh = new IndexClient({ indexes: [{ url: index.url }] });
    const wheel = (await fresh.getProject('idna')).files[0]!;
    expect(wheel.metadata === false).toBe(kind === 'pypiserver');
    const m = await fresh.getMetadata(wheel);
    expect(m.source).toBe('wheel');
    expect(parseCoreMetadata(m.text).name).toBe('idna');
  });
});
