import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  table
} from "./chunk-RY6K7J5I.js";
import {
  addScanOptions
} from "./chunk-QUCLYSJU.js";
import {
  cliSession
} from "./chunk-FDKTBMEU.js";
import {
  print,
  printJson,
  warn
} from "./chunk-KCAWH7LJ.js";

// src/faces/cli/commands/scan.ts
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";

// src/faces/cli/progress.ts
function progress(ctx, title, enabled) {
  const on = enabled && ctx.interactive;
  let last = 0;
  return {
    update(done, total, label) {
      if (!on) return;
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      const pct = total > 0 ? Math.floor(done / total * 100) : 0;
      const line = `${title} ${done}/${total} (${pct}%)${label ? ` ${label}` : ""}`;
      ctx.stderr.write(`\r\x1B[2K${line.slice(0, 120)}`);
    },
    done(summary) {
      if (!on) return;
      ctx.stderr.write(`\r\x1B[2K${summary ? `${summary}
` : ""}`);
    }
  };
}

// src/faces/cli/commands/scan.ts
function register(program, ctx) {
  addScanOptions(
    program.command("scan").summary("find what already has an s390x wheel, what the refinery built, and what needs building").description(
      "Resolve the requirements for every target (CPython version x s390x platform policy) with uv,\nthen classify each resolved package version:\n  upstream-wheel  a compatible wheel is on the index (named)\n  built           the refinery built it already (in the state manifest)\n  needs-build     only an sdist fits: a build unit for `refinery plan`\n  no-source       no compatible wheel and no sdist\n  excluded        an include/exclude rule matched (named)\n  known-failing   an earlier build failed for good (attempt named)"
    )
  ).option("--json", "print the inventory as JSON (packages[] with name, version, python, status, ...)").option("-o, --output <file>", "also write the inventory JSON to this file (input for `refinery plan --inventory`)").addHelpText(
    "after",
    `
Examples:
  refinery scan -r requirements.txt --python 3.11 --python 3.12
  refinery scan --config refinery.yml --json > inventory.json
  refinery scan -r requirements.txt -i http://127.0.0.1:8080/simple -o inventory.json`
  ).action(async (o) => {
    const inventory = await runScan(ctx, await cliSession(ctx, o), { progress: !o.json });
    if (o.output) await writeFile(resolve(ctx.cwd, o.output), `${JSON.stringify(inventory, null, 2)}
`);
    if (o.json) printJson(ctx, inventory);
    else printInventory(ctx, inventory);
  });
}
async function runScan(ctx, session, opts) {
  const bar = progress(ctx, "scanning", opts.progress);
  const inventory = await session.scan({ onProgress: (d, t, l) => bar.update(d, t, l) });
  bar.done();
  if (opts.printWarnings !== false)
    for (const w of inventory.warnings ?? []) warn(ctx, `warning: ${w.file ? `${w.file}${w.line ? `:${w.line}` : ""}: ` : ""}${w.message}`);
  return inventory;
}
function printInventory(ctx, inv) {
  const rows = inv.packages.map((p) => [p.name, p.version, p.python, p.status, p.reason]);
  print(ctx, table(["PACKAGE", "VERSION", "PYTHON", "STATUS", "DETAIL"], rows, 72));
  print(ctx);
  const counts = Object.entries(inv.summary).map(([k, v]) => `${v} ${k}`).join(", ");
  print(ctx, `${inv.packages.length} package version(s) over ${inv.targets.length} target(s) [${inv.targets.join(", ")}]: ${counts || "nothing"}`);
  if (inv.cut.length > 0) {
    print(ctx, `${inv.cut.length} left out by the expansion bounds:`);
    for (const c of inv.cut.slice(0, 20)) print(ctx, `  ${c.name}${c.version ? `==${c.version}` : ""} (${c.target}): ${c.reason}`);
    if (inv.cut.length > 20) print(ctx, `  ... and ${inv.cut.length - 20} more (see --json)`);
  }
}

export {
  progress,
  register,
  runScan,
  printInventory
};
