import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);

// src/errors.ts
var EXIT_CODES = {
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
  cancelled: 130
};
var RefineryError = class extends Error {
  code;
  location;
  /** What the user should do about it, one sentence. */
  fix;
  constructor(code, message, opts = {}) {
    super(message, opts.cause === void 0 ? void 0 : { cause: opts.cause });
    this.name = "RefineryError";
    this.code = code;
    this.location = opts.location ?? {};
    this.fix = opts.fix;
  }
  get exitCode() {
    return EXIT_CODES[this.code];
  }
  /** One line: `file:line: field: message (fix)`. */
  describe() {
    const where = [this.location.file, this.location.line].filter((p) => p !== void 0).join(":");
    const field = this.location.field ? `${this.location.field}: ` : "";
    const fix = this.fix ? ` (${this.fix})` : "";
    return `${where ? `${where}: ` : ""}${field}${this.message}${fix}`;
  }
};
var CancelledError = class extends RefineryError {
  constructor(signal, message, opts = {}) {
    super("cancelled", message, opts);
    this.signal = signal;
  }
  signal;
  get exitCode() {
    return this.signal === "SIGINT" ? 130 : 143;
  }
};
function isRefineryError(e) {
  return e instanceof RefineryError;
}
function excerpt(text, max = 60) {
  const cut = [...text];
  return JSON.stringify(cut.length > max ? `${cut.slice(0, max).join("")}\u2026` : text);
}
function printablePath(path) {
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(path) ? excerpt(path, 200) : path;
}

export {
  EXIT_CODES,
  RefineryError,
  CancelledError,
  isRefineryError,
  excerpt,
  printablePath
};
