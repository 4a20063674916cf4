import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  Compiler,
  external_exports
} from "./chunk-UNLQIFJ6.js";

// src/domain/model/plan.ts
var Runner = external_exports.object({
  /** `native`: an s390x runner; `qemu`: an x86 runner emulating s390x. */
  kind: external_exports.enum(["native", "qemu"]),
  /** runs-on labels. */
  labels: external_exports.array(external_exports.string()).min(1)
});
var PlanUnit = external_exports.object({
  /** Stable, filesystem- and job-name-safe id: `<name>-<version>-<variant>-<preset>`. */
  id: external_exports.string().regex(/^[A-Za-z0-9._-]+$/),
  package: external_exports.string(),
  version: external_exports.string(),
  /** "3.12" for a version-specific build, "abi3" or "py3" for one build that serves many. */
  python: external_exports.string(),
  /** Interpreter to build with (for abi3/py3: the lowest target Python). */
  buildPython: external_exports.string(),
  /** Target ids this unit's wheel serves. */
  targets: external_exports.array(external_exports.string()),
  preset: external_exports.string(),
  /** Hint ids to apply from the first attempt (recipe, learned, or predicted from build requirements). */
  hints: external_exports.array(external_exports.string()),
  /** The subset of `hints` predicted from the sdist's build requirements (pre-flight remedies). */
  predictedHints: external_exports.array(external_exports.string()).optional(),
  /**
   * `turbo`: compile with the host's cross compilers where the build machine has them (else
   * emulated); `emulated`: everything under QEMU. Absent (older plans): turbo.
   */
  compiler: Compiler.optional(),
  runner: Runner,
  /** runs-on as a JSON string, for `runs-on: ${{ fromJSON(matrix.runs_on) }}`. */
  runs_on: external_exports.string(),
  /** Build order: 0 first; a unit waits for every lower wave. */
  wave: external_exports.number().int().nonnegative(),
  /** Ids of units in earlier waves whose wheels this one needs to build. */
  needs: external_exports.array(external_exports.string()),
  sdist: external_exports.object({ filename: external_exports.string(), url: external_exports.string(), sha256: external_exports.string().optional() }),
  /** Seconds, from history when there is any, else from a size heuristic. */
  estimatedSeconds: external_exports.number().nonnegative(),
  /** Why it is planned (new, retry-queue, changed inputs). */
  reason: external_exports.string()
});
var Shard = external_exports.object({
  index: external_exports.number().int().nonnegative(),
  wave: external_exports.number().int().nonnegative(),
  matrix: external_exports.object({ include: external_exports.array(PlanUnit) })
});
var Plan = external_exports.object({
  schema: external_exports.literal("refinery/plan@1"),
  generatedAt: external_exports.string(),
  /** All units, wave order. */
  matrix: external_exports.object({ include: external_exports.array(PlanUnit) }),
  shards: external_exports.array(Shard),
  waves: external_exports.number().int().nonnegative(),
  /** Things deliberately not planned (known-failing without changed inputs, recipe skips). */
  skipped: external_exports.array(external_exports.object({ package: external_exports.string(), version: external_exports.string(), reason: external_exports.string() })),
  estimatedSeconds: external_exports.number().nonnegative(),
  /**
   * Each wave's units packed into at most `limits.maxParallel` batches (one matrix entry, one job,
   * its units built in order), longest first, each under the job time limit.
   */
  batches: external_exports.array(
    external_exports.object({
      wave: external_exports.number().int().nonnegative(),
      index: external_exports.number().int().nonnegative(),
      units: external_exports.array(external_exports.string()),
      estimatedSeconds: external_exports.number().nonnegative()
    })
  ).default([]),
  /** Estimated wall time of all waves on `limits.maxParallel` runners, and the bound no packing beats. */
  makespanSeconds: external_exports.number().nonnegative().optional(),
  lowerBoundSeconds: external_exports.number().nonnegative().optional()
});

export {
  Runner,
  PlanUnit,
  Shard,
  Plan
};
