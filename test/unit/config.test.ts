import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { applyFlags, parseConfig } from '../../src/config/index.js';
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
    expect(c.state.dir).toBe('.refinery');
  });

  it('reads every requirement source form', () => {
    const c = parseConfig(
      'requirements:\n  - file: requirements.txt\n  - lock: locked.txt\n  - packages: [lxml==5.3.0, "numpy>=2"]\n',
      'refinery.yml',
    );
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
