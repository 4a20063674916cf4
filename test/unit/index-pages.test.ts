import { describe, expect, it } from 'vitest';
import { RefineryError } from '../../src/errors.js';
import { parseHtmlPage, parseJsonPage } from '../../src/domain/package-index/index.js';
import { pageToFiles } from '../../src/domain/package-index/project-files.js';

const PAGE = 'https://index.example/simple/six/';
const SHA = 'a'.repeat(64);
const MSHA = 'b'.repeat(64);

function indexError(fn: () => unknown): RefineryError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RefineryError);
    expect((e as RefineryError).code).toBe('index');
    return e as RefineryError;
  }
  throw new Error('expected an index error');
}

describe('PEP 503 HTML pages', () => {
  it('reads relative hrefs, sha256 fragments, HTML-unescaped requires-python, yanked and PEP 714 metadata', () => {
    const html = `<!DOCTYPE html><html><body>
      <a href="../../files/six-1.17.0-py2.py3-none-any.whl#sha256=${SHA.toUpperCase()}" data-requires-python="&gt;=2.7, !=3.0.*" data-core-metadata="sha256=${MSHA}">six-1.17.0-py2.py3-none-any.whl</a><br/>
      <a href="../../files/six-1.16.0.tar.gz#md5=0123" data-yanked="">six-1.16.0.tar.gz</a>
      <a href="https://files.example/six-1.15.0.tar.gz" data-yanked="broken &amp; bad" data-dist-info-metadata="true">x</a>
    </body></html>`;
    const page = parseHtmlPage(html, PAGE);
    expect(page.files).toEqual([
      {
        filename: 'six-1.17.0-py2.py3-none-any.whl',
        url: 'https://index.example/files/six-1.17.0-py2.py3-none-any.whl',
        hashes: { sha256: SHA },
        requiresPython: '>=2.7, !=3.0.*',
        yanked: false,
        metadata: { sha256: MSHA },
      },
      { filename: 'six-1.16.0.tar.gz', url: 'https://index.example/files/six-1.16.0.tar.gz', hashes: { md5: '0123' }, yanked: '', metadata: false },
      { filename: 'six-1.15.0.tar.gz', url: 'https://files.example/six-1.15.0.tar.gz', hashes: {}, yanked: 'broken & bad', metadata: {} },
    ]);
  });

  it('prefers data-core-metadata over the legacy data-dist-info-metadata', () => {
    const html = `<a href="x-1.0.tar.gz" data-dist-info-metadata="sha256=${SHA}" data-core-metadata="sha256=${MSHA}">x</a>`;
    expect(parseHtmlPage(html, PAGE).files[0]?.metadata).toEqual({ sha256: MSHA });
  });

  it('resolves links against <base href> and drops credentials from file URLs', () => {
    const html = `<html><head><base href="https://mirror.example/pkgs/"></head><body><a href="six-1.17.0.tar.gz">s</a><a href="https://u:secret@h.example/a/six-1.0.tar.gz">t</a></body></html>`;
    const urls = parseHtmlPage(html, PAGE).files.map((f) => f.url);
    expect(urls).toEqual(['https://mirror.example/pkgs/six-1.17.0.tar.gz', 'https://h.example/a/six-1.0.tar.gz']);
  });

  it('percent-decodes the filename from the URL path, as pip does', () => {
    const page = parseHtmlPage('<a href="/f/zope.interface-5.0%2Blocal.tar.gz">z</a>', PAGE);
    expect(page.files[0]?.filename).toBe('zope.interface-5.0+local.tar.gz');
  });

  it('accepts an empty project page', () => {
    expect(parseHtmlPage('<html><body></body></html>', PAGE).files).toEqual([]);
  });

  it('refuses a body without HTML markup, naming the URL', () => {
    const e = indexError(() => parseHtmlPage('{"this": "is json"}', PAGE));
    expect(e.message).toContain(PAGE);
    expect(e.message).toContain('no HTML markup');
  });

  it('refuses binary data and unsupported repository versions', () => {
    expect(indexError(() => parseHtmlPage('\u0000\u0001garbage', PAGE)).message).toContain('binary');
    expect(indexError(() => parseHtmlPage('<meta name="pypi:repository-version" content="2.0">', PAGE)).message).toContain('2.0');
  });

  it('refuses an invalid data-core-metadata value and an unparseable href', () => {
    expect(indexError(() => parseHtmlPage('<a href="x-1.0.tar.gz" data-core-metadata="yes please">x</a>', PAGE)).message).toContain('x-1.0.tar.gz');
    expect(indexError(() => parseHtmlPage('<a href="http://[broken/x-1.0.tar.gz">x</a>', PAGE)).message).toContain('not a valid URL');
  });
});

