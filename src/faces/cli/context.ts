import type { Writable } from 'node:stream';
import type { StopSignal } from '../../errors.js';

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
  /**
   * Take over SIGINT/SIGTERM while a long command runs (builds): the handler is called on the
   * first signal; a second one ends the process at once. Returns the undo. Absent in tests that
   * run the CLI in-process.
   */
  onStopSignal?: (handler: (signal: StopSignal) => void) => () => void;
}

export function processContext(): CliContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stderr.isTTY) && process.env.CI !== 'true',
    onStopSignal: (handler) => {
      let seen = 0;
      const on = (signal: StopSignal) => {
        if (++seen > 1) {
          process.stderr.write(`refinery: ${signal} again: exiting now, without waiting for the build to be stopped\n`);
          process.exit(signal === 'SIGINT' ? 130 : 143);
        }
        handler(signal);
      };
      process.on('SIGINT', on);
      process.on('SIGTERM', on);
      return () => {
        process.off('SIGINT', on);
        process.off('SIGTERM', on);
      };
    },
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
