/**
 * The host's CA bundle reaches pip in the s390x container without a flag, and when the container
 * does not trust the index the failure says what to do in the words of the command that ran.
 * A real https index on loopback with its own self-signed CA (as a TLS-intercepting proxy has)
 * serves markupsafe's sdist and the setuptools its build isolation installs (a project with a
 * pyproject.toml: pip 23 builds one without it by setup.py, not isolated, and fetches nothing);
 * the CLI (bin/refinery.js, a real process: Node reads NODE_EXTRA_CA_CERTS only at start) builds
 * it in the local s390x image under QEMU. `npm run build` first.
 *  - NODE_EXTRA_CA_CERTS naming the CA (and no other CA variable, no --ca-bundle): pip in the
 *    container trusts the index, the wheel is built.
 *  - REFINERY_CA_BUNDLE naming a bundle without that CA (the system's): pip fails on the
 *    certificate; `refinery build` and `refinery run` each name themselves in the fix.
 * Needs scripts/setup-s390x-env.sh (image, engine, binfmt); without it these tests FAIL under CI=true.
 *
 *   DOCKER_HOST=unix:///run/refinery-docker.sock npx vitest run test/e2e/ca-bundle.test.ts
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerExecutor } from '../../src/domain/executors/index.js';
import { Preset } from '../../src/domain/model/preset.js';
import { BuildResult } from '../../src/domain/model/result.js';
import { CA_BUNDLE_VARS } from '../../src/session/executor.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { loopbackCertificate } from '../helpers/proxy-server.js';
import { pytoolsBin, repoRoot } from '../helpers/pytools.js';

const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/refinery-docker.sock';
const IMAGE = process.env.REFINERY_IMAGE ?? 'refinery/debian-s390x:bookworm';
const CI = process.env.CI === 'true';
const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
// Under QEMU on 2 loaded cores: a container start and pip installing setuptools and wheel into an
// isolated environment (1-3 min), markupsafe's build and the smoke test in a fresh container (1-2 min);
// a failing attempt stops at the first download. Budgeted 4x the busy-machine time.
const BUILD_MS = 4 * 5 * 60_000;
const FAIL_MS = 4 * 2 * 60_000;

const preset = Preset.parse({ name: 'debian-local', image: IMAGE, packageManager: 'apt', python: { '3.11': '/usr/bin/python3' }, platform: 'linux' });
const problems = (await new ContainerExecutor({ host: DOCKER_HOST, hostArch: process.arch }).check(preset)).map((p) => `${p.what} -> ${p.fix}`);
const ready = problems.length === 0 && existsSync(SYSTEM_BUNDLE);

let server: FixtureIndexServer;
let cert: string;
let work: string;

beforeAll(async () => {
  if (!ready) return;
  const tls = await loopbackCertificate();
  cert = tls.certPath;
  // PEP 503 HTML only: the image's pip 23.0.1 fails on this server's PEP 691 JSON with a TypeError
  // (its dist-info-metadata key as a dict, or false).
  server = await FixtureIndexServer.start({ projects: await projectsFromDir(join(repoRoot, 'examples/demo/dists')), tls, format: 'html' });
  work = await mkdtemp(join(tmpdir(), 'refinery-ca-'));
  await writeFile(join(work, 'requirements.lock'), 'markupsafe==3.0.2\n');
  await writeFile(
    join(work, 'refinery.yml'),
    [
      'requirements:',
      '  - lock: requirements.lock',
      'targets:',
      '  python: ["3.11"]',
      '  platform: linux',
      // By name: the certificate is for localhost, and --network host makes it the host's in the container.
      `indexes:\n  primary: ${server.url.replace('127.0.0.1', 'localhost')}`,
      'preset: debian-local',
      'presets:',
      '  debian-local:',
      `    image: ${IMAGE}`,
      '    packageManager: apt',
      '    platform: linux',
      '    python: { "3.11": /usr/bin/python3 }',
      'cacheDir: cache',
      '',
    ].join('\n'),
  );
}, 60_000);
afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The CLI as a user on this machine runs it, with exactly these CA variables (none of the machine's). */
function refinery(args: string[], ca: Record<string, string>) {
  const env: Record<string, string | undefined> = { ...process.env, DOCKER_HOST, REFINERY_UV: pytoolsBin('uv') };
  for (const v of CA_BUNDLE_VARS) delete env[v];
  delete env.SSL_CERT_DIR;
  return execa(process.execPath, [join(repoRoot, 'bin/refinery.js'), ...args], { cwd: work, env: { ...env, ...ca }, extendEnv: false, reject: false });
}

describe('s390x environment', () => {
  it.runIf(CI || ready)('has the s390x image, QEMU binfmt, a container engine and a system CA bundle', () => {
    expect(problems).toEqual([]);
    expect(existsSync(SYSTEM_BUNDLE)).toBe(true);
  });
});

describe.runIf(ready)("the index's CA reaches pip in the container", () => {
  it(
    'from NODE_EXTRA_CA_CERTS, without --ca-bundle: markupsafe builds with build isolation from the https index',
    async () => {
      const r = await refinery(['build', '--package', 'markupsafe==3.0.2', '--network', 'host', '-o', 'ok'], { NODE_EXTRA_CA_CERTS: cert });
      expect(r.exitCode, r.stderr).toBe(0);
      const result = BuildResult.parse(JSON.parse(await readFile(join(work, 'ok', 'markupsafe-3.0.2-cp311-debian-local.result.json'), 'utf8')));
      expect(result).toMatchObject({ status: 'success', executor: 'container' });
      expect(result.attempts).toHaveLength(1);
      // pip fetched the build requirements from this index, over TLS it verified.
      expect(server.log.some((l) => /setuptools-[\d.]+-py3-none-any\.whl$/.test(l.path))).toBe(true);
    },
    BUILD_MS,
  );

  it(
    'a bundle without it fails on the certificate, and refinery build says: refinery build --ca-bundle FILE',
    async () => {
      const r = await refinery(['build', '--package', 'markupsafe==3.0.2', '--network', 'host', '-o', 'bad'], {
        NODE_EXTRA_CA_CERTS: cert,
        REFINERY_CA_BUNDLE: SYSTEM_BUNDLE,
      });
      expect(r.exitCode, r.stderr).toBe(7);
      expect(r.stderr).toMatch(/failed after 1 attempt\(s\): permanent \(hint tls-certificate-untrusted\)/);
      expect(r.stderr).toMatch(
        /REFINERY_CA_BUNDLE, PIP_CERT,\s+SSL_CERT_FILE, REQUESTS_CA_BUNDLE or NODE_EXTRA_CA_CERTS naming it reaches pip in the container\s+without a flag; or run refinery build --ca-bundle FILE/,
      );
      expect(r.stderr).not.toMatch(/refinery (run|worker)/);
    },
    FAIL_MS,
  );

  it(
    'refinery run names itself',
    async () => {
      const r = await refinery(['run', '--executor', 'container', '--network', 'host', '--state', 'state-bad', '-o', 'run-bad'], {
        NODE_EXTRA_CA_CERTS: cert,
        REFINERY_CA_BUNDLE: SYSTEM_BUNDLE,
      });
      expect(r.exitCode, r.stderr).toBe(7);
      expect(r.stderr).toMatch(/1 unit\(s\) failed: markupsafe-3\.0\.2-cp311-debian-local \(permanent \(hint tls-certificate-untrusted\) in build/);
      expect(r.stderr).toMatch(/or run refinery run --ca-bundle FILE/);
      expect(r.stderr).not.toMatch(/refinery (build|worker) --ca-bundle/);
    },
    FAIL_MS,
  );
});
