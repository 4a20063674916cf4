import { z } from 'zod';
import { Compiler } from './compiler.js';

/** Failure classes a hint can assign (issue: build engine). */
export const FAILURE_CLASSES = [
  'transient',
  'missing-system-lib',
  'missing-toolchain',
  'build-dep-pin',
  'big-endian',
  'x86-only-code',
  'qemu-fault',
  /** A turbo (host cross compiler) build failed where an emulated one would not: retried emulated. */
  'turbo-incompatible',
  'timeout',
  'permanent',
] as const;
export const FailureClass = z.enum(FAILURE_CLASSES);
export type FailureClass = z.infer<typeof FailureClass>;

export const BUILD_PHASES = ['fetch', 'prepare', 'build', 'repair', 'test'] as const;
export const BuildPhase = z.enum(BUILD_PHASES);

export const Attempt = z.object({
  n: z.number().int().positive(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number().nonnegative(),
  status: z.enum(['success', 'failure']),
  /** Phase that failed, when it failed. */
  phase: BuildPhase.optional(),
  failureClass: FailureClass.optional(),
  /** Hint that matched this attempt's failure log. */
  matchedHint: z.string().optional(),
  /** Hints whose remedies were in force during this attempt. */
  hintsApplied: z.array(z.string()),
  /** True when a timeout killed the attempt. */
  killed: z.boolean().default(false),
  /** Log file of this attempt, relative to the result file. */
  log: z.string().optional(),
  /** Which compilers this attempt used (absent in results from before turbo builds: emulated). */
  compiler: Compiler.optional(),
});
export type Attempt = z.infer<typeof Attempt>;

export const WheelInfo = z.object({
  filename: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  tags: z.array(z.string()),
});

/** What one unit's build leaves next to its wheel: `<unit id>.result.json`. */
export const BuildResult = z.object({
  schema: z.literal('refinery/result@1'),
  unit: z.object({
    id: z.string(),
    package: z.string(),
    version: z.string(),
    python: z.string(),
    targets: z.array(z.string()),
  }),
  status: z.enum(['success', 'failure']),
  wheel: WheelInfo.optional(),
  attempts: z.array(Attempt).min(1),
  executor: z.enum(['container', 'native', 'host']),
  preset: z.string(),
  image: z.string().optional(),
  imageDigest: z.string().optional(),
  /** Compilers of the final attempt: `turbo` (host cross compilers) or `emulated`. */
  compiler: Compiler.optional(),
  /** The turbo toolchain when one was used (e.g. `gcc 12.2.0-14cross1, rust 1.85.0+dfsg3-1~deb12u3`). */
  toolchain: z.string().optional(),
  runner: z.string().optional(),
  runUrl: z.string().optional(),
  sdist: z.object({ filename: z.string(), sha256: z.string() }),
  /** Hash of every input that changes the wheel: sdist, image digest, python, hints, env, frontend. */
  inputsFingerprint: z.string(),
  phaseDurationsMs: z.record(z.string(), z.number()),
  log: z.string(),
});
export type BuildResult = z.infer<typeof BuildResult>;
