import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  planFromState
} from "./chunk-JMWQ5GL6.js";
import {
  loadEffectiveConfig
} from "./chunk-OILDENPJ.js";
import {
  scanFromConfig
} from "./chunk-7FO562RD.js";
import {
  available
} from "./chunk-YL7U2S3A.js";
import {
  warn
} from "./chunk-CIHJ7QN7.js";
import {
  RefineryError
} from "./chunk-2Z5TIULM.js";

// src/cli/progress.ts
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

// src/cli/run-scan.ts
async function findUv(ctx) {
  const candidates = [ctx.env.REFINERY_UV, "uv"].filter((c) => !!c);
  for (const c of candidates) if (await available(c)) return c;
  throw new RefineryError("environment", "uv (the resolver) was not found", {
    fix: "install it (`pip install uv`, or astral-sh/setup-uv in a workflow) or set REFINERY_UV to its path"
  });
}
async function runScan(ctx, o, opts) {
  const { config, baseDir, stateDir, cacheDir } = await loadEffectiveConfig(ctx, o);
  const bar = progress(ctx, "scanning", opts.progress);
  const { inventory } = await scanFromConfig({ config, baseDir, stateDir, cacheDir, uv: () => findUv(ctx), env: ctx.env, onProgress: (d, t, l) => bar.update(d, t, l) });
  bar.done();
  if (opts.printWarnings !== false) for (const w of inventory.warnings ?? []) warn(ctx, `warning: ${w.file ? `${w.file}${w.line ? `:${w.line}` : ""}: ` : ""}${w.message}`);
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
