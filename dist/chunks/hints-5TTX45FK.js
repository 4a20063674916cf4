import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  table
} from "./chunk-RY6K7J5I.js";
import {
  collect
} from "./chunk-QUCLYSJU.js";
import {
  cliSession
} from "./chunk-FDKTBMEU.js";
import "./chunk-FHZVLPJT.js";
import {
  print,
  printJson
} from "./chunk-KCAWH7LJ.js";
import "./chunk-MHLS6TUH.js";
import {
  hintAdvice,
  hintById,
  loadHintCatalog,
  matchLog,
  seedsDir
} from "./chunk-J5ZFXILX.js";
import {
  BUILD_PHASES
} from "./chunk-CY6NXZGB.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";

// src/faces/cli/commands/hints.ts
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
function register(program, ctx) {
  const hints = program.command("hints").summary("list, check and apply the failure-log hint catalog").description(
    "Hints match a failed build log (regex + phase), classify the failure (transient, missing-system-lib, missing-toolchain, build-dep-pin, big-endian, x86-only-code, qemu-fault, timeout, permanent) and carry remedies per package manager that the build loop applies before retrying. The shipped catalog is seeds/hints.yml; --hints FILE adds or overrides entries."
  );
  hints.command("list").description("list the hints with their class, the package managers they have remedies for, and whether a real log proves them").option("--hints <file>", "extra hint catalog; repeatable", collect).option("--json", "print the catalog as JSON").action(async (o) => {
    const catalog = await (await cliSession(ctx, { hintFiles: (o.hints ?? []).map((f) => resolve(ctx.cwd, f)) })).catalog();
    if (o.json) return printJson(ctx, catalog);
    const rows = catalog.hints.map((h) => [
      h.id,
      h.class,
      String(h.priority),
      Object.keys(h.remedy).join(",") || "-",
      h.fallback ? "fallback" : h.evidence.length > 0 ? "verified" : "unverified",
      hintAdvice(h)
    ]);
    print(ctx, table(["ID", "CLASS", "PRIO", "REMEDIES", "LOGS", "DESCRIPTION"], rows, 70));
    const unverified = catalog.hints.filter((h) => !h.fallback && h.evidence.length === 0).length;
    if (unverified > 0) print(ctx, `${unverified} of ${catalog.hints.length} hint(s) unverified: their patterns have no real build log behind them yet`);
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
    const catalog = await (await cliSession(ctx, { hintFiles: (o.hints ?? []).map((f) => resolve(ctx.cwd, f)) })).catalog();
    const path = resolve(ctx.cwd, logFile);
    let text;
    try {
      text = await readFile(path, "utf8");
    } catch (e) {
      throw new RefineryError("input", `cannot read the log: ${e.code ?? String(e)}`, {
        location: { file: logFile },
        fix: "pass an existing log file"
      });
    }
    const matches = matchLog(catalog, text, o.phase).map((m) => {
      const h = hintById(catalog, m.hint);
      return { ...m, description: hintAdvice(h), remedy: h.remedy };
    });
    if (o.json) return printJson(ctx, { log: logFile, matches });
    if (matches.length === 0) {
      print(ctx, "no hint matches this log (unclassified failure)");
      return;
    }
    for (const [i, m] of matches.entries()) {
      print(ctx, `${i === 0 ? "best" : `#${i + 1}`}: ${m.hint} [${m.class}] ${m.description}`);
      print(ctx, `      line ${m.lineNumber}: ${m.line}`);
      const rem = Object.entries(m.remedy).map(
        ([pm, f]) => `${pm}: ${[...f?.packages ?? [], ...Object.entries(f?.env ?? {}).map(([k, v]) => `${k}=${v}`), ...f?.preinstall ?? []].join(" ")}`
      ).join("; ");
      print(ctx, `      remedy: ${rem || "none (classification only)"}`);
    }
  });
}
export {
  register
};
