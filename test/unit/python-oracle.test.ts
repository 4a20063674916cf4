/**
 * Differential tests: hundreds of generated names, requirements, markers, filenames and specifiers
 * are run through our code and through packaging 26.2 (one Python process for the whole file),
 * and the answers must be identical. Generators are seeded, so a failure reproduces.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  evaluateMarker,
  formatMarker,
  isValidName,
  isValidSpecifier,
  markerEnvironment,
  normalizeName,
  normalizeVersion,
  parseRequirement,
  parseSdistFilename,
  parseWheelFilename,
  satisfies,
  type Requirement,
} from '../../src/domain/python/index.js';
import { runOracle } from '../helpers/oracle.js';
import { requirePytools } from '../helpers/pytools.js';

const SEED = 20261127;
const PYTHONS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'];
const EXTRA_SETS: string[][] = [[], ['sec'], ['Tls_X', 'socks']];

function sample<T>(arb: fc.Arbitrary<T>, n: number, offset = 0): T[] {
  return fc.sample(arb, { seed: SEED + offset, numRuns: n });
}

// ---------- generators ----------
const nameChars = fc.constantFrom(...'abcXYZ019-_.'.split(''));
const rawName = fc.array(nameChars, { minLength: 1, maxLength: 10 }).map((a) => a.join(''));
const goodName = fc.constantFrom('requests', 'Foo_Bar', 'zope.interface', 'a', 'A1', 'ruamel.yaml.clib', 'backports--ssl', 'numpy', 'x-y_z');
const ws = fc.constantFrom('', '', ' ', '  ', '\t');

const versionArb = fc.constantFrom(
  '1',
  '1.0',
  '1.0.0',
  '2.1.3',
  '0.9',
  '1.0a1',
  '1.0rc2',
  '1.0.post1',
  '1.0.dev3',
  '1!1.0',
  '1.0+local.7',
  '10.4',
  '3.12',
  '3.12.1',
  '3.8',
  '2.0b1',
  '1.0.0-1',
  'v1.2',
  '1.0RC1',
  '1.0_dev2',
  '1.2.3.4.5',
  '0',
  '2024.1.1',
  '1.0a1.post2.dev3',
);
const badVersion = fc.constantFrom('1.0-foo', 'abc', '1..0', '', '1.0+', 'latest');
const specOp = fc.constantFrom('==', '!=', '<=', '>=', '<', '>', '~=', '===');
const specVersion = fc.constantFrom(
  '1.0',
  '1',
  '2.1.3',
  '1.0.*',
  '1.*',
  '1.0a1',
  '1.0+local',
  '1.0.post1',
  '3.12',
  '0.9.dev1',
  '2!1.0',
  'abc',
  '1.0.*.1',
  'v1.0',
);
const clause = fc.tuple(specOp, ws, specVersion).map(([op, w, v]) => `${op}${w}${v}`);
const specSet = fc.array(fc.tuple(ws, clause, ws), { minLength: 0, maxLength: 3 }).map((cs) => cs.map(([a, c, b]) => `${a}${c}${b}`).join(','));

const markerVar = fc.constantFrom(
  'python_version',
  'python_full_version',
  'os_name',
  'sys_platform',
  'platform_machine',
  'platform_system',
  'platform_python_implementation',
  'implementation_name',
  'implementation_version',
  'extra',
  'os.name',
  'python_implementation',
  'platform_release',
);
const markerValue = fc.constantFrom(
  '3.8',
  '3.10',
  '3.12',
  '3.14',
  '3.12.12',
  '3',
  '3.*',
  '3.11.*',
  's390x',
  'x86_64',
  'linux',
  'win32',
  'posix',
  'Linux',
  'Windows',
  'CPython',
  'cpython',
  'PyPy',
  'sec',
  'Tls_X',
  'tls-x',
  'socks',
  'Sec',
  '',
  '390',
  'aarch64 s390x ppc64le',
  'abc',
);
const markerOp = fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '~=', '===', 'in', 'not in');
const quote = (v: string) => (v.includes('"') ? `'${v}'` : fc.sample(fc.constantFrom(`"${v}"`, `'${v}'`), { seed: v.length, numRuns: 1 })[0]!);
const markerItem = fc
  .tuple(markerVar, markerOp, markerValue, fc.boolean(), ws)
  .map(([v, op, val, flip, w]) => (flip ? `${quote(val)}${w} ${op} ${v}` : `${v} ${op}${w}${quote(val)}`));
// No directly nested parentheses: packaging's str() drops their grouping (see marker-ast.ts).
const markerExpr: fc.Arbitrary<string> = fc
  .letrec<{ expr: string; atom: string }>((tie) => ({
    atom: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      markerItem,
      tie('expr').map((e) => `(${e})`),
    ),
    expr: fc
      .tuple(tie('atom'), fc.array(fc.tuple(fc.constantFrom('and', 'or'), tie('atom')), { maxLength: 3 }))
      .map(([first, rest]) => [first, ...rest.map(([op, a]) => `${op} ${a}`)].join(' ')),
  }))
  .expr.filter((e) => !e.includes('(('));

const extrasArb = fc.array(fc.constantFrom('sec', 'Tls_X', 'socks', 'a.b', 'SEC'), { maxLength: 3 });
const urlArb = fc.constantFrom('https://example.org/pkg-1.0.tar.gz', 'file:///tmp/x.whl', 'git+https://github.com/a/b@v1#egg=b');

const requirementArb = fc
  .tuple(
    goodName,
    ws,
    extrasArb,
    fc.boolean(),
    ws,
    fc.oneof(
      specSet,
      urlArb.map((u) => `@ ${u}`),
    ),
    fc.option(markerExpr),
    ws,
    fc.boolean(),
  )
  .map(([name, w1, extras, bracket, w2, rest, marker, w3, parens]) => {
    let s = `${w1}${name}`;
    if (extras.length > 0 || bracket) s += `[${extras.join(', ')}]`;
    const isUrl = rest.startsWith('@');
    s += w2 + (parens && !isUrl && rest ? `(${rest})` : rest);
    if (marker) s += `${isUrl ? ' ' : w3};${w3}${marker}`;
    return s;
  });
// Lock-file lines (`name==version`, which parseRequirement reads on a fast path), good and bad versions.
const pinArb = fc.tuple(ws, goodName, ws, fc.oneof(versionArb, badVersion), ws).map(([a, name, b, v, c]) => `${a}${name}${b}==${b}${v}${c}`);
// Break some on purpose: drop or insert one character anywhere.
const mutated = fc.tuple(requirementArb, fc.nat(), fc.constantFrom('', '[', ']', '(', ')', ';', ',', '@', '=', '"', ' ', '!', 'x')).map(([s, i, c]) => {
  const at = i % (s.length + 1);
  return c === '' ? s.slice(0, at) + s.slice(at + 1) : s.slice(0, at) + c + s.slice(at);
});

const wheelArb = fc
  .tuple(
    fc.oneof(
      goodName.map((n) => n.replace(/[-.]+/g, '_')),
      rawName,
    ),
    fc.oneof(versionArb, badVersion),
    fc.option(fc.constantFrom('1', '2abc', '10', 'x1', '0_1')),
    fc.constantFrom('cp312', 'py3', 'py2.py3', 'cp38.cp39', 'CP311', 'pp310'),
    fc.constantFrom('cp312', 'abi3', 'none', 'cp38.abi3'),
    fc.constantFrom('any', 'manylinux_2_17_s390x.manylinux2014_s390x', 'linux_s390x', 'musllinux_1_2_s390x', 'Win_AMD64'),
    fc.constantFrom('.whl', '.whl', '.zip'),
  )
  .filter(([name]) => name !== '')
  .map(([n, v, b, p, a, pl, ext]) => `${[n, v, ...(b === null ? [] : [b]), p, a, pl].join('-')}${ext}`);

const sdistArb = fc
  .tuple(fc.oneof(goodName, rawName), fc.oneof(versionArb, badVersion), fc.constantFrom('.tar.gz', '.zip'))
  .map(([n, v, ext]) => `${n}-${v}${ext}`);

// ---------- the oracle ----------
const ORACLE = String.raw`
import json, sys
from packaging.utils import canonicalize_name, parse_wheel_filename, parse_sdist_filename, InvalidName
from packaging.requirements import Requirement
from packaging.markers import Marker, Variable, Value
from packaging.specifiers import SpecifierSet

def norm_extras(markers):
    # PEP 685 everywhere (packaging only normalizes outside parentheses).
    out = []
    for m in markers:
        if isinstance(m, list):
            out.append(norm_extras(m))
        elif isinstance(m, tuple):
            l, op, r = m
            if isinstance(l, Variable) and l.value == 'extra': r = Value(canonicalize_name(r.value))
            if isinstance(r, Variable) and r.value == 'extra': l = Value(canonicalize_name(l.value))
            out.append((l, op, r))
        else:
            out.append(m)
    return out

def err(f):
    try: return f()
    except Exception as e: return {'error': type(e).__name__}

data = json.load(sys.stdin)
out = {}

def name_case(n):
    try:
        canonicalize_name(n, validate=True); valid = True
    except InvalidName:
        valid = False
    return {'normalized': canonicalize_name(n), 'valid': valid}
out['names'] = [name_case(n) for n in data['names']]

from packaging.version import Version
out['versions'] = [err(lambda v=v: str(Version(v))) for v in data['versions']]

def req_case(s):
    r = Requirement(s)
    marker = None
    if r.marker is not None:
        r.marker._markers = norm_extras(r.marker._markers)
        marker = str(r.marker)
    return {'name': r.name, 'extras': sorted({canonicalize_name(e) for e in r.extras}),
            'specifier': str(r.specifier), 'url': r.url, 'marker': marker}
out['requirements'] = [err(lambda s=s: req_case(s)) for s in data['requirements']]

def marker_case(c):
    m = Marker(c['marker'])
    m._markers = norm_extras(m._markers)
    res = []
    for env in c['envs']:
        extras = env.pop('__extras')
        def ev(env=env, extras=extras):
            return any(m.evaluate(dict(env, extra=e)) for e in [''] + extras)
        res.append(err(ev))
    return res
out['markers'] = [marker_case(c) for c in data['markers']]

def wheel_case(f):
    name, version, build, tags = parse_wheel_filename(f)
    return {'name': name, 'version': str(version), 'build': list(build) if build else None,
            'tags': sorted(str(t) for t in tags)}
out['wheels'] = [err(lambda f=f: wheel_case(f)) for f in data['wheels']]

def sdist_case(f):
    name, version = parse_sdist_filename(f)
    return {'name': name, 'version': str(version)}
out['sdists'] = [err(lambda f=f: sdist_case(f)) for f in data['sdists']]

def spec_case(c):
    s = SpecifierSet(c['spec'])
    return [s.contains(c['version'], prereleases=True), s.contains(c['version'], prereleases=False)]
out['specs'] = [err(lambda c=c: spec_case(c)) for c in data['specs']]
json.dump(out, sys.stdout)
`;

type Err = { error: string };
interface OracleOut {
  names: { normalized: string; valid: boolean }[];
  versions: (string | Err)[];
  requirements: ({ name: string; extras: string[]; specifier: string; url: string | null; marker: string | null } | Err)[];
  markers: (boolean | Err)[][];
  wheels: ({ name: string; version: string; build: [number, string] | null; tags: string[] } | Err)[];
  sdists: ({ name: string; version: string } | Err)[];
  specs: ([boolean, boolean] | Err)[];
}

const runs = requirePytools();
const names = [...sample(rawName, 300), ...sample(goodName, 20, 1), 'A', '-a', 'a-', '.', '_a_', 'a..b'];
// Versions assembled from PEP 440 pieces, spelled every way the grammar allows (and some it does not).
const versionPiece = fc
  .tuple(
    fc.constantFrom('', 'v', 'V', ' '),
    fc.constantFrom('', '1!', '0!', '01!'),
    fc.constantFrom('1', '1.0', '01.02.003', '2024.10.1', '0', '1.2.3.4.5'),
    fc.constantFrom('', 'a', 'A1', '.alpha.2', '-beta-3', '_c4', 'rc', 'pre5', 'preview', 'x1'),
    fc.constantFrom('', '.post', '-post2', '_rev3', 'r4', '-5', '.POST'),
    fc.constantFrom('', '.dev', '-dev6', 'DEV7', '_dev'),
    fc.constantFrom('', '+local', '+Ubuntu-1.2_x', '+', '+a..b', '+1'),
    fc.constantFrom('', '', ' ', '.'),
  )
  .map((parts) => parts.join(''));
const versions = sample(versionPiece, 600, 9);
const requirements = [...sample(requirementArb, 500, 2), ...sample(mutated, 300, 3), ...sample(pinArb, 200, 4)];
const markers = sample(markerExpr, 250, 4);
const wheels = sample(wheelArb, 400, 5);
const sdists = sample(sdistArb, 200, 6);
const specs = sample(
  fc.record({
    spec: specSet,
    version: fc.oneof(versionArb, fc.constantFrom('1.0.0a1', '1.0.1', '0.9.9', '2!1.0', '1.0+local', '1.0.post1.dev2', '1.1a1', '3.12.0')),
  }),
  1500,
  7,
);

function envCases(): (ReturnType<typeof markerEnvironment> & { __extras: string[] })[] {
  return PYTHONS.flatMap((python) => EXTRA_SETS.map((extras) => ({ ...markerEnvironment({ python }), __extras: extras })));
}

function attempt<T>(f: () => T): T | Err {
  try {
    return f();
  } catch (e) {
    return { error: (e as Error).name };
  }
}

describe.runIf(runs)('packaging 26.2 oracle', () => {
  let oracle: OracleOut;
  beforeAll(async () => {
    oracle = await runOracle<OracleOut>(ORACLE, {
      names,
      versions,
      requirements,
      markers: markers.map((marker) => ({ marker, envs: envCases() })),
      wheels,
      sdists,
      specs,
    });
  });

  it('normalizes and validates names like canonicalize_name', () => {
    const ours = names.map((n) => ({ normalized: normalizeName(n), valid: isValidName(n) }));
    expect(ours).toEqual(oracle.names);
  });

  it('normalizes versions like str(packaging.version.Version(v)) and rejects the same ones', () => {
    const ours = versions.map((v) => normalizeVersion(v) ?? { error: 'InvalidVersion' });
    const mismatches = versions
      .map((v, i) => ({ v, ours: ours[i], theirs: oracle.versions[i] }))
      .filter((c) => JSON.stringify(c.ours) !== JSON.stringify(c.theirs));
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(oracle.versions.filter((v) => typeof v === 'string').length).toBeGreaterThan(150);
  });

  it('parses requirements like packaging.requirements.Requirement (valid and broken ones)', () => {
    const mine = requirements.map((s) =>
      attempt(() => {
        const r: Requirement = parseRequirement(s);
        return { name: r.name, extras: r.extras, specifier: r.specifier, url: r.url ?? null, marker: r.marker ? formatMarker(r.marker) : null };
      }),
    );
    const asVerdict = (x: unknown) => (x && typeof x === 'object' && 'error' in x ? 'error' : x);
    const mismatches = requirements
      .map((s, i) => ({ s, ours: asVerdict(mine[i]), theirs: asVerdict(oracle.requirements[i]) }))
      .filter((c) => JSON.stringify(c.ours) !== JSON.stringify(c.theirs));
    expect(mismatches).toEqual([]);
    // The sample must exercise both outcomes.
    expect(oracle.requirements.filter((r) => 'error' in r).length).toBeGreaterThan(50);
    expect(oracle.requirements.filter((r) => !('error' in r)).length).toBeGreaterThan(300);
  });

  it('evaluates markers for every s390x target and extra set like Marker.evaluate', () => {
    const envs = envCases();
    const mismatches: unknown[] = [];
    markers.forEach((m, i) => {
      const ast = parseRequirement(`x; ${m}`).marker!;
      envs.forEach((env, j) => {
        const ours = attempt(() => evaluateMarker(ast, env, env.__extras));
        const theirs = oracle.markers[i]![j]!;
        const same = typeof theirs === 'boolean' ? ours === theirs : typeof ours === 'object';
        if (!same) mismatches.push({ marker: m, python: env.python_version, extras: env.__extras, ours, theirs });
      });
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
    const flat = oracle.markers.flat();
    expect(flat.filter((x) => x === true).length).toBeGreaterThan(100);
    expect(flat.filter((x) => x === false).length).toBeGreaterThan(100);
  });

  it('parses wheel filenames like parse_wheel_filename', () => {
    const mine = wheels.map((f) =>
      attempt(() => {
        const w = parseWheelFilename(f);
        return { name: w.name, version: w.version, build: w.build ? [w.build.number, w.build.rest] : null, tags: [...w.tags].sort() };
      }),
    );
    const verdict = (x: unknown) => (x && typeof x === 'object' && 'error' in x ? 'error' : x);
    const mismatches = wheels
      .map((f, i) => ({ f, ours: verdict(mine[i]), theirs: verdict(oracle.wheels[i]) }))
      .filter((c) => JSON.stringify(c.ours) !== JSON.stringify(c.theirs));
    expect(mismatches).toEqual([]);
    expect(oracle.wheels.filter((r) => 'error' in r).length).toBeGreaterThan(40);
  });

  it('parses sdist filenames like parse_sdist_filename', () => {
    const mine = sdists.map((f) =>
      attempt(() => {
        const s = parseSdistFilename(f);
        return { name: s.name, version: s.version };
      }),
    );
    const verdict = (x: unknown) => (x && typeof x === 'object' && 'error' in x ? 'error' : x);
    const mismatches = sdists
      .map((f, i) => ({ f, ours: verdict(mine[i]), theirs: verdict(oracle.sdists[i]) }))
      .filter((c) => JSON.stringify(c.ours) !== JSON.stringify(c.theirs));
    expect(mismatches).toEqual([]);
  });

  it('decides specifier containment like SpecifierSet.contains, with and without pre-releases', () => {
    const mismatches = specs
      .map((c, i) => {
        const theirs = oracle.specs[i]!;
        const ours = attempt(() => [satisfies(c.version, c.spec, { prereleases: true }), satisfies(c.version, c.spec, { prereleases: false })]);
        return { ...c, ours, theirs };
      })
      // packaging treats `~=v1.0` as matching nothing (it splits the raw 'v1'); we read it as ~=1.0.
      .filter((c) => !/~=\s*v/.test(c.spec))
      .filter((c) => ('error' in c.theirs ? isValidSpecifier(c.spec) : JSON.stringify(c.ours) !== JSON.stringify(c.theirs)));
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(oracle.specs.filter((r) => 'error' in r).length).toBeGreaterThan(50);
  });
});
