/** Unit tests that need no Python: the behaviours others rely on, stated one by one. */
import { describe, expect, it } from 'vitest';
import { isRefineryError } from '../../src/errors.js';
import {
  evaluateMarker,
  formatMarker,
  formatRequirement,
  isPrerelease,
  isSdist,
  isValidName,
  isValidVersion,
  isWheel,
  markerEnvironment,
  markerExtras,
  normalizeName,
  normalizeSpecifierSet,
  normalizeVersion,
  parseMarker,
  parseRequirement,
  parseSdistFilename,
  parseWheelFilename,
  satisfies,
  versionCompare,
} from '../../src/domain/python/index.js';

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('names', () => {
  it('normalizes per PEP 503', () => {
    expect(normalizeName('Foo.Bar__baz-_-Qux')).toBe('foo-bar-baz-qux');
    expect(normalizeName('zope.interface')).toBe('zope-interface');
  });
  it('validates per PEP 508', () => {
    expect(isValidName('a')).toBe(true);
    expect(isValidName('A.b-c_d')).toBe(true);
    expect(isValidName('-a')).toBe(false);
    expect(isValidName('a b')).toBe(false);
    expect(isValidName('')).toBe(false);
  });
});

describe('versions', () => {
  it('normalizes, compares and detects pre-releases', () => {
    expect(normalizeVersion('1.0.0RC1')).toBe('1.0.0rc1');
    expect(normalizeVersion('1!2.0+Local.A')).toBe('1!2.0+local.a');
    expect(normalizeVersion('nope')).toBeNull();
    expect(isValidVersion('2024.1')).toBe(true);
    expect(versionCompare('1.0a1', '1.0')).toBe(-1);
    expect(versionCompare('1.0.post1', '1.0')).toBe(1);
    expect(versionCompare('1.0', '1.0.0')).toBe(0);
    expect(isPrerelease('1.0.dev1')).toBe(true);
    expect(isPrerelease('1.0.post1')).toBe(false);
  });
  it('checks containment with PEP 440 edge rules', () => {
    expect(satisfies('1.5', '>=1,<2')).toBe(true);
    expect(satisfies('2.0rc1', '<2')).toBe(false); // <V excludes pre-releases of V
    expect(satisfies('1.0.post1', '>1.0')).toBe(false); // >V excludes post-releases of V
    expect(satisfies('1', '<1.0.post1')).toBe(true);
    expect(satisfies('1.0+local', '==1.0')).toBe(true);
    expect(satisfies('3.12.4', '==3.12.*')).toBe(true);
    expect(satisfies('2.2.5', '~=2.2.1')).toBe(true);
    expect(satisfies('2.3', '~=2.2.1')).toBe(false);
    expect(satisfies('1.0b1', '>=0.9', { prereleases: false })).toBe(false);
    expect(satisfies('anything', '')).toBe(false);
  });
  it('normalizes specifier sets like str(SpecifierSet)', () => {
    expect(normalizeSpecifierSet(' <2 , >= 1.0,<2')).toBe('<2,>=1.0');
    expect(normalizeSpecifierSet('>=1.*')).toBeNull();
  });
});

describe('filenames', () => {
  it('parses a wheel with build tag and compressed tag sets', () => {
    const w = parseWheelFilename('Foo_Bar-1.0-2-cp38.cp39-abi3-manylinux_2_17_s390x.manylinux2014_s390x.whl');
    expect(w).toMatchObject({ name: 'foo-bar', version: '1.0', build: { number: 2, rest: '' }, pythonTags: ['cp38', 'cp39'], abiTags: ['abi3'] });
    expect(w.tags).toHaveLength(4);
  });
  it('rejects broken wheel names with an input error that names the file', () => {
    for (const bad of [
      'foo-1.0.whl',
      'foo-1.0-py3-none-any.zip',
      'foo-bar-1.0-py3-none-any-x.whl',
      'foo__bar-1.0-py3-none-any.whl',
      'foo-one-py3-none-any.whl',
      'foo-1.0-x1-py3-none-any.whl',
      '-1.0-py3-none-any.whl',
    ]) {
      const e = errorOf(() => parseWheelFilename(bad));
      expect(isRefineryError(e) && e.code).toBe('input');
      expect(e.message).toContain(bad);
    }
  });
  it('parses sdists, using the project name to split names and versions with dashes', () => {
    expect(parseSdistFilename('foo-bar-1.0.tar.gz')).toMatchObject({ name: 'foo-bar', version: '1.0', format: 'tar.gz' });
    expect(parseSdistFilename('Foo.Bar-1.0-1.zip', 'foo-bar')).toMatchObject({ name: 'foo-bar', version: '1.0.post1', format: 'zip' });
    expect(errorOf(() => parseSdistFilename('other-1.0.tar.gz', 'foo')).message).toMatch(/does not start with project "foo"/);
    expect(errorOf(() => parseSdistFilename('foo.tar.gz')).message).toMatch(/no dash/);
  });
  it('classifies by extension', () => {
    expect(isWheel('a-1-py3-none-any.whl')).toBe(true);
    expect(isSdist('a-1.tar.gz')).toBe(true);
    expect(isSdist('a-1.whl')).toBe(false);
  });
});

