import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  PACKAGE_MANAGERS
} from "./chunk-WVSMWCXV.js";
import {
  BUILD_PHASES,
  FailureClass,
  external_exports
} from "./chunk-UNLQIFJ6.js";

// src/domain/presets/seeds.ts
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
function seedsDir(from = import.meta.url) {
  let dir = dirname(fileURLToPath(from));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "seeds", "presets.yml"))) return join(dir, "seeds");
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error("refinery: shipped seeds/ directory not found next to the installed package");
}

// src/domain/hints/schema.ts
var SystemPackageName = external_exports.string().regex(/^[A-Za-z0-9][A-Za-z0-9+._:-]*$/, "a package name (letters, digits, + . _ : -)");
var EnvName = external_exports.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name");
var validRegex = external_exports.string().min(1).refine((p) => {
  try {
    new RegExp(p, "m");
    return true;
  } catch {
    return false;
  }
}, "not a valid regular expression");
var RemedyForm = external_exports.strictObject({
  /** System packages to install with the preset's package manager before building. */
  packages: external_exports.array(SystemPackageName).default([]),
  /** Environment for the build. `*FLAGS` values are appended to existing ones, others replace. */
  env: external_exports.record(EnvName, external_exports.string()).default({}),
  /** pip constraint lines (PIP_CONSTRAINT), e.g. `numpy>=1.26`. */
  constraints: external_exports.array(
    external_exports.string().min(1).regex(/^[^\n-]/, "a requirement line")
  ).default([]),
  /** PEP 517 config settings passed to the backend (`--config-settings key=value`). */
  configSettings: external_exports.record(external_exports.string().min(1), external_exports.string()).default({}),
  /** Python requirements installed into the build interpreter first (implies no build isolation). */
  preinstall: external_exports.array(
    external_exports.string().min(1).regex(/^[^\n-]/, "a requirement line")
  ).default([]),
  /** Force build isolation on or off. */
  buildIsolation: external_exports.boolean().optional(),
  /** `emulated`: stop using the turbo (host cross) compilers for the next attempt. */
  compiler: external_exports.literal("emulated").optional()
});
var Remedy = external_exports.strictObject(
  Object.fromEntries([...PACKAGE_MANAGERS.filter((m) => m !== "none"), "any"].map((k) => [k, RemedyForm.optional()]))
);
var Matcher = external_exports.strictObject({
  /** JavaScript regular expression (multiline) searched in the failure log. */
  pattern: validRegex,
  /** Phase whose failure the pattern is meaningful for; `any` for all. */
  stage: external_exports.enum([...BUILD_PHASES, "any"]).default("any"),
  /** Case-insensitive match. */
  ignoreCase: external_exports.boolean().default(false)
});
var Hint = external_exports.strictObject({
  id: external_exports.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, "." and "-"'),
  class: FailureClass,
  description: external_exports.string().min(1),
  /** Any one matcher matching is enough. */
  match: external_exports.array(Matcher).default([]),
  /**
   * A fallback hint matches no log: the build loop applies it once when a failure matches no hint
   * at all (unclassified), as the generic next step, instead of giving up after one attempt.
   */
  fallback: external_exports.boolean().default(false),
  /** Higher wins when several hints match the same log (specific beats generic). */
  priority: external_exports.number().int().default(0),
  remedy: Remedy.default({}),
  /** Where the pattern and remedy come from (issue, upstream docs). */
  source: external_exports.string().optional(),
  /**
   * Real build logs this hint was proven on: file names in the project's log corpus
   * (test/fixtures/logs, made by its produce.sh). A hint without any is listed as unverified.
   */
  evidence: external_exports.array(external_exports.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*\.log$/, "a log file name from test/fixtures/logs")).default([])
}).refine((h) => h.fallback || h.match.length > 0, { path: ["match"], message: "needs at least one matcher (only a fallback hint has none)" });
var HintCatalog = external_exports.strictObject({
  version: external_exports.literal(1),
  hints: external_exports.array(Hint)
});

export {
  seedsDir,
  Remedy,
  HintCatalog
};
