import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  HintCatalog
} from "./chunk-U7XWDEL6.js";
import {
  require_dist
} from "./chunk-WVSMWCXV.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";
import {
  __toESM
} from "./chunk-WHY2Q3TU.js";

// src/domain/hints/catalog.ts
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

// src/domain/hints/match.ts
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

// src/domain/hints/remedy.ts
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
    if (f.compiler) out.compiler = f.compiler;
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
    if (f.compiler) out.compiler = f.compiler;
  }
  return out;
}

export {
  loadHintCatalog,
  mergeCatalogs,
  hintById,
  matchLog,
  remedyFor,
  mergeEnv,
  combineRemedies
};
