/**
 * PEP 503 HTML project pages, as pip reads them: every <a href> is a file link, its filename is
 * the URL's last path segment, `#sha256=` fragments carry the hash, and the data-* attributes
 * (HTML entities decoded by the parser) carry requires-python, PEP 592 yanked and PEP 658/714
 * metadata. A <base href> changes what relative links resolve against.
 */
import { Parser } from 'htmlparser2';
import { fragmentHashes, indexError, resolveLink, urlFilename } from './links.js';
import type { PageFile, ParsedPage } from './types.js';

interface Anchor {
  href: string;
  attrs: Record<string, string>;
}

export function parseHtmlPage(body: string, pageUrl: string): ParsedPage {
  if (body.includes('\0')) throw indexError(pageUrl, 'the page holds binary data, not HTML');
  const anchors: Anchor[] = [];
  let base = pageUrl;
  let tags = 0;
  let repositoryVersion: string | undefined;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        tags++;
        if (name === 'a' && attrs.href !== undefined) anchors.push({ href: attrs.href, attrs });
        else if (name === 'base' && attrs.href) base = resolveLink(attrs.href, pageUrl, '<base href>');
        else if (name === 'meta' && attrs.name === 'pypi:repository-version') repositoryVersion = attrs.content;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(body);
  parser.end();

  if (tags === 0 && body.trim() !== '') throw indexError(pageUrl, 'the page has no HTML markup (expected a PEP 503 project page)');
  if (repositoryVersion !== undefined) {
    const major = Number(repositoryVersion.split('.')[0]);
    if (major !== 1) throw indexError(pageUrl, `unsupported pypi:repository-version ${JSON.stringify(repositoryVersion)} (only 1.x is understood)`);
  }

  const files = anchors.map((a): PageFile => {
    const url = resolveLink(a.href, base, `<a href=${JSON.stringify(a.href)}>`);
    const hashes = fragmentHashes(a.href);
    const filename = urlFilename(url);
    const file: PageFile = {
      filename,
      url,
      hashes,
      yanked: a.attrs['data-yanked'] === undefined ? false : a.attrs['data-yanked'],
      metadata: metadataAttr(a.attrs['data-core-metadata'] ?? a.attrs['data-dist-info-metadata'], pageUrl, filename),
    };
    const rp = a.attrs['data-requires-python'];
    if (rp) file.requiresPython = rp;
    return file;
  });
  return { files };
}

/** PEP 658/714: "true", or "<hashname>=<hexvalue>"; absent means no metadata file. */
function metadataAttr(value: string | undefined, pageUrl: string, filename: string): PageFile['metadata'] {
  if (value === undefined) return false;
  const v = value.trim();
  if (v === '' || v.toLowerCase() === 'true') return {};
  const m = /^([A-Za-z0-9_]+)=(.*)$/.exec(v);
  if (!m) throw indexError(pageUrl, `${filename}: data-core-metadata=${JSON.stringify(value)} is neither "true" nor "<hash>=<hex>"`);
  return m[1]!.toLowerCase() === 'sha256' ? { sha256: m[2]!.toLowerCase() } : {};
}
