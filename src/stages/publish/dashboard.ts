import { cmp, cmpTime } from '../../domain/state/canonical.js';
import { duration, esc, page, table } from './html.js';
import { DASHBOARD_JS, DASHBOARD_CSS } from './dashboard-assets.js';
import type { SiteViews } from './views.js';

/**
 * The dashboard: index.html with the site-wide views rendered on the server side (recent events,
 * failures by class, hint catalog, queue, native vs QEMU, build time chart), and the package list
 * and variant grid filled by a small script from one compact JSON file (data/packages.json),
 * searched in the browser. No framework, no build step, relative links only.
 */

export const DATA_FILE = 'data/packages.json';

export interface DashboardFiles {
  'index.html': string;
  'assets/app.js': string;
  'assets/style.css': string;
  [DATA_FILE]: string;
}

export function dashboardFiles(v: SiteViews, title: string): DashboardFiles {
  return { 'index.html': indexHtml(v, title), 'assets/app.js': DASHBOARD_JS, 'assets/style.css': DASHBOARD_CSS, [DATA_FILE]: packagesJson(v) };
}

/** `{presets, pythons, packages: [[name, version, status, wheels, runs, failing, lastAt, [[python, preset, ok]...]]]}` */
export function packagesJson(v: SiteViews): string {
  const presets = [...new Set(v.packages.flatMap((p) => p.runs.map((r) => r.preset)))].sort(cmp);
  const pythons = [...new Set(v.packages.flatMap((p) => p.runs.map((r) => r.variant)))].sort(cmp);
  const pi = new Map(presets.map((p, i) => [p, i]));
  const yi = new Map(pythons.map((p, i) => [p, i]));
  const rows = v.packages.map((p) => {
    // Latest status per Python x preset, over all versions: the newest run wins.
    const cells = new Map<string, { at: string; ok: number; y: number; p: number }>();
    for (const r of p.runs) {
      const key = `${r.variant}\u0000${r.preset}`;
      const have = cells.get(key);
      if (!have || cmpTime(r.finishedAt, have.at) >= 0)
        cells.set(key, { at: r.finishedAt, ok: r.outcome === 'success' ? 1 : 0, y: yi.get(r.variant)!, p: pi.get(r.preset)! });
    }
    const grid = [...cells.values()].sort((a, b) => a.y - b.y || a.p - b.p).map((c) => [c.y, c.p, c.ok]);
    return [
      p.pkg.name,
      p.latestVersion ?? '',
      p.status,
      new Set(p.pkg.manifest.map((m) => m.filename)).size,
      p.runs.length,
      p.pkg.knownFailing.length,
      p.lastAt ?? '',
      grid,
    ];
  });
  return `${JSON.stringify({ v: 1, presets, pythons, packages: rows })}\n`;
}

const pkgLink = (name: string) => `<a href="packages/${esc(encodeURIComponent(name))}.html">${esc(name)}</a>`;

