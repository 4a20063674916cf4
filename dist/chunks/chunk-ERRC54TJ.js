import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  DistFile,
  external_exports
} from "./chunk-UNLQIFJ6.js";

// src/domain/model/inventory.ts
var INVENTORY_STATUSES = ["upstream-wheel", "built", "needs-build", "no-source", "excluded", "known-failing"];
var InventoryStatus = external_exports.enum(INVENTORY_STATUSES);
var InventoryEntry = external_exports.object({
  /** PEP 503 normalized name. */
  name: external_exports.string(),
  version: external_exports.string(),
  /** CPython minor version of the target, e.g. "3.12". */
  python: external_exports.string(),
  /** Target id, e.g. cp312-manylinux_2_28_s390x. */
  target: external_exports.string(),
  status: InventoryStatus,
  /** Human reason, always present: which wheel, which sdist, which rule, which attempt. */
  reason: external_exports.string(),
  /** upstream-wheel: the chosen wheel. */
  wheel: DistFile.optional(),
  /** needs-build: the sdist to build from. */
  sdist: DistFile.optional(),
  /** excluded: the matching rule. */
  rule: external_exports.string().optional(),
  /** built: manifest filename; known-failing: the attempt id. */
  ref: external_exports.string().optional(),
  /** Shortest distance from a top-level requirement (0 = asked for directly). */
  depth: external_exports.number().int().nonnegative(),
  /** Packages that pulled this one in (normalized names); empty for top-level. */
  requiredBy: external_exports.array(external_exports.string()),
  /** Build requirements (PEP 518) read from the sdist, for ordering builds. */
  buildRequires: external_exports.array(external_exports.string()).optional(),
  /**
   * How many builds serve the targets: `abi3` (upstream ships abi3 wheels) and `none` (the
   * refinery's builds of it came out pure Python) build once for every Python; `cpython`, per Python.
   */
  abi: external_exports.enum(["cpython", "abi3", "none"]).optional()
});
var CutEntry = external_exports.object({
  name: external_exports.string(),
  version: external_exports.string().optional(),
  target: external_exports.string(),
  reason: external_exports.string()
});
var InventoryWarning = external_exports.object({
  message: external_exports.string(),
  file: external_exports.string().optional(),
  line: external_exports.number().int().optional()
});
var Inventory = external_exports.object({
  schema: external_exports.literal("refinery/inventory@1"),
  generatedAt: external_exports.string(),
  targets: external_exports.array(external_exports.string()),
  packages: external_exports.array(InventoryEntry),
  /** What bounded expansion left out, and why. */
  cut: external_exports.array(CutEntry),
  summary: external_exports.record(external_exports.string(), external_exports.number()),
  /** Present when the requirements used options scan ignores (`--find-links`, `--pre`, ...). */
  warnings: external_exports.array(InventoryWarning).optional()
});

export {
  INVENTORY_STATUSES,
  InventoryStatus,
  InventoryEntry,
  CutEntry,
  InventoryWarning,
  Inventory
};
