import { LIBRARY_NAME, type WheelContents } from './wheel-contents.js';

/**
 * The smoke test, run by the interpreter of a fresh venv in a fresh container of the preset's
 * image (not the build's, which holds the remedies' -dev packages): install the wheel into it
 * (unpacking, as an installer does for importable files; pip under emulation costs ~15 s more),
 * import what the wheel's members name (wheel-contents.ts: top-level packages, namespace packages
 * by their first real package, every extension module) and ask the loader for each library the
 * shared objects need. The code is a constant; the wheel path and the checked names arrive in
 * sys.argv, so nothing from the package reaches a shell or the source text.
 *
 * Prints one line `REFINERY-SMOKE {json}` and exits 0; the verdict is judged by `judgeSmoke`.
 */
export const SMOKE_SCRIPT = String.raw`
import ctypes, importlib, json, os, sys, sysconfig, zipfile
wheel = sys.argv[1]
spec = json.loads(sys.argv[2])
site = sysconfig.get_paths()["platlib"]
with zipfile.ZipFile(wheel) as z:
    # Install: members go to site-packages, <name>.data/{purelib,platlib}/ too; scripts and headers
    # are not needed to import. Member paths are checked to stay inside site-packages.
    for f in z.namelist():
        parts = f.split("/")
        if parts[0].endswith(".data"):
            if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                continue
            parts = parts[2:]
        dest = os.path.realpath(os.path.join(site, *parts))
        if not dest.startswith(os.path.realpath(site) + os.sep):
            print("REFINERY-SMOKE-ERROR member escapes site-packages: " + f)
            sys.exit(2)
        if f.endswith("/"):
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as out:
            out.write(z.read(f))
importlib.invalidate_caches()

def ext_file(name):
    d, stem = os.path.split(os.path.join(site, *name.split(".")))
    if not os.path.isdir(d):
        return None
    return next((os.path.join(d, f) for f in sorted(os.listdir(d)) if f.startswith(stem + ".") and f.endswith(".so")), None)

def provided(name):
    # Whether the wheel itself holds this module (a missing one outside it is a dependency).
    base = os.path.join(site, *name.split("."))
    return os.path.isfile(os.path.join(base, "__init__.py")) or os.path.isfile(base + ".py") or ext_file(name) is not None

result = {"imported": [], "linked": [], "failed": [], "missingDeps": [], "missingLibraries": [], "byteorder": sys.byteorder}

def link(n, path):
    # Load and link an extension without importing it (ctypes binds every symbol now).
    try:
        ctypes.CDLL(path)
        result["linked"].append(n)
    except OSError as le:
        result["failed"].append({"module": n, "error": repr(le)})

for n in spec["modules"] + [e for e in spec["extensions"] if e not in spec["modules"]]:
    try:
        importlib.import_module(n)
        result["imported"].append(n)
    except ModuleNotFoundError as e:
        if e.name and not provided(e.name):
            result["missingDeps"].append({"module": n, "missing": e.name})
            # An extension whose init imports an absent dependency: at least prove it loads and
            # links (ctypes binds every symbol now, the interpreter's own included).
            path = ext_file(n) if n in spec["extensions"] else None
            if path:
                link(n, path)
        else:
            result["failed"].append({"module": n, "error": repr(e)})
    except ImportError as e:
        # CPython's words for a .so without PyInit_<name>: a plain shared library the package loads
        # with ctypes or cffi (pycryptodome's Crypto.Cipher._raw_aes), not a module: load and link it.
        path = ext_file(n) if n in spec["extensions"] else None
        if path and "does not define module export function" in str(e):
            link(n, path)
        else:
            result["failed"].append({"module": n, "error": repr(e)})
    except Exception as e:
        result["failed"].append({"module": n, "error": repr(e)})
for lib in spec["needed"]:
    try:
        ctypes.CDLL(lib)
    except OSError:
        result["missingLibraries"].append(lib)
print("REFINERY-SMOKE " + json.dumps(result))
`;

export interface SmokeReport {
  imported: string[];
  /**
   * Extension modules loaded and linked by ctypes instead of imported: their import needs an absent
   * dependency, or they are plain shared libraries without PyInit (loaded with ctypes or cffi).
   */
  linked: string[];
  failed: { module: string; error: string }[];
  missingDeps: { module: string; missing: string }[];
  missingLibraries: string[];
  byteorder: string;
}

/** The smoke script's second argument: what to import and which libraries to look for. */
export function smokeSpec(c: WheelContents): string {
  const ok = (n: string) => n.split('.').every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p));
  return JSON.stringify({ modules: c.modules.filter(ok), extensions: c.extensions.filter(ok), needed: c.needed.filter((n) => LIBRARY_NAME.test(n)) });
}

export function parseSmokeOutput(output: string): SmokeReport | undefined {
  const line = output.split('\n').find((l) => l.startsWith('REFINERY-SMOKE '));
  if (!line) return undefined;
  try {
    const r = JSON.parse(line.slice('REFINERY-SMOKE '.length)) as Partial<SmokeReport>;
    if (!Array.isArray(r.imported) || !Array.isArray(r.failed) || !Array.isArray(r.missingDeps)) return undefined;
    return {
      imported: r.imported,
      linked: Array.isArray(r.linked) ? r.linked : [],
      failed: r.failed,
      missingDeps: r.missingDeps,
      missingLibraries: r.missingLibraries ?? [],
      byteorder: String(r.byteorder),
    };
  } catch {
    return undefined;
  }
}

/**
 * What a smoke test says about the wheel. `passed`: everything imported in the fresh container.
 * `unverified`: the wheel is kept, but nothing proved it works, for a reason outside the wheel:
 * it imports nothing (its only module needs an absent dependency: argon2-cffi-bindings), or it
 * needs libraries the bare image lacks (recorded as `externalLibraries`). `failed`: an import failed for a reason of the wheel's own (a missing symbol, a
 * crash, a module of its own missing).
 */
export type SmokeVerdict =
  | { verdict: 'passed' | 'passed-with-runtime-packages'; externalLibraries: string[] }
  | { verdict: 'unverified' | 'failed'; reason: string; externalLibraries: string[] };

const MISSING_LIBRARY = /([A-Za-z0-9_+][A-Za-z0-9._+-]*\.so[.0-9]*): cannot open shared object file/;

export function judgeSmoke(r: SmokeReport): SmokeVerdict {
  const libs = [...new Set([...r.missingLibraries, ...r.failed.map((f) => MISSING_LIBRARY.exec(f.error)?.[1]).filter((x): x is string => !!x)])].sort();
  const own = r.failed.filter((f) => !MISSING_LIBRARY.test(f.error));
  if (own.length > 0) return { verdict: 'failed', reason: `import ${own[0]!.module} failed: ${own[0]!.error.slice(0, 300)}`, externalLibraries: libs };
  if (libs.length > 0) return { verdict: 'unverified', reason: `needs system libraries the bare image lacks: ${libs.join(', ')}`, externalLibraries: libs };
  if (r.imported.length === 0) {
    const deps = [...new Set(r.missingDeps.map((d) => d.missing))];
    return {
      verdict: 'unverified',
      reason: deps.length > 0 ? `imports nothing without its dependencies (${deps.join(', ')} not installed)` : 'the wheel has no importable module',
      externalLibraries: libs,
    };
  }
  return { verdict: 'passed', externalLibraries: libs };
}
