import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exactPin,
  isFullyPinned,
  parseRequirement,
  parseRequirementsFile,
  parseRequirementsText,
  preprocess,
  unpinnedRequirements,
} from '../../src/domain/python/index.js';

import { runOracle } from '../helpers/oracle.js';
import { requirePytools } from '../helpers/pytools.js';

let dir: string;
const SHA = 'a'.repeat(64);

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'refinery-reqfile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preprocessing like pip', () => {
  it('joins backslash continuations and reports the first line number', () => {
    expect(preprocess('a\nfoo>=1.0,\\\n  <2 \\\n ; python_version>"3"\nb', {})).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'foo>=1.0,  <2  ; python_version>"3"' },
      { line: 5, text: 'b' },
    ]);
  });

  it('drops full-line and inline comments but keeps # inside a URL fragment', () => {
    expect(preprocess('# top\nfoo==1 # pinned\nbar @ https://x.org/b.tar.gz#sha256=ab\n   \n', {}).map((l) => l.text)).toEqual([
      'foo==1',
      'bar @ https://x.org/b.tar.gz#sha256=ab',
    ]);
  });

  it('expands only ${UPPER} variables that are set', () => {
    const env = { TOKEN: 's3cret', lower: 'x', EMPTY: '' };
    expect(preprocess('-i https://u:${TOKEN}@h/simple\n$TOKEN ${lower} ${EMPTY} ${MISSING}', env).map((l) => l.text)).toEqual([
      '-i https://u:s3cret@h/simple',
      '$TOKEN ${lower} ${EMPTY} ${MISSING}',
    ]);
  });
});

