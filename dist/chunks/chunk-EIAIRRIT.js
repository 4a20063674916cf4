import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  error,
  summary,
  warning
} from "./chunk-H5EOO74D.js";
import {
  DEFAULT_RETRY_POLICY
} from "./chunk-BFBSUM3N.js";

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
var ERRORS_PER_STEP = 10;
function batchStatus(reports) {
  for (const s of ["failed", "timeout", "built"]) if (reports.some((r) => r.status === s)) return s;
  return "reused";
}
function failureWords(r) {
  const last = r.attempts[r.attempts.length - 1];
  const tried = [...new Set(r.attempts.flatMap((a) => a.hintsApplied))];
  const cls = last.failureClass ?? "unclassified";
  const hint = tried.length > 0 ? tried.join(", ") : last.matchedHint ? `${last.matchedHint} (matched, no remedy for this preset)` : "none";
  const next = DEFAULT_RETRY_POLICY.retryClasses.includes(cls) ? "record queues it for a retry; the scheduled drain (actions/queue) rebuilds it when due" : cls === "turbo-incompatible" ? "set compiler: emulated for this package (the state remembers it for later plans)" : `read ${r.log}; \`refinery hints explain ${r.log}\` shows what matched, a hint or recipe for it makes the next plan retry (docs/hints.md)`;
  return { cls, hint, next };
}
function annotateFailures(reports) {
  const failed = reports.filter((r) => (r.status === "failed" || r.status === "timeout") && r.result);
  for (const r of failed.slice(0, ERRORS_PER_STEP)) {
    const w = failureWords(r.result);
    const last = r.result.attempts.at(-1);
    error(
      `${r.unit.id} failed after ${r.result.attempts.length} attempt(s): ${w.cls} in phase ${last.phase ?? "?"}${last.evidence?.[0] ? ` (${last.evidence[0]})` : ""}. Hint tried: ${w.hint}. Next: ${w.next}`,
      { title: `refinery: ${w.cls}: ${r.unit.package}==${r.unit.version}` }
    );
  }
  const more = Math.max(0, failed.length - ERRORS_PER_STEP);
  if (more > 0)
    warning(
      `${more} more unit(s) failed than GitHub shows annotations for: ${failed.slice(ERRORS_PER_STEP).map((r) => r.unit.id).join(", ")} (see the job summary)`
    );
  return more;
}
function buildSummary(reports, leftOut) {
  summary.addHeading("s390x builds", 2);
  const counts = ["built", "reused", "failed", "timeout"].map((s) => `${reports.filter((r) => r.status === s).length} ${s}`);
  summary.addRaw(`${reports.length} unit(s): ${counts.join(", ")}.

`);
  for (const r of reports) {
    const res = r.result;
    const lines = [`<h3>${esc(r.unit.id)}: ${r.status}</h3>`];
    if (r.reused) lines.push(`<p>wheel <code>${esc(r.reused.wheel)}</code>: ${esc(r.reused.reason)}</p>`);
    if (res?.wheel)
      lines.push(
        `<p>wheel <code>${esc(res.wheel.filename)}</code>, ${size(res.wheel.size)}, tags ${res.wheel.tags.map((t) => `<code>${esc(t)}</code>`).join(" ")}${res.compiler ? `, compiler ${res.compiler}` : ""}</p>`
      );
    if (res) {
      const phases = Object.entries(res.phaseDurationsMs).map(([p, ms]) => `${esc(p)} ${(ms / 1e3).toFixed(1)} s`);
      if (phases.length > 0) lines.push(`<p>phases: ${phases.join(", ")}</p>`);
      const rows = res.attempts.map(
        (a) => `<tr><td>${a.n}</td><td>${a.status}</td><td>${esc(a.phase ?? "")}</td><td>${esc(a.failureClass ?? "")}</td><td>${esc(a.hintsApplied.join(", ") || "none")}</td><td>${esc(a.matchedHint ?? "")}</td><td>${(a.durationMs / 1e3).toFixed(1)} s</td></tr>`
      );
      lines.push(
        `<table><tr><th>attempt</th><th>status</th><th>phase</th><th>class</th><th>hints applied</th><th>hint matched</th><th>time</th></tr>${rows.join("")}</table>`
      );
      if (res.status !== "success") {
        const w = failureWords(res);
        lines.push(`<p>next: ${esc(w.next)}</p>`);
      }
    }
    summary.addRaw(`${lines.join("\n")}

`);
  }
  if (leftOut > 0) summary.addRaw(`${leftOut} more failed unit(s) than the ${ERRORS_PER_STEP} error annotations GitHub keeps per step.
`);
}
function recordSummary(r) {
  summary.addHeading("s390x record", 2);
  if (r.commit.refused) summary.addRaw(`**Not committed:** ${esc(r.commit.refused)}

`);
  summary.addTable([
    ["built", "reused", "upstream", "failed", "queued"].map((h) => ({ data: h, header: true })),
    [String(r.built), String(r.reused), r.upstream === void 0 ? "not known here" : String(r.upstream), String(r.failed.length), String(r.queueDepth)]
  ]);
  if (r.failed.length > 0) {
    const byClass = /* @__PURE__ */ new Map();
    for (const f of r.failed) byClass.set(f.cls, [...byClass.get(f.cls) ?? [], f]);
    const items = [...byClass].map(
      ([cls, list]) => `<li>${esc(cls)} (${list.length}): ${list.slice(0, 50).map((f) => `<code>${esc(f.unit)}</code> (hint tried: ${esc(f.hint)})`).join(", ")}${list.length > 50 ? `, and ${list.length - 50} more` : ""}</li>`
    );
    summary.addRaw(`<p>failed by class:</p><ul>${items.join("")}</ul>
`);
  }
  if (r.nextDue)
    summary.addRaw(
      `
Next due in the retry queue: \`${r.nextDue.package}==${r.nextDue.version}\`${r.nextDue.unit ? ` (${r.nextDue.unit})` : ""} at ${r.nextDue.nextEligibleAt} (${r.nextDue.reason}).
`
    );
  else summary.addRaw("\nThe retry queue is empty.\n");
  if (r.commit.refused) return;
  if (r.commit.sha) summary.addRaw(`
Committed ${r.commit.sha.slice(0, 12)} (${r.commit.how}).
`);
  else summary.addRaw(`
Nothing committed (${r.commit.how}).
`);
}
function size(bytes) {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export {
  inventorySummary,
  annotateWarnings,
  planSummary,
  batchStatus,
  failureWords,
  annotateFailures,
  buildSummary,
  recordSummary
};
