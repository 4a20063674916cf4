import { cmp } from '../../domain/state/canonical.js';
import type { HintCatalog } from '../../domain/hints/schema.js';
import { duration, esc, extLink, page, table } from './html.js';
import { byVersion } from './simple-index.js';
import { suggestFix, type SuggestOptions } from './suggest.js';
import { hasRemedy, nextStep, type PackageView, type Run } from './views.js';
import type { SiteWheel } from './wheels.js';

/**
 * packages/<name>.html: everything the state knows about one package, rendered on the server side
 * (readable without JavaScript): wheels, the latest run of each variant side by side, the full
 * attempt history, and a suggested hint for failures nothing fixes yet.
 */
export async function packagePage(v: PackageView, wheels: readonly SiteWheel[], catalog: HintCatalog | undefined, suggest: SuggestOptions): Promise<string> {
  const p = v.pkg;
  const parts: string[] = [];
  parts.push(`<h1>${esc(p.name)}</h1>`);
  parts.push(
    `<p class="summary">Status: <span class="status status-${esc(v.status)}">${esc(v.status)}</span>; ${wheels.length} wheel(s) on the index, ${v.runs.length} run(s), ${p.history.length} attempt(s)${v.lastAt ? `; last activity ${esc(v.lastAt)}` : ''}. <a href="../simple/${esc(encodeURIComponent(p.name))}/">Simple index page</a>, <a href="../api/packages/${esc(encodeURIComponent(p.name))}.json">JSON</a>.</p>`,
  );
  if (wheels.length > 0) {
    parts.push(
      table(
        'Wheels on the index',
        ['Wheel', 'Version', 'Variant', 'Preset', 'Executor', 'Built', 'Size', 'Needs', 'Yanked', 'Attestation'],
        wheels.map((w) => [
          /^https?:/.test(w.url)
            ? extLink(w.url, w.entry.filename)
            : `<a href="../${esc(w.url.split('/').map(encodeURIComponent).join('/'))}">${esc(w.entry.filename)}</a>`,
          esc(w.entry.version),
          esc(w.entry.variant),
          esc(w.entry.preset),
          // Which compilers built it: a turbo wheel is a different input from an emulated one.
          esc(w.entry.executor + (w.entry.compiler ? `, ${w.entry.compiler} compilers` : '')),
          esc(w.entry.builtAt),
          esc(w.entry.size),
          esc(needs(w.entry)),
          esc(w.yanked ?? ''),
          attestationCell(w),
        ]),
      ),
    );
  }
  parts.push(comparison(v));
  const fixes: string[] = [];
  for (const k of p.knownFailing) {
    const next = nextStep(p.name, k, p.queue, catalog);
    if (hasRemedy(k, catalog)) {
      fixes.push(
        `<li>${esc(k.version)} ${esc(k.unit)}: ${esc(k.failureClass ?? 'unclassified')}; hint tried: ${esc(k.matchedHint ?? 'none')}; next: ${esc(next)}</li>`,
      );
      continue;
    }
    const attempt = p.history.find((h) => h.run === k.run && h.attempt === k.attempt);
    const s = await suggestFix(p.name, k, attempt, suggest);
    const id = `fix-${fixes.length}`;
    fixes.push(
      `<li><h3 id="${id}-h">${esc(k.version)} ${esc(k.unit)}: ${esc(k.failureClass ?? 'unclassified')} in ${esc(k.phase ?? '?')}, no remedy yet</h3>` +
        `<p>Next step: ${esc(next)}. A hint for <code>${esc(s.filename)}</code>${s.evidence.length ? ', from the log' : ''}:</p>` +
        `<pre class="snippet" aria-labelledby="${id}-h" tabindex="0">${esc(s.snippet)}</pre>` +
        (s.url
          ? `<p><a class="suggest" href="${esc(s.url)}" rel="noopener noreferrer">Suggest a fix: open this file on GitHub</a></p>`
          : '<p>Publish with <code>--repo owner/name</code> for a link that opens it on GitHub.</p>') +
        '</li>',
    );
  }
  if (fixes.length > 0) parts.push(`<section aria-labelledby="fixes"><h2 id="fixes">Failing units</h2><ul class="fixes">${fixes.join('\n')}</ul></section>`);
  parts.push(history(v));
  return page({ title: `${p.name} - s390x wheels`, root: '../', body: parts.join('\n') });
}

/**
 * What a user must know before installing the wheel: the system packages it imports with (the
 * smoke test passed once they were installed), or why nothing proved it works.
 */
function needs(e: SiteWheel['entry']): string {
  const pkgs = e.runtimePackages ? `${e.runtimePackages.manager} install ${e.runtimePackages.packages.join(' ')}` : '';
  if (e.unverified) return `UNVERIFIED: ${e.unverified}${pkgs ? ` (runtime packages: ${pkgs})` : ''}`;
  if (pkgs) return `verified with runtime packages: ${pkgs}`;
  return e.externalLibraries ? `system libraries: ${e.externalLibraries.join(', ')}` : '';
}

