import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  runScan
} from "./chunk-7SHWUFNM.js";
import {
  duration,
  table
} from "./chunk-RY6K7J5I.js";
import {
  addScanOptions
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
import {
  readInventory
} from "./chunk-MHLS6TUH.js";
import "./chunk-J5ZFXILX.js";
import "./chunk-CY6NXZGB.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";

// src/faces/cli/commands/plan.ts
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
function register(program, ctx) {
  addScanOptions(
    program.command("plan").summary("turn what needs building into GitHub Actions matrices").description(
      "Group needs-build packages into build units (package, version, variant: a Python version,\nor one abi3 or py3 build for all), pick a preset and hints per unit (recipes, learned hints, history),\na runner (native s390x labels when configured, else x86 + QEMU), order units in dependency\nwaves (build requirements first) and split them into shards of at most 256 jobs that fit\nGitHub's output size limit. Without --inventory it scans first, with the same flags as scan."
    )
  ).option("--inventory <file>", "plan from an inventory written by `refinery scan -o` instead of scanning").option("--json", "print the plan as JSON (matrix.include[] with id, package, version, python, preset, runner, wave)").option("-o, --output <file>", "also write the plan JSON to this file").addHelpText(
    "after",
    `
In a workflow:
  strategy:
    matrix: \${{ fromJSON(needs.plan.outputs.matrix) }}
  runs-on: \${{ fromJSON(matrix.runs_on) }}

Examples:
  refinery plan -r requirements.txt --json
  refinery scan -o inventory.json && refinery plan --inventory inventory.json -o plan.json`
  ).action(async (o) => {
    const session = await cliSession(ctx, o);
    if (!o.inventory) await session.refuseUnservedPythons();
    const inventory = o.inventory ? await readInventory(resolve(ctx.cwd, o.inventory)) : await runScan(ctx, session, { progress: !o.json });
    const plan = await session.plan(inventory);
    if (o.output) await writeFile(resolve(ctx.cwd, o.output), `${JSON.stringify(plan, null, 2)}
`);
    if (o.json) printJson(ctx, plan);
    else printPlan(ctx, plan);
  });
}
function printPlan(ctx, plan) {
  const rows = plan.matrix.include.map((u) => [
    String(u.wave),
    u.id,
    u.python,
    u.preset,
    `${u.runner.kind}:${u.runner.labels.join(",")}`,
    `${duration(u.estimatedSeconds)}${u.estimateSource ? ` (${u.estimateSource})` : ""}`,
    u.needs.length ? `after ${u.needs.join(", ")}` : u.reason
  ]);
  print(ctx, table(["WAVE", "UNIT", "PYTHON", "PRESET", "RUNNER", "EST", "WHY"], rows, 60));
  print(ctx);
  print(
    ctx,
    `${plan.matrix.include.length} unit(s) in ${plan.waves} wave(s), ${plan.shards.length} shard(s); estimated ${duration(plan.estimatedSeconds)} of build time`
  );
  for (const s of plan.skipped) print(ctx, `  not planned: ${s.package}==${s.version}: ${s.reason}`);
  for (const u of plan.matrix.include) if (u.estimateBasis) print(ctx, `  estimate ${u.id}: ${duration(u.estimatedSeconds)}, ${u.estimateBasis}`);
  for (const u of plan.matrix.include.filter((x) => x.overTimeout)) {
    warn(ctx, `warning: ${u.id}: estimated ${duration(u.estimatedSeconds)}, over its time limit; ${u.reason.split("; ").at(-1)}`);
  }
}
export {
  printPlan,
  register
};
