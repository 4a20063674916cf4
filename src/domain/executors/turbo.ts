import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonIfPresent } from '../../adapters/json-file.js';
import { RefineryError } from '../../errors.js';

/**
 * Turbo builds: the host's x86_64 cross compilers run at host speed inside the emulated s390x
 * container (Python, pip and the build backend stay emulated). The toolchain is one folder,
 * assembled by scripts/setup-turbo-toolchain.sh and mounted read-only at its `mountPoint`; every
 * x86_64 program in it has the folder's own loader as interpreter and the folder's lib/ as rpath,
 * so nothing else of the host enters the container (docs/build.md, "Turbo builds").
 */

export { COMPILERS, Compiler } from '../model/compiler.js';

export const TURBO_MANIFEST = 'turbo.json';
export const DEFAULT_TURBO_MOUNT = '/opt/refinery/turbo';

const TurboManifest = z.object({
  schema: z.literal('refinery/turbo@1'),
  mountPoint: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, 'an absolute path of letters, digits, . _ - /'),
  target: z.literal('s390x-linux-gnu'),
  gcc: z.string().min(1),
  gccPackage: z.string().optional(),
  rust: z.string().nullable().optional(),
  rustTarget: z.string().nullable().optional(),
  /** uv's version when the folder carries its static x86_64 build (frontend/uv), for `--frontend uv`. */
  uv: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, 'a uv version such as 0.13.9')
    .nullable()
    .optional(),
});

export interface TurboToolchain {
  /** Host folder (mounted read-only). */
  dir: string;
  mountPoint: string;
  gcc: string;
  /** rustc version when the folder carries Rust with the s390x std, else undefined. */
  rust?: string;
  /** uv version when the folder carries the uv frontend (`frontend/uv`), else undefined. */
  uv?: string;
  /** What enters the inputs fingerprint: a different toolchain is a different build. */
  fingerprint: string;
}

/** Where the toolchain's uv is inside the container: outside bin/, so no build meets it on PATH. */
export function turboUvPath(t: Pick<TurboToolchain, 'mountPoint'>): string {
  return `${t.mountPoint}/frontend/uv`;
}

/** PATH when an image sets none (Docker's default). */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Wrappers every turbo toolchain has; a folder without them is not one. */
const REQUIRED_WRAPPERS = ['cc', 'c++', 'ld'];

/**
 * The toolchain in `dir`, or undefined when there is none (no turbo.json). A folder that claims to
 * be one but is broken is an error: silently building emulated would hide it.
 */
export async function loadTurboToolchain(dir: string): Promise<TurboToolchain | undefined> {
  const file = join(dir, TURBO_MANIFEST);
  const fix = 'assemble it again with scripts/setup-turbo-toolchain.sh, or build with --compiler emulated';
  const m = await readJsonIfPresent(TurboManifest, file, { code: 'environment', fix, invalid: 'not a turbo toolchain manifest' });
  if (!m) return undefined;
  for (const w of [...REQUIRED_WRAPPERS, ...(m.rust ? ['cargo', 'rustc'] : [])]) {
    try {
      await access(join(dir, 'bin', w), constants.X_OK);
    } catch {
      throw new RefineryError('environment', `the turbo toolchain in ${dir} has no bin/${w}`, { location: { file }, fix });
    }
  }
  if (m.uv) {
    try {
      await access(join(dir, 'frontend', 'uv'), constants.X_OK);
    } catch {
      throw new RefineryError('environment', `the turbo toolchain in ${dir} names uv ${m.uv} but has no frontend/uv`, { location: { file }, fix });
    }
  }
  return {
    dir,
    mountPoint: m.mountPoint,
    gcc: m.gcc,
    ...(m.rust ? { rust: m.rust } : {}),
    ...(m.uv ? { uv: m.uv } : {}),
    // uv is a frontend, not a compiler: it enters the fingerprint through the unit's frontend.
    fingerprint: `gcc ${m.gccPackage ?? m.gcc}${m.rust ? `, rust ${m.rust}` : ''}`,
  };
}

/** Engine arguments that lend the toolchain to a container: one read-only bind mount. */
export function turboMountArgs(t: TurboToolchain): string[] {
  // `--mount` like the work folder's: never creates a missing host path, and no ':' parsing.
  return ['--mount', `type=bind,source=${t.dir},target=${t.mountPoint},readonly`];
}

/**
 * The build environment that makes build systems use the turbo compilers: setuptools and
 * distutils (CC, CXX, LDSHARED, LDCXXSHARED), meson and CMake (CC, CXX, AR), autotools, and
 * cargo (target, linker, the host rustc) for setuptools-rust and maturin. Explicit preset, recipe
 * or hint env is merged over it and wins.
 */
export function turboEnv(t: TurboToolchain, imagePath: string = DEFAULT_PATH): Record<string, string> {
  const bin = `${t.mountPoint}/bin`;
  const env: Record<string, string> = {
    // First on PATH too: builds that call gcc, c++ or cargo by name (setuptools-rust looks for
    // cargo and rustc there) get the turbo tools.
    PATH: `${bin}:${imagePath}`,
    CC: `${bin}/cc`,
    CXX: `${bin}/c++`,
    CPP: `${bin}/cpp`,
    LD: `${bin}/ld`,
    AR: `${bin}/ar`,
    RANLIB: `${bin}/ranlib`,
    NM: `${bin}/nm`,
    STRIP: `${bin}/strip`,
    LDSHARED: `${bin}/cc -shared`,
    LDCXXSHARED: `${bin}/c++ -shared`,
    REFINERY_COMPILER: 'turbo',
  };
  if (t.rust) {
    Object.assign(env, {
      CARGO: `${bin}/cargo`,
      RUSTC: `${bin}/rustc`,
      CARGO_BUILD_TARGET: 's390x-unknown-linux-gnu',
      CARGO_TARGET_S390X_UNKNOWN_LINUX_GNU_LINKER: `${bin}/cc`,
      // Build scripts and proc macros are host (x86_64) programs: linked by the host linker
      // wrapper so that they, too, use the folder's loader and libraries.
      CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER: `${bin}/host-cc`,
      CC_s390x_unknown_linux_gnu: `${bin}/cc`,
      CXX_s390x_unknown_linux_gnu: `${bin}/c++`,
      AR_s390x_unknown_linux_gnu: `${bin}/ar`,
    });
  }
  return env;
}

/**
 * The pyo3 interpreter config (PYO3_CONFIG_FILE) of a turbo build for CPython `python`, or
 * undefined for anything else. cargo runs build scripts on the host triple (x86_64) for the s390x
 * target, and `rustc -vV` says host x86_64: pyo3's build script and maturin both see a cross
 * build, and maturin then refuses an interpreter given by path. A config file answers both without
 * asking the interpreter, in the form maturin writes for its own cross builds (an extension module
 * links no libpython on Linux; maturin derives the `.cpython-3XY-s390x-linux-gnu.so` suffix and
 * the wheel tags from the target).
 */
export function turboPyo3Config(python: string): string | undefined {
  if (!/^3\.\d+$/.test(python)) return undefined;
  return `implementation=CPython\nversion=${python}\nshared=true\nabi3=false\nbuild_flags=WITH_THREAD\nsuppress_build_script_link_lines=false\npointer_width=64\n`;
}
