import type { RefineryConfig } from './schema.js';

/** Flags every scanning command shares. They override the config file, like pip's. */
export interface ScanFlags {
  requirements?: string[];
  indexUrl?: string;
  extraIndexUrl?: string[];
  python?: string[];
  platform?: RefineryConfig['targets']['platform'];
}

/** Apply flags over a config. `-r` files replace the config's requirement sources. */
export function applyFlags(config: RefineryConfig, flags: ScanFlags): RefineryConfig {
  const out: RefineryConfig = structuredClone(config);
  if (flags.requirements?.length) out.requirements = flags.requirements.map((file) => ({ file }));
  if (flags.indexUrl && flags.indexUrl !== out.indexes.primary) {
    // Credentials configured for the old primary must not travel to another host.
    out.indexes.primary = flags.indexUrl;
    delete out.indexes.primaryUsernameEnv;
    delete out.indexes.primaryPasswordEnv;
  }
  if (flags.extraIndexUrl?.length) out.indexes.extra = [...flags.extraIndexUrl];
  if (flags.python?.length) out.targets.python = [...new Set(flags.python)];
  if (flags.platform) out.targets.platform = flags.platform;
  return out;
}
