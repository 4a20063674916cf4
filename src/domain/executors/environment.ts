/**
 * The environment package build code sees on this machine (host and native executors): an
 * allowlist, never the CLI's whole environment, which holds tokens (GITHUB_TOKEN, cloud keys,
 * npm tokens, index passwords) that build code has no business reading.
 */

/** What any program needs to run: where programs are, a home, a locale, a temp folder. */
export const BASE_VARS = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TMPDIR', 'TZ', 'SOURCE_DATE_EPOCH'] as const;

/**
 * What pip (and uv, requests, curl, OpenSSL) need to reach an index from here: proxies and the
 * CA bundle of a TLS-intercepting proxy. Proxy URLs may hold a proxy password; they go to the
 * build as they would go to pip run by hand.
 */
export const NETWORK_VARS = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'all_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'PIP_CERT',
  'UV_NATIVE_TLS',
] as const;

const LOCALE = /^LC_[A-Z_]+$/;

/** A variable name a config may name (POSIX portable names). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The allowlisted part of `source`: BASE_VARS, LC_*, NETWORK_VARS, and `names` (refinery.yml
 * `build.passEnv`). Variables that are not set stay unset.
 */
export function allowlistedEnv(source: Readonly<Record<string, string | undefined>>, names: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const wanted = new Set<string>([...BASE_VARS, ...NETWORK_VARS, ...names]);
  for (const [k, v] of Object.entries(source)) {
    if (v !== undefined && (wanted.has(k) || LOCALE.test(k))) out[k] = v;
  }
  return out;
}

/** Only `names` from `source` (what a container build gets from this machine). */
export function namedEnv(source: Readonly<Record<string, string | undefined>>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of names) {
    const v = source[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
