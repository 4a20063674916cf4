import type { CliContext } from './context.js';

/** A one-line progress display on stderr; silent when not interactive or when output is JSON. */
export interface Progress {
  update(done: number, total: number, label?: string): void;
  done(summary?: string): void;
}

export function progress(ctx: CliContext, title: string, enabled: boolean): Progress {
  const on = enabled && ctx.interactive;
  let last = 0;
  return {
    update(done, total, label) {
      if (!on) return;
      const now = Date.now();
      if (now - last < 80 && done < total) return; // redraw at most ~12 times a second
      last = now;
      const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
      const line = `${title} ${done}/${total} (${pct}%)${label ? ` ${label}` : ''}`;
      ctx.stderr.write(`\r\x1b[2K${line.slice(0, 120)}`);
    },
    done(summary) {
      if (!on) return;
      ctx.stderr.write(`\r\x1b[2K${summary ? `${summary}\n` : ''}`);
    },
  };
}
