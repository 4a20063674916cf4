import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  table
} from "./chunk-BOAFMWDQ.js";
import {
  HintCatalog,
  seedsDir
} from "./chunk-NWFIOEDQ.js";
import {
  print,
  printJson
} from "./chunk-CIHJ7QN7.js";
import {
  BUILD_PHASES,
  require_dist
} from "./chunk-5IHKWE6W.js";
import {
  RefineryError,
  __toESM
} from "./chunk-CZQUZSVW.js";

// src/cli/commands/hints.ts
import { readFile as readFile2 } from "node:fs/promises";
import { join, resolve } from "node:path";

// src/hints/catalog.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFile } from "node:fs/promises";
function parseHintCatalog(text, file) {
  const doc = (0, import_yaml.parseDocument)(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    throw new RefineryError("config", `not valid YAML: ${err.message.split("\n")[0]}`, {
      location: { file, ...err.linePos?.[0] ? { line: err.linePos[0].line } : {} },
      fix: "fix the YAML syntax at that line"
    });
  }
  const parsed = HintCatalog.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RefineryError("config", `invalid hint catalog: ${issue.message}`, {
      location: { file, field: issue.path.map(String).join(".") || "(top level)" },
      fix: "see docs/hints.md for the hint format"
    });
  }
  const seen = /* @__PURE__ */ new Set();
  parsed.data.hints.forEach((h, i) => {
    if (seen.has(h.id)) {
      throw new RefineryError("config", `duplicate hint id '${h.id}'`, { location: { file, field: `hints.${i}.id` }, fix: "give every hint a unique id" });
    }
    seen.add(h.id);
  });
  return parsed.data;
}
async function loadHintCatalog(file) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new RefineryError("config", `cannot read hint catalog: ${e.code ?? String(e)}`, {
      location: { file },
      fix: "pass an existing hints file"
    });
  }
  return parseHintCatalog(text, file);
}
function mergeCatalogs(...catalogs) {
  const byId = /* @__PURE__ */ new Map();
  for (const c of catalogs) for (const h of c.hints) byId.set(h.id, h);
  return { version: 1, hints: [...byId.values()] };
}
function hintById(catalog, id) {
  return catalog.hints.find((h) => h.id === id);
}

