import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  Option
} from "./chunk-FHZVLPJT.js";
import {
  DEFAULT_CONFIG_FILE,
  applyFlags,
  loadConfigFile,
  parseConfig
} from "./chunk-B3SVX456.js";
import {
  PLATFORM_POLICIES
} from "./chunk-WVSMWCXV.js";

// src/faces/cli/options.ts
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
var collect = (value, previous = []) => [...previous, value];
function addScanOptions(cmd) {
  return cmd.option("-c, --config <file>", `config file (default: ./${DEFAULT_CONFIG_FILE} when present, else built-in defaults)`).option("-r, --requirements <file>", "requirements file; repeatable; replaces the config's sources", collect).option("-i, --index-url <url>", "primary package index (PEP 503/691 simple API)").option("--extra-index-url <url>", "extra index; repeatable; files of all indexes are merged", collect).option("--python <version>", "CPython minor version to target, e.g. 3.12; repeatable", collect).addOption(new Option("--platform <policy>", "platform policy of the wheels").choices([...PLATFORM_POLICIES])).option("--state <dir>", "refinery state folder (default: the config's state.dir, .refinery)").option("--cache-dir <dir>", "HTTP and download cache (default: ~/.cache/refinery)").option("--no-install", "fail when uv (the resolver) is missing instead of installing a pinned uv into the cache folder");
}
async function loadEffectiveConfig(ctx, o) {
  let config;
  let baseDir = ctx.cwd;
  const explicit = o.config ? resolve(ctx.cwd, o.config) : void 0;
  const implicit = resolve(ctx.cwd, DEFAULT_CONFIG_FILE);
  if (explicit) {
    config = await loadConfigFile(explicit);
    baseDir = dirname(explicit);
  } else if (existsSync(implicit)) {
    config = await loadConfigFile(implicit);
  } else {
    config = parseConfig("", "(defaults)");
  }
  const flags = { ...o, requirements: o.requirements?.map((r) => resolve(ctx.cwd, r)) };
  config = applyFlags(config, flags);
  const stateDir = o.state ? resolve(ctx.cwd, o.state) : resolve(baseDir, config.state.dir);
  const home = ctx.env.HOME ?? ctx.cwd;
  const cacheDir = o.cacheDir ? resolve(ctx.cwd, o.cacheDir) : config.cacheDir ? resolve(baseDir, config.cacheDir) : resolve(ctx.env.XDG_CACHE_HOME ?? resolve(home, ".cache"), "refinery");
  return { config, baseDir, stateDir, cacheDir };
}

export {
  addScanOptions,
  loadEffectiveConfig
};
