/**
 * actions/publish as the runner runs it: INPUT_* variables and the GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, in-process (the entry's implementation) and once as the bundled
 * dist/publish-action.js that action.yml names. The state is a real state folder (real PyPI
 * wheels in a local store), the site is served on loopback, and pip installs from it.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAction } from '../../src/faces/actions/publish.js';
import { saveState } from '../../src/domain/state/index.js';
import { LocalWheelStore } from '../../src/domain/storage/index.js';
import { parseOutputs } from '../helpers/action-files.js';
import { pip } from '../helpers/pip.js';
import { attemptFor, stateOf, storedEntry } from '../helpers/publish-fixtures.js';
import { repoRoot } from '../helpers/pytools.js';
import { serveStatic, type StaticServer } from '../helpers/static-server.js';

let work: string;
let ws: string;
let outputFile: string;
let summaryFile: string;
let site: StaticServer | undefined;
const saved = { ...process.env };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-publish-action-'));
  ws = join(work, 'repo');
  await mkdir(join(ws, 'ci'), { recursive: true });
  // The state folder comes from the config, relative to the config's folder.
  await writeFile(join(ws, 'ci', 'refinery.yml'), 'state:\n  dir: ../wheels-state\n');
  const store = new LocalWheelStore(join(ws, 'store'));
  const idna = await storedEntry(store, 'idna-3.10-py3-none-any.whl', { name: 'idna', version: '3.10' });
  const certifi = await storedEntry(store, 'certifi-2024.12.14-py3-none-any.whl', { name: 'certifi', version: '2024.12.14' });
  await saveState(
    join(ws, 'wheels-state'),
    stateOf({ name: 'idna', manifest: [idna], history: [attemptFor(idna)] }, { name: 'certifi', manifest: [certifi], history: [attemptFor(certifi)] }),
  );
  outputFile = join(work, 'output');
  summaryFile = join(work, 'summary.md');
});
afterAll(async () => {
  process.env = saved;
  await site?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The runner's environment for one step; @actions/core reads it from process.env. */
async function step(inputs: Record<string, string>): Promise<Record<string, string>> {
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    ...saved,
    GITHUB_WORKSPACE: ws,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'Acme/wheels',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REF_NAME: 'main',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return env as Record<string, string>;
}

describe('actions/publish', () => {
  it('writes the site, sets site/packages/wheels/changed, and summarises what changed with a link to the site', async () => {
    process.env = await step({ config: 'ci/refinery.yml', store: 'local:store' });
    const outcome = await publishAction();
    const out = parseOutputs(await readFile(outputFile, 'utf8'));
    expect(out).toEqual({ site: join(ws, 'site'), packages: '2', wheels: '2', changed: String(outcome.written.length) });
    expect(outcome.written).toEqual(expect.arrayContaining(['simple/idna/index.html', 'simple/certifi/index.html', 'index.html', 'metrics.txt']));
    const html = await readFile(join(ws, 'site/simple/idna/index.html'), 'utf8');
    expect(html).toMatch(/data-core-metadata="sha256=[0-9a-f]{64}"/);
    const summary = await readFile(summaryFile, 'utf8');
    expect(summary).toContain('s390x wheels site');
    expect(summary).toMatch(new RegExp(`<td>2</td><td>2</td><td>${outcome.written.length}</td><td>0</td><td>0</td>`));
    expect(summary).toContain('<a href="https://acme.github.io/wheels/"');
    expect(summary).toContain('<a href="https://acme.github.io/wheels/simple/"');
    expect(summary).toContain(`${outcome.written.length} file(s) changed`);
    expect(summary).toContain('<code>simple/idna/index.html</code>');
  });

  it('pip installs from the site it wrote, reading the PEP 658 metadata file', async () => {
    site = await serveStatic(join(ws, 'site'));
    const target = join(work, 't');
    const r = await pip(['install', '--no-cache-dir', '--no-deps', '--index-url', `${site.url}/simple/`, '--target', target, 'idna==3.10']);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(target, 'idna', '__init__.py'), 'utf8')).toContain('from .core import');
    const log = site.log().join('\n');
    expect(log).toMatch(/"GET \/files\/[0-9a-f]{16}\/idna-3\.10-py3-none-any\.whl\.metadata HTTP\/1\.1" 200/);
    expect(log).not.toMatch(/ 404 /);
  }, 120_000);

  it('a republish of the same state changes nothing and says so', async () => {
    process.env = await step({ config: 'ci/refinery.yml', store: 'local:store', 'site-url': 'https://wheels.example.org/s390x' });
    await publishAction();
    const out = parseOutputs(await readFile(outputFile, 'utf8'));
    expect(out.changed).toBe('0');
    const summary = await readFile(summaryFile, 'utf8');
    expect(summary).toContain('Nothing changed since the last publish.');
    expect(summary).toContain('<a href="https://wheels.example.org/s390x/simple/"');
  });

  it('a store it does not know is one usage error naming the input', async () => {
    process.env = await step({ config: 'ci/refinery.yml', store: 'ftp:somewhere', out: 'site2' });
    await expect(publishAction()).rejects.toThrow(/store ftp:somewhere: expected release:TAG, local:DIR or none/);
  });

  it('runs as action.yml says: the bundled node24 entry, with the same outputs', async () => {
    const meta = parseYaml(await readFile(join(repoRoot, 'actions/publish/action.yml'), 'utf8'));
    expect(meta.runs.using).toBe('node24');
    expect(Object.keys(meta.outputs).sort()).toEqual(['changed', 'packages', 'site', 'wheels']);
    const entry = join(repoRoot, 'actions/publish', meta.runs.main);
    const env = await step({ config: 'ci/refinery.yml', store: 'local:store', out: 'site3' });
    const r = await execa(process.execPath, [entry], { env, extendEnv: false, reject: false, cwd: ws });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(parseOutputs(await readFile(outputFile, 'utf8'))).toMatchObject({ site: join(ws, 'site3'), packages: '2', wheels: '2' });
    expect(await readFile(join(ws, 'site3/simple/certifi/index.html'), 'utf8')).toContain('certifi-2024.12.14-py3-none-any.whl');
  }, 60_000);
});
