import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  Option
} from "./chunk-FHZVLPJT.js";
import {
  DEFAULT_CONFIG_FILE
} from "./chunk-J5ZFXILX.js";
import {
  PLATFORM_POLICIES
} from "./chunk-CY6NXZGB.js";

// src/faces/cli/options.ts
var collect = (value, previous = []) => [...previous, value];
function addScanOptions(cmd) {
  return cmd.option("-c, --config <file>", `config file (default: ./${DEFAULT_CONFIG_FILE} when present, else built-in defaults)`).option("-r, --requirements <file>", "requirements file; repeatable; replaces the config's sources", collect).option("-i, --index-url <url>", "primary package index (PEP 503/691 simple API)").option("--extra-index-url <url>", "extra index; repeatable; files of all indexes are merged", collect).option("--python <version>", "CPython minor version to target, e.g. 3.12; repeatable", collect).addOption(new Option("--platform <policy>", "platform policy of the wheels").choices([...PLATFORM_POLICIES])).option("--state <dir>", "refinery state folder (default: the config's state.dir, .refinery)").option("--cache-dir <dir>", "HTTP and download cache (default: ~/.cache/refinery)").option("--no-install", "fail when uv (the resolver) is missing instead of installing a pinned uv into the cache folder");
}

export {
  collect,
  addScanOptions
};
