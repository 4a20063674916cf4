/**
 * pip installs a release-store wheel from the published site: a real build (host executor,
 * docopt's sdist from the demo's PyPI files on a loopback index), `refinery record --store
 * release:TAG` into the GitHub API stand-in (the real Octokit uploads the wheel and its METADATA as
 * release assets), `refinery publish` (links to the assets' download URLs), the site served on
 * loopback. The download URLs are served like github.com serves `releases/download/<tag>/<file>`: a
 * 302 to another host and port whose signed URL does not end in the file name. pip reads the PEP
 * 658 metadata asset and the wheel through that redirect (both servers' logs checked), and refuses
 * the asset once its bytes change. With --extra-index-url beside an index that has only the sdist
 * (the issue's `pip install --extra-index-url <site>/simple/ <pkg>`), pip takes the wheel.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { pip } from '../helpers/pip.js';
import { repoRoot } from '../helpers/pytools.js';
import { serveStatic, type StaticServer } from '../helpers/static-server.js';

const WHEEL = 'docopt-0.6.2-py2.py3-none-any.whl';
let upstream: FixtureIndexServer;
let gh: FakeGitHub;
let site: StaticServer;
let work: string;

beforeAll(async () => {
  upstream = await FixtureIndexServer.start({ projects: await projectsFromDir(join(repoRoot, 'examples/demo/dists')) });
  gh = await new FakeGitHub().start({ web: true });
  work = await mkdtemp(join(tmpdir(), 'refinery-release-pip-'));
  await writeFile(join(work, 'refinery.yml'), `targets:\n  python: ["3.11"]\nindexes:\n  primary: ${upstream.url}\ncacheDir: cache\n`);
  const built = await runCli(['build', '--package', 'docopt==0.6.2', '--python', '3.11', '--executor', 'host', '--out', 'results', '--json'], {
    cwd: work,
  });
  expect(built.code, built.stderr).toBe(0);
  expect(JSON.parse(built.stdout)).toMatchObject({ status: 'success', wheel: { filename: WHEEL } });
  const env = { GITHUB_TOKEN: gh.token, GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`, GITHUB_API_URL: gh.url };
  const recorded = await runCli(['record', '--results', 'results', '--store', 'release:wheels', '--json'], { cwd: work, env });
  expect(recorded.code, recorded.stderr).toBe(0);
  const published = await runCli(['publish', '--out', 'site'], { cwd: work });
  expect(published.code, published.stderr).toBe(0);
  site = await serveStatic(join(work, 'site'));
}, 600_000);
afterAll(async () => {
  await site?.close();
  await gh?.stop();
  await upstream?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('pip and release-store wheels', () => {
  const asset = () => `${gh.webUrl}/${gh.owner}/${gh.repo}/releases/download/wheels/${WHEEL}`;

  it('the index links the release asset by its download URL, with its metadata hash', async () => {
    const html = await readFile(join(work, 'site/simple/docopt/index.html'), 'utf8');
    expect(html).toMatch(new RegExp(`href="${asset().replace(/[.?]/g, '\\$&')}#sha256=[0-9a-f]{64}" data-core-metadata="sha256=[0-9a-f]{64}"`));
    // Nothing of the wheel is on the site: it stays in the release.
    expect(await readdir(join(work, 'site')).then((l) => l.includes('files'))).toBe(false);
  });

  it('installs the wheel with --index-url, reading the PEP 658 metadata asset through the redirect', async () => {
    const r = await pip(['install', '--no-cache-dir', '--no-deps', '--index-url', `${site.url}/simple/`, '--target', join(work, 't1'), 'docopt==0.6.2']);
    expect(r.code, r.stderr).toBe(0);
    expect(await readdir(join(work, 't1'))).toEqual(expect.arrayContaining(['docopt.py', 'docopt-0.6.2.dist-info']));
    expect(site.log().join('\n')).toMatch(/"GET \/simple\/docopt\/ HTTP\/1\.1" 200/);
    const web = gh.webLog.join('\n');
    const path = `/${gh.owner}/${gh.repo}/releases/download/wheels/${WHEEL}`;
    // pip takes the metadata first (PEP 658), then the wheel; each a 302 from "github.com" and a 200 from the asset host.
    expect(gh.webLog).toContain(`GET web${path}.metadata 302`);
    expect(gh.webLog).toContain(`GET web${path} 302`);
    expect(gh.webLog.indexOf(`GET web${path}.metadata 302`)).toBeLessThan(gh.webLog.indexOf(`GET web${path} 302`));
    expect(gh.webLog.filter((l) => /^GET assets\/production-release-asset\/\d+ 200$/.test(l))).toHaveLength(2);
    expect(web).not.toMatch(/ (403|404)$/m);
  }, 180_000);

  it('with --extra-index-url beside the index that has only the sdist, pip takes the wheel from the release', async () => {
    const before = gh.webLog.length;
    const r = await pip([
      'install',
      '--no-cache-dir',
      '--no-deps',
      '--index-url',
      upstream.url,
      '--extra-index-url',
      `${site.url}/simple/`,
      '--target',
      join(work, 't3'),
      'docopt==0.6.2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(await readdir(join(work, 't3'))).toEqual(expect.arrayContaining(['docopt.py', 'docopt-0.6.2.dist-info']));
    // Installed from the wheel, not built from the upstream sdist.
    expect(r.stdout).not.toMatch(/Building wheel|setup\.py/);
    expect(gh.webLog.slice(before)).toContain(`GET web/${gh.owner}/${gh.repo}/releases/download/wheels/${WHEEL} 302`);
  }, 180_000);

  it('refuses the asset once its bytes no longer match the sha256 the index lists', async () => {
    const t1 = join(work, 't1', 'docopt.py');
    expect((await readFile(t1, 'utf8')).length).toBeGreaterThan(0);
    const wheel = (await readdir(join(work, 'results'))).find((f) => f === WHEEL)!;
    const data = await readFile(join(work, 'results', wheel));
    data[data.length - 30] = data[data.length - 30]! ^ 0xff;
    gh.tamperAsset(WHEEL, data);
    const r = await pip(['install', '--no-cache-dir', '--no-deps', '--index-url', `${site.url}/simple/`, '--target', join(work, 't2'), 'docopt==0.6.2']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/THESE PACKAGES DO NOT MATCH THE HASHES/);
    await expect(readdir(join(work, 't2'))).rejects.toThrow();
  }, 180_000);
});