// src/hints/match.ts
var MAX_LOG_CHARS = 2e6;
function matchLog(catalog, log, phase) {
  const text = log.length > MAX_LOG_CHARS ? log.slice(-MAX_LOG_CHARS) : log;
  const found = [];
  catalog.hints.forEach((hint, order) => {
    const m = firstMatch(hint, text, phase);
    if (m) found.push({ ...m, order });
  });
  found.sort((a, b) => b.priority - a.priority || b.offset - a.offset || a.order - b.order);
  return found.map(({ offset: _o, order: _r, ...m }) => m);
}
function firstMatch(hint, text, phase) {
  let best;
  for (const m of hint.match) {
    if (phase !== void 0 && m.stage !== "any" && m.stage !== phase) continue;
    const re = new RegExp(m.pattern, m.ignoreCase ? "gim" : "gm");
    let last = null;
    for (let r = re.exec(text); r !== null; r = re.exec(text)) {
      last = r;
      if (r[0].length === 0) re.lastIndex++;
    }
    if (!last) continue;
    if (best && best.offset >= last.index) continue;
    const lineStart = text.lastIndexOf("\n", last.index) + 1;
    const lineEndRaw = text.indexOf("\n", last.index);
    const lineEnd = lineEndRaw === -1 ? text.length : lineEndRaw;
    best = {
      hint: hint.id,
      class: hint.class,
      priority: hint.priority,
      line: text.slice(lineStart, lineEnd).trim().slice(0, 300),
      lineNumber: countLines(text, lineStart),
      pattern: m.pattern,
      offset: last.index
    };
  }
  return best;
}
function countLines(text, upTo) {
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < upTo; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

// src/hints/remedy.ts
function emptyRemedy() {
  return { packages: [], env: {}, constraints: [], configSettings: {}, preinstall: [] };
}
function remedyFor(hint, pm) {
  const r = hint.remedy;
  const specific = pm === "none" ? void 0 : r[pm];
  const hasSpecific = Boolean(r.apt || r.dnf || r.yum || r.apk);
  if (hasSpecific && !specific) return void 0;
  if (!specific && !r.any) return void 0;
  return mergeForms(r.any, specific);
}
function mergeForms(a, b) {
  const out = { packages: [], env: {}, constraints: [], configSettings: {}, preinstall: [] };
  for (const f of [a, b]) {
    if (!f) continue;
    out.packages.push(...f.packages);
    out.constraints.push(...f.constraints);
    out.preinstall.push(...f.preinstall);
    Object.assign(out.configSettings, f.configSettings);
    out.env = mergeEnv(out.env, f.env);
    if (f.buildIsolation !== void 0) out.buildIsolation = f.buildIsolation;
  }
  return out;
}
function mergeEnv(base, add) {
  const out = { ...base };
  for (const [k, v] of Object.entries(add)) {
    const prev = out[k];
    out[k] = k.endsWith("FLAGS") && prev && !prev.split(/\s+/).includes(v) ? `${prev} ${v}` : v;
  }
  return out;
}
function combineRemedies(hints, pm) {
  const out = emptyRemedy();
  for (const h of hints) {
    const f = remedyFor(h, pm);
    if (!f) continue;
    for (const p of f.packages) if (!out.packages.includes(p)) out.packages.push(p);
    for (const c of f.constraints) if (!out.constraints.includes(c)) out.constraints.push(c);
    for (const p of f.preinstall) if (!out.preinstall.includes(p)) out.preinstall.push(p);
    Object.assign(out.configSettings, f.configSettings);
    out.env = mergeEnv(out.env, f.env);
    if (f.buildIsolation !== void 0) out.buildIsolation = f.buildIsolation;
  }
  return out;
}

// src/cli/commands/hints.ts
var collect = (value, previous = []) => [...previous, value];
async function loadCatalogs(ctx, extra = []) {
  const catalogs = [await loadHintCatalog(join(seedsDir(), "hints.yml"))];
  for (const f of extra) catalogs.push(await loadHintCatalog(resolve(ctx.cwd, f)));
  return mergeCatalogs(...catalogs);
}
function register(program, ctx) {
  const hints = program.command("hints").summary("list, check and apply the failure-log hint catalog").description(
    "Hints match a failed build log (regex + phase), classify the failure (transient, missing-system-lib, missing-toolchain, build-dep-pin, big-endian, x86-only-code, qemu-fault, timeout, permanent) and carry remedies per package manager that the build loop applies before retrying. The shipped catalog is seeds/hints.yml; --hints FILE adds or overrides entries."
  );
  hints.command("list").description("list the hints with their class and the package managers they have remedies for").option("--hints <file>", "extra hint catalog; repeatable", collect).option("--json", "print the catalog as JSON").action(async (o) => {
    const catalog = await loadCatalogs(ctx, o.hints);
    if (o.json) return printJson(ctx, catalog);
    const rows = catalog.hints.map((h) => [h.id, h.class, String(h.priority), Object.keys(h.remedy).join(",") || "-", h.description]);
    print(ctx, table(["ID", "CLASS", "PRIO", "REMEDIES", "DESCRIPTION"], rows, 70));
  });
  hints.command("validate").description("check hint catalog files (schema, regexes, unique ids); the shipped one when none given").argument("[files...]", "catalog files").option("--json", "print {files: [{file, hints}]} as JSON").action(async (files, o) => {
    const list = files.length > 0 ? files.map((f) => resolve(ctx.cwd, f)) : [join(seedsDir(), "hints.yml")];
    const out = [];
    for (const f of list) out.push({ file: f, hints: (await loadHintCatalog(f)).hints.length });
    if (o.json) return printJson(ctx, { files: out });
    for (const r of out) print(ctx, `ok: ${r.file}: ${r.hints} hint(s)`);
  });
  hints.command("explain").description("show which hints match a build log, best first, with their class and remedies").argument("<log>", "a build log file").option("--phase <phase>", `phase that failed (${BUILD_PHASES.join(", ")}); only matchers for it count`).option("--hints <file>", "extra hint catalog; repeatable", collect).option("--json", "print {log, matches: [{hint, class, priority, line, lineNumber, description, remedy}]}").action(async (logFile, o) => {
    if (o.phase !== void 0 && !BUILD_PHASES.includes(o.phase)) {
      throw new RefineryError("usage", `unknown phase '${o.phase}'`, { fix: `use one of ${BUILD_PHASES.join(", ")}` });
    }
    const catalog = await loadCatalogs(ctx, o.hints);
    const path = resolve(ctx.cwd, logFile);
    let text;
    try {
      text = await readFile2(path, "utf8");
    } catch (e) {
      throw new RefineryError("input", `cannot read the log: ${e.code ?? String(e)}`, { location: { file: logFile }, fix: "pass an existing log file" });
    }
    const matches = matchLog(catalog, text, o.phase).map((m) => {
      const h = hintById(catalog, m.hint);
      return { ...m, description: h.description, remedy: h.remedy };
    });
    if (o.json) return printJson(ctx, { log: logFile, matches });
    if (matches.length === 0) {
      print(ctx, "no hint matches this log (unclassified failure)");
      return;
    }
    for (const [i, m] of matches.entries()) {
      print(ctx, `${i === 0 ? "best" : `#${i + 1}`}: ${m.hint} [${m.class}] ${m.description}`);
      print(ctx, `      line ${m.lineNumber}: ${m.line}`);
      const rem = Object.entries(m.remedy).map(([pm, f]) => `${pm}: ${[...f?.packages ?? [], ...Object.entries(f?.env ?? {}).map(([k, v]) => `${k}=${v}`), ...f?.preinstall ?? []].join(" ")}`).join("; ");
      print(ctx, `      remedy: ${rem || "none (classification only)"}`);
    }
  });
}

export {
  hintById,
  matchLog,
  remedyFor,
  mergeEnv,
  combineRemedies,
  loadCatalogs,
  register
};
