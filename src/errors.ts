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

/**
 * A short, escaped rendering of untrusted text for an error message: JSON-quoted (control
 * characters and quotes escaped) and cut to `max` characters. Never put a file's content or a
 * hostile name into a message any other way.
 */
export function excerpt(text: string, max = 60): string {
  const cut = [...text];
  return JSON.stringify(cut.length > max ? `${cut.slice(0, max).join('')}…` : text);
}

/** A path for a message: as is when it is printable, else escaped like `excerpt` (names from build jobs may hold control characters). */
export function printablePath(path: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(path) ? excerpt(path, 200) : path;
}
