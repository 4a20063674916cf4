import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  buildProgress,
  pipelineCommand,
  runSession
} from "./chunk-GKJWROQ4.js";
import "./chunk-7SHWUFNM.js";
import {
  cancellation,
  executorFlags,
  positive
} from "./chunk-4GZB4FCY.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-QUCLYSJU.js";
import "./chunk-FDKTBMEU.js";
import "./chunk-FHZVLPJT.js";
import {
  print,
  printJson,
  warn
} from "./chunk-KCAWH7LJ.js";
import "./chunk-MHLS6TUH.js";
import {
  cacheStoreDir,
  openStore,
  parseYieldList,
  yieldTable
} from "./chunk-J5ZFXILX.js";
import "./chunk-CY6NXZGB.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";

// src/faces/cli/commands/yield.ts
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
function register(program, ctx) {
  pipelineCommand(
    program.command("yield").argument("<list>", "a file of pinned releases, one NAME==VERSION a line (# comments)").summary("build a list of releases unattended and report the yield").description(
      "For each NAME==VERSION of the list, the whole pipeline on its own (scan, plan, build with hint retries, smoke test in a fresh container, record; dependencies not followed), then one table: built, built-unverified (kept, with why), failed by class with the log line it rests on, not-needed (an upstream or recorded wheel serves it), error. Yield is built and built-unverified over attempted. Results and logs of each go to --out/NAME-VERSION/. The preset is the config's (preset:), as for refinery run."
    )
  ).option("--start-within <minutes>", "start no release after this many minutes; the rest are reported not-run").addHelpText(
    "after",
    `
Examples:
  refinery yield corpus.txt --config refinery.yml --python 3.11 --timeout 20
  refinery yield corpus.txt --json > yield.json`
  ).action(async (list, o) => {
    const file = resolve(ctx.cwd, list);
    const text = await readFile(file, "utf8").catch((e) => {
      throw new RefineryError("usage", `cannot read ${list}: ${e.code ?? e.message}`, { fix: "pass a file of NAME==VERSION lines" });
    });
    const entries = parseYieldList(text, list);
    const cancel = cancellation(ctx, "the yield run");
    try {
      const session = await runSession(ctx, o);
      const { executor, reason } = await session.executor(executorFlags(o));
      if (!o.json) warn(ctx, `executor: ${executor.kind} (${reason})`);
      const store = await openStore(session, o.store, { defaultLocal: cacheStoreDir(session), kinds: ["none", "local"] });
      const report = await session.yield(entries, {
        executor,
        outDir: resolve(ctx.cwd, o.out),
        ...store ? { store } : {},
        ...buildProgress(ctx, o),
        signal: cancel.signal,
        lock: { log: (l) => warn(ctx, l) },
        ...o.startWithin ? { startBefore: Date.now() + positive(o.startWithin, "--start-within") * 6e4 } : {},
        onRow: o.json ? void 0 : (r) => warn(ctx, `${r.outcome.padEnd(16)} ${r.name}==${r.version}: ${r.evidence ?? r.reason}`)
      });
      if (o.json) printJson(ctx, report);
      else print(ctx, yieldTable(report));
      if (cancel.signal.aborted) throw cancel.error("the yield run was cancelled; the rows so far are above", "run it again");
    } finally {
      cancel.dispose();
    }
  });
}
export {
  register
};
