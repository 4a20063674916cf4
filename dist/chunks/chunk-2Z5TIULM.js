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
  conflict: 10
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
function isRefineryError(e) {
  return e instanceof RefineryError;
}

export {
  EXIT_CODES,
  RefineryError,
  isRefineryError
};