function indexHtml(v: SiteViews, title: string): string {
  const total = v.executors.qemu + v.executors.native + v.executors.host;
  const share = (n: number) => (total ? `${((100 * n) / total).toFixed(1)}%` : '-');
  const overview = `<section aria-labelledby="ov"><h2 id="ov">Overview</h2>
<dl class="stats">
<div><dt>Packages</dt><dd>${v.packages.length}</dd></div>
<div><dt>Wheels</dt><dd>${v.wheels}</dd></div>
<div><dt>Runs</dt><dd>${v.runs}</dd></div>
<div><dt>Attempts</dt><dd>${v.attempts}</dd></div>
<div><dt>Queue depth</dt><dd>${v.queue.waiting} waiting, ${v.queue.gaveUp} given up</dd></div>
<div><dt>Next due</dt><dd>${v.queue.next ? `${pkgLink(v.queue.next.package)} ${esc(v.queue.next.version)} at ${esc(v.queue.next.nextEligibleAt)} (${esc(v.queue.next.reason)})` : 'nothing queued'}</dd></div>
<div><dt>Attempts under QEMU</dt><dd>${share(v.executors.qemu)} (${v.executors.qemu})</dd></div>
<div><dt>Attempts native s390x</dt><dd>${share(v.executors.native)} (${v.executors.native})</dd></div>
<div><dt>Attempts on the host (tests)</dt><dd>${share(v.executors.host)} (${v.executors.host})</dd></div>
<div><dt>Last record</dt><dd>${esc(v.lastRecordAt ?? '-')}</dd></div>
</dl></section>`;
  const packages = `<section aria-labelledby="pk"><h2 id="pk">Packages</h2>
<form class="search" role="search" id="search">
<label for="q">Search packages</label> <input id="q" type="search" autocomplete="off" spellcheck="false" aria-describedby="count">
<label for="status">Status</label> <select id="status"><option value="">any</option><option value="built">built</option><option value="failing">failing</option><option value="queued">queued</option><option value="none">none</option></select>
</form>
<p id="count" role="status" aria-live="polite">Loading the package list...</p>
<noscript><p>The package list needs JavaScript; every package is also on the <a href="simple/">simple index</a> and in <a href="api/index.json">api/index.json</a>.</p></noscript>
<table id="packages"><caption>Packages (the first 200 matches)</caption><thead><tr><th scope="col">Package</th><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Wheels</th><th scope="col">Runs</th><th scope="col">Failing units</th><th scope="col">Last activity</th></tr></thead><tbody></tbody></table>
<h2 id="gr">Variant grid</h2>
<p>Latest status of each package per Python and preset (same search; the first 200 matches).</p>
<table id="grid"><caption>Package x Python x preset</caption><thead><tr></tr></thead><tbody></tbody></table>
</section>`;
  const recent = `<section aria-labelledby="ev"><h2 id="ev">Recent events</h2>
${table(
  `The ${v.recent.length} newest attempts`,
  ['Finished', 'Package', 'Version', 'Variant', 'Event', 'Class', 'Hints applied', 'Duration'],
  v.recent.map((h) => [
    esc(h.finishedAt),
    pkgLink(h.package),
    esc(h.version),
    esc(h.variant),
    esc(h.status === 'success' ? 'built' : h.attempt < h.attempts ? 'failed, retried' : 'failed'),
    esc(h.failureClass ?? ''),
    esc(h.hintsApplied.join(', ')),
    esc(duration(h.durationMs)),
  ]),
)}</section>`;
  const failures = `<section aria-labelledby="fl"><h2 id="fl">Failures by class</h2>
${v.failures.length === 0 ? '<p>No unit is failing.</p>' : ''}
${v.failures
  .map((f) =>
    table(
      `${f.cls}: ${f.count} failing unit(s)${f.items.length > 20 ? ', the 20 newest' : ''}`,
      ['Package', 'Version', 'Unit', 'Phase', 'Hint tried', 'Next step'],
      f.items
        .slice(0, 20)
        .map((i) => [
          pkgLink(i.name),
          esc(i.k.version),
          esc(i.k.unit),
          esc(i.k.phase ?? ''),
          esc([i.k.matchedHint, ...i.k.hintsApplied].filter(Boolean).join(', ') || 'none'),
          i.remedy ? esc(i.next) : `${esc(i.next)} (<a href="packages/${esc(encodeURIComponent(i.name))}.html#fixes">suggest a fix</a>)`,
        ]),
      { className: 'failures' },
    ),
  )
  .join('\n')}</section>`;
  const hints = `<section aria-labelledby="hc"><h2 id="hc">Hint catalog</h2>
${table(
  'Hints with their matches in failed attempts and the runs they made succeed',
  ['Hint', 'Class', 'Matches', 'Successes', 'Description'],
  v.hints.map((h) => [
    esc(h.id) + (h.inCatalog ? '' : ' <span class="muted">(not in the catalog)</span>'),
    esc(h.class),
    esc(h.matches),
    esc(h.successes),
    esc(h.description),
  ]),
)}</section>`;
  const body = `<h1>${esc(title)}</h1>\n${overview}\n${packages}\n<section aria-labelledby="bt"><h2 id="bt">Build time</h2>\n${chart(v.buildTime)}</section>\n${recent}\n${failures}\n${hints}`;
  return page({ title, root: '', body, scripts: ['assets/app.js'] });
}

/** Median wall time of successful runs per day, as an inline SVG line with a table beside it. */
export function chart(points: SiteViews['buildTime']): string {
  if (points.length === 0) return '<p>No successful builds yet.</p>';
  const W = 720;
  const H = 200;
  const pad = 40;
  const max = Math.max(...points.map((p) => p.medianMs), 1);
  const x = (i: number) => (points.length === 1 ? W / 2 : pad + (i * (W - 2 * pad)) / (points.length - 1));
  const y = (msv: number) => H - pad + 10 - (msv / max) * (H - pad - 10);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.medianMs).toFixed(1)}`).join(' ');
  const dots = points
    .map(
      (p, i) =>
        `<circle cx="${x(i).toFixed(1)}" cy="${y(p.medianMs).toFixed(1)}" r="3"><title>${esc(p.day)}: median ${esc(duration(p.medianMs))} over ${p.runs} run(s)</title></circle>`,
    )
    .join('');
  const svg = `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="bt-t bt-d"><title id="bt-t">Median build time per day</title><desc id="bt-d">From ${esc(points[0]!.day)} to ${esc(points[points.length - 1]!.day)}; the longest median is ${esc(duration(max))}.</desc>
<line x1="${pad}" y1="${H - pad + 10}" x2="${W - pad}" y2="${H - pad + 10}" class="axis"/><line x1="${pad}" y1="10" x2="${pad}" y2="${H - pad + 10}" class="axis"/>
<text x="${pad - 4}" y="16" text-anchor="end" class="tick">${esc(duration(max))}</text><text x="${pad - 4}" y="${H - pad + 10}" text-anchor="end" class="tick">0</text>
<text x="${pad}" y="${H - 8}" class="tick">${esc(points[0]!.day)}</text><text x="${W - pad}" y="${H - 8}" text-anchor="end" class="tick">${esc(points[points.length - 1]!.day)}</text>
<polyline points="${line}" class="line"/>${dots}</svg>`;
  const rows = points.slice(-60).map((p) => [esc(p.day), esc(p.runs), esc(duration(p.medianMs))]);
  return `${svg}\n<details><summary>Build time as a table</summary>\n${table('Successful runs per day (the last 60 days)', ['Day', 'Runs', 'Median'], rows)}</details>`;
}
