import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  cliSession
} from "./chunk-FDKTBMEU.js";
import {
  print,
  printJson,
  warn
} from "./chunk-KCAWH7LJ.js";
import "./chunk-MHLS6TUH.js";
import {
  saveState,
  withStateLock,
  withdrawWheels
} from "./chunk-J5ZFXILX.js";
import {
  isValidName,
  loadState,
  normalizeName
} from "./chunk-CY6NXZGB.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";

// src/faces/cli/commands/yank.ts
function register(program, ctx) {
  program.command("yank").summary("withdraw built wheels from the published index (PEP 592 yank)").description(
    "Record in the state that the wheels of a package version (or one wheel) are withdrawn:\nrefinery publish then marks them yanked, so pip and uv skip them unless a requirement\npins that version, and show the reason. The wheels stay in the manifest and the store.\nWrites into the state folder: commit the change like any other."
  ).argument("<name>", "package name").argument("<version>", "version, as recorded in the manifest").option("--wheel <filename>", "only this wheel of the version").requiredOption("--reason <text>", "why, shown to users who install it anyway").option("--state <dir>", "state folder (default: the config's state.dir, .refinery)").option("-c, --config <file>", "config file (default: ./refinery.yml when present)").option("--json", "print the withdrawn wheels as JSON").addHelpText(
    "after",
    `
Examples:
  refinery yank numpy 2.0.0 --reason 'crashes on z15'
  refinery yank lxml 5.3.0 --wheel lxml-5.3.0-cp312-cp312-manylinux_2_28_s390x.whl --reason 'built against the wrong libxml2'`
  ).action(async (name, version, o) => {
    if (!isValidName(name)) throw new RefineryError("usage", `${JSON.stringify(name)}: not a valid package name`);
    const pkg = normalizeName(name);
    if (o.reason.length > 400) throw new RefineryError("usage", "--reason: at most 400 characters");
    const { stateDir } = await cliSession(ctx, { ...o.config ? { config: o.config } : {}, ...o.state ? { state: o.state } : {} });
    const wheels = await withStateLock(
      stateDir,
      async () => {
        const before = await loadState(stateDir);
        const hit = (before.packages.get(pkg)?.manifest ?? []).filter((m) => m.version === version && (!o.wheel || m.filename === o.wheel));
        if (hit.length === 0)
          throw new RefineryError("usage", `no wheel of ${pkg} ${version}${o.wheel ? ` named ${o.wheel}` : ""} in the manifest`, {
            fix: "give the version (and file name) as the package page or api/packages/<name>.json lists it"
          });
        const next = withdrawWheels(before, pkg, { version, ...o.wheel ? { filename: o.wheel } : {}, reason: o.reason, at: (/* @__PURE__ */ new Date()).toISOString() });
        await saveState(stateDir, next, [pkg]);
        return [...new Set(hit.map((m) => m.filename))].sort();
      },
      { purpose: "yank", log: (l) => warn(ctx, l) }
    );
    if (o.json) return printJson(ctx, { package: pkg, version, wheels, reason: o.reason });
    print(ctx, `withdrew ${wheels.length} wheel(s) of ${pkg} ${version}: the next refinery publish marks them yanked`);
  });
}
export {
  register
};
