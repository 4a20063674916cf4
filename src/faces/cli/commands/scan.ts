import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Inventory } from '../../../domain/model/inventory.js';
import { type CliContext, print, printJson } from '../context.js';
import { table } from '../format.js';
import type { Session } from '../../../session/index.js';
import { progress } from '../progress.js';
import { addScanOptions, type ScanOptionValues } from '../options.js';
import { cliSession } from '../session.js';
import { warn } from '../context.js';

export function register(program: Command, ctx: CliContext): void {
  addScanOptions(
    program
      .command('scan')
      .summary('find what already has an s390x wheel, what the refinery built, and what needs building')
      .description(
        'Resolve the requirements for every target (CPython version x s390x platform policy) with uv,\n' +
          'then classify each resolved package version:\n' +
          '  upstream-wheel  a compatible wheel is on the index (named)\n' +
          '  built           the refinery built it already (in the state manifest)\n' +
          '  needs-build     only an sdist fits: a build unit for `refinery plan`\n' +
          '  no-source       no compatible wheel and no sdist\n' +
          '  excluded        an include/exclude rule matched (named)\n' +
          '  known-failing   an earlier build failed for good (attempt named)',
      ),
  )
    .option('--json', 'print the inventory as JSON (packages[] with name, version, python, status, ...)')
    .option('-o, --output <file>', 'also write the inventory JSON to this file (input for `refinery plan --inventory`)')
    .addHelpText(
      'after',
      `
Examples:
  refinery scan -r requirements.txt --python 3.11 --python 3.12
  refinery scan --config refinery.yml --json > inventory.json
  refinery scan -r requirements.txt -i http://127.0.0.1:8080/simple -o inventory.json`,
    )
    .action(async (o: ScanOptionValues & { json?: boolean; output?: string }) => {
      const inventory = await runScan(ctx, await cliSession(ctx, o), { progress: !o.json });
      if (o.output) await writeFile(resolve(ctx.cwd, o.output), `${JSON.stringify(inventory, null, 2)}\n`);
      if (o.json) printJson(ctx, inventory);
      else printInventory(ctx, inventory);
    });
}

/** Scan with a progress line; warnings go to stderr unless the caller reports them itself. */
export async function runScan(ctx: CliContext, session: Session, opts: { progress: boolean; printWarnings?: boolean }): Promise<Inventory> {
  const bar = progress(ctx, 'scanning', opts.progress);
  const inventory = await session.scan({ onProgress: (d, t, l) => bar.update(d, t, l) });
  bar.done();
  if (opts.printWarnings !== false)
    for (const w of inventory.warnings ?? []) warn(ctx, `warning: ${w.file ? `${w.file}${w.line ? `:${w.line}` : ''}: ` : ''}${w.message}`);
  return inventory;
}

export function printInventory(ctx: CliContext, inv: Inventory): void {
  const rows = inv.packages.map((p) => [p.name, p.version, p.python, p.status, p.reason]);
  print(ctx, table(['PACKAGE', 'VERSION', 'PYTHON', 'STATUS', 'DETAIL'], rows, 72));
  print(ctx);
  const counts = Object.entries(inv.summary)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  print(ctx, `${inv.packages.length} package version(s) over ${inv.targets.length} target(s) [${inv.targets.join(', ')}]: ${counts || 'nothing'}`);
  if (inv.cut.length > 0) {
    print(ctx, `${inv.cut.length} left out by the expansion bounds:`);
    for (const c of inv.cut.slice(0, 20)) print(ctx, `  ${c.name}${c.version ? `==${c.version}` : ''} (${c.target}): ${c.reason}`);
    if (inv.cut.length > 20) print(ctx, `  ... and ${inv.cut.length - 20} more (see --json)`);
  }
}