describe('requirements', () => {
  it('parses name, extras, specifier, marker and formats them canonically', () => {
    const r = parseRequirement('Requests [Socks,security] >= 2.8.1, == 2.8.* ; python_version < "3.13"');
    expect(r).toMatchObject({ name: 'Requests', normalizedName: 'requests', extras: ['security', 'socks'], specifier: '==2.8.*,>=2.8.1' });
    expect(formatRequirement(r)).toBe('Requests[security,socks]==2.8.*,>=2.8.1; python_version < "3.13"');
  });
  it('parses URL requirements', () => {
    const r = parseRequirement('pkg @ https://example.org/pkg-1.0.tar.gz ; os_name == "posix"');
    expect(r.url).toBe('https://example.org/pkg-1.0.tar.gz');
    expect(formatRequirement(r)).toBe('pkg @ https://example.org/pkg-1.0.tar.gz ; os_name == "posix"');
  });
  it('points at the problem in a syntax error', () => {
    const e = errorOf(() => parseRequirement('foo[bar baz]'));
    expect(isRefineryError(e) && e.code).toBe('input');
    expect(e.message).toContain('Expected comma between extra names');
    // The caret sits under "baz", the first unexpected character (column 8).
    expect(e.message).toContain(`    foo[bar baz]\n    ${' '.repeat(8)}^`);
  });
});

describe('markers on s390x', () => {
  const env = markerEnvironment({ python: '3.12' });

  it('describes CPython on Linux s390x', () => {
    expect(env).toMatchObject({
      platform_machine: 's390x',
      sys_platform: 'linux',
      os_name: 'posix',
      platform_system: 'Linux',
      python_version: '3.12',
      implementation_name: 'cpython',
      platform_python_implementation: 'CPython',
    });
    expect(env.python_full_version).toMatch(/^3\.12\.\d+$/);
    expect(markerEnvironment({ python: '3.13', fullVersion: '3.13.1' }).implementation_version).toBe('3.13.1');
  });

  it('compares versions as versions and the rest as strings', () => {
    const ev = (m: string, e = env) => evaluateMarker(parseMarker(m), e);
    expect(ev('python_version >= "3.9"')).toBe(true);
    expect(ev('python_version < "3.10"')).toBe(false); // a string compare would say true
    expect(ev('python_full_version >= "3.12.0"')).toBe(true);
    expect(ev('platform_machine == "s390x" and sys_platform != "win32"')).toBe(true);
    expect(ev('platform_machine in "x86_64 aarch64"')).toBe(false);
    expect(ev('platform_machine not in "x86_64 aarch64"')).toBe(true);
    expect(ev('"linux" in sys_platform')).toBe(true);
    expect(ev('os_name == "nt" or python_version >= "3" and platform_system == "Linux"')).toBe(true);
    expect(ev('(os_name == "nt" or python_version >= "3") and platform_system == "Darwin"')).toBe(false);
    expect(ev('platform_machine < "t"')).toBe(false); // packaging: < on strings is always false
  });

  it('applies extras by PEP 685 normalized name, even inside parentheses', () => {
    const m = parseMarker('(extra == "Tls_X" or extra == "socks") and python_version >= "3.8"');
    expect(evaluateMarker(m, env)).toBe(false);
    expect(evaluateMarker(m, env, ['tls-x'])).toBe(true);
    expect(evaluateMarker(m, env, ['other', 'SOCKS'])).toBe(true);
    expect(markerExtras(m)).toEqual(['socks', 'tls-x']);
    expect(formatMarker(m)).toBe('(extra == "tls-x" or extra == "socks") and python_version >= "3.8"');
  });

  it('refuses undefined comparisons and lock-file-only variables with an input error', () => {
    expect(errorOf(() => evaluateMarker(parseMarker('os_name ~= "posix"'), env)).message).toMatch(/operator ~= is undefined/);
    expect(errorOf(() => evaluateMarker(parseMarker('"a" in extras'), env)).message).toMatch(/only defined when evaluating lock files/);
    expect(evaluateMarker(parseMarker('"a" in extras'), markerEnvironment({ python: '3.12', extras: ['A'] }))).toBe(true);
  });
});
