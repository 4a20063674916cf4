import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { applyFlags, effectivePreset, parseConfig } from '../../src/domain/config/index.js';
import { indexesFromConfig } from '../../src/stages/scan/from-config.js';
import { RefineryError } from '../../src/errors.js';

function errorOf(text: string): RefineryError {
  try {
    parseConfig(text, 'refinery.yml');
  } catch (e) {
    if (e instanceof RefineryError) return e;
    throw e;
  }
  throw new Error('expected a RefineryError');
}

describe('config defaults', () => {
  it('an empty file is a valid config with the documented defaults', () => {
    const c = parseConfig('', 'refinery.yml');
    expect(c.targets).toEqual({ python: ['3.12'], platform: 'manylinux_2_28' });
    expect(c.indexes.primary).toBe('https://pypi.org/simple');
    expect(c.expansion).toEqual({ maxDepth: 25, maxPackages: 1000 });
    expect(c.limits.maxJobsPerMatrix).toBe(256);
    expect(c.preset).toBeUndefined();
    expect(c.state.dir).toBe('.refinery');
  });

  it('reads every requirement source form', () => {
    const c = parseConfig('requirements:\n  - file: requirements.txt\n  - lock: locked.txt\n  - packages: [lxml==5.3.0, "numpy>=2"]\n', 'refinery.yml');
    expect(c.requirements).toEqual([{ file: 'requirements.txt' }, { lock: 'locked.txt' }, { packages: ['lxml==5.3.0', 'numpy>=2'] }]);
  });

  it('accepts user presets that extend shipped ones', () => {
    const c = parseConfig('presets:\n  local:\n    extends: manylinux_2_28\n    image: my/s390x:1\n', 'refinery.yml');
    expect(c.presets.local).toMatchObject({ extends: 'manylinux_2_28', image: 'my/s390x:1' });
  });
});

describe('config errors name file, line and field', () => {
  it('a bad python version', () => {
    const e = errorOf('targets:\n  python: ["3.12", "2"]\n');
    expect(e.code).toBe('config');
    expect(e.location).toEqual({ file: 'refinery.yml', line: 2, field: 'targets.python.1' });
  });

  it('an unknown field is reported with its name, not ignored', () => {
    const e = errorOf('version: 1\ntargets:\n  pythn: ["3.12"]\n');
    expect(e.message).toContain("'pythn'");
    expect(e.location.line).toBe(3);
    expect(e.location.field).toBe('targets.pythn');
  });

  it('a requirement source of no known form', () => {
    const e = errorOf('requirements:\n  - file: a.txt\n  - nope: 1\n');
    expect(e.location).toMatchObject({ line: 3, field: 'requirements.1' });
  });

  it('invalid YAML gives the line', () => {
    const e = errorOf('targets:\n  python: [3.12\nfoo: 1\n');
    expect(e.message).toMatch(/not valid YAML/);
    expect(e.location.line).toBeGreaterThan(1);
  });

  it('a platform policy outside the allowed list', () => {
    const e = errorOf('targets:\n  platform: manylinux_2_99\n');
    expect(e.location).toMatchObject({ line: 2, field: 'targets.platform' });
  });

  it('a top level that is not a mapping', () => {
    expect(errorOf('- a\n- b\n').message).toMatch(/mapping/);
  });
});

describe('flags override the config, like pip', () => {
  it('-r replaces requirement sources, --python and indexes override', () => {
    const base = parseConfig('requirements:\n  - packages: [six]\n', 'refinery.yml');
    const c = applyFlags(base, {
      requirements: ['r.txt'],
      python: ['3.11', '3.12', '3.11'],
      indexUrl: 'http://127.0.0.1:1/simple',
      extraIndexUrl: ['http://127.0.0.1:2/simple'],
    });
    expect(c.requirements).toEqual([{ file: 'r.txt' }]);
    expect(c.targets.python).toEqual(['3.11', '3.12']);
    expect(c.indexes.primary).toBe('http://127.0.0.1:1/simple');
    expect(c.indexes.extra).toEqual(['http://127.0.0.1:2/simple']);
    expect(base.requirements).toEqual([{ packages: ['six'] }]);
  });
});

describe('shipped JSON Schema', () => {
  it('is in sync with the zod schema', () => {
    expect(() => execFileSync('npx', ['tsx', 'scripts/gen-schema.ts', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('indexes and presets follow what the user chose', () => {
  it('-i drops the credentials configured for the old primary', () => {
    const base = parseConfig('indexes:\n  primary: https://corp.example/simple\n  primaryUsernameEnv: U\n  primaryPasswordEnv: P\n', 'refinery.yml');
    const c = applyFlags(base, { indexUrl: 'http://127.0.0.1:9/simple' });
    expect(c.indexes).toMatchObject({ primary: 'http://127.0.0.1:9/simple' });
    expect(c.indexes.primaryPasswordEnv).toBeUndefined();
    expect(applyFlags(base, {}).indexes.primaryPasswordEnv).toBe('P');
  });

  it("a requirements file's --index-url replaces the default primary, and joins the extras otherwise", () => {
    const dflt = parseConfig('', 'refinery.yml');
    expect(indexesFromConfig(dflt, {}, { indexUrl: 'http://mirror/simple', extraIndexUrls: [] }).map((i) => i.url)).toEqual(['http://mirror/simple']);
    const chosen = parseConfig('indexes:\n  primary: http://corp/simple\n', 'refinery.yml');
    expect(indexesFromConfig(chosen, {}, { indexUrl: 'http://mirror/simple', extraIndexUrls: ['http://x/simple'] }).map((i) => i.url)).toEqual([
      'http://corp/simple',
      'http://mirror/simple',
      'http://x/simple',
    ]);
  });

  it('credentials come from the named environment variables, and a missing one is a config error', () => {
    const c = parseConfig('indexes:\n  extra:\n    - url: http://corp/simple\n      usernameEnv: U\n      passwordEnv: P\n', 'refinery.yml');
    expect(indexesFromConfig(c, { U: 'me', P: 'secret' }, { extraIndexUrls: [] })[1]).toEqual({
      url: 'http://corp/simple',
      auth: { kind: 'basic', username: 'me', password: 'secret' },
    });
    expect(() => indexesFromConfig(c, {}, { extraIndexUrls: [] })).toThrow(/environment variable P/);
  });

  it("the default preset is the one that makes the target platform's wheels", () => {
    expect(effectivePreset(parseConfig('', 'refinery.yml'))).toBe('manylinux_2_28');
    expect(effectivePreset(parseConfig('targets:\n  platform: musllinux_1_2\n', 'refinery.yml'))).toBe('musllinux_1_2');
    expect(effectivePreset(parseConfig('targets:\n  platform: linux\n', 'refinery.yml'))).toBe('debian-12');
    expect(effectivePreset(parseConfig('preset: fedora-41\ntargets:\n  platform: musllinux_1_2\n', 'refinery.yml'))).toBe('fedora-41');
  });
});
