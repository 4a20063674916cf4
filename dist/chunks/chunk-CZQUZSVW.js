import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

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
  __require,
  __commonJS,
  __export,
  __toESM,
  EXIT_CODES,
  RefineryError,
  isRefineryError
};
