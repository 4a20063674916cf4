import { z } from 'zod';
import { BUILD_PHASES, FailureClass } from '../model/result.js';
import { PACKAGE_MANAGERS } from '../model/preset.js';

/** A system package name as the package managers spell them; never starts with `-` (no option injection). */
export const SystemPackageName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9+._:-]*$/, 'a package name (letters, digits, + . _ : -)');
export const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

const validRegex = z
  .string()
  .min(1)
  .refine((p) => {
    try {
      new RegExp(p, 'm');
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression');

/** What to change for the next attempt. Every field is data; none of it is ever given to a shell. */
export const RemedyForm = z.strictObject({
  /** System packages to install with the preset's package manager before building. */
  packages: z.array(SystemPackageName).default([]),
  /** Environment for the build. `*FLAGS` values are appended to existing ones, others replace. */
  env: z.record(EnvName, z.string()).default({}),
  /** pip constraint lines (PIP_CONSTRAINT), e.g. `numpy>=1.26`. */
  constraints: z
    .array(
      z
        .string()
        .min(1)
        .regex(/^[^\n-]/, 'a requirement line'),
    )
    .default([]),
  /** PEP 517 config settings passed to the backend (`--config-settings key=value`). */
  configSettings: z.record(z.string().min(1), z.string()).default({}),
  /** Python requirements installed into the build interpreter first (implies no build isolation). */
  preinstall: z
    .array(
      z
        .string()
        .min(1)
        .regex(/^[^\n-]/, 'a requirement line'),
    )
    .default([]),
  /** Force build isolation on or off. */
  buildIsolation: z.boolean().optional(),
  /** `emulated`: stop using the turbo (host cross) compilers for the next attempt. */
  compiler: z.literal('emulated').optional(),
  /**
   * A folder of unpacked crates in the build container (a cargo directory source, such as Debian's
   * /usr/share/cargo/registry that librust-*-dev packages fill) that replaces crates.io: cargo
   * builds offline from it. Written into a cargo config in the unit's work folder, never elsewhere.
   */
  cargoRegistry: z
    .string()
    .regex(/^\/[A-Za-z0-9._+/-]*$/, 'an absolute path of letters, digits, . _ + - /')
    .refine((p) => !p.split('/').includes('..'), 'no .. segments')
    .optional(),
  /**
   * `rust`: the packages install a Rust toolchain; a preset that lists its Rust toolchains
   * (`toolchains.rust`) gets the one meeting the package's minimum instead (src/domain/hints/rust.ts).
   */
  toolchain: z.literal('rust').optional(),
});
export type RemedyForm = z.infer<typeof RemedyForm>;

/** Remedy per package manager, plus `any` for what applies everywhere (env, constraints ...). */
export const Remedy = z.strictObject(
  Object.fromEntries([...PACKAGE_MANAGERS.filter((m) => m !== 'none'), 'any'].map((k) => [k, RemedyForm.optional()])) as Record<
    'apt' | 'dnf' | 'yum' | 'apk' | 'any',
    z.ZodOptional<typeof RemedyForm>
  >,
);
export type Remedy = z.infer<typeof Remedy>;

export const Matcher = z.strictObject({
  /** JavaScript regular expression (multiline) searched in the failure log. */
  pattern: validRegex,
  /** Phase whose failure the pattern is meaningful for; `any` for all. */
  stage: z.enum([...BUILD_PHASES, 'any']).default('any'),
  /** Case-insensitive match. */
  ignoreCase: z.boolean().default(false),
});
export type Matcher = z.infer<typeof Matcher>;

export const Hint = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, "." and "-"'),
    class: FailureClass,
    description: z.string().min(1),
    /** Any one matcher matching is enough. */
    match: z.array(Matcher).default([]),
    /**
     * A fallback hint matches no log: the build loop applies it once when a failure matches no hint
     * at all (unclassified), as the generic next step, instead of giving up after one attempt.
     */
    fallback: z.boolean().default(false),
    /** Higher wins when several hints match the same log (specific beats generic). */
    priority: z.number().int().default(0),
    remedy: Remedy.default({}),
    /** Where the pattern and remedy come from (issue, upstream docs). */
    source: z.string().optional(),
    /**
     * Real build logs this hint was proven on: file names in the project's log corpus
     * (test/fixtures/logs, made by scripts/log-corpus.ts). A hint without any is listed as unverified.
     */
    evidence: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*\.log$/, 'a log file name from test/fixtures/logs')).default([]),
  })
  .refine((h) => h.fallback || h.match.length > 0, { path: ['match'], message: 'needs at least one matcher (only a fallback hint has none)' });
export type Hint = z.infer<typeof Hint>;

export const HintCatalog = z.strictObject({
  version: z.literal(1),
  hints: z.array(Hint),
});
export type HintCatalog = z.infer<typeof HintCatalog>;
