import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  run
} from "./chunk-QBG53UBP.js";
import {
  isValidVersion,
  normalizeVersion,
  satisfies
} from "./chunk-LXHUYZ3X.js";
import {
  normalizeName
} from "./chunk-YWKCAFSO.js";
import {
  targetId
} from "./chunk-5IHKWE6W.js";
import {
  RefineryError
} from "./chunk-CZQUZSVW.js";

// src/python/filenames.ts
var SDIST_EXTENSIONS = ["tar.gz", "tar.bz2", "tar.xz", "tgz", "zip", "tar"];
var WHEEL_NAME_PART = /^[\p{L}\p{N}_.]+$/u;
function invalid(filename, why) {
  return new RefineryError("input", `invalid distribution filename ${JSON.stringify(filename)}: ${why}`, {
    fix: "wheel names look like name-1.0-cp312-cp312-manylinux_2_28_s390x.whl, sdists like name-1.0.tar.gz"
  });
}
function isWheel(filename) {
  return filename.endsWith(".whl");
}
function isSdist(filename) {
  return sdistFormat(filename) !== void 0;
}
function sdistFormat(filename) {
  const lower = filename.toLowerCase();
  return SDIST_EXTENSIONS.find((ext) => lower.endsWith(`.${ext}`));
}
function parseWheelFilename(filename) {
  if (!filename.endsWith(".whl")) throw invalid(filename, "extension must be '.whl'");
  const stem = filename.slice(0, -".whl".length);
  const parts = stem.split("-");
  if (parts.length !== 5 && parts.length !== 6) {
    throw invalid(filename, `expected 5 or 6 dash-separated parts, found ${parts.length}`);
  }
  const namePart = parts[0] ?? "";
  const versionRaw = parts[1] ?? "";
  if (namePart.includes("__") || !WHEEL_NAME_PART.test(namePart)) {
    throw invalid(filename, `invalid project name ${JSON.stringify(namePart)}`);
  }
  const version = normalizeVersion(versionRaw);
  if (version === null) throw invalid(filename, `invalid version ${JSON.stringify(versionRaw)}`);
  let build;
  if (parts.length === 6) {
    const raw = parts[2] ?? "";
    const m = /^(\d+)(.*)$/s.exec(raw);
    if (!m) throw invalid(filename, `build tag ${JSON.stringify(raw)} must start with a digit`);
    build = { number: Number(m[1]), rest: m[2] ?? "", raw };
  }
  const [py, abi, plat] = parts.slice(-3).map((p) => p.toLowerCase().split("."));
  const tags = [];
  for (const p of py) for (const a of abi) for (const pl of plat) tags.push(`${p}-${a}-${pl}`);
  return {
    name: normalizeName(namePart),
    version,
    versionRaw,
    ...build ? { build } : {},
    pythonTags: py,
    abiTags: abi,
    platformTags: plat,
    tags: [...new Set(tags)]
  };
}
function parseSdistFilename(filename, projectName) {
  const format = sdistFormat(filename);
  if (!format) throw invalid(filename, `extension must be one of ${SDIST_EXTENSIONS.map((e) => `.${e}`).join(", ")}`);
  const stem = filename.slice(0, -(format.length + 1));
  if (projectName !== void 0) {
    const wanted = normalizeName(projectName);
    for (let i = stem.indexOf("-"); i > 0; i = stem.indexOf("-", i + 1)) {
      if (normalizeName(stem.slice(0, i)) !== wanted) continue;
      const versionRaw2 = stem.slice(i + 1);
      const version2 = normalizeVersion(versionRaw2);
      if (version2 !== null) return { name: wanted, version: version2, versionRaw: versionRaw2, format };
    }
    throw invalid(filename, `it does not start with project ${JSON.stringify(projectName)} followed by a valid version`);
  }
  const dash = stem.lastIndexOf("-");
  if (dash < 0) throw invalid(filename, "no dash separates name and version");
  const versionRaw = stem.slice(dash + 1);
  const version = normalizeVersion(versionRaw);
  if (version === null || !isValidVersion(versionRaw)) throw invalid(filename, `invalid version ${JSON.stringify(versionRaw)}`);
  return { name: normalizeName(stem.slice(0, dash)), version, versionRaw, format };
}

