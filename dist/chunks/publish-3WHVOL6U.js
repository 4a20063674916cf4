import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  collect
} from "./chunk-QUCLYSJU.js";
import {
  cliSession
} from "./chunk-FDKTBMEU.js";
import "./chunk-FHZVLPJT.js";
import {
  print,
  printJson,
  warn
} from "./chunk-KCAWH7LJ.js";
import "./chunk-MHLS6TUH.js";
import {
  parseStoreSpec
} from "./chunk-J5ZFXILX.js";
import {
  normalizeName
} from "./chunk-CY6NXZGB.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";

// src/faces/cli/commands/publish.ts
import { resolve } from "node:path";
function register(program, ctx) {
  program.command("publish").summary("write the state as a static site: pip index, dashboard, API, metrics, exports").description(
    "Write a static site from the state folder into --out, for GitHub Pages or any\nstatic web server: a PEP 503 simple index with PEP 691 JSON beside each page\n(sha256 fragments, requires-python, PEP 658 metadata files, yank marks, PEP 740\nprovenance), a dashboard, a page per package, a JSON API, metrics.txt in the\nPrometheus text format, and CSV/Parquet exports. The same state gives the same\nbytes; only files whose bytes change are rewritten. Wheels in a local store are\ncopied into the site; release assets are linked where they are."
  ).requiredOption("--out <dir>", "folder to write the site into (created; files of an earlier publish are updated)").option("--state <dir>", "state folder (default: the config's state.dir, .refinery)").option("-c, --config <file>", "config file (default: ./refinery.yml when present)").option("--store <where>", "the local wheel store record used (local:DIR); release assets need none", "none").option("--hints <file>", "extra hint catalog, as given to build; repeatable", collect).option("--repo <owner/name>", 'repository the "suggest a fix" links open a new file in (default: GITHUB_REPOSITORY)').option("--branch <name>", "branch for those links (default: GITHUB_REF_NAME, else main)").option("--suggest-path <path>", "path of the suggested hint file; {package} is the package name", "hints/{package}.yml").option("--logs <dir>", "build results with their logs (record --results), for the log lines a suggestion quotes").option("--provenance <dir>", "folder of <wheel>.provenance files (PEP 740) made elsewhere; recorded attestations need none").option("--yank <spec>", "mark wheels withdrawn: NAME==VERSION or a wheel file name, optionally :REASON; repeatable", collect).option("--title <text>", "dashboard title", "s390x wheels").option("--json", "print the outcome as JSON").addHelpText(
    "after",
    `
Examples:
  refinery publish --out site --store local:wheels
  refinery publish --out site --repo me/wheels --yank 'numpy==2.0.0:broken on z15'
  pip install --index-url http://127.0.0.1:8000/simple/ PACKAGE   (after: python3 -m http.server -d site)`
  ).action(async (o) => {
    const session = await cliSession(ctx, {
      ...o.config ? { config: o.config } : {},
      ...o.state ? { state: o.state } : {},
      hintFiles: (o.hints ?? []).map((f) => resolve(ctx.cwd, f))
    });
    const store = parseStoreSpec(
      o.store,
      ctx.cwd,
      ["none", "local"],
      "wheels stored as release assets are linked from the manifest; only a local store needs the flag"
    );
    const localStore = store.kind === "local" ? store.dir : void 0;
    const outDir = resolve(ctx.cwd, o.out);
    const outcome = await session.publish(outDir, {
      localStore,
      provenanceDir: o.provenance ? resolve(ctx.cwd, o.provenance) : void 0,
      withdrawals: (o.yank ?? []).map(parseYank),
      title: o.title,
      suggest: {
        ...o.repo ? { repo: o.repo } : {},
        ...o.branch ? { branch: o.branch } : {},
        path: o.suggestPath,
        logsDir: o.logs ? resolve(ctx.cwd, o.logs) : void 0
      },
      warn: o.json ? void 0 : (l) => warn(ctx, `refinery: warning: ${l}`)
    });
    if (o.json) return printJson(ctx, { ...outcome, written: outcome.written.length, writtenFiles: outcome.written });
    print(ctx, `published ${outcome.packages} package(s), ${outcome.wheels} wheel(s) to ${outDir}`);
    print(
      ctx,
      `${outcome.written.length} file(s) written, ${outcome.unchanged} unchanged${outcome.removed.length ? `, ${outcome.removed.length} removed` : ""}`
    );
    print(ctx, `dashboard: ${resolve(outDir, "index.html")} (serve the folder over http, e.g. python3 -m http.server -d ${o.out})`);
    print(ctx, `index: <site>/simple/ (pip install --index-url <site>/simple/ PACKAGE)`);
  });
}
function parseYank(spec) {
  const colon = spec.indexOf(":");
  const what = colon >= 0 ? spec.slice(0, colon) : spec;
  const reason = colon >= 0 ? spec.slice(colon + 1) : "withdrawn";
  if (what.endsWith(".whl")) {
    const name = normalizeName(what.split("-")[0] ?? "");
    return { package: name, filename: what, reason };
  }
  const m = /^([A-Za-z0-9._-]+)==(\S+)$/.exec(what);
  if (!m) throw new RefineryError("usage", `--yank ${spec}: expected NAME==VERSION or a wheel file name, optionally followed by :REASON`);
  return { package: normalizeName(m[1]), version: m[2], reason };
}
export {
  register
};
