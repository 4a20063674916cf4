import type { Writable } from 'node:stream';

/**
 * What a command needs from the outside world. The CLI entry fills it from the process; tests
 * fill it with buffers. Commands never touch process.* directly.
 */
export interface CliContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: Writable;
  stderr: Writable;
  /** stderr is a terminal: progress lines may redraw in place. */
  interactive: boolean;
}

export function processContext(): CliContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stderr.isTTY) && process.env.CI !== 'true',
  };
}

export function print(ctx: CliContext, text = ''): void {
  ctx.stdout.write(`${text}\n`);
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function warn(ctx: CliContext, text: string): void {
  ctx.stderr.write(`${text}\n`);
}
