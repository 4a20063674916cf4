import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { applyFlags, DEFAULT_CONFIG_FILE, loadConfigFile, parseConfig, type RefineryConfig, type ScanFlags } from '../domain/config/index.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Where the config comes from and where the folders are: the cascade's inputs besides the scan flags. */
export interface ConfigFlags extends ScanFlags {
  /** refinery.yml to read (default: ./refinery.yml when present, else the built-in defaults). */
  config?: string;
  /** The state folder (default: the config's state.dir, relative to the config file). */
  state?: string;
  /** HTTP, download and tool cache (default: the config's cacheDir, else $XDG_CACHE_HOME/refinery or ~/.cache/refinery). */
  cacheDir?: string;
}

export interface ResolvedConfig {
  config: RefineryConfig;
  /** The config file read, if any. */
  configFile?: string;
  /** Folder the config's relative paths resolve against (the config file's, else cwd). */
  baseDir: string;
  stateDir: string;
  cacheDir: string;
}

/**
 * defaults < refinery.yml < flags, once. `-r` paths are relative to where the user typed them,
 * config paths to the config file.
 */
export async function resolveConfig(cwd: string, env: Env, o: ConfigFlags): Promise<ResolvedConfig> {
  const explicit = o.config ? resolve(cwd, o.config) : undefined;
  const implicit = resolve(cwd, DEFAULT_CONFIG_FILE);
  const configFile = explicit ?? (existsSync(implicit) ? implicit : undefined);
  let config = configFile ? await loadConfigFile(configFile) : parseConfig('', '(defaults)');
  const baseDir = explicit ? dirname(explicit) : cwd;
  config = applyFlags(config, { ...o, requirements: o.requirements?.map((r) => resolve(cwd, r)) });
  const stateDir = o.state ? resolve(cwd, o.state) : resolve(baseDir, config.state.dir);
  const home = env.HOME ?? cwd;
  const cacheDir = o.cacheDir
    ? resolve(cwd, o.cacheDir)
    : config.cacheDir
      ? resolve(baseDir, config.cacheDir)
      : resolve(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'refinery');
  return { config, ...(configFile ? { configFile } : {}), baseDir, stateDir, cacheDir };
}