// src/python/environment.ts
var DEFAULT_PATCH = {
  "3.8": "3.8.20",
  "3.9": "3.9.25",
  "3.10": "3.10.19",
  "3.11": "3.11.14",
  "3.12": "3.12.12",
  "3.13": "3.13.9",
  "3.14": "3.14.0"
};
function markerEnvironment(opts) {
  const full = opts.fullVersion ?? DEFAULT_PATCH[opts.python] ?? `${opts.python}.0`;
  return {
    implementation_name: "cpython",
    implementation_version: full,
    os_name: "posix",
    platform_machine: "s390x",
    platform_release: opts.platformRelease ?? "",
    platform_system: "Linux",
    platform_version: opts.platformVersion ?? "",
    python_full_version: full,
    platform_python_implementation: "CPython",
    python_version: opts.python,
    sys_platform: "linux",
    ...opts.extras ? { extras: opts.extras } : {},
    ...opts.dependencyGroups ? { dependency_groups: opts.dependencyGroups } : {}
  };
}

// src/scan/classify.ts
async function classify(c, target, targetId2, excludedRule, deps) {
  const base = { name: c.name, version: c.version, python: target.python, target: targetId2, depth: c.depth, requiredBy: c.requiredBy };
  if (excludedRule) return { ...base, status: "excluded", rule: excludedRule, reason: excludedRule };
  const files = await deps.filesOf(c.name, c.version);
  const wheel = deps.bestWheel(files, target);
  if (wheel) return { ...base, status: "upstream-wheel", wheel, reason: wheel.filename };
  const full = DEFAULT_PATCH[target.python] ?? `${target.python}.0`;
  const sdists = files.filter(
    (f) => deps.isSdist(f.filename) && f.yanked === false && (!f.requiresPython || satisfies(full, f.requiresPython))
  );
  const sdist = sdists.find((f) => f.filename.endsWith(".tar.gz")) ?? sdists[0];
  const built = deps.built(c.name, c.version, target);
  if (built) return { ...base, status: "built", ref: built.filename, ...sdist ? { sdist } : {}, reason: `built by the refinery: ${built.filename}` };
  if (!sdist) {
    const wheels = files.filter((f) => f.filename.endsWith(".whl"));
    const excludedByPython = files.find((f) => f.requiresPython && !satisfies(full, f.requiresPython));
    const reason = files.length === 0 ? "no files for this version on any index" : excludedByPython && deps.isSdist(excludedByPython.filename) ? `its sdist requires Python ${excludedByPython.requiresPython}` : `no sdist, and none of its ${wheels.length} wheel(s) fits ${targetId2}`;
    return { ...base, status: "no-source", reason };
  }
  const failing = deps.knownFailing(c.name, c.version, target);
  if (failing) return { ...base, status: "known-failing", ref: failing.attempt, sdist, reason: `failed: ${failing.reason} (${failing.attempt})` };
  const abi = files.some((f) => f.filename.endsWith(".whl") && deps.wheelAbi(f.filename) === "abi3") ? "abi3" : "cpython";
  const buildRequires = await deps.buildRequires(sdist);
  return { ...base, status: "needs-build", sdist, abi, buildRequires, reason: sdist.filename };
}