describe('parseRequirementsFile', () => {
  it('reads requirements, hashes, index options and includes relative to the including file', async () => {
    await write('sub/common.txt', 'six==1.16.0\n-c ../constraints.txt\n');
    await write('constraints.txt', 'urllib3<3\n');
    const top = await write(
      'requirements.txt',
      [
        '--index-url https://pypi.org/simple',
        '--extra-index-url=https://example.org/simple',
        '-f https://example.org/links/',
        'numpy==2.1.0 \\',
        `    --hash=sha256:${SHA} --hash sha256:${'B'.repeat(64)}`,
        'requests[socks]>=2 ; python_version >= "3.8"',
        '-r sub/common.txt',
        '--prefer-binary',
      ].join('\n'),
    );
    const r = await parseRequirementsFile(top);
    expect(r.errors).toEqual([]);
    expect(r.indexUrl).toBe('https://pypi.org/simple');
    expect(r.extraIndexUrls).toEqual(['https://example.org/simple']);
    expect(r.findLinks).toEqual(['https://example.org/links/']);
    expect(r.requirements.map((e) => [e.req.normalizedName, e.line, path.basename(e.file)])).toEqual([
      ['numpy', 4, 'requirements.txt'],
      ['requests', 6, 'requirements.txt'],
      ['six', 1, 'common.txt'],
    ]);
    expect(r.requirements[0]!.hashes).toEqual([`sha256:${SHA}`, `sha256:${'b'.repeat(64)}`]);
    expect(r.requirements[1]!.req.extras).toEqual(['socks']);
    expect(r.constraints.map((e) => `${e.req.normalizedName}${e.req.specifier}`)).toEqual(['urllib3<3']);
    expect(r.ignoredOptions.map((o) => o.option)).toEqual(['--find-links', '--prefer-binary']);
    expect(r.files.map((f) => path.relative(dir, f))).toEqual(['requirements.txt', path.join('sub', 'common.txt'), 'constraints.txt']);
  });

  it('reports an include cycle once, naming the chain, and still returns the requirements', async () => {
    await write('cyc/a.txt', 'foo==1\n-r b.txt\n');
    await write('cyc/b.txt', 'bar==2\n-r a.txt\n');
    const r = await parseRequirementsFile(path.join(dir, 'cyc/a.txt'));
    expect(r.requirements.map((e) => e.req.name)).toEqual(['foo', 'bar']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.describe()).toMatch(/b\.txt:2: include cycle: .*a\.txt -> .*b\.txt -> .*a\.txt/);
  });

  it('reads a file included twice (diamond) only once', async () => {
    await write('dia/base.txt', 'foo==1\n');
    await write('dia/x.txt', '-r base.txt\n');
    const r = await parseRequirementsFile(await write('dia/top.txt', '-r x.txt\n-r base.txt\n'));
    expect(r.errors).toEqual([]);
    expect(r.requirements).toHaveLength(1);
  });

  it('collects every error with file:line and an actionable message', async () => {
    const top = await write(
      'bad.txt',
      [
        'ok==1.0',
        '-e git+https://github.com/a/b#egg=b',
        './local/pkg',
        'pkg-1.0-py3-none-any.whl',
        'https://x.org/p-1.0.tar.gz',
        'foo >= 1.0 bar',
        `baz==1 --hash=md5:${'a'.repeat(32)}`,
        '--frobnicate',
        '-r missing.txt',
        'loc @ file:///tmp/loc.tar.gz',
        '-r https://example.org/req.txt',
      ].join('\n'),
    );
    const r = await parseRequirementsFile(top);
    expect(r.requirements.map((e) => e.req.name)).toEqual(['ok']);
    const lines = r.errors.map((e) => e.describe().split('\n')[0]);
    expect(lines).toHaveLength(10);
    const at = (n: number) => lines.find((l) => l!.startsWith(`${top}:${n}: `));
    expect(at(2)).toMatch(/editable requirement .* cannot be built/);
    expect(at(3)).toMatch(/local path requirements are not supported/);
    expect(at(4)).toMatch(/archive file requirements/);
    expect(at(5)).toMatch(/bare URL needs a name/);
    expect(at(6)).toMatch(/invalid requirement "foo >= 1.0 bar": Expected comma/);
    expect(at(7)).toMatch(/invalid --hash/);
    expect(at(8)).toMatch(/unknown or unsupported option --frobnicate/);
    expect(at(9)).toMatch(/cannot read requirements file .*missing\.txt \(ENOENT\)/);
    expect(at(10)).toMatch(/local file requirement/);
    expect(at(11)).toMatch(/remote requirements file/);
    expect(r.errors.every((e) => e.code === 'input')).toBe(true);
  });

  it('reports a missing top-level file against that file', async () => {
    const r = await parseRequirementsFile(path.join(dir, 'nope.txt'));
    expect(r.errors[0]!.location.file).toBe(path.join(dir, 'nope.txt'));
    expect(r.errors[0]!.location.line).toBeUndefined();
  });

  it('parses inline text with includes read through the given reader', async () => {
    const files: Record<string, string> = { 'in/extra.txt': 'b==2\n' };
    const r = await parseRequirementsText('a==1\n-r extra.txt\n', 'in/requirements.txt', {
      readFile: async (f) => {
        const t = files[f];
        if (t === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
        return t;
      },
    });
    expect(r.errors).toEqual([]);
    expect(r.requirements.map((e) => `${e.file}:${e.line}:${e.req.name}`)).toEqual(['in/requirements.txt:1:a', 'in/extra.txt:1:b']);
  });
});

describe('lock-file pinning', () => {
  const entry = (s: string) => ({ req: parseRequirement(s), line: 1, file: 'x', hashes: [] });

  it('accepts exact == and === pins only', () => {
    expect(isFullyPinned([entry('a==1.0'), entry('b===2.0'), entry('c==1.0 ; python_version<"3.9"')])).toBe(true);
    expect(
      unpinnedRequirements([entry('a==1.*'), entry('b>=1'), entry('c==1,!=2'), entry('d'), entry('e @ https://x/e.tar.gz'), entry('f==1')]).map(
        (e) => e.req.name,
      ),
    ).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(exactPin(parseRequirement('Foo == 1.0.0'))).toBe('1.0.0');
  });
});

describe.runIf(requirePytools())("preprocessing matches pip's own req_file.preprocess", () => {
  const piece = fc.constantFrom(
    'foo==1.0',
    'bar>=2 ; python_version < "3.12"',
    '# comment',
    'baz # trailing',
    'x#not-a-comment',
    '\\',
    ' \\',
    '',
    '   ',
    '-r other.txt',
    '--hash=sha256:${HASH}',
    '${TOKEN}',
    '${lower}',
    '$TOKEN',
    '${MISSING}',
    '\t indented',
    '# c \\',
  );
  const file = fc
    .array(
      fc.array(piece, { minLength: 1, maxLength: 3 }).map((p) => p.join(' ')),
      { maxLength: 8 },
    )
    .chain((lines) => fc.constantFrom('\n', '\r\n').map((eol) => lines.join(eol)));
  const texts = fc.sample(file, { seed: 42, numRuns: 300 });
  const env = { TOKEN: 'tok', HASH: 'abc', lower: 'low', EMPTY: '' };

  it('gives the same logical lines and line numbers', async () => {
    const script = `
import json, os, sys
from pip._internal.req.req_file import preprocess
data = json.load(sys.stdin)
os.environ.update(data['env'])
json.dump([[{'line': n, 'text': t} for n, t in preprocess(text)] for text in data['texts']], sys.stdout)
`;
    const theirs = await runOracle<unknown[]>(script, { env, texts });
    const mismatches = texts
      .map((t, i) => ({ t, ours: preprocess(t, env), theirs: theirs[i] }))
      .filter((c) => JSON.stringify(c.ours) !== JSON.stringify(c.theirs));
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
