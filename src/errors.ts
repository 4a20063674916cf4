/**
 * Errors are values with a code and a message a user can act on. The faces (CLI, actions) turn the
 * code into an exit code and an annotation; nothing below them prints or exits.
 */
export const EXIT_CODES = {
  ok: 0,
  internal: 1,
  usage: 2,
  config: 3,
  input: 4,
  index: 5,
  resolution: 6,
  build: 7,
  environment: 8,
  state: 9,
  conflict: 10,
  /** Stopped by SIGINT (130); SIGTERM gives 143, the shell's 128 + signal number. */
  cancelled: 130,
} as const;

export type ErrorCode = Exclude<keyof typeof EXIT_CODES, 'ok'>;

export interface ErrorLocation {
  /** File the problem is in (path as the user gave it). */
  file?: string;
  /** 1-based line number, when known. */
  line?: number;
  /** Dotted field path inside a structured file, e.g. `targets.0.python`. */
  field?: string;
}

export class RefineryError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;
  /** What the user should do about it, one sentence. */
  readonly fix: string | undefined;

  constructor(code: ErrorCode, message: string, opts: { location?: ErrorLocation; fix?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'RefineryError';
    this.code = code;
    this.location = opts.location ?? {};
    this.fix = opts.fix;
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }

  /** One line: `file:line: field: message (fix)`. */
  describe(): string {
    const where = [this.location.file, this.location.line].filter((p) => p !== undefined).join(':');
    const field = this.location.field ? `${this.location.field}: ` : '';
    const fix = this.fix ? ` (${this.fix})` : '';
    return `${where ? `${where}: ` : ''}${field}${this.message}${fix}`;
  }
}

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Refinery was asked to stop: what was running is stopped and cleaned up; exit 128 + signal. */
export class CancelledError extends RefineryError {
  constructor(
    readonly signal: StopSignal,
    message: string,
    opts: { fix?: string } = {},
  ) {
    super('cancelled', message, opts);
  }

  override get exitCode(): number {
    return this.signal === 'SIGINT' ? 130 : 143;
  }
}

export function isRefineryError(e: unknown): e is RefineryError {
  return e instanceof RefineryError;
}