// src/scan/exclude.ts
function excludedBy(name, version, include, exclude) {
  for (const rule of exclude) {
    const pattern = typeof rule === "string" ? rule : rule.pattern;
    if (matches(pattern, name, version)) {
      const why = typeof rule === "string" ? "" : rule.reason ? `: ${rule.reason}` : "";
      return `exclude '${pattern}'${why}`;
    }
  }
  if (include.length > 0 && !include.some((p) => matches(p, name, version))) {
    return `not matched by include (${include.join(", ")})`;
  }
  return void 0;
}
function matches(pattern, name, version) {
  const [namePart, versionPart] = pattern.split("==", 2);
  if (versionPart !== void 0 && versionPart.trim() !== version) return false;
  const normalized = namePart.trim().toLowerCase().replace(/[-_.]+/g, "-");
  const re = new RegExp(`^${normalized.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(name);
}

// src/scan/resolve.ts
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
var TOP = "<top>";
async function resolveUniversal(req) {
  const dir = await mkdtemp(join(tmpdir(), "refinery-resolve-"));
  try {
    const input = join(dir, "requirements.in");
    await writeFile(input, `${req.requirements.join("\n")}
`);
    const args = [
      "pip",
      "compile",
      input,
      "--universal",
      "--python-version",
      req.python,
      "--no-header",
      "--annotation-style",
      "line",
      // pip merges files from every index; uv's default stops at the first index that has a name.
      "--index-strategy",
      "unsafe-best-match",
      "--no-config",
      "--no-python-downloads",
      "--quiet"
    ];
    if (req.constraints.length > 0) {
      const constraints = join(dir, "constraints.txt");
      await writeFile(constraints, `${req.constraints.join("\n")}
`);
      args.push("--constraint", constraints);
    }
    if (req.cacheDir) args.push("--cache-dir", req.cacheDir);
    if (req.excludeNewer) args.push("--exclude-newer", req.excludeNewer);
    const env = {
      UV_INDEX_URL: req.indexUrl,
      UV_NO_PROGRESS: "1"
    };
    if (req.extraIndexUrls.length > 0) env.UV_EXTRA_INDEX_URL = req.extraIndexUrls.join(" ");
    const r = await run(req.uv, args, { env, timeoutMs: req.timeoutMs ?? 6e5 });
    if (r.timedOut) {
      throw new RefineryError("resolution", `uv did not finish resolving for Python ${req.python} in time`, {
        fix: "check the index is reachable, or narrow the requirements"
      });
    }
    if (r.exitCode !== 0) {
      const why = r.stderr.trim().split("\n").slice(0, 12).join("\n  ");
      throw new RefineryError("resolution", `no resolution for Python ${req.python}:
  ${why}`, {
        fix: "relax the conflicting requirements, or check the package names and index URL"
      });
    }
    return parseCompileOutput(r.stdout, input);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
function parseCompileOutput(text, inputFile) {
  const out = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("-")) continue;
    const hash = line.indexOf("  #");
    const spec = (hash >= 0 ? line.slice(0, hash) : line).trim();
    const comment = hash >= 0 ? line.slice(hash + 3).trim() : "";
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)\s*(?:;\s*(.+))?$/.exec(spec);
    if (!m) {
      throw new RefineryError("resolution", `unexpected line in uv's output: ${line}`, {
        fix: "direct URL and editable requirements are not supported; pin a released version instead"
      });
    }
    const via = [];
    const viaText = comment.replace(/^via\s+/, "");
    if (comment.startsWith("via")) {
      for (const part of viaText.split(",")) {
        const p = part.trim();
        if (!p) continue;
        if (p.startsWith("-r ") || p === inputFile) via.push(TOP);
        else if (p.startsWith("-c ")) continue;
        else via.push(normalizeName(p.split(/[\s[]/)[0]));
      }
    }
    out.push({ name: normalizeName(m[1]), version: m[2], ...m[3] ? { marker: m[3].trim() } : {}, via });
  }
  return out;
}