describe('PEP 691 JSON pages', () => {
  const file = {
    filename: 'six-1.17.0.tar.gz',
    url: '../../files/six-1.17.0.tar.gz',
    hashes: { sha256: SHA },
    'requires-python': '>=3.8',
    'core-metadata': { sha256: MSHA },
    yanked: 'security issue',
    size: 123,
  };

  it('reads files, relative URLs, yanked reasons, core-metadata and PEP 700 versions', () => {
    const page = parseJsonPage(JSON.stringify({ meta: { 'api-version': '1.1' }, name: 'six', files: [file], versions: ['1.17.0'] }), PAGE);
    expect(page).toEqual({
      name: 'six',
      versions: ['1.17.0'],
      files: [
        {
          filename: 'six-1.17.0.tar.gz',
          url: 'https://index.example/files/six-1.17.0.tar.gz',
          hashes: { sha256: SHA },
          requiresPython: '>=3.8',
          yanked: 'security issue',
          metadata: { sha256: MSHA },
          size: 123,
        },
      ],
    });
  });

  it('maps yanked: true to an empty reason and dist-info-metadata: true to a metadata file without hash', () => {
    const f = { ...file, yanked: true, 'core-metadata': undefined, 'dist-info-metadata': true, 'requires-python': null };
    const page = parseJsonPage(JSON.stringify({ meta: { 'api-version': '1.0' }, name: 'six', files: [f] }), PAGE);
    expect(page.files[0]).toMatchObject({ yanked: '', metadata: {} });
    expect(page.files[0]?.requiresPython).toBeUndefined();
  });

  it('names the broken field of a page that is not PEP 691', () => {
    const e = indexError(() => parseJsonPage(JSON.stringify({ meta: { 'api-version': '1.0' }, name: 'six', files: [{ filename: 'x' }] }), PAGE));
    expect(e.message).toMatch(/files\.0\.(url|hashes)/);
  });

  it('reports JSON that does not parse, and api-version 2', () => {
    expect(indexError(() => parseJsonPage('{"meta": ', PAGE)).message).toContain('does not parse');
    expect(indexError(() => parseJsonPage(JSON.stringify({ meta: { 'api-version': '2.0' }, name: 'six', files: [] }), PAGE)).message).toContain('2.0');
  });
});

describe('page links to distribution files', () => {
  const link = (filename: string, extra: Partial<{ hashes: Record<string, string> }> = {}) => ({
    filename,
    url: `https://index.example/files/${filename}`,
    hashes: {},
    yanked: false as const,
    metadata: false as const,
    ...extra,
  });

  it('keeps the distributions of the project and skips the rest with a reason, as pip does', () => {
    const got = pageToFiles(
      {
        files: [
          link('six-1.17.0.tar.gz'),
          link('six-1.17.0-py2.py3-none-any.whl'),
          link('other-1.0.tar.gz'),
          link('six-1.0.exe'),
          link('six-notaversion.tar.gz'),
        ],
      },
      'six',
      PAGE,
      'https://index.example/simple/',
    );
    expect(got.files.map((f) => f.filename)).toEqual(['six-1.17.0.tar.gz', 'six-1.17.0-py2.py3-none-any.whl']);
    expect(got.skipped.map((s) => s.filename)).toEqual(['other-1.0.tar.gz', 'six-1.0.exe', 'six-notaversion.tar.gz']);
    expect(got.versions).toEqual(['1.17.0']); // named by two files, listed once
  });

  it('skips names that are paths', () => {
    const got = pageToFiles({ files: [link('../six-1.0.tar.gz')] }, 'six', PAGE, 'x');
    expect(got.files).toEqual([]);
    expect(got.skipped[0]?.reason).toContain('plain file name');
  });

  it('refuses a sha256 that is not 64 hex digits', () => {
    expect(indexError(() => pageToFiles({ files: [link('six-1.0.tar.gz', { hashes: { sha256: 'abc' } })] }, 'six', PAGE, 'x')).message).toContain(
      'six-1.0.tar.gz',
    );
  });
});
