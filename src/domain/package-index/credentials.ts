import type { IndexConfig } from './types.js';

/**
 * An index URL with its credentials in it, for tools that take them that way (uv, pip): a token
 * becomes `__token__:<token>`, as PyPI-style indexes expect. The result is a secret: it travels in
 * the environment or in a private file, never in argv or a log.
 */
export function urlWithCredentials(ix: IndexConfig): string {
  if (!ix.auth) return ix.url;
  const u = new URL(ix.url);
  if (ix.auth.kind === 'basic') {
    u.username = encodeURIComponent(ix.auth.username);
    u.password = encodeURIComponent(ix.auth.password);
  } else {
    u.username = '__token__';
    u.password = encodeURIComponent(ix.auth.token);
  }
  return u.toString();
}
