/**
 * Tag lists compared, exactly and in order, with packaging 26.2's own tag generation for every
 * target (CPython 3.8..3.14 x every platform policy) on a simulated s390x machine, plus
 * best-wheel selection over realistic file lists.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_POLICIES, type PlatformPolicy } from '../../src/domain/model/target.js';
import { bestWheel, compatibleTags, platformTags, wheelAbi } from '../../src/domain/python/index.js';
import { runOracle } from '../helpers/oracle.js';
import { requirePytools } from '../helpers/pytools.js';

const PYTHONS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'];

// Simulates an s390x host: glibc version (or musl) comes from the policy; packaging's own
// generators then produce the platform list, exactly as on such a machine.
const ORACLE = String.raw`
import json, sys
from packaging import tags, _manylinux, _musllinux

def platforms(policy):
    glibc = {'manylinux2014': (2, 17), 'manylinux_2_28': (2, 28), 'manylinux_2_34': (2, 34)}.get(policy)
    _manylinux._have_compatible_abi = lambda exe, archs: glibc is not None
    _manylinux._get_glibc_version = lambda: glibc or (-1, -1)
    musl = _musllinux._MuslVersion(1, 2) if policy == 'musllinux_1_2' else None
    _musllinux._get_musl_version = lambda exe: musl
    out = list(_manylinux.platform_tags(['s390x'])) + list(_musllinux.platform_tags(['s390x']))
    return out + ['linux_s390x']

result = {}
for case in json.load(sys.stdin):
    major, minor = map(int, case['python'].split('.'))
    plats = platforms(case['policy'])
    interp = f'cp{major}{minor}'
    seq = list(tags.cpython_tags((major, minor), abis=[interp], platforms=plats))
    seq += list(tags.compatible_tags((major, minor), interp, plats))
    result[case['python'] + '/' + case['policy']] = {'platforms': plats, 'tags': [str(t) for t in seq]}
json.dump(result, sys.stdout)
`;

// Wheel choice: packaging's create_compatible_tags_selector over the same tag list.
const SELECT = String.raw`
import json, sys
from packaging import tags
from packaging.utils import parse_wheel_filename
data = json.load(sys.stdin)
out = []
for case in data['cases']:
    tag_list = [tags.Tag(*t.split('-')) for t in data['tagLists'][case['target']]]
    select = tags.create_compatible_tags_selector(tag_list)
    picked = list(select((f, parse_wheel_filename(f)[-1]) for f in case['files']))
    out.append(picked[0] if picked else None)
json.dump(out, sys.stdout)
`;

const cases = PYTHONS.flatMap((python) => PLATFORM_POLICIES.map((policy) => ({ python, policy })));

describe.runIf(requirePytools())('compatible tags match packaging 26.2 on s390x', () => {
  let oracle: Record<string, { platforms: string[]; tags: string[] }>;
  beforeAll(async () => {
    oracle = await runOracle(ORACLE, cases);
  });

  it.each(cases)('cp$python on $policy: identical ordered tag list', ({ python, policy }) => {
    const expected = oracle[`${python}/${policy}`]!;
    expect(platformTags(policy)).toEqual(expected.platforms);
    expect([...compatibleTags({ python, platform: policy })]).toEqual(expected.tags);
  });
});

describe.runIf(requirePytools())('bestWheel picks what packaging.tags.create_compatible_tags_selector picks', () => {
  const wheelName = fc
    .tuple(
      fc.constantFrom('cp312', 'cp311', 'cp38', 'cp38.cp39', 'py3', 'py2.py3', 'py312', 'cp314', 'pp310'),
      fc.constantFrom('cp312', 'cp311', 'cp38', 'abi3', 'none', 'cp314'),
      fc.constantFrom(
        'any',
        'linux_s390x',
        'manylinux_2_17_s390x.manylinux2014_s390x',
        'manylinux_2_28_s390x',
        'manylinux_2_34_s390x',
        'manylinux_2_39_s390x',
        'musllinux_1_1_s390x',
        'musllinux_1_2_s390x',
        'manylinux_2_28_x86_64',
        'manylinux2014_s390x',
        // other platforms (skipped before a full parse) and mixed or upper-case sets
        'win_amd64',
        'macosx_11_0_arm64',
        'manylinux_2_17_aarch64.manylinux2014_aarch64',
        'manylinux_2_17_x86_64.manylinux_2_17_s390x',
        'MANYLINUX_2_28_S390X',
        'linux_s390x_extra',
      ),
    )
    .map(([p, a, pl]) => `pkg-1.0-${p}-${a}-${pl}.whl`);
  const cases = fc.sample(
    fc.record({
      target: fc.constantFrom(...PYTHONS.flatMap((py) => PLATFORM_POLICIES.map((pol) => `${py}/${pol}`))),
      files: fc.uniqueArray(wheelName, { minLength: 3, maxLength: 12 }),
    }),
    { seed: 7, numRuns: 400 },
  );

  it('for 400 random release file lists across all targets', async () => {
    const targets = [...new Set(cases.map((c) => c.target))];
    const tagLists = Object.fromEntries(
      targets.map((t) => {
        const [python, platform] = t.split('/') as [string, PlatformPolicy];
        return [t, compatibleTags({ python, platform })];
      }),
    );
    const theirs = await runOracle<(string | null)[]>(SELECT, { cases, tagLists });
    const ours = cases.map((c) => {
      const [python, platform] = c.target.split('/') as [string, PlatformPolicy];
      return (
        bestWheel(
          c.files.map((filename) => ({ filename })),
          { python, platform },
        )?.file.filename ?? null
      );
    });
    expect(ours).toEqual(theirs);
    expect(theirs.filter((x) => x === null).length).toBeGreaterThan(10);
    expect(theirs.filter((x) => x !== null).length).toBeGreaterThan(80);
  });
});

describe('platform tags', () => {
  it('lists manylinux_2_28 down to 2_17 with the manylinux2014 alias, then linux', () => {
    const tags = platformTags('manylinux_2_28');
    expect(tags[0]).toBe('manylinux_2_28_s390x');
    expect(tags.slice(-3)).toEqual(['manylinux_2_17_s390x', 'manylinux2014_s390x', 'linux_s390x']);
    expect(tags).toHaveLength(12 + 1 + 1);
  });

  it('lists musllinux_1_2, 1_1, 1_0 then linux and no manylinux', () => {
    expect(platformTags('musllinux_1_2')).toEqual(['musllinux_1_2_s390x', 'musllinux_1_1_s390x', 'musllinux_1_0_s390x', 'linux_s390x']);
  });

  it('gives the plain linux policy only linux_s390x', () => {
    expect(platformTags('linux')).toEqual(['linux_s390x']);
  });
});

describe('wheelAbi', () => {
  it.each([
    ['numpy-2.1.0-cp312-cp312-manylinux_2_17_s390x.manylinux2014_s390x.whl', 'cpython'],
    ['cryptography-44.0.0-cp39-abi3-manylinux_2_28_s390x.whl', 'abi3'],
    ['six-1.16.0-py2.py3-none-any.whl', 'none'],
    ['x-1.0-cp38-none-linux_s390x.whl', 'none'],
  ])('%s is %s', (filename, abi) => {
    expect(wheelAbi(filename)).toBe(abi);
  });
});

describe('bestWheel', () => {
  const target = { python: '3.12', platform: 'manylinux_2_28' as PlatformPolicy };
  const f = (filename: string, extra: { yanked?: false | string; requiresPython?: string } = {}) => ({ filename, ...extra });

  it('prefers the exact CPython ABI over abi3 over pure Python, and ignores other platforms', () => {
    const files = [
      f('pkg-1.0-py3-none-any.whl'),
      f('pkg-1.0-cp39-abi3-manylinux_2_17_s390x.manylinux2014_s390x.whl'),
      f('pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl'),
      f('pkg-1.0-cp312-cp312-manylinux_2_17_s390x.whl'),
      f('pkg-1.0.tar.gz'),
    ];
    expect(bestWheel(files, target)?.file.filename).toBe('pkg-1.0-cp312-cp312-manylinux_2_17_s390x.whl');
    expect(bestWheel(files.slice(0, 3), target)?.tag).toBe('cp39-abi3-manylinux_2_17_s390x');
    expect(bestWheel(files.slice(0, 1), target)?.tag).toBe('py3-none-any');
  });

  it('prefers the newer manylinux tag, and rejects one newer than the policy', () => {
    const files = [
      f('pkg-1.0-cp312-cp312-manylinux_2_17_s390x.whl'),
      f('pkg-1.0-cp312-cp312-manylinux_2_24_s390x.whl'),
      f('pkg-1.0-cp312-cp312-manylinux_2_34_s390x.whl'),
    ];
    expect(bestWheel(files, target)?.file.filename).toBe('pkg-1.0-cp312-cp312-manylinux_2_24_s390x.whl');
    expect(bestWheel(files.slice(2), target)).toBeUndefined();
    expect(bestWheel(files, { python: '3.12', platform: 'musllinux_1_2' })).toBeUndefined();
  });

  it('skips yanked files unless the version is pinned', () => {
    const files = [f('pkg-1.0-cp312-cp312-manylinux_2_28_s390x.whl', { yanked: 'broken' }), f('pkg-1.0-py3-none-any.whl')];
    expect(bestWheel(files, target)?.file.filename).toBe('pkg-1.0-py3-none-any.whl');
    expect(bestWheel(files, target, { pinned: true })?.file.filename).toBe('pkg-1.0-cp312-cp312-manylinux_2_28_s390x.whl');
  });

  it('respects Requires-Python and ignores an unparseable one', () => {
    const files = [
      f('pkg-1.0-cp312-cp312-manylinux_2_28_s390x.whl', { requiresPython: '>=3.13' }),
      f('pkg-1.0-py3-none-any.whl', { requiresPython: '>=3.8, <4' }),
    ];
    expect(bestWheel(files, target)?.file.filename).toBe('pkg-1.0-py3-none-any.whl');
    expect(bestWheel([f('pkg-1.0-py3-none-any.whl', { requiresPython: 'not a spec' })], target)).toBeDefined();
    expect(bestWheel([f('pkg-1.0-py3-none-any.whl', { requiresPython: '>=3.12.99' })], target)).toBeUndefined();
  });

  it('breaks tag ties by the highest build tag', () => {
    const files = [f('pkg-1.0-1-py3-none-any.whl'), f('pkg-1.0-10-py3-none-any.whl'), f('pkg-1.0-py3-none-any.whl'), f('pkg-1.0-2-py3-none-any.whl')];
    expect(bestWheel(files, target)?.file.filename).toBe('pkg-1.0-10-py3-none-any.whl');
  });

  it('skips files with invalid names instead of failing', () => {
    expect(bestWheel([f('not-a-wheel.whl'), f('pkg-1.0-py3-none-any.whl')], target)?.file.filename).toBe('pkg-1.0-py3-none-any.whl');
  });
});
