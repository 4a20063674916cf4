import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  summary,
  warning
} from "./chunk-2LIE6FCH.js";

// src/faces/actions/summary.ts
import { relative, resolve, sep } from "node:path";
function inventorySummary(inv) {
  summary.addHeading("s390x wheel scan", 2);
  summary.addRaw(`Targets: ${inv.targets.map((t) => `\`${t}\``).join(", ")}

`);
  summary.addTable([
    [
      { data: "status", header: true },
      { data: "count", header: true }
    ],
    ...Object.entries(inv.summary).map(([k, v]) => [k, String(v)])
  ]);
  const build = inv.packages.filter((p) => p.status === "needs-build");
  if (build.length > 0) {
    summary.addDetails(
      `${build.length} package version(s) need an s390x build`,
      `<ul>${build.map((p) => `<li><code>${esc(p.name)}==${esc(p.version)}</code> (${esc(p.python)})</li>`).join("")}</ul>`
    );
  }
  if (inv.cut.length > 0) summary.addRaw(`
${inv.cut.length} package(s) left out by the expansion bounds.
`);
  for (const w of inv.warnings ?? []) summary.addRaw(`
- ignored: ${esc(w.file ? `${w.file}:${w.line ?? ""}: ` : "")}${esc(w.message)}
`);
}
function annotateWarnings(inv, configDir) {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  for (const w of inv.warnings ?? []) {
    const file = w.file === void 0 ? void 0 : relative(workspace, resolve(configDir, w.file)).split(sep).join("/");
    warning(w.message, { ...file ? { file } : {}, ...w.line ? { startLine: w.line } : {} });
  }
}
function planSummary(plan) {
  summary.addHeading("s390x build plan", 2);
  summary.addRaw(`${plan.matrix.include.length} unit(s) in ${plan.waves} wave(s), ${plan.shards.length} shard(s).

`);
  if (plan.matrix.include.length > 0) {
    summary.addTable([
      ["wave", "unit", "preset", "compiler", "runner", "why"].map((h) => ({ data: h, header: true })),
      ...plan.matrix.include.slice(0, 200).map((u) => [String(u.wave), u.id, u.preset, u.compiler ?? "turbo", `${u.runner.kind}: ${u.runner.labels.join(", ")}`, u.reason])
    ]);
  }
  for (const s of plan.skipped) summary.addRaw(`- not planned: \`${s.package}==${s.version}\`: ${s.reason}
`);
}
function esc(s) {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

export {
  inventorySummary,
  annotateWarnings,
  planSummary
};
