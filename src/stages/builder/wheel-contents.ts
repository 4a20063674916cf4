import { basename } from 'node:path';
import { readZipMembers } from '../../adapters/archive.js';
import { ElfError, isElf, isSharedObjectName, parseElf } from '../../domain/python/elf.js';

/** What the smoke test imports and checks in a wheel, read from its members (the RECORD's files). */
export interface WheelContents {
  /**
   * Top-level modules and packages to import: root modules, and for each folder path the first
   * folder with an `__init__.py` (a namespace package such as `ruamel` has none: `ruamel.yaml.clib`
   * is imported instead).
   */
  modules: string[];
  /** Every Python extension module (`PIL._imaging`, `markupsafe._speedups`). */
  extensions: string[];
  /** Libraries the wheel's shared objects need (DT_NEEDED) that the wheel does not carry itself. */
  needed: string[];
  /** ELF machines of its shared objects (22: s390x). */
  machines: number[];
  /** Shared objects that are not valid ELF, with why. */
  badObjects: { member: string; error: string }[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `_speedups.cpython-311-s390x-linux-gnu.so`, `_rust.abi3.so`, `_x.so`: an extension module's file. */
const EXTENSION = /^([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z0-9_-]+)?\.so$/;
/** A library name the smoke test may hand to the loader: a plain file name, nothing path-like. */
export const LIBRARY_NAME = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/;

/** Where a member lands in site-packages: `.data/purelib|platlib/` stripped; undefined when not importable there. */
function sitePath(member: string): string[] | undefined {
  const parts = member.split('/');
  if (parts[0]?.endsWith('.data')) {
    if (parts.length < 3 || (parts[1] !== 'purelib' && parts[1] !== 'platlib')) return undefined;
    return parts.slice(2);
  }
  if (parts[0]?.endsWith('.dist-info')) return undefined;
  return parts;
}

export async function inspectWheel(wheelPath: string): Promise<WheelContents> {
  const { paths, members } = await readZipMembers(wheelPath, isSharedObjectName, { filename: basename(wheelPath) });
  const files = paths.filter((p) => !p.endsWith('/'));
  const site = files.map(sitePath).filter((p): p is string[] => p !== undefined && p.length > 0);
  const inits = new Set(site.filter((p) => p.at(-1) === '__init__.py').map((p) => p.slice(0, -1).join('/')));

  const modules = new Set<string>();
  const extensions = new Set<string>();
  for (const p of site) {
    const file = p.at(-1)!;
    const dirs = p.slice(0, -1);
    if (p[0] === '__pycache__' || !dirs.every((d) => IDENT.test(d))) continue;
    const ext = EXTENSION.exec(file);
    if (ext) extensions.add([...dirs, ext[1]!].join('.'));
    // The shallowest real package on this path; a root-level module; or, on a path with no
    // package at all (a namespace of plain modules), the module itself.
    const depth = dirs.findIndex((_, i) => inits.has(dirs.slice(0, i + 1).join('/')));
    if (depth >= 0) modules.add(dirs.slice(0, depth + 1).join('.'));
    else if (file.endsWith('.py') && IDENT.test(file.slice(0, -3))) modules.add([...dirs, file.slice(0, -3)].join('.'));
    else if (ext) modules.add([...dirs, ext[1]!].join('.'));
  }

  // Libraries the wheel brings (auditwheel's `pkg.libs/`, or an extension another links to).
  const carried = new Set(files.map((f) => f.split('/').at(-1)!));
  const needed = new Set<string>();
  const machines = new Set<number>();
  const badObjects: WheelContents['badObjects'] = [];
  for (const m of members) {
    if (!isElf(m.data)) {
      badObjects.push({ member: m.path, error: 'not an ELF shared object' });
      continue;
    }
    try {
      const elf = parseElf(m.data);
      machines.add(elf.machine);
      if (elf.soname) carried.add(elf.soname);
      for (const n of elf.needed) needed.add(n);
    } catch (e) {
      if (!(e instanceof ElfError)) throw e;
      badObjects.push({ member: m.path, error: e.message });
    }
  }
  return {
    modules: [...modules].sort(),
    extensions: [...extensions].sort(),
    needed: [...needed].filter((n) => !carried.has(n) && LIBRARY_NAME.test(n)).sort(),
    machines: [...machines].sort((a, b) => a - b),
    badObjects,
  };
}
