import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);

// src/faces/cli/context.ts
function processContext() {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stderr.isTTY) && process.env.CI !== "true",
    onStopSignal: (handler) => {
      let seen = 0;
      const on = (signal) => {
        if (++seen > 1) {
          process.stderr.write(`refinery: ${signal} again: exiting now, without waiting for the build to be stopped
`);
          process.exit(signal === "SIGINT" ? 130 : 143);
        }
        handler(signal);
      };
      process.on("SIGINT", on);
      process.on("SIGTERM", on);
      return () => {
        process.off("SIGINT", on);
        process.off("SIGTERM", on);
      };
    }
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
