import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  warn
} from "./chunk-KCAWH7LJ.js";
import {
  openSession
} from "./chunk-J5ZFXILX.js";

// src/faces/cli/session.ts
function cliSession(ctx, flags) {
  return openSession({ cwd: ctx.cwd, env: ctx.env, flags, notice: (m) => warn(ctx, m) });
}

export {
  cliSession
};
