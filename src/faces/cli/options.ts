import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { applyFlags, DEFAULT_CONFIG_FILE, loadConfigFile, parseConfig, type RefineryConfig, type ScanFlags } from '../../domain/config/index.js';
import { PLATFORM_POLICIES } from '../../domain/model/target.js';
import type { CliContext } from './context.js';
import { collect } from './option-values.js';

/** Flags shared by every command that scans: the same names as pip's where pip has one. */
export function addScanOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', `config file (default: ./${DEFAULT_CONFIG_FILE} when present, else built-in defaults)`)
    .option('-r, --requirements <file>', "requirements file; repeatable; replaces the config's sources", collect)
    .option('-i, --index-url <url>', 'primary package index (PEP 503/691 simple API)')
    .option('--extra-index-url <url>', 'extra index; repeatable; files of all indexes are merged', collect)
    .option('--python <version>', 'CPython minor version to target, e.g. 3.12; repeatable', collect)
    .addOption(new Option('--platform <policy>', 'platform policy of the wheels').choices([...PLATFORM_POLICIES]))
    .option('--state <dir>', "refinery state folder (default: the config's state.dir, .refinery)")
    .option('--cache-dir <dir>', 'HTTP and download cache (default: ~/.cache/refinery)')
    .option('--no-install', 'fail when uv (the resolver) is missing instead of installing a pinned uv into the cache folder');
}

/** The scan flags (domain/config/flags.ts: what overrides the config) and where to find things. */
export interface ScanOptionValues extends ScanFlags {
  config?: string;
  state?: string;
  cacheDir?: string;
  /** False with --no-install: a missing uv is an error instead of a download. */
  install?: boolean;
}

/** Config file (or defaults) with flags applied; relative paths resolve against `baseDir`. */
export async function loadEffectiveConfig(
  ctx: CliContext,
  o: ScanOptionValues,
): Promise<{ config: RefineryConfig; baseDir: string; stateDir: string; cacheDir: string }> {
  let config: RefineryConfig;
  let baseDir = ctx.cwd;
  const explicit = o.config ? resolve(ctx.cwd, o.config) : undefined;
  const implicit = resolve(ctx.cwd, DEFAULT_CONFIG_FILE);
  if (explicit) {
    config = await loadConfigFile(explicit);
    baseDir = dirname(explicit);
  } else if (existsSync(implicit)) {
    config = await loadConfigFile(implicit);
  } else {
    config = parseConfig('', '(defaults)');
  }
  // -r paths are relative to where the user typed them, config paths to the config file.
  const flags = { ...o, requirements: o.requirements?.map((r) => resolve(ctx.cwd, r)) };
  config = applyFlags(config, flags);
  const stateDir = o.state ? resolve(ctx.cwd, o.state) : resolve(baseDir, config.state.dir);
  const home = ctx.env.HOME ?? ctx.cwd;
  const cacheDir = o.cacheDir
    ? resolve(ctx.cwd, o.cacheDir)
    : config.cacheDir
      ? resolve(baseDir, config.cacheDir)
      : resolve(ctx.env.XDG_CACHE_HOME ?? resolve(home, '.cache'), 'refinery');
  return { config, baseDir, stateDir, cacheDir };
}
