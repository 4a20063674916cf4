import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  locateUv,
  planFromState
} from "./chunk-SFTXTDFY.js";
import {
  loadEffectiveConfig
} from "./chunk-YTA5TDGE.js";
import {
  indexesFromConfig,
  scanFromConfig
} from "./chunk-5RNAZF3E.js";
import {
  warn
} from "./chunk-KCAWH7LJ.js";

// src/faces/cli/progress.ts
function progress(ctx, title, enabled) {
  const on = enabled && ctx.interactive;
  let last = 0;
  return {
    update(done, total, label) {
      if (!on) return;
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      const pct = total > 0 ? Math.floor(done / total * 100) : 0;
      const line = `${title} ${done}/${total} (${pct}%)${label ? ` ${label}` : ""}`;
      ctx.stderr.write(`\r\x1B[2K${line.slice(0, 120)}`);
    },
    done(summary) {
      if (!on) return;
      ctx.stderr.write(`\r\x1B[2K${summary ? `${summary}
` : ""}`);
    }
  };
}

// src/faces/cli/run-scan.ts
function findUv(ctx, config, cacheDir, install = true) {
  return locateUv({
    env: ctx.env,
    cacheDir,
    indexes: indexesFromConfig(config, ctx.env, { extraIndexUrls: [] }),
    install,
    httpOptions: { env: ctx.env },
    notice: (m) => warn(ctx, m)
  });
}
async function runScan(ctx, o, opts) {
  const { config, baseDir, stateDir, cacheDir } = await loadEffectiveConfig(ctx, o);
  const bar = progress(ctx, "scanning", opts.progress);
  const { inventory } = await scanFromConfig({
    config,
    baseDir,
    stateDir,
    cacheDir,
    uv: () => findUv(ctx, config, cacheDir, o.install !== false),
    env: ctx.env,
    onProgress: (d, t, l) => bar.update(d, t, l)
  });
  bar.done();
  if (opts.printWarnings !== false)
    for (const w of inventory.warnings ?? []) warn(ctx, `warning: ${w.file ? `${w.file}${w.line ? `:${w.line}` : ""}: ` : ""}${w.message}`);
  return inventory;
}
async function runPlan(inventory, config, stateDir) {
  return planFromState(inventory, config, { stateDir });
}

export {
  progress,
  findUv,
  runScan,
  runPlan
};