/** The latest run of each variant and preset, side by side per version, and what made the difference. */
function comparison(v: PackageView): string {
  const presets = [...new Set(v.runs.map((r) => r.preset))].sort(cmp);
  if (presets.length === 0) return '<p>No builds recorded yet.</p>';
  const versions = [...new Set(v.runs.map((r) => r.version))].sort(byVersion).reverse();
  const out: string[] = ['<section aria-labelledby="cmp"><h2 id="cmp">Variants compared</h2>'];
  for (const version of versions) {
    const runs = [...v.latest.values()].filter((r) => r.version === version);
    const variants = [...new Set(runs.map((r) => r.variant))].sort(cmp);
    const rows = variants.map((variant) => [
      esc(variant),
      ...presets.map((preset) => {
        const r = runs.find((x) => x.variant === variant && x.preset === preset);
        return r ? cell(r) : '<span class="muted">-</span>';
      }),
    ]);
    out.push(table(`Version ${version}: latest run per variant and preset`, ['Variant', ...presets], rows, { className: 'compare' }));
    const diffs: string[] = [];
    for (const variant of variants) {
      const ok = runs.filter((r) => r.variant === variant && r.outcome === 'success');
      const bad = runs.filter((r) => r.variant === variant && r.outcome === 'failure');
      if (ok.length && bad.length)
        diffs.push(`${variant}: preset ${ok.map((r) => r.preset).join(', ')} built it where ${bad.map((r) => r.preset).join(', ')} failed`);
      for (const r of ok) {
        const first = r.attempts[0]!;
        const last = r.attempts[r.attempts.length - 1]!;
        const added = last.hintsApplied.filter((h) => !first.hintsApplied.includes(h));
        if (added.length)
          diffs.push(`${variant} on ${r.preset}: hint ${added.join(', ')} made attempt ${last.attempt} succeed after ${first.failureClass ?? 'a failure'}`);
      }
    }
    if (diffs.length) out.push(`<ul class="diffs">${diffs.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>`);
  }
  out.push('</section>');
  return out.join('\n');
}

function cell(r: Run): string {
  const last = r.attempts[r.attempts.length - 1]!;
  const hints = last.hintsApplied.length ? ` hints: ${last.hintsApplied.join(', ')}` : '';
  const cls = r.outcome === 'failure' ? ` (${last.failureClass ?? 'unclassified'})` : '';
  const total = r.attempts.reduce((s, a) => s + a.durationMs, 0);
  return `<span class="status status-${r.outcome === 'success' ? 'built' : 'failing'}">${esc(r.outcome)}</span>${esc(cls)} ${esc(r.attempts.length)} attempt(s), ${esc(duration(total))}${esc(hints)}`;
}

function history(v: PackageView): string {
  const rows = [...v.runs]
    .reverse()
    .flatMap((r) =>
      [...r.attempts]
        .reverse()
        .map((a) => [
          esc(a.finishedAt),
          esc(a.version),
          esc(a.variant),
          esc(a.preset),
          `${esc(a.attempt)}/${esc(a.attempts)}`,
          `<span class="status status-${a.status === 'success' ? 'built' : 'failing'}">${esc(a.status)}</span>`,
          esc([a.phase, a.failureClass].filter(Boolean).join(' / ')),
          esc(a.matchedHint ?? ''),
          esc(a.hintsApplied.join(', ')),
          esc(duration(a.durationMs)),
          esc(a.executor + (a.compiler ? `, ${a.compiler} compilers` : '') + (a.runner ? ` on ${a.runner}` : '')),
          [a.runUrl ? extLink(a.runUrl, 'run') : '', a.log ? `<code>${esc(a.log)}</code>` : ''].filter(Boolean).join(' '),
        ]),
    );
  return `<section aria-labelledby="hist"><h2 id="hist">Attempt history</h2>\n${table('Every attempt, newest first', ['Finished', 'Version', 'Variant', 'Preset', 'Attempt', 'Status', 'Phase / class', 'Hint matched', 'Hints applied', 'Duration', 'Executor', 'Log'], rows, { id: 'attempts' })}</section>`;
}

/**
 * The build provenance of a wheel: GitHub's attestation page (https only), the PEP 740 file the
 * index serves beside the wheel, and who signed it as the statement says (verify before trusting:
 * `gh attestation verify` or a PEP 740 verifier).
 */
function attestationCell(w: SiteWheel): string {
  const a = w.entry.attestation;
  const parts: string[] = [];
  if (a) parts.push(extLink(a.url, `attestation ${a.id}`));
  if (w.provenance?.sitePath) parts.push(`<a href="../${esc(w.provenance.sitePath.split('/').map(encodeURIComponent).join('/'))}">PEP 740 provenance</a>`);
  const who = w.provenance?.publisher;
  if (who) parts.push(`signed by ${esc(who.repository)} (${esc(who.workflow)})`);
  return parts.join(', ');
}
