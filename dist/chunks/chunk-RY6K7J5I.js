import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);

// src/faces/cli/format.ts
function table(headers, rows, maxWidth = 60) {
  const clip = (s) => s.length > maxWidth ? `${s.slice(0, maxWidth - 1)}\u2026` : s;
  const cells = [headers, ...rows].map((r) => r.map(clip));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells.map(
    (r) => r.map((c, i) => i === r.length - 1 ? c : c.padEnd(widths[i])).join("  ").trimEnd()
  ).join("\n");
}
function duration(seconds) {
  if (seconds < 90) return `${Math.round(seconds)}s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}

export {
  table,
  duration
};