// src/scan/expand.ts
function expandForTarget(lines, holds, bounds, targetId2) {
  const applicable = /* @__PURE__ */ new Map();
  for (const line of lines) {
    if (line.marker === void 0 || holds(line.marker)) {
      const prev = applicable.get(line.name);
      if (prev && prev.version !== line.version) {
        throw new RefineryError("resolution", `two versions of ${line.name} (${prev.version}, ${line.version}) apply to ${targetId2}`, {
          fix: "report this: the marker evaluation disagrees with the resolver"
        });
      }
      applicable.set(line.name, line);
    }
  }
  const children = /* @__PURE__ */ new Map();
  for (const line of applicable.values()) {
    for (const parent of line.via) {
      if (parent === TOP) continue;
      const list = children.get(parent) ?? [];
      list.push(line.name);
      children.set(parent, list);
    }
  }
  const depth = /* @__PURE__ */ new Map();
  const queue = [];
  for (const line of applicable.values()) {
    if (line.via.includes(TOP)) {
      depth.set(line.name, 0);
      queue.push(line.name);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i];
    const d = depth.get(name);
    for (const child of children.get(name) ?? []) {
      if (!depth.has(child)) {
        depth.set(child, d + 1);
        queue.push(child);
      }
    }
  }
  const cut = [];
  const reachable = [];
  for (const line of applicable.values()) {
    const d = depth.get(line.name);
    if (d === void 0) {
      cut.push({ name: line.name, version: line.version, target: targetId2, reason: "required only by packages that do not apply to this target" });
      continue;
    }
    if (d > bounds.maxDepth) {
      cut.push({ name: line.name, version: line.version, target: targetId2, reason: `depth ${d} exceeds expansion.maxDepth ${bounds.maxDepth}` });
      continue;
    }
    const requiredBy = [...new Set(line.via.filter((v) => v !== TOP && applicable.has(v)))].sort();
    reachable.push({ name: line.name, version: line.version, depth: d, requiredBy });
  }
  reachable.sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
  const kept = reachable.slice(0, bounds.maxPackages);
  for (const e of reachable.slice(bounds.maxPackages)) {
    cut.push({ name: e.name, version: e.version, target: targetId2, reason: `beyond expansion.maxPackages ${bounds.maxPackages} (depth ${e.depth})` });
  }
  kept.sort((a, b) => a.name.localeCompare(b.name));
  cut.sort((a, b) => a.name.localeCompare(b.name));
  return { kept, cut };
}

// src/scan/scan.ts
function targetsOf(config) {
  return config.targets.python.map((python) => ({ python, platform: config.targets.platform, arch: "s390x" }));
}
async function scan(set, config, services) {
  const targets = targetsOf(config);
  const bounds = { maxDepth: config.expansion.maxDepth, maxPackages: config.expansion.maxPackages };
  const cut = [];
  const work = [];
  for (const target of targets) {
    const id = targetId(target);
    const lines = set.locked ? set.locked : await services.resolve(set, target.python);
    const expanded = expandForTarget(lines, (m) => services.markerHolds(m, target), bounds, id);
    cut.push(...expanded.cut);
    for (const e of expanded.kept) work.push({ target, id, ...e });
  }
  let done = 0;
  const packages = await Promise.all(
    work.map(async (w) => {
      const rule = excludedBy(w.name, w.version, config.include, config.exclude);
      const entry = await classify(w, w.target, w.id, rule, services);
      services.onProgress?.(++done, work.length, w.name);
      return entry;
    })
  );
  packages.sort((a, b) => a.name.localeCompare(b.name) || a.target.localeCompare(b.target));
  const summary = {};
  for (const p of packages) summary[p.status] = (summary[p.status] ?? 0) + 1;
  return {
    schema: "refinery/inventory@1",
    generatedAt: (services.now?.() ?? /* @__PURE__ */ new Date()).toISOString(),
    targets: targets.map(targetId),
    packages,
    cut,
    summary
  };
}

export {
  isWheel,
  isSdist,
  parseWheelFilename,
  parseSdistFilename,
  TOP,
  resolveUniversal,
  DEFAULT_PATCH,
  markerEnvironment,
  targetsOf,
  scan
};
