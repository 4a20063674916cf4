import { z } from 'zod';
import { Compiler } from '../model/compiler.js';
import { Frontend } from '../model/frontend.js';
import { PresetOverride } from '../model/preset.js';
import { PLATFORM_POLICIES, PythonVersion } from '../model/target.js';

/**
 * refinery.yml. Every field has a default so an empty file is a valid config; flags override it
 * (CLI > config file > shipped defaults, like cibuildwheel's option cascade).
 */

/** Like pip's default index. */
export const DEFAULT_PRIMARY_INDEX = 'https://pypi.org/simple';

/** The one default of each build limit: the config's schema and the build stage both read these. */
export const DEFAULT_LIMITS = { unitTimeoutMinutes: 180, maxAttempts: 4 } as const;

const RequirementSource = z.union([
  z.strictObject({ file: z.string().min(1).describe('A pip requirements file (may -r/-c include others).') }),
  z.strictObject({ lock: z.string().min(1).describe('A fully pinned requirements file (every line ==): used as is, no resolution.') }),
  z.strictObject({ packages: z.array(z.string().min(1)).min(1).describe('Inline PEP 508 requirements.') }),
]);

const ExtraIndex = z.union([
  z.string().url(),
  z.strictObject({
    url: z.string().url(),
    usernameEnv: z.string().optional().describe('Name of the environment variable holding the user name.'),
    passwordEnv: z.string().optional().describe('Name of the environment variable holding the password or token.'),
  }),
]);

const ExcludeRule = z.union([z.string().min(1), z.strictObject({ pattern: z.string().min(1), reason: z.string().optional() })]);

export const RefineryConfig = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).default(1).describe('Config format version.'),
  requirements: z.array(RequirementSource).default([]).describe('Where the packages to provide come from.'),
  targets: z
    .strictObject({
      python: z.array(PythonVersion).min(1).default(['3.12']).describe('CPython minor versions to build for.'),
      platform: z.enum(PLATFORM_POLICIES).default('manylinux_2_28').describe('Platform policy of the wheels (s390x).'),
    })
    .prefault({}),
  indexes: z
    .strictObject({
      primary: z.string().url().default(DEFAULT_PRIMARY_INDEX).describe('Like pip --index-url.'),
      extra: z.array(ExtraIndex).default([]).describe('Like pip --extra-index-url; files of all indexes are merged.'),
      primaryUsernameEnv: z.string().optional(),
      primaryPasswordEnv: z.string().optional(),
    })
    .prefault({}),
  expansion: z
    .strictObject({
      maxDepth: z.number().int().min(0).default(25).describe('Dependencies deeper than this are cut (0 = only what you list).'),
      maxPackages: z.number().int().min(1).default(1000).describe('At most this many packages per target; the rest are cut, deepest first.'),
    })
    .prefault({}),
  include: z.array(z.string().min(1)).default([]).describe('If set, only packages matching one of these glob patterns are built.'),
  exclude: z.array(ExcludeRule).default([]).describe('Packages never built (glob patterns on normalized names, optional ==version).'),
  preset: z.string().optional().describe('Container preset for builds (default: the preset named like targets.platform; debian-12 for linux).'),
  compiler: Compiler.default('turbo').describe(
    "turbo: compile C, C++ and Rust with the host's s390x cross compilers inside the emulated container where the build machine has the turbo toolchain and the preset allows it (else emulated); emulated: everything under QEMU.",
  ),
  frontend: Frontend.default('pip').describe(
    "PEP 517 frontend: pip (pip wheel), build (python -m build) or uv (uv build; the turbo toolchain's static x86_64 uv makes the isolated build env natively in the emulated container). The hints' patterns were proven on pip's output.",
  ),
  presets: z
    .record(z.string().regex(/^[A-Za-z0-9._-]+$/), PresetOverride)
    .default({})
    .describe('Extra presets, or overrides of shipped ones (seeds/presets.yml); `extends` names a base preset.'),
  runners: z
    .strictObject({
      native: z.array(z.string()).default([]).describe('runs-on labels of native s390x runners; when set, units run there.'),
      qemu: z.array(z.string()).min(1).default(['ubuntu-latest']).describe('runs-on labels of x86 runners that build under QEMU.'),
    })
    .prefault({}),
  limits: z
    .strictObject({
      maxJobsPerMatrix: z.number().int().min(1).max(256).default(256).describe('GitHub allows 256 jobs per matrix.'),
      maxOutputBytes: z.number().int().min(1024).default(900_000).describe('Job outputs are capped at 1 MB by GitHub.'),
      maxUnits: z.number().int().min(1).default(2000),
      unitTimeoutMinutes: z.number().min(1).default(DEFAULT_LIMITS.unitTimeoutMinutes).describe('A unit (all its attempts) is stopped after this long.'),
      maxAttempts: z
        .number()
        .int()
        .min(1)
        .max(20)
        .default(DEFAULT_LIMITS.maxAttempts)
        .describe('Attempts per unit, hint retries and transient retries included.'),
      maxParallel: z
        .number()
        .int()
        .min(1)
        .max(256)
        .default(20)
        .describe('Build jobs GitHub runs at once (the workflow max-parallel); each wave is packed into at most this many batches.'),
      jobTimeoutMinutes: z.number().min(1).default(360).describe("The runner's job time limit (360 on GitHub-hosted runners): a batch stays under it."),
      maxPageBytes: z
        .number()
        .int()
        .min(1024)
        .default(64 * 1024 ** 2)
        .describe('Largest index page (or PEP 658 metadata file) read, in bytes after decompression (default 64 MiB).'),
      maxDownloadBytes: z
        .number()
        .int()
        .min(1024)
        .default(2 * 1024 ** 3)
        .describe('Largest distribution (sdist, wheel) downloaded, in bytes after decompression (default 2 GiB).'),
    })
    .prefault({}),
  build: z
    .strictObject({
      passEnv: z
        .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name (letters, digits, _)'))
        .default([])
        .describe(
          "Variables of refinery's environment that builds may see, besides PATH, HOME, locale, TMPDIR, proxies and CA bundles (cibuildwheel's environment-pass). Nothing else of the environment reaches build code.",
        ),
    })
    .prefault({}),
  state: z.strictObject({ dir: z.string().default('.refinery') }).prefault({}),
  cacheDir: z.string().optional().describe('HTTP and download cache (default: ~/.cache/refinery).'),
});
export type RefineryConfig = z.infer<typeof RefineryConfig>;
export type RequirementSource = z.infer<typeof RequirementSource>;
export type ExcludeRule = z.infer<typeof ExcludeRule>;

/** The HTTP client's caps on decoded response bodies, from `limits`. */
export function httpLimits(config: RefineryConfig): { maxPageBytes: number; maxDownloadBytes: number } {
  return { maxPageBytes: config.limits.maxPageBytes, maxDownloadBytes: config.limits.maxDownloadBytes };
}

/** The preset builds use: the configured one, else the shipped preset that makes the target platform's wheels. */
export function effectivePreset(config: RefineryConfig): string {
  if (config.preset) return config.preset;
  return config.targets.platform === 'linux' ? 'debian-12' : config.targets.platform;
}
