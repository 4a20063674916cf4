/**
 * pip installs what the refinery built from the site `refinery publish` wrote: a real build (host
 * executor, docopt's sdist from the demo's PyPI files on a loopback index), record into a local
 * store, publish, the site served by python3 -m http.server, and pip from the test venv with no
 * other index or config. pip reads the PEP 658 metadata file, and refuses a tampered wheel.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { pip } from '../helpers/pip.js';
import { pytoolsBin, repoRoot } from '../helpers/pytools.js';
import { serveStatic, type StaticServer } from '../helpers/static-server.js';

let upstream: FixtureIndexServer;
let site: StaticServer;
let work: string;

beforeAll(async () => {
  upstream = await FixtureIndexServer.start({ projects: await projectsFromDir(join(repoRoot, 'examples/demo/dists')) });
  work = await mkdtemp(join(tmpdir(), 'refinery-publish-pip-'));
  await writeFile(join(work, 'requirements.txt'), 'docopt==0.6.2\n');
  await writeFile(
    join(work, 'refinery.yml'),
    `requirements:\n  - file: requirements.txt\ntargets:\n  python: ["3.11"]\nindexes:\n  primary: ${upstream.url}\ncacheDir: cache\n`,
  );
  const built = await runCli(['run', '--executor', 'host', '--store', 'local:store', '--json'], { cwd: work, env: { REFINERY_UV: pytoolsBin('uv') } });
  expect(built.code, built.stderr).toBe(0);
  expect(JSON.parse(built.stdout).recorded).toMatchObject({ built: 1, failed: 0 });
  const published = await runCli(['publish', '--out', 'site', '--store', 'local:store'], { cwd: work });
  expect(published.code, published.stderr).toBe(0);
  site = await serveStatic(join(work, 'site'));
}, 600_000);
afterAll(async () => {
  await site?.close();
  await upstream?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('pip and the published index', () => {
  it('installs the wheel the refinery built, reading its PEP 658 metadata file', async () => {
    const html = await readFile(join(work, 'site/simple/docopt/index.html'), 'utf8');
    const href = /href="\.\.\/\.\.\/(files\/[0-9a-f]{16}\/(docopt-0\.6\.2-py2\.py3-none-any\.whl))#sha256=[0-9a-f]{64}"/.exec(html);
    expect(href, html).not.toBeNull();
    const r = await pip(['install', '--no-cache-dir', '--no-deps', '--index-url', `${site.url}/simple/`, '--target', join(work, 't1'), 'docopt==0.6.2']);
    expect(r.code, r.stderr).toBe(0);
    expect(await readdir(join(work, 't1'))).toEqual(expect.arrayContaining(['docopt.py', 'docopt-0.6.2.dist-info']));
    const log = site.log().join('\n');
    expect(log).toMatch(new RegExp(`"GET /${href![1]}\\.metadata HTTP/1\\.1" 200`));
    expect(log).toMatch(new RegExp(`"GET /${href![1]} HTTP/1\\.1" 200`));
    expect(log).not.toMatch(/ 404 /);
  }, 180_000);

  it('refuses a wheel whose bytes no longer match the sha256 the index lists', async () => {
    const html = await readFile(join(work, 'site/simple/docopt/index.html'), 'utf8');
    const rel = /href="\.\.\/\.\.\/([^"#]+)#/.exec(html)![1]!;
    const file = join(work, 'site', rel);
    const data = await readFile(file);
    data[data.length - 30] = data[data.length - 30]! ^ 0xff;
    await writeFile(file, data);
    const r = await pip(['install', '--no-cache-dir', '--no-deps', '--index-url', `${site.url}/simple/`, '--target', join(work, 't2'), 'docopt==0.6.2']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/THESE PACKAGES DO NOT MATCH THE HASHES/);
    await expect(readdir(join(work, 't2'))).rejects.toThrow();
  }, 180_000);
});
