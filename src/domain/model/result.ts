import { z } from 'zod';
import { parseWheelFilename } from '../python/filenames.js';
import { isValidName, normalizeName } from '../python/names.js';
import { normalizeVersion, versionCompare } from '../python/version.js';
import { PlainName } from './files.js';
import { Compiler } from './compiler.js';
import { PackageManager } from './preset.js';

/** Failure classes a hint can assign (issue: build engine). */
export const FAILURE_CLASSES = [
  'transient',
  'missing-system-lib',
  'missing-toolchain',
  /** A toolchain is there but older than the package needs (Rust 1.63 for a crate wanting 1.74). */
  'toolchain-too-old',
  'build-dep-pin',
  'big-endian',
  'x86-only-code',
  'qemu-fault',
  /** A turbo (host cross compiler) build failed where an emulated one would not: retried emulated. */
  'turbo-incompatible',
  /** A Rust toolchain older than the package needs (rust-version, Cargo.lock version). */
  'rust-too-old',
  /**
   * A good build whose wheel did not import in a fresh container of the preset's image (a library
   * the bare image lacks, an undefined symbol): retried once differently, the wheel always kept.
   */
  'smoke-test',
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
  /** The log line that hint matched (trimmed): what a failure message quotes. */
  matchedLine: z.string().max(300).optional(),
  /** Hints whose remedies were in force during this attempt. */
  hintsApplied: z.array(z.string()),
  /**
   * The part of `hintsApplied` the plan predicted from the sdist (build requirements, sources)
   * before any attempt: history tells a predicted remedy from one a failure taught.
   */
  hintsPredicted: z.array(z.string()).optional(),
  /** True when a timeout (or a cancel) killed the attempt. */
  killed: z.boolean().default(false),
  /** Log file of this attempt: a plain name, in the folder of the result file. */
  log: PlainName.optional(),
  /** An unclassified failure's error-like log lines (src/domain/hints/evidence.ts): material for a new hint. */
  evidence: z.array(z.string().max(400)).max(20).optional(),
  /** Which compilers this attempt used (absent in results from before turbo builds: emulated). */
  compiler: Compiler.optional(),
});
export type Attempt = z.infer<typeof Attempt>;

export const WheelInfo = z.object({
  /** A plain name in the folder of the result file; must be a wheel of the unit's package and version. */
  filename: PlainName,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  tags: z.array(z.string()),
});

/** A shared library name as DT_NEEDED spells it (`libjpeg.so.62`): a plain file name. */
export const LibraryName = z
  .string()
  .regex(/^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/, 'a library file name')
  .max(200);

/** A system package name as a package manager prints it (never an option). */
export const RuntimePackageName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9+._-]*$/, 'a package name')
  .max(128);

/**
 * The system packages a wheel needs at run time: the owners of the libraries it links that the
 * bare image lacks, as the image's package manager names them (found in the build container).
 */
export const RuntimePackages = z.strictObject({
  manager: PackageManager.exclude(['none']),
  packages: z.array(RuntimePackageName).max(100),
});
export type RuntimePackages = z.infer<typeof RuntimePackages>;

export const SMOKE_VERDICTS = ['passed', 'passed-with-runtime-packages', 'unverified'] as const;

/**
 * The smoke test of a successful build's wheel, in a fresh container of the preset's image:
 * `passed`; `passed-with-runtime-packages`: it failed bare and passed once `runtimePackages` were
 * installed (users install them too); or `unverified` with the reason (the wheel is kept and
 * recorded, flagged).
 */
export const SmokeSummary = z.object({
  verdict: z.enum(SMOKE_VERDICTS),
  reason: z.string().max(500).optional(),
  /** Modules imported (and extension modules loaded) in the fresh container. */
  imported: z.array(z.string().max(200)).max(1000),
  /** Libraries the wheel's shared objects need that neither the wheel nor the bare image has. */
  externalLibraries: z.array(LibraryName).max(200),
  /** Python packages the imports needed that were not installed (the wheel goes in without its dependencies). */
  missingDependencies: z.array(z.string().max(200)).max(200).optional(),
  /** What the wheel needs installed to import (present when the libraries were mapped to packages). */
  runtimePackages: RuntimePackages.optional(),
  /**
   * The first smoke test's failure, in the bare container: its class (`smoke-test`), the hint and
   * line that classified it, and how it was retried (`runtime-packages`: in another fresh container
   * with them installed; `none`: nothing different to try).
   */
  firstFailure: z
    .strictObject({
      failureClass: FailureClass,
      matchedHint: z.string().max(100).optional(),
      matchedLine: z.string().max(300).optional(),
      retry: z.enum(['runtime-packages', 'none']),
    })
    .optional(),
});
export type SmokeSummary = z.infer<typeof SmokeSummary>;

/**
 * What one unit's build leaves next to its wheel: `<unit id>.result.json`. Build jobs run package
 * build code, so a result is untrusted input: every name in it that becomes a path is a plain name
 * (`PlainName`), and the wheel must be named for the unit's package and version.
 */
export const BuildResult = z
  .object({
    schema: z.literal('refinery/result@1'),
    unit: z.object({
      id: PlainName,
      package: z.string().refine(isValidName, 'a valid project name (PEP 508: letters, digits and inner . _ -)'),
      version: PlainName.refine((v) => normalizeVersion(v) !== null, 'a valid PEP 440 version'),
      python: z.string(),
      targets: z.array(z.string()),
    }),
    /**
     * `cancelled`: refinery was asked to stop (SIGTERM/SIGINT) before the build ended; the result
     * says nothing about the package, so `refinery record` counts it but records no history.
     */
    status: z.enum(['success', 'failure', 'cancelled']),
    wheel: WheelInfo.optional(),
    /** The wheel's smoke test (absent in results from before the fresh-container test). */
    smoke: SmokeSummary.optional(),
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
    sdist: z.object({ filename: PlainName, sha256: z.string() }),
    /** Hash of every input that changes the wheel: sdist, image digest, python, hints, env, frontend. */
    inputsFingerprint: z.string(),
    phaseDurationsMs: z.record(z.string(), z.number()),
    /** The unit's whole log: a plain name, in the folder of the result file. */
    log: PlainName,
  })
  .superRefine((r, ctx) => {
    if (!r.wheel) return;
    const why = wheelMismatch(r.wheel.filename, r.unit.package, r.unit.version);
    if (why) ctx.addIssue({ code: 'custom', path: ['wheel', 'filename'], message: why });
  });
export type BuildResult = z.infer<typeof BuildResult>;

/** Why `filename` is not a wheel of `pkg` `version` (undefined when it is one). */
export function wheelMismatch(filename: string, pkg: string, version: string): string | undefined {
  let w: ReturnType<typeof parseWheelFilename>;
  try {
    w = parseWheelFilename(filename);
  } catch {
    return 'not a valid wheel filename (name-version[-build]-python-abi-platform.whl)';
  }
  if (w.name !== normalizeName(pkg)) return `a wheel of another project than ${pkg}`;
  // PEP 440 equality, as pip compares: 1.0 and 1.0.0 are one version.
  if (normalizeVersion(version) === null || versionCompare(w.version, version) !== 0) return `a wheel of another version than ${version}`;
  return undefined;
}

/** The line a failure message quotes: the matched hint's line, else the first error-like line. */
export function firstEvidence(a: Pick<Attempt, 'matchedLine' | 'evidence'>): string | undefined {
  return a.matchedLine ?? a.evidence?.[0];
}
