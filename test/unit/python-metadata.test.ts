/**
 * Core metadata parsing: generated METADATA/PKG-INFO texts compared with Python's email parser
 * and packaging.metadata.parse_email (one process), plus the rules for trusting Requires-Dist.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isRefineryError } from '../../src/errors.js';
import { parseCoreMetadata, parseEmailHeaders, providedExtras, staticRequiresDist } from '../../src/domain/python/index.js';
import { runOracle } from '../helpers/oracle.js';
import { requirePytools } from '../helpers/pytools.js';

const casing = (name: string) => fc.constantFrom(name, name.toLowerCase(), name.toUpperCase());
const sep = fc.constantFrom(': ', ':', ':  ', ':\t', ': ');
const eol = fc.constantFrom('\n', '\n', '\r\n');
const field = (name: string, values: string[]) =>
  fc
    .tuple(casing(name), sep, fc.constantFrom(...values), fc.option(fc.constantFrom('\n  continued', '\n\tmore text'), { freq: 6 }), eol)
    .map(([n, s, v, cont, e]) => `${n}${s}${v}${cont ?? ''}${e}`);

const metadataText = fc
  .tuple(
    fc.array(
      fc.oneof(
        field('Metadata-Version', ['1.0', '1.2', '2.1', '2.2', '2.3', '2.4']),
        field('Name', ['numpy', 'Foo_Bar', 'zope.interface']),
        field('Version', ['1.0', '2.1.0rc1', '1!2.0']),
        field('Requires-Dist', ['six', 'idna>=2.5,<4', 'PySocks!=1.5.7,>=1.5.6; extra == "socks"', 'numpy (>=1.21) ; python_version >= "3.8"']),
        field('Requires-Python', ['>=3.8', '>=3.9, <4']),
        field('Dynamic', ['Requires-Dist', 'requires-dist', 'Version', 'Summary']),
        field('Provides-Extra', ['socks', 'Tls_X', 'dev']),
        field('Summary', ['A package', 'Trailing spaces  ', 'Has: colon']),
        field('Classifier', ['Programming Language :: Python :: 3']),
        fc.constantFrom('garbage line without colon\n', ':empty name\n', '  orphan continuation\n'),
      ),
      { minLength: 0, maxLength: 14 },
    ),
    fc.option(fc.constantFrom('Long description\n\nwith blank lines\n', 'Body: looks like a header\n', '')),
    eol,
    fc.option(fc.tuple(fc.constantFrom('2.1', '2.2', '2.4'), fc.constantFrom('numpy', 'Foo_Bar'), fc.constantFrom('1.0', '2.1.0rc1')), { freq: 4 }),
  )
  .map(([fields, body, e, required]) => {
    const head = required ? `Metadata-Version: ${required[0]}\nName: ${required[1]}\nVersion: ${required[2]}\n` : '';
    return head + fields.join('') + (body === null ? '' : `${e}${body}`);
  });

const ORACLE = String.raw`
import json, sys, email.parser, email.policy
from packaging.metadata import parse_email
out = []
for text in json.load(sys.stdin):
    msg = email.parser.Parser(policy=email.policy.compat32).parsestr(text)
    headers = {}
    for k in msg.keys():
        headers.setdefault(k.lower(), [])
    for k in headers:
        headers[k] = [str(v) for v in msg.get_all(k)]
    raw, _ = parse_email(text)
    out.append({'headers': headers, 'body': msg.get_payload(),
                'requires_dist': raw.get('requires_dist', []), 'dynamic': raw.get('dynamic', []),
                'provides_extra': raw.get('provides_extra', []), 'requires_python': raw.get('requires_python')})
json.dump(out, sys.stdout)
`;

interface OracleCase {
  headers: Record<string, string[]>;
  body: string;
  requires_dist: string[];
  dynamic: string[];
  provides_extra: string[];
  requires_python: string | null;
}

const texts = fc.sample(metadataText, { seed: 20261127, numRuns: 400 });

describe.runIf(requirePytools())('core metadata matches the email parser and packaging.metadata', () => {
  let oracle: OracleCase[];
  beforeAll(async () => {
    oracle = await runOracle<OracleCase[]>(ORACLE, texts);
  });

  it('splits headers and body exactly like email.parser with compat32', () => {
    const mismatches = texts
      .map((text, i) => {
        const { headers, body } = parseEmailHeaders(text);
        const grouped: Record<string, string[]> = {};
        for (const [k, v] of headers) (grouped[k.toLowerCase()] ??= []).push(v);
        return { text, ours: { headers: grouped, body }, theirs: { headers: oracle[i]!.headers, body: oracle[i]!.body } };
      })
      .filter((c) => JSON.stringify(c.ours) !== JSON.stringify(c.theirs));
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('reads Requires-Dist, Dynamic, Provides-Extra and Requires-Python like parse_email', () => {
    let parsed = 0;
    texts.forEach((text, i) => {
      let meta: ReturnType<typeof parseCoreMetadata>;
      try {
        meta = parseCoreMetadata(text);
      } catch (e) {
        expect(isRefineryError(e)).toBe(true);
        return;
      }
      parsed++;
      const o = oracle[i]!;
      expect({ rd: meta.requiresDist, dyn: meta.dynamic, pe: meta.providesExtra, rp: meta.requiresPython ?? null }).toEqual({
        rd: o.requires_dist,
        dyn: o.dynamic,
        pe: o.provides_extra,
        rp: o.requires_python,
      });
    });
    expect(parsed).toBeGreaterThan(50);
  });
});

describe('parseCoreMetadata', () => {
  const wheelMetadata = [
    'Metadata-Version: 2.1',
    'Name: requests',
    'Version: 2.32.3',
    'Summary: Python HTTP for Humans.',
    'Requires-Python: >=3.8',
    'License: Apache-2.0',
    'Requires-Dist: charset-normalizer <4,>=2',
    'Requires-Dist: idna <4,>=2.5',
    'Provides-Extra: socks',
    "Requires-Dist: PySocks !=1.5.7,>=1.5.6 ; extra == 'socks'",
    'Provides-Extra: use_chardet_on_py3',
    '',
    '# Requests',
    '',
  ].join('\n');

  it('reads a real-world wheel METADATA', () => {
    const m = parseCoreMetadata(wheelMetadata);
    expect(m).toMatchObject({ name: 'requests', version: '2.32.3', metadataVersion: '2.1', requiresPython: '>=3.8', summary: 'Python HTTP for Humans.' });
    expect(m.requiresDist).toEqual(['charset-normalizer <4,>=2', 'idna <4,>=2.5', "PySocks !=1.5.7,>=1.5.6 ; extra == 'socks'"]);
    expect(providedExtras(m)).toEqual(['socks', 'use-chardet-on-py3']);
    expect(m.description).toBe('# Requests\n');
  });

  it('refuses metadata without a name or with two versions, naming the field', () => {
    expect(() => parseCoreMetadata('Metadata-Version: 2.1\nVersion: 1.0\n', 'pkg.metadata')).toThrow(/pkg\.metadata: missing Name field/);
    expect(() => parseCoreMetadata('Metadata-Version: 2.1\nName: a\nVersion: 1\nVersion: 2\n')).toThrow(/repeated Version field/);
    expect(() => parseCoreMetadata('Metadata-Version: 2.1\nName: a\nVersion: one\n')).toThrow(/invalid Version "one"/);
  });
});

describe('staticRequiresDist', () => {
  it('trusts wheel metadata always', () => {
    expect(staticRequiresDist({ metadataVersion: '1.0', dynamic: [] }, 'wheel')).toBe(true);
  });
  it('trusts sdist metadata from 2.2 on unless Requires-Dist is dynamic', () => {
    expect(staticRequiresDist({ metadataVersion: '2.1', dynamic: [] })).toBe(false);
    expect(staticRequiresDist({ metadataVersion: '2.2', dynamic: [] })).toBe(true);
    expect(staticRequiresDist({ metadataVersion: '2.4', dynamic: ['Version'] })).toBe(true);
    expect(staticRequiresDist({ metadataVersion: '2.4', dynamic: ['requires-dist'] })).toBe(false);
    expect(staticRequiresDist({ metadataVersion: '2.10', dynamic: [] })).toBe(true);
  });
});
