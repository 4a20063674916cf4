import { type Command, Option } from 'commander';
import { DEFAULT_CONFIG_FILE } from '../../domain/config/index.js';
import { PLATFORM_POLICIES } from '../../domain/model/target.js';
import type { SessionFlags } from '../../session/index.js';

/** commander's collector for repeatable options. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

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

/** What the scan flags parse to: the session's config cascade flags (commander's names are the session's). */
export type ScanOptionValues = Pick<
  SessionFlags,
  'config' | 'requirements' | 'indexUrl' | 'extraIndexUrl' | 'python' | 'platform' | 'state' | 'cacheDir' | 'install'
>;
