/**
 * What the index client reads inside distributions: the core metadata of a wheel or sdist, and
 * the `[build-system] requires` of an sdist's pyproject.toml. Members are read in place, nothing
 * is extracted.
 */
import { basename } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { listArchiveFiles, readArchiveMember } from '../../adapters/archive.js';
import { RefineryError } from '../../errors.js';

/** What pip assumes when an sdist has no pyproject.toml or no [build-system] table. */
export const DEFAULT_BUILD_REQUIRES: readonly string[] = ['setuptools>=40.8.0'];

const WHEEL_METADATA = /^[^/]+\.dist-info\/METADATA$/;
// Top-level PKG-INFO only: `name-version/PKG-INFO`, not the copy inside an .egg-info directory.
const SDIST_PKG_INFO = /^[^/]+\/PKG-INFO$/;
const SDIST_PYPROJECT = /^[^/]+\/pyproject\.toml$/;

/** `filename` names the distribution when `wheelPath` does not end with it (a cache blob). */
export async function readWheelMetadata(wheelPath: string, filename = basename(wheelPath)): Promise<string> {
  const member = await readArchiveMember(wheelPath, WHEEL_METADATA, { filename });
  if (!member) throw missing(filename, '*.dist-info/METADATA');
  return member.data.toString('utf8');
}

export async function readSdistPkgInfo(sdistPath: string, filename = basename(sdistPath)): Promise<string> {
  const member = await readArchiveMember(sdistPath, SDIST_PKG_INFO, { filename });
  if (!member) throw missing(filename, '<name>-<version>/PKG-INFO');
  return member.data.toString('utf8');
}

const PyProject = z.object({
  'build-system': z
    .object(
      {
        requires: z.array(z.string(), { error: 'must be a list of requirement strings' }),
        'build-backend': z.string().optional(),
      },
      { error: 'must be a table' },
    )
    .optional(),
});

/** `[build-system] requires` of an sdist, or pip's default when the sdist does not say. */
export async function readSdistBuildRequires(sdistPath: string, filename = basename(sdistPath)): Promise<string[]> {
  const member = await readArchiveMember(sdistPath, SDIST_PYPROJECT, { filename });
  if (!member) return [...DEFAULT_BUILD_REQUIRES];
  const where = `${filename}!${member.path}`;
  let raw: unknown;
  try {
    raw = parseToml(member.data.toString('utf8'));
  } catch (e) {
    throw new RefineryError('input', `${where} is not valid TOML: ${(e as Error).message.split('\n')[0]}`, {
      location: { file: where },
      fix: 'the sdist is broken upstream; pin another version or add a recipe for it',
    });
  }
  if (!raw || typeof raw !== 'object' || !('build-system' in raw)) return [...DEFAULT_BUILD_REQUIRES];
  const build = (raw as Record<string, unknown>)['build-system'];
  if (build && typeof build === 'object' && !('requires' in build)) {
    // pip refuses this too: a [build-system] table without its mandatory `requires` key.
    throw new RefineryError('input', `${where}: [build-system] has no "requires" key`, {
      location: { file: where, field: 'build-system.requires' },
      fix: 'the sdist is broken upstream; pin another version or add a recipe for it',
    });
  }
  const parsed = PyProject.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RefineryError('input', `${where}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, {
      location: { file: where, field: issue?.path.join('.') ?? '' },
      fix: 'the sdist is broken upstream; pin another version or add a recipe for it',
    });
  }
  return [...(parsed.data['build-system']?.requires ?? DEFAULT_BUILD_REQUIRES)];
}

/** What an sdist compiles: source bytes by language, tests, docs and data left out. */
export interface SdistSource {
  /** Bytes of compiled-language and Cython sources (not Python, not tests, docs or data). */
  bytes: number;
  /** Languages with at least one source file, sorted: c, cpp, cython, fortran, rust. */
  languages: string[];
  /** The `-sys` crates of its Cargo.lock (Rust bindings to a system library: openssl-sys), sorted. */
  sysCrates?: string[];
}

const LANGUAGE_OF: ReadonlyArray<[RegExp, string]> = [
  [/\.(c|h)$/i, 'c'],
  [/\.(cc|cpp|cxx|c\+\+|hh|hpp|hxx|ipp)$/i, 'cpp'],
  [/\.(pyx|pxd|pxi)$/i, 'cython'],
  [/\.(f|f77|f90|f95|f03|for)$/i, 'fortran'],
  [/\.rs$/, 'rust'],
];
// Directories whose files a wheel build does not compile (pillow ships 47 MB of test images).
const NOT_BUILT = /(^|\/)(tests?|testing|testsuite|docs?|examples?|benchmarks?|bench|data|fixtures|samples|images|\.github)\//i;

/** The sdist's compiled sources, from its member list. */
export function sdistSource(files: ReadonlyArray<{ path: string; size: number }>): SdistSource {
  let bytes = 0;
  const languages = new Set<string>();
  for (const f of files) {
    if (NOT_BUILT.test(f.path)) continue;
    const lang = LANGUAGE_OF.find(([re]) => re.test(f.path))?.[1];
    if (!lang) continue;
    bytes += f.size;
    languages.add(lang);
  }
  return { bytes, languages: [...languages].sort() };
}

export async function readSdistSource(sdistPath: string, filename = basename(sdistPath)): Promise<SdistSource> {
  const source = sdistSource(await listArchiveFiles(sdistPath, { filename }));
  if (!source.languages.includes('rust')) return source;
  // The system libraries a Rust build links come from its -sys crates (cryptography: openssl-sys).
  const lock = await readArchiveMember(sdistPath, (p) => /(^|\/)Cargo\.lock$/.test(p) && !NOT_BUILT.test(p), { filename, maxBytes: 4 * 1024 ** 2 });
  const crates = lock ? [...lock.data.toString('utf8').matchAll(/^name = "([A-Za-z0-9_-]+-sys)"$/gm)].map((m) => m[1]!) : [];
  return crates.length > 0 ? { ...source, sysCrates: [...new Set(crates)].sort() } : source;
}

function missing(filename: string, what: string): RefineryError {
  return new RefineryError('input', `${filename} has no ${what}`, {
    fix: 'the distribution is malformed; pin another version of the project',
  });
}
