import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);

// src/cli/context.ts
function processContext() {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stderr.isTTY) && process.env.CI !== "true"
  };
}
function print(ctx, text = "") {
  ctx.stdout.write(`${text}
`);
}
function printJson(ctx, value) {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}
`);
}
function warn(ctx, text) {
  ctx.stderr.write(`${text}
`);
}

export {
  processContext,
  print,
  printJson,
  warn
};
