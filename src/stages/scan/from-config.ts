import { join } from 'node:path';
import type { HttpAuth, HttpEvent } from '../../adapters/http.js';
import { DEFAULT_PRIMARY_INDEX, type RefineryConfig, httpLimits } from '../../domain/config/schema.js';
import { RefineryError } from '../../errors.js';
import { IndexClient } from '../../domain/package-index/client.js';
import { urlWithCredentials } from '../../domain/package-index/credentials.js';
import type { IndexConfig } from '../../domain/package-index/types.js';
import type { Inventory } from '../../domain/model/inventory.js';
import { loadState, type State } from '../../domain/state/index.js';
import { resolveUniversal } from './resolve.js';
import { scan } from './scan.js';
import { scanServices } from './services.js';
import { loadRequirementSet } from './sources.js';

export interface ScanRunOptions {
  config: RefineryConfig;
  /** Folder relative requirement paths resolve against (the config file's). */
  baseDir: string;
  stateDir: string;
  cacheDir: string;
  /** Finds uv; called only when a requirement set needs resolving (lock files do not). */
  uv: () => Promise<string>;
  /** Environment for `${VAR}` in requirements files and index credentials (the face passes it). */
  env: Readonly<Record<string, string | undefined>>;
  onProgress?: (done: number, total: number, label: string) => void;
  onHttpEvent?: (e: HttpEvent) => void;
  /** An existing state (saves loading it twice in `refinery run`). */
  state?: State;
  /** Reproducible resolution: ignore uploads after this instant. */
  excludeNewer?: string;
  concurrency?: number;
}

/** Configured indexes, with credentials read from the environment variables the config names. */
export function indexesFromConfig(
  config: RefineryConfig,
  env: ScanRunOptions['env'],
  fromFiles: { indexUrl?: string; extraIndexUrls: string[] },
): IndexConfig[] {
  const auth = (userVar?: string, passVar?: string): HttpAuth | undefined => {
    if (!passVar) return undefined;
    const password = env[passVar];
    if (!password) {
      throw new RefineryError('config', `environment variable ${passVar} (index password) is not set`, {
        location: { field: 'indexes' },
        fix: `set ${passVar}, e.g. from a repository secret`,
      });
    }
    const username = userVar ? env[userVar] : undefined;
    return username ? { kind: 'basic', username, password } : { kind: 'bearer', token: password };
  };
  const primaryAuth = auth(config.indexes.primaryUsernameEnv, config.indexes.primaryPasswordEnv);
  const out: IndexConfig[] = [{ url: config.indexes.primary, ...(primaryAuth ? { auth: primaryAuth } : {}) }];
  for (const extra of config.indexes.extra) {
    if (typeof extra === 'string') out.push({ url: extra });
    else {
      const a = auth(extra.usernameEnv, extra.passwordEnv);
      out.push({ url: extra.url, ...(a ? { auth: a } : {}) });
    }
  }
  // A requirements file's --index-url replaces the primary when neither config nor flags chose
  // one (as pip does with PyPI); otherwise it joins the extras, like --extra-index-url lines.
  const fileUrls = [...fromFiles.extraIndexUrls];
  if (fromFiles.indexUrl) {
    if (config.indexes.primary === DEFAULT_PRIMARY_INDEX) out[0] = { url: fromFiles.indexUrl };
    else fileUrls.unshift(fromFiles.indexUrl);
  }
  for (const url of fileUrls) {
    if (!out.some((o) => o.url === url)) out.push({ url });
  }
  return out;
}

/** scan, wired to the real index, resolver and state. */
export async function scanFromConfig(o: ScanRunOptions): Promise<{ inventory: Inventory; index: IndexClient; indexes: IndexConfig[] }> {
  const set = await loadRequirementSet(o.config, o.baseDir, o.env);
  const indexes = indexesFromConfig(o.config, o.env, set);
  const index = new IndexClient({
    indexes,
    cacheDir: join(o.cacheDir, 'http'),
    httpOptions: {
      env: o.env,
      ...httpLimits(o.config),
      ...(o.concurrency ? { concurrency: o.concurrency } : {}),
      ...(o.onHttpEvent ? { onEvent: o.onHttpEvent } : {}),
    },
  });
  const state = o.state ?? (await loadState(o.stateDir));
  const services = scanServices({
    index: {
      releaseFiles: (name, version) => index.releaseNow(name, version) ?? index.getRelease(name, version),
      buildRequires: (sdist) => index.getBuildRequires(sdist),
      sdistSource: (sdist) => index.getSdistSource(sdist),
    },
    state,
    resolve: async (s, python) =>
      resolveUniversal({
        requirements: s.requirements,
        constraints: s.constraints,
        python,
        // For uv: credentials go into the URLs, which travel in the environment, never in argv.
        indexUrl: urlWithCredentials(indexes[0]!),
        extraIndexUrls: indexes.slice(1).map(urlWithCredentials),
        uv: await o.uv(),
        cacheDir: join(o.cacheDir, 'uv'),
        ...(o.excludeNewer ? { excludeNewer: o.excludeNewer } : {}),
      }),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  try {
    return { inventory: await scan(set, o.config, services), index, indexes };
  } finally {
    // Also after a failure: the pages fetched so far are not fetched again next time.
    index.saveCache();
  }
}
