import { relative, resolve, sep } from 'node:path';
import * as core from '@actions/core';
import type { Inventory } from '../../domain/model/inventory.js';
import type { Plan } from '../../domain/model/plan.js';

export function inventorySummary(inv: Inventory): void {
  core.summary.addHeading('s390x wheel scan', 2);
  core.summary.addRaw(`Targets: ${inv.targets.map((t) => `\`${t}\``).join(', ')}\n\n`);
  core.summary.addTable([
    [
      { data: 'status', header: true },
      { data: 'count', header: true },
    ],
    ...Object.entries(inv.summary).map(([k, v]) => [k, String(v)]),
  ]);
  const build = inv.packages.filter((p) => p.status === 'needs-build');
  if (build.length > 0) {
    core.summary.addDetails(
      `${build.length} package version(s) need an s390x build`,
      `<ul>${build.map((p) => `<li><code>${esc(p.name)}==${esc(p.version)}</code> (${esc(p.python)})</li>`).join('')}</ul>`,
    );
  }
  if (inv.cut.length > 0) core.summary.addRaw(`\n${inv.cut.length} package(s) left out by the expansion bounds.\n`);
  for (const w of inv.warnings ?? []) core.summary.addRaw(`\n- ignored: ${esc(w.file ? `${w.file}:${w.line ?? ''}: ` : '')}${esc(w.message)}\n`);
}

/**
 * Each inventory warning as an annotation on the requirements line that caused it. Files are
 * stored relative to the config's folder; annotations want them relative to the workspace.
 */
export function annotateWarnings(inv: Inventory, configDir: string): void {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  for (const w of inv.warnings ?? []) {
    const file = w.file === undefined ? undefined : relative(workspace, resolve(configDir, w.file)).split(sep).join('/');
    core.warning(w.message, { ...(file ? { file } : {}), ...(w.line ? { startLine: w.line } : {}) });
  }
}

export function planSummary(plan: Plan): void {
  core.summary.addHeading('s390x build plan', 2);
  core.summary.addRaw(`${plan.matrix.include.length} unit(s) in ${plan.waves} wave(s), ${plan.shards.length} shard(s).\n\n`);
  if (plan.matrix.include.length > 0) {
    core.summary.addTable([
      ['wave', 'unit', 'preset', 'compiler', 'runner', 'why'].map((h) => ({ data: h, header: true })),
      ...plan.matrix.include
        .slice(0, 200)
        .map((u) => [String(u.wave), u.id, u.preset, u.compiler ?? 'turbo', `${u.runner.kind}: ${u.runner.labels.join(', ')}`, u.reason]),
    ]);
  }
  for (const s of plan.skipped) core.summary.addRaw(`- not planned: \`${s.package}==${s.version}\`: ${s.reason}\n`);
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
