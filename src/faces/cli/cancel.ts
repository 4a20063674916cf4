import { CancelledError, type StopSignal } from '../../errors.js';
import { type CliContext, warn } from './context.js';

export interface Cancellation {
  /** Aborted on the first SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal that came, if one did. */
  received(): StopSignal | undefined;
  /** The error the command ends with once it has stopped and cleaned up. */
  error(message: string, fix?: string): CancelledError;
  dispose(): void;
}

/**
 * SIGINT/SIGTERM stop the running build instead of killing refinery mid-way: the build tree (or
 * container) is stopped, a cancelled result written, the work folder removed, then the command
 * exits with 130 (SIGINT) or 143 (SIGTERM).
 */
export function cancellation(ctx: CliContext, what: string): Cancellation {
  const controller = new AbortController();
  let got: StopSignal | undefined;
  const undo = ctx.onStopSignal?.((signal) => {
    got = signal;
    warn(ctx, `refinery: ${signal} received: stopping ${what} (again to exit at once)`);
    controller.abort(new Error(`${signal} received`));
  });
  return {
    signal: controller.signal,
    received: () => got,
    error: (message, fix) => new CancelledError(got ?? 'SIGTERM', message, fix ? { fix } : {}),
    dispose: () => undo?.(),
  };
}
