import { z } from 'zod';
import { Compiler } from './compiler.js';

export const Runner = z.object({
  /** `native`: an s390x runner; `qemu`: an x86 runner emulating s390x. */
  kind: z.enum(['native', 'qemu']),
  /** runs-on labels. */
  labels: z.array(z.string()).min(1),
});
export type Runner = z.infer<typeof Runner>;

/** One build job: a package version for one variant. Field names are what matrix jobs read. */
export const PlanUnit = z.object({
  /** Stable, filesystem- and job-name-safe id: `<name>-<version>-<variant>-<preset>`. */
  id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  package: z.string(),
  version: z.string(),
  /** "3.12" for a version-specific build, "abi3" or "py3" for one build that serves many. */
  python: z.string(),
  /** Interpreter to build with (for abi3/py3: the lowest target Python). */
  buildPython: z.string(),
  /** Target ids this unit's wheel serves. */
  targets: z.array(z.string()),
  preset: z.string(),
  /** Hint ids to apply from the first attempt (recipe, learned, or predicted from build requirements). */
  hints: z.array(z.string()),
  /** The subset of `hints` predicted from the sdist's build requirements (pre-flight remedies). */
  predictedHints: z.array(z.string()).optional(),
  /**
   * `turbo`: compile with the host's cross compilers where the build machine has them (else
   * emulated); `emulated`: everything under QEMU. Absent (older plans): turbo.
   */
  compiler: Compiler.optional(),
  runner: Runner,
  /** runs-on as a JSON string, for `runs-on: ${{ fromJSON(matrix.runs_on) }}`. */
  runs_on: z.string(),
  /** Build order: 0 first; a unit waits for every lower wave. */
  wave: z.number().int().nonnegative(),
  /** Ids of units in earlier waves whose wheels this one needs to build. */
  needs: z.array(z.string()),
  sdist: z.object({ filename: z.string(), url: z.string(), sha256: z.string().optional() }),
  /** Seconds: from this package's builds in the same setting when the state has any, else a prior. */
  estimatedSeconds: z.number().nonnegative(),
  /** Where `estimatedSeconds` comes from: `history` (recorded builds) or `prior` (what the sdist compiles). */
  estimateSource: z.enum(['history', 'prior']).optional(),
  /** What the estimate rests on, in words (printed by `refinery plan`). */
  estimateBasis: z.string().optional(),
  /** The estimate is over the unit timeout (or the job limit): said at plan time, not learned from a kill. */
  overTimeout: z.boolean().optional(),
  /** Why it is planned (new, retry-queue, changed inputs). */
  reason: z.string(),
});
export type PlanUnit = z.infer<typeof PlanUnit>;

export const Shard = z.object({
  index: z.number().int().nonnegative(),
  wave: z.number().int().nonnegative(),
  matrix: z.object({ include: z.array(PlanUnit) }),
});
export type Shard = z.infer<typeof Shard>;

export const Plan = z.object({
  schema: z.literal('refinery/plan@1'),
  generatedAt: z.string(),
  /** All units, wave order. */
  matrix: z.object({ include: z.array(PlanUnit) }),
  shards: z.array(Shard),
  waves: z.number().int().nonnegative(),
  /** Things deliberately not planned (known-failing without changed inputs, recipe skips). */
  skipped: z.array(z.object({ package: z.string(), version: z.string(), reason: z.string() })),
  estimatedSeconds: z.number().nonnegative(),
  /**
   * Each wave's units packed into at most `limits.maxParallel` batches (one matrix entry, one job,
   * its units built in order), longest first, each under the job time limit.
   */
  batches: z
    .array(
      z.object({
        wave: z.number().int().nonnegative(),
        index: z.number().int().nonnegative(),
        units: z.array(z.string()),
        estimatedSeconds: z.number().nonnegative(),
      }),
    )
    .default([]),
  /** Estimated wall time of all waves on `limits.maxParallel` runners, and the bound no packing beats. */
  makespanSeconds: z.number().nonnegative().optional(),
  lowerBoundSeconds: z.number().nonnegative().optional(),
});
export type Plan = z.infer<typeof Plan>;
