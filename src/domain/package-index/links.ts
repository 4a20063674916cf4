/** Shared bits of page parsing: URL resolution without credentials, and the 'index' error shape. */
import { redactUrl } from '../../adapters/http.js';
import { RefineryError } from '../../errors.js';

export function indexError(pageUrl: string, what: string): RefineryError {
  return new RefineryError('index', `${redactUrl(pageUrl)}: ${what}`, {
    fix: 'the index served a broken page; check the index URL, or report it to the index operator',
  });
}

/**
 * Absolute URL of a link on a page, fragment removed, user:password@ removed (credentials are
 * attached per host by the HTTP client, so they never end up in DistFile.url or in state files).
 */
export function resolveLink(href: string, pageUrl: string | URL, where: string): string {
  let u: URL;
  try {
    u = new URL(href, pageUrl);
  } catch {
    throw indexError(String(pageUrl), `${where}: ${JSON.stringify(href)} is not a valid URL`);
  }
  // Setters only when needed: a page has thousands of links and each setter re-serializes the URL.
  if (u.hash) u.hash = '';
  if (u.username) u.username = '';
  if (u.password) u.password = '';
  return u.href;
}

/** The `#sha256=...` style fragment of a link, lowercased: {sha256: hex}. */
export function fragmentHashes(href: string): Record<string, string> {
  const hash = href.includes('#') ? href.slice(href.indexOf('#') + 1) : '';
  const m = /^([A-Za-z0-9_]+)=([0-9A-Fa-f]+)$/.exec(hash);
  return m ? { [m[1]!.toLowerCase()]: m[2]!.toLowerCase() } : {};
}

/** The last path segment of a URL, percent-decoded: what pip calls the link's filename. */
export function urlFilename(url: string): string {
  const path = new URL(url).pathname;
  const last = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
