import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  table
} from "./chunk-RY6K7J5I.js";
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
  allQueueEntries,
  dropQueued,
  dueQueueEntries,
  requestBuild,
  saveState,
  withStateLock
} from "./chunk-J5ZFXILX.js";
import {
  isValidName,
  isValidVersion,
  loadState,
  normalizeName
} from "./chunk-CY6NXZGB.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";

// src/faces/cli/commands/queue.ts
function register(program, ctx) {
  const queue = program.command("queue").summary("show and edit the retry queue").description(
    "Failed builds worth retrying wait here: transient failures with\nexponential backoff (1h, 2h, 4h, ... up to 7 days; given up after 4\nfailures in a row), failures a new hint may fix at once. plan builds the\ndue entries. add and drop record facts in the state folder; commit them\nlike any other state change."
  );
  const common = (c) => c.option("--state <dir>", "state folder (default: the config's state.dir, .refinery)").option("-c, --config <file>", "config file (default: ./refinery.yml when present)").option("--json", "print JSON");
  const stateDirOf = async (o) => (await cliSession(ctx, { ...o.config ? { config: o.config } : {}, ...o.state ? { state: o.state } : {} })).stateDir;
  common(queue.command("list").description("every queue entry, waiting or given up")).action(async (o) => {
    const entries = allQueueEntries(await loadState(await stateDirOf(o)));
    show(ctx, entries, o.json);
  });
  common(queue.command("due").description("entries whose next eligible time has come")).option("--now <time>", "ISO time to evaluate at (default: now)").action(async (o) => {
    const now = o.now ? new Date(o.now) : /* @__PURE__ */ new Date();
    if (Number.isNaN(now.getTime())) throw new RefineryError("usage", `--now ${o.now}: not an ISO time such as 2026-01-01T00:00:00Z`);
    show(ctx, dueQueueEntries(await loadState(await stateDirOf(o)), now), o.json);
  });
  common(queue.command("add").description("ask for a build of a package version at the next opportunity")).argument("<name>", "package name").argument("<version>", "version").option("--python <version>", "only this variant (e.g. 3.12, abi3 or py3)").option("--note <text>", "why, shown in the queue").action(async (name, version, o) => {
    const pkg = checkedName(name);
    if (!isValidVersion(version)) throw new RefineryError("usage", `${version}: not a valid PEP 440 version`);
    const dir = await stateDirOf(o);
    const lock = { purpose: "queue add", log: (l) => warn(ctx, l) };
    const state = await withStateLock(
      dir,
      async () => {
        const next = requestBuild(await loadState(dir), pkg, { version, variant: o.python, at: (/* @__PURE__ */ new Date()).toISOString(), note: o.note });
        await saveState(dir, next, [pkg]);
        return next;
      },
      lock
    );
    const added = state.packages.get(pkg).queue.filter((q) => q.version === version);
    if (o.json) return printJson(ctx, added);
    print(ctx, `queued ${pkg} ${version}${o.python ? ` (${o.python})` : ""}; the next refinery worker run (or a plan that resolves this version) builds it`);
  });
  common(queue.command("drop").description("stop retrying a package version (or one unit of it)")).argument("<name>", "package name").argument("<version>", "version").option("--unit <id>", "only this build unit").action(async (name, version, o) => {
    const pkg = checkedName(name);
    const dir = await stateDirOf(o);
    const had = await withStateLock(
      dir,
      async () => {
        const before = await loadState(dir);
        const n = before.packages.get(pkg)?.queue.filter((q) => q.version === version && (!o.unit || q.unit === o.unit)).length ?? 0;
        if (n === 0)
          throw new RefineryError("usage", `${pkg} ${version}${o.unit ? ` (${o.unit})` : ""} is not in the queue`, { fix: "see `refinery queue list`" });
        await saveState(dir, dropQueued(before, pkg, { version, unit: o.unit, at: (/* @__PURE__ */ new Date()).toISOString() }), [pkg]);
        return n;
      },
      { purpose: "queue drop", log: (l) => warn(ctx, l) }
    );
    if (o.json) return printJson(ctx, { dropped: had });
    print(ctx, `dropped ${had} queue entr${had === 1 ? "y" : "ies"} of ${pkg} ${version}`);
  });
}
function checkedName(name) {
  if (!isValidName(name)) throw new RefineryError("usage", `${JSON.stringify(name)}: not a valid package name`);
  return normalizeName(name);
}
function show(ctx, entries, json) {
  if (json) {
    printJson(ctx, entries);
    return;
  }
  if (entries.length === 0) {
    print(ctx, "the queue is empty");
    return;
  }
  const rows = entries.map((q) => [
    q.package,
    q.version,
    q.variant ?? "-",
    q.reason,
    String(q.failures),
    q.nextEligibleAt,
    q.status,
    q.hints.join(",") || q.note || ""
  ]);
  print(ctx, table(["PACKAGE", "VERSION", "VARIANT", "REASON", "FAILS", "NEXT", "STATUS", "HINTS/NOTE"], rows));
}
export {
  register
};
