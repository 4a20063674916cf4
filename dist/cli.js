import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  Command,
  CommanderError
} from "./chunks/chunk-FHZVLPJT.js";
import {
  processContext
} from "./chunks/chunk-KCAWH7LJ.js";
import {
  EXIT_CODES,
  isRefineryError
} from "./chunks/chunk-FLRCTOVA.js";
import "./chunks/chunk-WHY2Q3TU.js";

// src/faces/cli/commands/index.ts
var commands = [
  () => import("./chunks/scan-YKADSB5T.js"),
  () => import("./chunks/plan-NT2LS7GO.js"),
  () => import("./chunks/build-EQW6AXZR.js"),
  () => import("./chunks/hints-5TTX45FK.js"),
  () => import("./chunks/record-R2VOCZHA.js"),
  () => import("./chunks/queue-XNARV2PF.js"),
  () => import("./chunks/run-TVGZZO7G.js"),
  () => import("./chunks/publish-3WHVOL6U.js"),
  () => import("./chunks/yank-Q7VGXBRR.js"),
  () => import("./chunks/yield-7TR6TZQ2.js")
];

// src/faces/cli/main.ts
var VERSION = "0.1.0";
async function buildProgram(ctx) {
  const program = new Command("refinery").description(
    "Build, record and serve Python wheels for Linux on IBM Z (s390x).\n\nStages: scan (what needs building) -> plan (Actions matrix) -> build -> record -> publish.\nEvery command takes --json for machines and --help for people."
  ).version(VERSION).showHelpAfterError("(run with --help for usage)").configureOutput({
    writeOut: (s) => ctx.stdout.write(s),
    writeErr: (s) => ctx.stderr.write(s)
  }).exitOverride();
  program.addHelpText(
    "after",
    `
Exit codes: ${Object.entries(EXIT_CODES).map(([k, v]) => `${v} ${k}`).join(", ")}

Docs: README.md and docs/ in the refinery repository.`
  );
  for (const load of commands) {
    const mod = await load();
    mod.register(program, ctx);
  }
  return program;
}
async function main(argv, ctx = processContext()) {
  try {
    const program = await buildProgram(ctx);
    for (const sub of program.commands) sub.exitOverride();
    await program.parseAsync(argv, { from: "user" });
    return process.exitCode === void 0 ? 0 : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      return EXIT_CODES.usage;
    }
    if (isRefineryError(e)) {
      ctx.stderr.write(`refinery: error: ${e.describe()}
`);
      return e.exitCode;
    }
    const err = e;
    ctx.stderr.write(`refinery: internal error: ${err?.stack ?? String(e)}
`);
    return EXIT_CODES.internal;
  }
}

// src/faces/cli/entry.ts
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}
var code = await main(process.argv.slice(2));
process.exitCode = code;
