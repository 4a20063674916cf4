/**
 * Which proxy a request goes through, from HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY, read
 * the way pip, uv and curl read them (lower-case names first). The environment is passed in, so
 * the CLI's context decides, not whatever process.env holds.
 */
export type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

function envVar(env: Env, name: string): string {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || '';
}

/** The proxy URL for `url`, or '' to connect directly. */
export function proxyForUrl(url: URL, env: Env): string {
  const scheme = url.protocol.slice(0, -1);
  let proxy = envVar(env, `${scheme}_proxy`) || envVar(env, 'all_proxy');
  if (!proxy || bypassed(url, envVar(env, 'no_proxy'))) return '';
  if (!proxy.includes('://')) proxy = `http://${proxy}`;
  return proxy;
}

/**
 * NO_PROXY: comma/space separated; `*` matches all; `host`, `.domain` and `*.domain` match the
 * host and its subdomains; `host:port` only that port; IPv6 as `[::1]`, `[::1]:8080` or `::1`.
 */
function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
  for (const entry of noProxy.toLowerCase().split(/[\s,]+/)) {
    if (!entry) continue;
    if (entry === '*') return true;
    let pattern = entry;
    let wantPort: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const hostPort = /^([^:]+):(\d+)$/.exec(entry);
    if (bracketed) [pattern, wantPort] = [bracketed[1]!, bracketed[2] ? Number(bracketed[2]) : undefined];
    else if (hostPort) [pattern, wantPort] = [hostPort[1]!, Number(hostPort[2])];
    if (wantPort !== undefined && wantPort !== port) continue;
    pattern = pattern.replace(/^\*/, '');
    const suffix = pattern.startsWith('.') ? pattern : `.${pattern}`;
    if (host === pattern.replace(/^\./, '') || host.endsWith(suffix)) return true;
  }
  return false;
}
