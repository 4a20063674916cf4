/**
 * Where the frontend inside a build takes build requirements from: the configured indexes, as
 * `pip wheel --index-url ... --extra-index-url ...` would use them for build isolation (pip.conf),
 * or as uv reads them (uv.toml, for `--frontend uv`).
 */
import { DEFAULT_PRIMARY_INDEX } from '../../domain/config/schema.js';
import { urlWithCredentials } from '../../domain/package-index/credentials.js';
import type { IndexConfig } from '../../domain/package-index/types.js';

const slash = (u: string) => (u.endsWith('/') ? u : `${u}/`);

/**
 * A pip.conf naming the indexes, or undefined when they are pip's own default (PyPI alone).
 * Credentials are in the URLs, so the caller writes it as a private file in the unit's work
 * folder (never an `--env` value on a command line, which any local user can list). pip reads
 * it without interpolation, so `%` in an encoded password stays as it is.
 */
export function pipIndexConfig(indexes: readonly IndexConfig[]): string | undefined {
  const [primary, ...extras] = indexes;
  if (!primary) return undefined;
  if (extras.length === 0 && !primary.auth && slash(primary.url) === slash(DEFAULT_PRIMARY_INDEX)) return undefined;
  const lines = ['[global]', `index-url = ${urlWithCredentials(primary)}`];
  if (extras.length > 0) lines.push('extra-index-url =', ...extras.map((e) => `    ${urlWithCredentials(e)}`));
  return `${lines.join('\n')}\n`;
}

/**
 * The same indexes as a uv.toml (UV_CONFIG_FILE), or undefined when they are PyPI alone. Written
 * as a private file like the pip.conf; TOML basic strings take JSON's escapes.
 */
export function uvIndexConfig(indexes: readonly IndexConfig[]): string | undefined {
  if (!pipIndexConfig(indexes)) return undefined;
  const [primary, ...extras] = indexes as [IndexConfig, ...IndexConfig[]];
  const lines = [`index-url = ${JSON.stringify(urlWithCredentials(primary))}`];
  if (extras.length > 0) lines.push(`extra-index-url = [${extras.map((e) => JSON.stringify(urlWithCredentials(e))).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}
