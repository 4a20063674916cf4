import type { PackageManager } from '../../domain/model/preset.js';
import { LIBRARY_NAME } from './wheel-contents.js';

/**
 * The system packages that provide the libraries a wheel needs, found where they are installed:
 * in the build session (the remedies put the -dev packages there, which pull in the runtime
 * libraries), the loader resolves each library to its file and the image's own package manager
 * says which package owns that file. Nothing is taken from a hand-written table, so the answer is
 * the image's (Debian 12: libjpeg.so.62 -> libjpeg62-turbo).
 *
 * The library names arrive in sys.argv (already checked against LIBRARY_NAME); the script is a
 * constant. It prints one line `REFINERY-LIBS {"name": ["/path/as/linked", "/real/file"], ...}`:
 * a library the loader cannot find maps to an empty list.
 */
export const LOCATE_SCRIPT = String.raw`
import ctypes, json, os, sys
def mapped():
    paths = set()
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split(None, 5)
            if len(parts) == 6 and parts[5].startswith("/"):
                paths.add(parts[5].strip())
    return paths
out = {}
for name in json.loads(sys.argv[1]):
    before = mapped()
    found = []
    try:
        ctypes.CDLL(name)
    except OSError:
        out[name] = found
        continue
    # The file just mapped whose folder holds the name (the soname link) is the library itself.
    for p in sorted(mapped() - before) or sorted(before):
        link = os.path.join(os.path.dirname(p), name)
        if os.path.exists(link) and os.path.realpath(link) == os.path.realpath(p):
            found = [link, os.path.realpath(p)]
            break
    out[name] = found
print("REFINERY-LIBS " + json.dumps(out))
`;

/** What the record keeps: which package manager and which of its packages the wheel needs at run time. */
export interface RuntimePackages {
  manager: Exclude<PackageManager, 'none'>;
  packages: string[];
  /** Libraries no package was found for (not installed in the build session, or owned by none). */
  unresolved: string[];
}

/** Parses LOCATE_SCRIPT's line; the output is the image's, so anything unexpected is dropped. */
export function parseLocated(output: string, names: readonly string[]): Map<string, string[]> {
  const line = output.split('\n').find((l) => l.startsWith('REFINERY-LIBS '));
  const found = new Map<string, string[]>();
  if (!line) return found;
  let data: unknown;
  try {
    data = JSON.parse(line.slice('REFINERY-LIBS '.length));
  } catch {
    return found;
  }
  if (typeof data !== 'object' || data === null) return found;
  for (const name of names) {
    const paths = (data as Record<string, unknown>)[name];
    if (!Array.isArray(paths)) continue;
    const ok = paths.filter((p): p is string => typeof p === 'string' && SAFE_PATH.test(p) && !p.split('/').includes('..'));
    if (ok.length > 0) found.set(name, ok);
  }
  return found;
}

/** An absolute file path as library folders spell them: no spaces, quotes or control characters. */
const SAFE_PATH = /^\/[A-Za-z0-9._+\-/]{1,400}$/;

/**
 * Both spellings of a path on a merged-/usr system: Debian 12's dpkg knows a file only by the path
 * its package ships (`/lib/s390x-linux-gnu/libz.so.1`), while the loader reports `/usr/lib/...`.
 */
export function ownerQueryPaths(pm: PackageManager, paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    out.add(p);
    if (pm !== 'apt') continue;
    if (p.startsWith('/usr/lib/')) out.add(p.slice(4));
    else if (p.startsWith('/lib/')) out.add(`/usr${p}`);
  }
  return [...out];
}

/** argv asking the package manager which packages own these files (never a shell). */
export function ownerCommand(pm: PackageManager, paths: readonly string[]): string[] | undefined {
  if (paths.length === 0) return undefined;
  switch (pm) {
    case 'apt':
      return ['dpkg-query', '--search', '--', ...paths];
    case 'dnf':
    case 'yum':
      return ['rpm', '--query', '--file', '--queryformat', 'REFINERY-OWNER %{NAME}\\n', '--', ...paths];
    case 'apk':
      return ['apk', 'info', '--who-owns', '--', ...paths];
    case 'none':
      return undefined;
  }
}

/** A package name as the managers print them, never an option. */
const PACKAGE = /^[A-Za-z0-9][A-Za-z0-9+._-]{0,127}$/;

/**
 * The owners of the queried files (the spellings of one library) in the package manager's answer.
 * The output is the image's and may hold anything, so only lines of the exact shape are read and
 * every name is checked.
 */
export function parseOwners(pm: PackageManager, output: string, paths: readonly string[]): string[] {
  const owners = new Set<string>();
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (pm === 'apt') {
      // `libjpeg62-turbo:s390x: /usr/lib/s390x-linux-gnu/libjpeg.so.62` (several owners: `a, b: /path`).
      const sep = line.lastIndexOf(': ');
      if (sep < 0 || !paths.includes(line.slice(sep + 2))) continue;
      for (const p of line.slice(0, sep).split(', ')) {
        const name = p.replace(/:[a-z0-9-]+$/, '');
        if (PACKAGE.test(name)) owners.add(name);
      }
    } else if (pm === 'dnf' || pm === 'yum') {
      // Our query format, one line per owned file asked about: `REFINERY-OWNER libjpeg-turbo`.
      const m = /^REFINERY-OWNER (\S+)$/.exec(line);
      if (m && PACKAGE.test(m[1]!)) owners.add(m[1]!);
    } else if (pm === 'apk') {
      // `/usr/lib/libjpeg.so.8 is owned by libjpeg-turbo-3.0.4-r0`: the name without version and release.
      const at = line.indexOf(' is owned by ');
      if (at < 0 || !paths.includes(line.slice(0, at))) continue;
      const name = line.slice(at + ' is owned by '.length).replace(/-\d[^-]*-r\d+$/, '');
      if (PACKAGE.test(name)) owners.add(name);
    }
  }
  return [...owners].sort();
}

/** Library names the locate script may be given. */
export function locatable(libs: readonly string[]): string[] {
  return libs.filter((l) => LIBRARY_NAME.test(l)).slice(0, 200);
}
