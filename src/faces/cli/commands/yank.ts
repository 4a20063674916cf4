import type { Command } from 'commander';
import { RefineryError } from '../../../errors.js';
import { isValidName, normalizeName } from '../../../domain/python/names.js';
import { loadState, saveState, withdrawWheels, withStateLock } from '../../../domain/state/index.js';
import { type CliContext, print, printJson, warn } from '../context.js';
import { cliSession } from '../session.js';

interface YankFlags {
  wheel?: string;
  reason: string;
  state?: string;
  config?: string;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('yank')
    .summary('withdraw built wheels from the published index (PEP 592 yank)')
    .description(
      'Record in the state that the wheels of a package version (or one wheel) are withdrawn:\n' +
        'refinery publish then marks them yanked, so pip and uv skip them unless a requirement\n' +
        'pins that version, and show the reason. The wheels stay in the manifest and the store.\n' +
        'Writes into the state folder: commit the change like any other.',
    )
    .argument('<name>', 'package name')
    .argument('<version>', 'version, as recorded in the manifest')
    .option('--wheel <filename>', 'only this wheel of the version')
    .requiredOption('--reason <text>', 'why, shown to users who install it anyway')
    .option('--state <dir>', "state folder (default: the config's state.dir, .refinery)")
    .option('-c, --config <file>', 'config file (default: ./refinery.yml when present)')
    .option('--json', 'print the withdrawn wheels as JSON')
    .addHelpText(
      'after',
      `
Examples:
  refinery yank numpy 2.0.0 --reason 'crashes on z15'
  refinery yank lxml 5.3.0 --wheel lxml-5.3.0-cp312-cp312-manylinux_2_28_s390x.whl --reason 'built against the wrong libxml2'`,
    )
    .action(async (name: string, version: string, o: YankFlags) => {
      if (!isValidName(name)) throw new RefineryError('usage', `${JSON.stringify(name)}: not a valid package name`);
      const pkg = normalizeName(name);
      if (o.reason.length > 400) throw new RefineryError('usage', '--reason: at most 400 characters');
      const { stateDir } = await cliSession(ctx, { ...(o.config ? { config: o.config } : {}), ...(o.state ? { state: o.state } : {}) });
      const wheels = await withStateLock(
        stateDir,
        async () => {
          const before = await loadState(stateDir);
          // Only what the manifest has: a typo must not look like a withdrawal that worked.
          const hit = (before.packages.get(pkg)?.manifest ?? []).filter((m) => m.version === version && (!o.wheel || m.filename === o.wheel));
          if (hit.length === 0)
            throw new RefineryError('usage', `no wheel of ${pkg} ${version}${o.wheel ? ` named ${o.wheel}` : ''} in the manifest`, {
              fix: 'give the version (and file name) as the package page or api/packages/<name>.json lists it',
            });
          const next = withdrawWheels(before, pkg, { version, ...(o.wheel ? { filename: o.wheel } : {}), reason: o.reason, at: new Date().toISOString() });
          await saveState(stateDir, next, [pkg]);
          return [...new Set(hit.map((m) => m.filename))].sort();
        },
        { purpose: 'yank', log: (l: string) => warn(ctx, l) },
      );
      if (o.json) return printJson(ctx, { package: pkg, version, wheels, reason: o.reason });
      print(ctx, `withdrew ${wheels.length} wheel(s) of ${pkg} ${version}: the next refinery publish marks them yanked`);
    });
}
