import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/domain/config/index.js';
import { ContainerExecutor, loadTurboToolchain, turboUvPath } from '../../src/domain/executors/index.js';
import { RefineryError } from '../../src/errors.js';
import { uvEnv } from '../../src/stages/builder/attempt.js';
import { frontendCommand } from '../../src/stages/builder/frontend.js';
import { uvIndexConfig } from '../../src/stages/builder/pip-config.js';
import { TURBO_MANIFEST, turboFolder } from '../helpers/turbo-folder.js';

// The uv frontend (`--frontend uv`): the turbo toolchain's static uv resolves and installs build
// requirements natively in the s390x container; the backend still runs in the emulated Python.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refinery-uv-unit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const manifest = TURBO_MANIFEST;
const folder = (name: string, m: unknown, files: string[]) => turboFolder(dir, name, m, ['bin/cc', 'bin/c++', 'bin/ld', ...files]);

describe('uv frontend: the command', () => {
  it('builds a wheel with the given uv and interpreter, never from [tool.uv.sources]; isolation and config settings as asked', () => {
    const o = {
      srcDir: '/work/src-1/pkg-1.0',
      outDir: '/work/dist-1',
      isolation: true,
      configSettings: { 'b-key': '2', 'a-key': '1' },
      uv: '/opt/refinery/turbo/frontend/uv',
    };
    expect(frontendCommand('uv', '/usr/bin/python3', o)).toEqual([
      '/opt/refinery/turbo/frontend/uv',
      'build',
      '--wheel',
      '--no-sources',
      '--python',
      '/usr/bin/python3',
      '--out-dir',
      '/work/dist-1',
      '--config-setting=a-key=1',
      '--config-setting=b-key=2',
      '/work/src-1/pkg-1.0',
    ]);
    const plain = frontendCommand('uv', '/usr/bin/python3', { ...o, isolation: false, configSettings: {}, uv: undefined });
    expect(plain[0]).toBe('uv');
    expect(plain).toContain('--no-build-isolation');
  });
});

describe('uv frontend: what pip would be told, in uv words', () => {
  it('maps indexes, earlier waves, constraints and the CA bundle; reads no config of the sdist or image; never downloads a Python', () => {
    const env = uvEnv(
      { PIP_FIND_LINKS: '/work/find-links', PIP_CONSTRAINT: '/work/constraints-1.txt', PIP_CERT: '/etc/refinery/ca-bundle.pem', PIP_NO_COMPILE: '0' },
      '/work/uv.toml',
    );
    expect(env).toEqual({
      UV_NO_CONFIG: '1',
      UV_PYTHON_DOWNLOADS: 'never',
      UV_NO_PROGRESS: '1',
      UV_CONFIG_FILE: '/work/uv.toml',
      UV_FIND_LINKS: '/work/find-links',
      UV_BUILD_CONSTRAINT: '/work/constraints-1.txt',
      SSL_CERT_FILE: '/etc/refinery/ca-bundle.pem',
    });
  });

  it("an index the preset names wins over the refinery's uv.toml; uv's own names set by the preset win over the mapping", () => {
    const env = uvEnv({ PIP_INDEX_URL: 'https://mirror.example/simple', UV_FIND_LINKS: '/opt/wheels', PIP_FIND_LINKS: '/work/find-links' }, '/work/uv.toml');
    expect(env.UV_CONFIG_FILE).toBeUndefined();
    expect(env.UV_INDEX_URL).toBe('https://mirror.example/simple');
    expect(env.UV_FIND_LINKS).toBe('/opt/wheels');
  });

  it('the indexes as a uv.toml: credentials encoded into the URLs, TOML strings escaped; nothing for PyPI alone', () => {
    expect(uvIndexConfig([])).toBeUndefined();
    expect(uvIndexConfig([{ url: 'https://pypi.org/simple/' }])).toBeUndefined();
    const text = uvIndexConfig([
      { url: 'https://mirror.example/simple/', auth: { kind: 'basic', username: 'ci@corp', password: 'p"ss\\w' } },
      { url: 'https://pypi.org/simple/' },
      { url: 'https://tokens.example/simple/', auth: { kind: 'bearer', token: 'tok en' } },
    ]);
    expect(text).toBe(
      [
        'index-url = "https://ci%40corp:p%22ss%5Cw@mirror.example/simple/"',
        'extra-index-url = ["https://pypi.org/simple/", "https://__token__:tok%20en@tokens.example/simple/"]',
        '',
      ].join('\n'),
    );
  });
});

describe('uv frontend: the toolchain lends uv', () => {
  it('a manifest naming uv has frontend/uv; the container executor offers it on x86_64 for any preset', async () => {
    const t = (await loadTurboToolchain(await folder('uv', { ...manifest, uv: '0.13.9' }, ['frontend/uv'])))!;
    expect(t.uv).toBe('0.13.9');
    // uv is a frontend, not a compiler: the toolchain's fingerprint (of compiled code) is unchanged.
    expect(t.fingerprint).toBe('gcc 12.2.0-14cross1');
    expect(turboUvPath(t)).toBe('/opt/refinery/turbo/frontend/uv');
    expect(new ContainerExecutor({ hostArch: 'x64', turbo: t }).uv()).toEqual({ path: '/opt/refinery/turbo/frontend/uv', version: '0.13.9' });
    expect(new ContainerExecutor({ hostArch: 's390x', turbo: t }).uv()).toBeUndefined();
    const without = (await loadTurboToolchain(await folder('no-uv', manifest, [])))!;
    expect(without.uv).toBeUndefined();
    expect(new ContainerExecutor({ hostArch: 'x64', turbo: without }).uv()).toBeUndefined();
  });

  it('a manifest naming uv without the program, or a version that is not one, is an environment error', async () => {
    const missing = await loadTurboToolchain(await folder('uv-missing', { ...manifest, uv: '0.13.9' }, [])).catch((x: unknown) => x);
    expect(missing).toBeInstanceOf(RefineryError);
    expect((missing as RefineryError).message).toMatch(/names uv 0\.13\.9 but has no frontend\/uv/);
    const bad = await loadTurboToolchain(await folder('uv-bad', { ...manifest, uv: '0.13.9; rm -rf /' }, ['frontend/uv'])).catch((x: unknown) => x);
    expect((bad as RefineryError).location.field).toBe('uv');
  });
});

describe('uv frontend: refinery.yml', () => {
  it('frontend defaults to pip; uv is accepted; anything else is refused with the field named', () => {
    expect(parseConfig('{}\n', 'refinery.yml').frontend).toBe('pip');
    expect(parseConfig('frontend: uv\n', 'refinery.yml').frontend).toBe('uv');
    let e: unknown;
    try {
      parseConfig('frontend: poetry\n', 'refinery.yml');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(RefineryError);
    expect((e as RefineryError).location.field).toBe('frontend');
  });
});
