import { Command, CommanderError } from 'commander';
import { EXIT_CODES, isRefineryError } from '../../errors.js';
import { type CliContext, processContext } from './context.js';
import { commands } from './commands/index.js';

export const VERSION = '0.1.0';

export async function buildProgram(ctx: CliContext): Promise<Command> {
  const program = new Command('refinery')
    .description(
      'Build, record and serve Python wheels for Linux on IBM Z (s390x).\n\n' +
        'Stages: scan (what needs building) -> plan (Actions matrix) -> build -> record -> publish.\n' +
        'Every command takes --json for machines and --help for people.',
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .exitOverride();
  program.addHelpText(
    'after',
    `
Exit codes: ${Object.entries(EXIT_CODES)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}

Docs: README.md and docs/ in the refinery repository.`,
  );
  for (const load of commands) {
    const mod = await load();
    mod.register(program, ctx);
  }
  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[], ctx: CliContext = processContext()): Promise<number> {
  try {
    const program = await buildProgram(ctx);
    for (const sub of program.commands) sub.exitOverride();
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return EXIT_CODES.usage;
    }
    if (isRefineryError(e)) {
      ctx.stderr.write(`refinery: error: ${e.describe()}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    ctx.stderr.write(`refinery: internal error: ${err?.stack ?? String(e)}\n`);
    return EXIT_CODES.internal;
  }
}
