import { z } from 'zod';
import { PLATFORM_POLICIES, PythonVersion } from './target.js';

/** Package managers a preset's image can install system packages with (`none`: cannot install). */
export const PACKAGE_MANAGERS = ['dnf', 'yum', 'apt', 'apk', 'none'] as const;
export const PackageManager = z.enum(PACKAGE_MANAGERS);
export type PackageManager = z.infer<typeof PackageManager>;

/** Step that turns a built wheel into one with the preset's platform tag. */
export const REPAIR_STEPS = ['auditwheel', 'none'] as const;
export const RepairStep = z.enum(REPAIR_STEPS);
export type RepairStep = z.infer<typeof RepairStep>;

/**
 * A build environment as data (seeds/presets.yml, user presets in refinery.yml): which image, how to
 * install system packages in it, where each CPython lives, and what platform tag its wheels carry.
 */
export const Preset = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"'),
  description: z.string().default(''),
  /** Container image reference (s390x variant); unused by the `host` executor. */
  image: z.string().min(1),
  packageManager: PackageManager,
  /** Interpreter path per CPython minor version, e.g. {"3.12": "/opt/python/cp312-cp312/bin/python"}. */
  python: z.record(PythonVersion, z.string().min(1)).refine((r) => Object.keys(r).length > 0, 'at least one interpreter'),
  /** Platform policy the wheels built in this image satisfy after repair. */
  platform: z.enum(PLATFORM_POLICIES),
  repair: RepairStep.default('none'),
  /**
   * For `repair: auditwheel` in an image that does not ship it (a distribution's): the platform tag
   * to repair to (`auditwheel repair --plat`; Debian 12's glibc 2.36: `manylinux_2_36_s390x`) and
   * the tools the repair phase installs first: system packages (patchelf) and pip requirements
   * (auditwheel), the latter into a venv of their own in the build container's scratch folder.
   * Without it, `auditwheel` on the image's PATH repairs to its default policy (PyPA images).
   */
  repairWith: z
    .strictObject({
      platform: z.string().regex(/^(manylinux|musllinux)_\d+_\d+_s390x$/, 'a manylinux_X_Y_s390x or musllinux_X_Y_s390x tag'),
      packages: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9+._:-]*$/, 'a package name')).default([]),
      pip: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._\-[\],<>=!~ ]*$/, 'a requirement line')).default([]),
    })
    .optional(),
  /** Environment set for every build in this preset. */
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  /** Hint ids applied from the first attempt in this preset. */
  hints: z.array(z.string()).default([]),
  /** Where the image's own (emulated) compilers live; documentation and the emulated default. */
  compilers: z
    .strictObject({
      cc: z.string().min(1),
      cxx: z.string().min(1).optional(),
      note: z.string().optional(),
    })
    .optional(),
  /**
   * Turbo builds apply: the host's s390x cross gcc (Debian 12's, glibc and libstdc++ of gcc 12)
   * matches the image's C library and C++ runtime, so its output runs there (docs/build.md).
   */
  turbo: z.boolean().default(false),
  /**
   * Toolchains the image's package manager offers in several versions (checked with its own tools,
   * e.g. `apt-cache policy` in the image): a hint with `toolchain: rust` installs the oldest that
   * meets the package's declared minimum (src/domain/hints/rust.ts).
   */
  toolchains: z
    .strictObject({
      rust: z
        .array(
          z.strictObject({
            packages: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9+._:-]*$/, 'a package name')).min(1),
            /** rustc's version, `major.minor[.patch]`. */
            version: z.string().regex(/^\d+\.\d+(\.\d+)?$/),
          }),
        )
        .default([]),
    })
    .optional(),
});
export type Preset = z.infer<typeof Preset>;

/** A user preset in config: may extend a shipped one (`extends`) and override any field. */
export const PresetOverride = Preset.omit({ name: true }).partial().extend({ extends: z.string().optional() });
export type PresetOverride = z.infer<typeof PresetOverride>;
