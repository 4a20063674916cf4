import { describe, expect, it } from 'vitest';
import { chooseExecutor, ContainerExecutor, HostExecutor, NativeExecutor } from '../../src/domain/executors/index.js';
import { Preset } from '../../src/domain/model/preset.js';
import { RefineryError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';

// Each executor says what this machine lacks and how to fix it. Real programs and paths, no mocks:
// the "missing" things are made missing by pointing at paths that do not exist.
const preset = Preset.parse({
  name: 'manylinux_2_28',
  image: 'quay.io/pypa/manylinux_2_28_s390x',
  packageManager: 'dnf',
  python: { '3.12': '/opt/python/cp312-cp312/bin/python' },
  platform: 'manylinux_2_28',
  repair: 'auditwheel',
});

describe('container executor detection', () => {
  it('reports a missing engine with how to install one', async () => {
    const p = await new ContainerExecutor({ engine: '/nonexistent/docker', hostArch: 'x64', binfmtPath: '/proc/self' }).check(preset);
    expect(p).toHaveLength(1);
    expect(p[0]!.what).toMatch(/no container engine: '\/nonexistent\/docker' is not installed/);
    expect(p[0]!.fix).toMatch(/install docker/);
  });

  it('reports a missing binfmt handler for s390x on a non-s390x machine, not on s390x', async () => {
    const x86 = await new ContainerExecutor({ engine: '/nonexistent/docker', hostArch: 'x64', binfmtPath: '/nonexistent/qemu-s390x' }).check(preset);
    expect(x86.map((p) => p.what)).toContainEqual(expect.stringMatching(/no binfmt handler for s390x/));
    expect(x86.find((p) => /binfmt/.test(p.what))!.fix).toMatch(/update-binfmts --enable qemu-s390x|setup-qemu-action/);
    const s390x = await new ContainerExecutor({ engine: '/nonexistent/docker', hostArch: 's390x', binfmtPath: '/nonexistent/qemu-s390x' }).check(preset);
    expect(s390x.some((p) => /binfmt/.test(p.what))).toBe(false);
  });
});

describe('native and host executors', () => {
  it('native refuses a machine that is not s390x', async () => {
    const p = await new NativeExecutor({ hostArch: 'x64' }).check(preset);
    expect(p[0]!.what).toBe('this machine is x64, not s390x');
    expect(p[0]!.fix).toMatch(/--executor container/);
  });

  it('host reports a missing interpreter', async () => {
    const p = await new HostExecutor({ hostArch: 'x64', python: '/nonexistent/python3' }).check();
    expect(p[0]!.what).toMatch(/\/nonexistent\/python3 with pip is not available/);
  });

  it('native uses the preset interpreter, host its own', () => {
    expect(new NativeExecutor({ hostArch: 's390x' }).interpreter(preset, '3.12')).toBe('/opt/python/cp312-cp312/bin/python');
    expect(() => new NativeExecutor({ hostArch: 's390x' }).interpreter(preset, '3.9')).toThrow(/preset 'manylinux_2_28' has no Python 3.9/);
    expect(new HostExecutor({ hostArch: 'x64', python: '/usr/bin/python3' }).interpreter()).toBe('/usr/bin/python3');
  });
});

describe('default executor choice', () => {
  it('lists every problem with its fix when nothing can build, and never falls back to host silently', async () => {
    const err = await chooseExecutor(preset, {
      container: { engine: '/nonexistent/docker', hostArch: 'x64', binfmtPath: '/nonexistent/qemu-s390x' },
      process: { hostArch: 'x64' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefineryError);
    const e = err as RefineryError;
    expect(e.code).toBe('environment');
    expect(e.message).toMatch(/not installed.*binfmt/s);
    expect(e.fix).toMatch(/--executor host/);
  });

  it('refinery build --check exits 8 with the fixes, without a stack trace', async () => {
    const r = await runCli(['build', '--check', '--executor', 'container', '--engine', '/nonexistent/docker']);
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/executor container \(asked for\) cannot build here: no container engine/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("the host's CA bundle reaches pip in containers without a flag", () => {
  it('takes the first existing file of REFINERY_CA_BUNDLE, PIP_CERT, SSL_CERT_FILE, REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS; --ca-bundle wins', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { executorOptions, hostCaBundle } = await import('../../src/session/executor.js');
    const dir = await mkdtemp(join(tmpdir(), 'refinery-ca-'));
    const ca = join(dir, 'proxy-ca.pem');
    await writeFile(ca, '-----BEGIN CERTIFICATE-----\n');
    // A variable naming nothing (or a folder) is passed over; the next one that names a file counts.
    expect(hostCaBundle({ REFINERY_CA_BUNDLE: join(dir, 'missing.pem'), PIP_CERT: dir, SSL_CERT_FILE: ca, NODE_EXTRA_CA_CERTS: '/nonexistent' })).toBe(ca);
    expect(hostCaBundle({ NODE_EXTRA_CA_CERTS: ca })).toBe(ca);
    expect(hostCaBundle({ PIP_CERT: '/nonexistent', SSL_CERT_DIR: dir })).toBeUndefined();
    const env = { SSL_CERT_FILE: ca };
    expect(executorOptions(dir, env, {}).container?.caBundle).toBe(ca);
    const flag = join(dir, 'flag.pem');
    expect(executorOptions(dir, env, { caBundle: flag }).container?.caBundle).toBe(flag);
    expect(executorOptions(dir, {}, {}).container?.caBundle).toBeUndefined();
  });

  it("containers hand what they wrote back to the refinery's user where it is not root (GitHub's runners); root keeps it", async () => {
    const { executorOptions, hostOwner } = await import('../../src/session/executor.js');
    expect(hostOwner({ uid: 1001, gid: 118 })).toBe('1001:118');
    expect(hostOwner({ uid: 0, gid: 0 })).toBeUndefined();
    // A platform without user ids (Windows) has nobody to hand files to.
    expect(hostOwner({})).toBeUndefined();
    expect(executorOptions('/', {}, {}, '1001:118').container?.chownTo).toBe('1001:118');
    expect(executorOptions('/', {}, {}, undefined).container).not.toHaveProperty('chownTo');
  });
});
