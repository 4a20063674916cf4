/**
 * The smoke test, run by the interpreter of a fresh venv: install the wheel into it (unpacking, as
 * an installer does for importable files; pip under emulation costs ~15 s more) and import each
 * top-level module the wheel provides. The code is a constant; the wheel path arrives in
 * sys.argv, so nothing from the package reaches a shell or the source text.
 *
 * Prints one line `REFINERY-SMOKE {json}`; exit 0 when every module imports, or when a failure is
 * only a missing runtime dependency (the wheel is installed with --no-deps).
 */
export const SMOKE_SCRIPT = String.raw`
import importlib, json, os, sys, sysconfig, zipfile
wheel = sys.argv[1]
site = sysconfig.get_paths()["platlib"]
names = []
with zipfile.ZipFile(wheel) as z:
    files = z.namelist()
    # Install: members go to site-packages, <name>.data/{purelib,platlib}/ too; scripts and headers
    # are not needed to import. Member paths are checked to stay inside site-packages.
    for f in files:
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
    tops = [f for f in files if f.endswith(".dist-info/top_level.txt")]
    if tops:
        names = [l.strip().replace("/", ".") for l in z.read(tops[0]).decode().splitlines() if l.strip()]
    else:
        for f in files:
            first = f.split("/")[0]
            if first.endswith((".dist-info", ".data")) or first == "__pycache__":
                continue
            mod = first.split(".")[0] if "/" not in f else first
            if mod not in names:
                names.append(mod)
importlib.invalidate_caches()
names = [n for n in names if n.replace(".", "_").isidentifier()]
public = [n for n in names if not n.startswith("_")]
names = public or names
result = {"imported": [], "failed": [], "missingDeps": [], "byteorder": sys.byteorder}
for n in names:
    try:
        importlib.import_module(n)
        result["imported"].append(n)
    except ModuleNotFoundError as e:
        if e.name and e.name.split(".")[0] not in names:
            result["missingDeps"].append({"module": n, "missing": e.name})
        else:
            result["failed"].append({"module": n, "error": repr(e)})
    except Exception as e:
        result["failed"].append({"module": n, "error": repr(e)})
print("REFINERY-SMOKE " + json.dumps(result))
sys.exit(1 if result["failed"] or not (result["imported"] or result["missingDeps"]) else 0)
`;

export interface SmokeReport {
  imported: string[];
  failed: { module: string; error: string }[];
  missingDeps: { module: string; missing: string }[];
  byteorder: string;
}

export function parseSmokeOutput(output: string): SmokeReport | undefined {
  const line = output.split('\n').find((l) => l.startsWith('REFINERY-SMOKE '));
  if (!line) return undefined;
  try {
    return JSON.parse(line.slice('REFINERY-SMOKE '.length)) as SmokeReport;
  } catch {
    return undefined;
  }
}
