import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  cmp,
  cmpTime,
  groupRuns,
  isSdist,
  isValidVersion,
  isWheel,
  mapLimit,
  ms,
  packageFile,
  parseCoreMetadata,
  parseSdistFilename,
  parseWheelFilename,
  readWheelMetadata,
  sha256,
  sha256File,
  stableJson,
  versionCompare,
  writeFileAtomic
} from "./chunk-CY6NXZGB.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";

// src/stages/publish/simple-index.ts
import { copyFile, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";

// src/stages/publish/html.ts
var ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ESC[c]);
}
function safeHttpUrl(url) {
  if (!url) return void 0;
  let u;
  try {
    u = new URL(url);
  } catch {
    return void 0;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return void 0;
  if (u.username || u.password) return void 0;
  return u.href;
}
function extLink(url, text) {
  const safe = safeHttpUrl(url);
  return safe ? `<a href="${esc(safe)}" rel="noopener noreferrer">${esc(text)}</a>` : esc(text);
}
function table(caption, head, rows, opts = {}) {
  const id = opts.id ? ` id="${esc(opts.id)}"` : "";
  const cls = opts.className ? ` class="${esc(opts.className)}"` : "";
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table${id}${cls}>
<caption>${esc(caption)}</caption>
<thead><tr>${th}</tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}
function page(o) {
  const scripts = (o.scripts ?? []).map((s) => `<script src="${esc(o.root + s)}" defer></script>`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>${esc(o.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${esc(o.root)}assets/style.css">
${scripts}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><nav aria-label="Site"><a href="${esc(o.root)}index.html">Dashboard</a> <a href="${esc(o.root)}simple/">Simple index</a> <a href="${esc(o.root)}api/manifest.json">Manifest (JSON)</a> <a href="${esc(o.root)}metrics.txt">Metrics</a> <a href="${esc(o.root)}exports/">Exports</a></nav></header>
<main id="main">
${o.body}
</main>
</body>
</html>
`;
}
function duration(ms2) {
  const s = ms2 / 1e3;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.round(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

// src/stages/publish/simple-index.ts
var API_VERSION = "1.3";
function fromProject(url) {
  return /^https?:\/\//.test(url) ? url : `../../${url.split("/").map(encodeURIComponent).join("/")}`;
}
function projectHtml(name, files) {
  const links = files.map((f) => {
    const attrs = [`href="${esc(`${fromProject(f.url)}#sha256=${f.sha256}`)}"`];
    if (f.requiresPython) attrs.push(`data-requires-python="${esc(f.requiresPython)}"`);
    if (f.metadataSha256) attrs.push(`data-core-metadata="sha256=${f.metadataSha256}"`, `data-dist-info-metadata="sha256=${f.metadataSha256}"`);
    if (f.yanked !== void 0) attrs.push(`data-yanked="${esc(f.yanked)}"`);
    if (f.provenance) attrs.push(`data-provenance="${esc(fromProject(f.provenance))}"`);
    return `<a ${attrs.join(" ")}>${esc(f.filename)}</a>`;
  });
  return doc(`Links for ${name}`, links);
}
function projectJson(name, files) {
  const versions = [...new Set(files.map((f) => f.version))].sort(byVersion);
  const body = {
    meta: { "api-version": API_VERSION },
    name,
    versions,
    files: files.map((f) => ({
      filename: f.filename,
      url: fromProject(f.url),
      hashes: { sha256: f.sha256 },
      "requires-python": f.requiresPython ?? null,
      "core-metadata": f.metadataSha256 ? { sha256: f.metadataSha256 } : false,
      "dist-info-metadata": f.metadataSha256 ? { sha256: f.metadataSha256 } : false,
      yanked: f.yanked === void 0 ? false : f.yanked || true,
      size: f.size,
      ...f.uploadTime ? { "upload-time": f.uploadTime } : {},
      provenance: f.provenance ? fromProject(f.provenance) : null
    }))
  };
  return `${JSON.stringify(body)}
`;
}
function rootHtml(names) {
  return doc(
    "Simple index",
    names.map((n) => `<a href="${esc(encodeURIComponent(n))}/">${esc(n)}</a>`)
  );
}
function rootJson(names) {
  return `${JSON.stringify({ meta: { "api-version": API_VERSION }, projects: names.map((name) => ({ name })) })}
`;
}
function doc(title, links) {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="pypi:repository-version" content="${API_VERSION}"><title>${esc(title)}</title></head>
<body>
<h1>${esc(title)}</h1>
${links.join("<br>\n")}
</body>
</html>
`;
}
function byVersion(a, b) {
  if (isValidVersion(a) && isValidVersion(b)) return versionCompare(a, b) || cmp(a, b);
  return cmp(a, b);
}
async function writeSimpleIndex(distDir, outDir) {
  const byProject = /* @__PURE__ */ new Map();
  const names = (await readdir(distDir)).filter((f) => isWheel(f) || isSdist(f)).sort();
  await mkdir(join(outDir, "files"), { recursive: true });
  for (const filename of names) {
    const parsed = isWheel(filename) ? parseWheelFilename(filename) : parseSdistFilename(filename);
    const src = join(distDir, filename);
    await copyFile(src, join(outDir, "files", filename));
    const list = byProject.get(parsed.name) ?? [];
    list.push({ filename, url: `files/${filename}`, sha256: await sha256File(src), size: 0, version: parsed.version });
    byProject.set(parsed.name, list);
  }
  const projects = [...byProject.keys()].sort();
  await writeFileAtomic(join(outDir, "simple", "index.html"), rootHtml(projects));
  for (const p of projects) await writeFileAtomic(join(outDir, "simple", p, "index.html"), projectHtml(p, byProject.get(p)));
  return { projects: projects.length, files: names.length };
}

// src/stages/publish/api.ts
function packageApi(name, wheels) {
  const versions = [...new Set(wheels.map((w) => w.entry.version))].sort(byVersion);
  const byTag = {};
  for (const w of wheels) {
    for (const py of w.parsed.pythonTags) {
      for (const plat of w.parsed.platformTags) {
        const list = (byTag[py] ??= {})[plat] ??= [];
        if (!list.includes(w.entry.version)) list.push(w.entry.version);
      }
    }
  }
  for (const plats of Object.values(byTag)) for (const list of Object.values(plats)) list.sort(byVersion);
  return stableJson({
    schema: "refinery/site-package@1",
    name,
    versions: versions.map((version) => ({
      version,
      wheels: wheels.filter((w) => w.entry.version === version).map((w) => ({
        filename: w.entry.filename,
        url: w.url,
        sha256: w.entry.sha256,
        size: w.entry.size,
        python: w.parsed.pythonTags,
        abi: w.parsed.abiTags,
        platform: w.parsed.platformTags,
        requiresPython: w.requiresPython,
        yanked: w.yanked,
        variant: w.entry.variant,
        preset: w.entry.preset,
        builtAt: w.entry.builtAt,
        // The build provenance attestation kept for it (verify with `gh attestation verify`), and
        // its PEP 740 file on the site (the bundle itself is there, not repeated here).
        ...w.entry.attestation ? { attestation: { id: w.entry.attestation.id, ...w.entry.attestation.url ? { url: w.entry.attestation.url } : {} } } : {},
        ...w.provenance?.sitePath ? { provenance: w.provenance.sitePath } : {},
        // What the smoke test in a bare container said: verified as is, with system packages installed, or not.
        verified: w.entry.unverified ? "unverified" : w.entry.runtimePackages ? "with-runtime-packages" : "yes",
        ...w.entry.unverified ? { unverified: w.entry.unverified } : {},
        ...w.entry.externalLibraries ? { externalLibraries: w.entry.externalLibraries } : {},
        ...w.entry.runtimePackages ? { runtimePackages: w.entry.runtimePackages } : {}
      }))
    })),
    byPythonTag: byTag
  });
}
function indexApi(wheels, state) {
  const names = [...state.packages.keys()].sort(cmp);
  return stableJson({
    schema: "refinery/site-index@1",
    packages: names.map((name) => {
      const list = wheels.get(name) ?? [];
      const versions = [...new Set(list.map((w) => w.entry.version))].sort(byVersion);
      return { name, latest: versions[versions.length - 1] ?? null, wheels: list.length };
    })
  });
}
function manifestApi(state) {
  const entries = [...state.packages.keys()].sort(cmp).flatMap(
    (name) => [...state.packages.get(name).manifest].sort((a, b) => cmp(a.filename, b.filename) || cmp(a.builtAt, b.builtAt) || cmp(a.sha256, b.sha256))
  );
  return stableJson({ schema: "refinery/site-manifest@1", manifest: entries });
}

// src/stages/publish/dashboard-assets.ts
var DASHBOARD_JS = `'use strict';
(function () {
  var LIMIT = 200;
  var data = null;
  var q = document.getElementById('q');
  var statusSel = document.getElementById('status');
  var count = document.getElementById('count');
  var pkgBody = document.querySelector('#packages tbody');
  var gridHead = document.querySelector('#grid thead tr');
  var gridBody = document.querySelector('#grid tbody');
  document.getElementById('search').addEventListener('submit', function (e) { e.preventDefault(); });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function link(name) {
    var a = el('a', name);
    a.href = 'packages/' + encodeURIComponent(name) + '.html';
    return a;
  }
  function status(s) { return el('span', s, 'status status-' + s); }

  function render() {
    var term = q.value.trim().toLowerCase().replace(/[-_.]+/g, '-');
    var want = statusSel.value;
    var rows = data.packages;
    var hits = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (want && r[2] !== want) continue;
      if (term && r[0].indexOf(term) < 0) continue;
      hits.push(r);
    }
    var shown = hits.slice(0, LIMIT);
    var frag = document.createDocumentFragment();
    for (var j = 0; j < shown.length; j++) {
      var p = shown[j];
      var tr = el('tr');
      var th = el('th'); th.scope = 'row'; th.appendChild(link(p[0])); tr.appendChild(th);
      tr.appendChild(el('td', p[1]));
      var st = el('td'); st.appendChild(status(p[2])); tr.appendChild(st);
      tr.appendChild(el('td', p[3]));
      tr.appendChild(el('td', p[4]));
      tr.appendChild(el('td', p[5]));
      tr.appendChild(el('td', p[6]));
      frag.appendChild(tr);
    }
    pkgBody.replaceChildren(frag);
    var g = document.createDocumentFragment();
    for (var k = 0; k < shown.length; k++) {
      var row = shown[k];
      var byPy = {};
      for (var c = 0; c < row[7].length; c++) {
        var cell = row[7][c];
        (byPy[cell[0]] = byPy[cell[0]] || {})[cell[1]] = cell[2];
      }
      Object.keys(byPy).forEach(function (py) {
        var gtr = el('tr');
        var gth = el('th'); gth.scope = 'row'; gth.appendChild(link(row[0])); gtr.appendChild(gth);
        gtr.appendChild(el('td', data.pythons[py]));
        for (var pr = 0; pr < data.presets.length; pr++) {
          var v = byPy[py][pr];
          var td = el('td');
          if (v === undefined) td.appendChild(el('span', '-', 'muted'));
          else td.appendChild(status(v ? 'built' : 'failing'));
          gtr.appendChild(td);
        }
        g.appendChild(gtr);
      });
    }
    gridBody.replaceChildren(g);
    count.textContent = hits.length + ' of ' + rows.length + ' packages match' + (hits.length > LIMIT ? '; showing the first ' + LIMIT : '');
  }

  var timer = 0;
  function schedule() { clearTimeout(timer); timer = setTimeout(render, 60); }

  fetch('data/packages.json').then(function (res) {
    if (!res.ok) throw new Error('HTTP ' + res.status);
    return res.json();
  }).then(function (d) {
    data = d;
    var heads = ['Package', 'Python'].concat(d.presets);
    var frag = document.createDocumentFragment();
    heads.forEach(function (h) { var th = el('th', h); th.scope = 'col'; frag.appendChild(th); });
    gridHead.replaceChildren(frag);
    var params = new URLSearchParams(location.search);
    if (params.get('q')) q.value = params.get('q');
    render();
    q.addEventListener('input', schedule);
    statusSel.addEventListener('change', render);
    document.body.setAttribute('data-ready-ms', String(Math.round(performance.now())));
    document.body.setAttribute('data-ready', 'true');
  }).catch(function (e) {
    count.textContent = 'Could not load the package list (' + e.message + '); serve the site over http(s), not from a file.';
    document.body.setAttribute('data-ready', 'error');
  });
})();
`;
var DASHBOARD_CSS = `:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --line: #d0d7de; --ok: #116329; --bad: #a40e26; --warn: #7d4e00; --link: #0550ae; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
header { background: #24292f; padding: .5rem 1rem; }
header a { color: #ffffff; margin-right: 1rem; }
main { padding: 1rem; max-width: 1400px; }
a { color: var(--link); }
a:focus, input:focus, select:focus, summary:focus, pre:focus { outline: 3px solid #0969da; outline-offset: 2px; }
.skip { position: absolute; left: -10000px; }
.skip:focus { left: 1rem; top: .5rem; background: #ffffff; color: var(--link); padding: .25rem .5rem; z-index: 1; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; }
.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .5rem; }
.stats div { border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
.stats dt { color: var(--muted); font-size: .85rem; }
.stats dd { margin: 0; font-weight: 600; }
.status { font-weight: 600; }
.status-built { color: var(--ok); }
.status-failing { color: var(--bad); }
.status-queued { color: var(--warn); }
.status-none, .muted { color: var(--muted); }
.search { margin: .5rem 0; }
.search input, .search select { font: inherit; padding: .25rem .5rem; border: 1px solid #6e7781; border-radius: 4px; }
.chart { width: 100%; max-width: 720px; height: auto; }
.chart .axis { stroke: var(--muted); }
.chart .line { fill: none; stroke: var(--link); stroke-width: 2; }
.chart circle { fill: var(--link); }
.chart .tick { fill: var(--muted); font-size: 11px; }
pre.snippet { background: #f6f8fa; border: 1px solid var(--line); padding: .5rem; overflow: auto; white-space: pre-wrap; }
code { font-family: ui-monospace, SFMono-Regular, monospace; font-size: .9em; }
`;

// src/stages/publish/dashboard.ts
var DATA_FILE = "data/packages.json";
function dashboardFiles(v, title) {
  return { "index.html": indexHtml(v, title), "assets/app.js": DASHBOARD_JS, "assets/style.css": DASHBOARD_CSS, [DATA_FILE]: packagesJson(v) };
}
function packagesJson(v) {
  const presets = [...new Set(v.packages.flatMap((p) => p.runs.map((r) => r.preset)))].sort(cmp);
  const pythons = [...new Set(v.packages.flatMap((p) => p.runs.map((r) => r.variant)))].sort(cmp);
  const pi = new Map(presets.map((p, i) => [p, i]));
  const yi = new Map(pythons.map((p, i) => [p, i]));
  const rows = v.packages.map((p) => {
    const cells = /* @__PURE__ */ new Map();
    for (const r of p.runs) {
      const key = `${r.variant}\0${r.preset}`;
      const have = cells.get(key);
      if (!have || cmpTime(r.finishedAt, have.at) >= 0)
        cells.set(key, { at: r.finishedAt, ok: r.outcome === "success" ? 1 : 0, y: yi.get(r.variant), p: pi.get(r.preset) });
    }
    const grid = [...cells.values()].sort((a, b) => a.y - b.y || a.p - b.p).map((c) => [c.y, c.p, c.ok]);
    return [
      p.pkg.name,
      p.latestVersion ?? "",
      p.status,
      new Set(p.pkg.manifest.map((m) => m.filename)).size,
      p.runs.length,
      p.pkg.knownFailing.length,
      p.lastAt ?? "",
      grid
    ];
  });
  return `${JSON.stringify({ v: 1, presets, pythons, packages: rows })}
`;
}
var pkgLink = (name) => `<a href="packages/${esc(encodeURIComponent(name))}.html">${esc(name)}</a>`;
function indexHtml(v, title) {
  const total = v.executors.qemu + v.executors.native + v.executors.host;
  const share = (n) => total ? `${(100 * n / total).toFixed(1)}%` : "-";
  const overview = `<section aria-labelledby="ov"><h2 id="ov">Overview</h2>
<dl class="stats">
<div><dt>Packages</dt><dd>${v.packages.length}</dd></div>
<div><dt>Wheels</dt><dd>${v.wheels}</dd></div>
<div><dt>Runs</dt><dd>${v.runs}</dd></div>
<div><dt>Attempts</dt><dd>${v.attempts}</dd></div>
<div><dt>Queue depth</dt><dd>${v.queue.waiting} waiting, ${v.queue.gaveUp} given up</dd></div>
<div><dt>Next due</dt><dd>${v.queue.next ? `${pkgLink(v.queue.next.package)} ${esc(v.queue.next.version)} at ${esc(v.queue.next.nextEligibleAt)} (${esc(v.queue.next.reason)})` : "nothing queued"}</dd></div>
<div><dt>Attempts under QEMU</dt><dd>${share(v.executors.qemu)} (${v.executors.qemu})</dd></div>
<div><dt>Attempts native s390x</dt><dd>${share(v.executors.native)} (${v.executors.native})</dd></div>
<div><dt>Attempts on the host (tests)</dt><dd>${share(v.executors.host)} (${v.executors.host})</dd></div>
<div><dt>Last record</dt><dd>${esc(v.lastRecordAt ?? "-")}</dd></div>
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
    ["Finished", "Package", "Version", "Variant", "Event", "Class", "Hints applied", "Duration"],
    v.recent.map((h) => [
      esc(h.finishedAt),
      pkgLink(h.package),
      esc(h.version),
      esc(h.variant),
      esc(h.status === "success" ? "built" : h.attempt < h.attempts ? "failed, retried" : "failed"),
      esc(h.failureClass ?? ""),
      esc(h.hintsApplied.join(", ")),
      esc(duration(h.durationMs))
    ])
  )}</section>`;
  const failures = `<section aria-labelledby="fl"><h2 id="fl">Failures by class</h2>
${v.failures.length === 0 ? "<p>No unit is failing.</p>" : ""}
${v.failures.map(
    (f) => table(
      `${f.cls}: ${f.count} failing unit(s)${f.items.length > 20 ? ", the 20 newest" : ""}`,
      ["Package", "Version", "Unit", "Phase", "Hint tried", "Next step"],
      f.items.slice(0, 20).map((i) => [
        pkgLink(i.name),
        esc(i.k.version),
        esc(i.k.unit),
        esc(i.k.phase ?? ""),
        esc([i.k.matchedHint, ...i.k.hintsApplied].filter(Boolean).join(", ") || "none"),
        i.remedy ? esc(i.next) : `${esc(i.next)} (<a href="packages/${esc(encodeURIComponent(i.name))}.html#fixes">suggest a fix</a>)`
      ]),
      { className: "failures" }
    )
  ).join("\n")}</section>`;
  const hints = `<section aria-labelledby="hc"><h2 id="hc">Hint catalog</h2>
${table(
    "Hints with their matches in failed attempts and the runs they made succeed",
    ["Hint", "Class", "Matches", "Successes", "Description"],
    v.hints.map((h) => [
      esc(h.id) + (h.inCatalog ? "" : ' <span class="muted">(not in the catalog)</span>'),
      esc(h.class),
      esc(h.matches),
      esc(h.successes),
      esc(h.description)
    ])
  )}</section>`;
  const body = `<h1>${esc(title)}</h1>
${overview}
${packages}
<section aria-labelledby="bt"><h2 id="bt">Build time</h2>
${chart(v.buildTime)}</section>
${recent}
${failures}
${hints}`;
  return page({ title, root: "", body, scripts: ["assets/app.js"] });
}
function chart(points) {
  if (points.length === 0) return "<p>No successful builds yet.</p>";
  const W = 720;
  const H = 200;
  const pad = 40;
  const max = Math.max(...points.map((p) => p.medianMs), 1);
  const x = (i) => points.length === 1 ? W / 2 : pad + i * (W - 2 * pad) / (points.length - 1);
  const y = (msv) => H - pad + 10 - msv / max * (H - pad - 10);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.medianMs).toFixed(1)}`).join(" ");
  const dots = points.map(
    (p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(p.medianMs).toFixed(1)}" r="3"><title>${esc(p.day)}: median ${esc(duration(p.medianMs))} over ${p.runs} run(s)</title></circle>`
  ).join("");
  const svg = `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="bt-t bt-d"><title id="bt-t">Median build time per day</title><desc id="bt-d">From ${esc(points[0].day)} to ${esc(points[points.length - 1].day)}; the longest median is ${esc(duration(max))}.</desc>
<line x1="${pad}" y1="${H - pad + 10}" x2="${W - pad}" y2="${H - pad + 10}" class="axis"/><line x1="${pad}" y1="10" x2="${pad}" y2="${H - pad + 10}" class="axis"/>
<text x="${pad - 4}" y="16" text-anchor="end" class="tick">${esc(duration(max))}</text><text x="${pad - 4}" y="${H - pad + 10}" text-anchor="end" class="tick">0</text>
<text x="${pad}" y="${H - 8}" class="tick">${esc(points[0].day)}</text><text x="${W - pad}" y="${H - 8}" text-anchor="end" class="tick">${esc(points[points.length - 1].day)}</text>
<polyline points="${line}" class="line"/>${dots}</svg>`;
  const rows = points.slice(-60).map((p) => [esc(p.day), esc(p.runs), esc(duration(p.medianMs))]);
  return `${svg}
<details><summary>Build time as a table</summary>
${table("Successful runs per day (the last 60 days)", ["Day", "Runs", "Median"], rows)}</details>`;
}

// src/stages/publish/exports.ts
var MANIFEST = [
  { name: "name", kind: "string", get: (m) => m.name },
  { name: "version", kind: "string", get: (m) => m.version },
  { name: "filename", kind: "string", get: (m) => m.filename },
  { name: "variant", kind: "string", get: (m) => m.variant },
  { name: "tags", kind: "string", get: (m) => m.tags.join(" ") },
  { name: "targets", kind: "string", get: (m) => m.targets.join(" ") },
  { name: "sha256", kind: "string", get: (m) => m.sha256 },
  { name: "size", kind: "number", get: (m) => m.size },
  { name: "preset", kind: "string", get: (m) => m.preset },
  { name: "executor", kind: "string", get: (m) => m.executor },
  { name: "image", kind: "string", get: (m) => m.image },
  { name: "image_digest", kind: "string", get: (m) => m.imageDigest },
  { name: "built_at", kind: "string", get: (m) => m.builtAt },
  { name: "inputs_fingerprint", kind: "string", get: (m) => m.inputsFingerprint },
  { name: "unit", kind: "string", get: (m) => m.unit },
  { name: "run", kind: "string", get: (m) => m.run },
  { name: "sdist", kind: "string", get: (m) => m.sdist.filename },
  { name: "sdist_sha256", kind: "string", get: (m) => m.sdist.sha256 },
  { name: "storage", kind: "string", get: (m) => m.storage.kind },
  { name: "storage_location", kind: "string", get: (m) => m.storage.location }
];
var HISTORY = [
  { name: "package", kind: "string", get: (h) => h.package },
  { name: "version", kind: "string", get: (h) => h.version },
  { name: "unit", kind: "string", get: (h) => h.unit },
  { name: "variant", kind: "string", get: (h) => h.variant },
  { name: "run", kind: "string", get: (h) => h.run },
  { name: "attempt", kind: "number", get: (h) => h.attempt },
  { name: "attempts", kind: "number", get: (h) => h.attempts },
  { name: "outcome", kind: "string", get: (h) => h.outcome },
  { name: "status", kind: "string", get: (h) => h.status },
  { name: "started_at", kind: "string", get: (h) => h.startedAt },
  { name: "finished_at", kind: "string", get: (h) => h.finishedAt },
  { name: "duration_ms", kind: "number", get: (h) => h.durationMs },
  { name: "phase", kind: "string", get: (h) => h.phase },
  { name: "failure_class", kind: "string", get: (h) => h.failureClass },
  { name: "matched_hint", kind: "string", get: (h) => h.matchedHint },
  { name: "hints_applied", kind: "string", get: (h) => h.hintsApplied.join(" ") },
  { name: "killed", kind: "boolean", get: (h) => h.killed },
  { name: "executor", kind: "string", get: (h) => h.executor },
  { name: "preset", kind: "string", get: (h) => h.preset },
  { name: "image_digest", kind: "string", get: (h) => h.imageDigest },
  { name: "runner", kind: "string", get: (h) => h.runner },
  { name: "run_url", kind: "string", get: (h) => h.runUrl },
  { name: "log", kind: "string", get: (h) => h.log },
  { name: "inputs_fingerprint", kind: "string", get: (h) => h.inputsFingerprint }
];
function manifestRows(state) {
  return [...state.packages.keys()].sort(cmp).flatMap((n) => [...state.packages.get(n).manifest].sort((a, b) => cmp(a.filename, b.filename) || cmp(a.builtAt, b.builtAt) || cmp(a.sha256, b.sha256)));
}
function historyRows(state) {
  return [...state.packages.keys()].sort(cmp).flatMap((n) => [...state.packages.get(n).history].sort((a, b) => cmp(a.finishedAt, b.finishedAt) || cmp(a.run, b.run) || a.attempt - b.attempt));
}
function csv(cols, rows) {
  const cell2 = (v) => {
    if (v === void 0) return "";
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [cols.map((c) => c.name).join(",")];
  for (const r of rows) lines.push(cols.map((c) => cell2(c.get(r))).join(","));
  return `${lines.join("\r\n")}\r
`;
}
function parquet(write, cols, rows) {
  const columnData = cols.map((c) => ({
    name: c.name,
    data: rows.map((r) => c.get(r) ?? null),
    type: c.kind === "string" ? "STRING" : c.kind === "number" ? "DOUBLE" : "BOOLEAN",
    nullable: true
  }));
  return new Uint8Array(write({ columnData, statistics: false, createdBy: "s390x-wheel-refinery" }));
}
var EXPORT_FILES = ["exports/manifest.csv", "exports/manifest.parquet", "exports/history.csv", "exports/history.parquet"];
async function writeExports(state, write) {
  const { parquetWriteBuffer } = await import("./node-FUCXIEOW.js");
  const manifest = manifestRows(state);
  await write("exports/manifest.csv", csv(MANIFEST, manifest));
  await write("exports/manifest.parquet", parquet(parquetWriteBuffer, MANIFEST, manifest));
  const history2 = historyRows(state);
  await write("exports/history.csv", csv(HISTORY, history2));
  await write("exports/history.parquet", parquet(parquetWriteBuffer, HISTORY, history2));
}

// src/stages/publish/publish.ts
import { readFile as readFile4 } from "node:fs/promises";

// src/stages/publish/metrics.ts
var BUCKETS_S = [60, 300, 600, 1800, 3600, 7200, 14400];
function label(v) {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}
function metricsText(v) {
  const out = [];
  const metric = (name, type, help, samples) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const l = Object.entries(labels).map(([k, x]) => `${k}="${label(x)}"`).join(",");
      out.push(`${name}${l ? `{${l}}` : ""} ${Number.isInteger(value) ? value : value.toFixed(3)}`);
    }
  };
  metric("refinery_queue_depth", "gauge", "Retry queue entries by status.", [
    [{ status: "waiting" }, v.queue.waiting],
    [{ status: "gave-up" }, v.queue.gaveUp]
  ]);
  if (v.queue.next)
    metric("refinery_queue_next_due_timestamp_seconds", "gauge", "When the next waiting queue entry is due (Unix time).", [
      [{}, ms(v.queue.next.nextEligibleAt) / 1e3]
    ]);
  const builds = /* @__PURE__ */ new Map();
  const durations = [];
  for (const p of v.packages) {
    for (const r of p.runs) {
      const last = r.attempts[r.attempts.length - 1];
      const key = `${r.outcome}\0${r.outcome === "failure" ? last.failureClass ?? "unclassified" : ""}`;
      builds.set(key, (builds.get(key) ?? 0) + 1);
      durations.push(r.attempts.reduce((s, a) => s + a.durationMs, 0) / 1e3);
    }
  }
  metric(
    "refinery_builds_total",
    "counter",
    "Build runs by outcome and, for failures, the final failure class.",
    [...builds.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([k, n]) => {
      const [status, cls] = k.split("\0");
      return [{ status, class: cls }, n];
    })
  );
  out.push("# HELP refinery_build_duration_seconds Wall time of build runs (all attempts).", "# TYPE refinery_build_duration_seconds histogram");
  for (const b of BUCKETS_S) out.push(`refinery_build_duration_seconds_bucket{le="${b}"} ${durations.filter((d) => d <= b).length}`);
  out.push(`refinery_build_duration_seconds_bucket{le="+Inf"} ${durations.length}`);
  out.push(`refinery_build_duration_seconds_sum ${durations.reduce((s, d) => s + d, 0).toFixed(3)}`);
  out.push(`refinery_build_duration_seconds_count ${durations.length}`);
  metric("refinery_wheels", "gauge", "Wheels in the manifest (distinct file names).", [[{}, v.wheels]]);
  metric("refinery_attempts", "gauge", "Build attempts recorded.", [[{}, v.attempts]]);
  metric("refinery_packages", "gauge", "Packages in the state.", [[{}, v.packages.length]]);
  metric(
    "refinery_hint_successes_total",
    "counter",
    "Runs a hint made succeed after a failure without it.",
    v.hints.filter((h) => h.successes > 0).map((h) => [{ hint: h.id }, h.successes])
  );
  metric(
    "refinery_hint_matches_total",
    "counter",
    "Failed attempts whose log a hint matched.",
    v.hints.filter((h) => h.matches > 0).map((h) => [{ hint: h.id }, h.matches])
  );
  if (v.lastRecordAt)
    metric("refinery_last_record_timestamp_seconds", "gauge", "Newest attempt or build time in the state (Unix time).", [[{}, ms(v.lastRecordAt) / 1e3]]);
  return `${out.join("\n")}
`;
}

// src/stages/publish/suggest.ts
import { readFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
var CAUSE = /(error|fatal|not found|No such file|cannot find|undefined reference|unable to|could not|missing)/i;
var MAX_EVIDENCE = 3;
var MAX_LINE = 160;
async function suggestFix(name, k, attempt, o) {
  const evidence = attempt?.log && o.logsDir ? await logEvidence(o.logsDir, attempt.log) : [];
  const cls = k.failureClass && k.failureClass !== "permanent" ? k.failureClass : "missing-system-lib";
  const hint = {
    id: `${name}-${cls}`.slice(0, 60),
    class: cls,
    description: `${name} ${k.version} failed in ${k.phase ?? "an unknown phase"} (${k.failureClass ?? "unclassified"}) on preset ${k.preset}: say what is missing and why`,
    priority: 20,
    match: (evidence.length > 0 ? evidence : ["REPLACE with a line from the failing log"]).map((line) => ({
      pattern: escapeRegex(line),
      ...k.phase ? { stage: k.phase } : {}
    })),
    remedy: { apt: { packages: ["REPLACE-with-the-missing-dev-package"] }, dnf: { packages: ["REPLACE-with-the-missing-devel-package"] } },
    source: `refinery publish: ${name} ${k.version}, unit ${k.unit}, run ${k.run} attempt ${k.attempt}`
  };
  const snippet = `# A hint for ${name}: fill in the remedy, then pass this file with --hints (refinery build/run).
# Check it against the log with: refinery hints explain <log> --hints <this file>
` + hintYaml(hint);
  const filename = (o.path ?? "hints/{package}.yml").replaceAll("{package}", name);
  const url = o.repo && /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(o.repo) ? newFileUrl(o.serverUrl ?? "https://github.com", o.repo, o.branch ?? "main", filename, snippet) : void 0;
  return { snippet, filename, url, evidence };
}
function newFileUrl(server, repo, branch, filename, value) {
  const base = server.replace(/\/+$/, "");
  return `${base}/${repo}/new/${branch.split("/").map(encodeURIComponent).join("/")}?filename=${encodeURIComponent(filename)}&value=${encodeURIComponent(value)}`;
}
async function logEvidence(logsDir, log) {
  const root = resolve(logsDir);
  const abs = resolve(root, log);
  const rel = relative(root, abs);
  if (!rel || rel.startsWith("..") || log.includes("\0")) return [];
  const text = await readFile(abs, "utf8").catch(() => void 0);
  if (text === void 0) return [];
  const lines = text.slice(-2e5).split("\n");
  const found = [];
  for (let i = lines.length - 1; i >= 0 && found.length < MAX_EVIDENCE; i--) {
    const line = lines[i].replace(/\x1b\[[0-9;]*m/g, "").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "").trim();
    if (line.length >= 8 && CAUSE.test(line) && !found.includes(line)) found.push(line.slice(0, MAX_LINE));
  }
  return found.reverse();
}
function hintYaml(h) {
  const q = JSON.stringify;
  const list = (xs) => `[${xs.map((x) => q(x)).join(", ")}]`;
  return [
    "version: 1",
    "hints:",
    `  - id: ${q(h.id)}`,
    `    class: ${q(h.class)}`,
    `    description: ${q(h.description)}`,
    `    priority: ${h.priority}`,
    "    match:",
    ...h.match.map((m) => `      - pattern: ${q(m.pattern)}${m.stage ? `
        stage: ${q(m.stage)}` : ""}`),
    "    remedy:",
    `      apt: { packages: ${list(h.remedy.apt.packages)} }`,
    `      dnf: { packages: ${list(h.remedy.dnf.packages)} }`,
    `    source: ${q(h.source)}`,
    ""
  ].join("\n");
}
function escapeRegex(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// src/stages/publish/views.ts
var SELF_HEALING = /* @__PURE__ */ new Set(["transient", "qemu-fault", "timeout"]);
function packageView(pkg) {
  const runs = groupRuns(pkg.history);
  const latest = /* @__PURE__ */ new Map();
  for (const r of runs) latest.set(variantKey(r.version, r.variant, r.preset), r);
  const waiting = pkg.queue.some((q) => q.status === "waiting");
  const status = pkg.knownFailing.length > 0 ? waiting ? "queued" : "failing" : pkg.manifest.length > 0 ? "built" : waiting ? "queued" : "none";
  const versions = [.../* @__PURE__ */ new Set([...pkg.manifest.map((m) => m.version), ...runs.map((r) => r.version)])];
  const newest = [...runs].pop();
  const lastAt = [newest?.finishedAt, ...pkg.manifest.map((m) => m.builtAt)].filter((t) => !!t).sort(cmpTime).pop();
  return { pkg, runs, latest, status, latestVersion: newest?.version ?? versions.sort(cmp).pop(), lastAt };
}
var variantKey = (version, variant, preset) => `${version}\0${variant}\0${preset}`;
function nextStep(name, k, queue, catalog) {
  const q = queue.find((e) => e.unit === k.unit && e.version === k.version);
  if (q?.status === "waiting")
    return q.reason === "new-hint" ? `retry queued with ${q.hints.join(", ")} (due ${q.nextEligibleAt})` : `retry queued (due ${q.nextEligibleAt})`;
  if (q?.status === "gave-up") return `gave up after ${q.failures} failed runs: refinery queue add ${name}==${k.version} once the cause is fixed`;
  if (!hasRemedy(k, catalog)) return "no hint has a remedy for this failure: add one (Suggest a fix on the package page)";
  return "rebuild with a changed preset or hint (refinery queue add)";
}
function hasRemedy(k, catalog) {
  if (k.failureClass && SELF_HEALING.has(k.failureClass)) return true;
  if (!k.matchedHint || !catalog) return false;
  const hint = catalog.hints.find((h) => h.id === k.matchedHint);
  if (!hint) return false;
  return Object.values(hint.remedy).some(
    (r) => r && (r.packages.length > 0 || Object.keys(r.env).length > 0 || r.constraints.length > 0 || Object.keys(r.configSettings).length > 0 || r.preinstall.length > 0 || r.buildIsolation !== void 0)
  );
}
function emulated(h) {
  if (h.executor === "host") return "host";
  if (h.executor === "native") return "native";
  return h.runner && /s390x/i.test(h.runner) ? "native" : "qemu";
}
function siteViews(state, catalog, recentCount = 50) {
  const packages = [...state.packages.values()].sort((a, b) => cmp(a.name, b.name)).map(packageView);
  let attempts = 0;
  let runs = 0;
  let wheels = 0;
  const executors = { qemu: 0, native: 0, host: 0 };
  const matches = /* @__PURE__ */ new Map();
  const successes = /* @__PURE__ */ new Map();
  const byDay = /* @__PURE__ */ new Map();
  const failures = /* @__PURE__ */ new Map();
  let recent = [];
  const queue = { waiting: 0, gaveUp: 0 };
  let lastRecordAt;
  const later = (t) => {
    if (t && (!lastRecordAt || cmpTime(t, lastRecordAt) > 0)) lastRecordAt = t;
  };
  for (const v of packages) {
    const p = v.pkg;
    attempts += p.history.length;
    runs += v.runs.length;
    wheels += new Set(p.manifest.map((m) => m.filename)).size;
    for (const h of p.history) {
      executors[emulated(h)]++;
      if (h.matchedHint) matches.set(h.matchedHint, (matches.get(h.matchedHint) ?? 0) + 1);
      later(h.finishedAt);
    }
    for (const m of p.manifest) later(m.builtAt);
    for (const r of v.runs) {
      if (r.outcome !== "success") continue;
      const day = new Date(ms(r.finishedAt)).toISOString().slice(0, 10);
      const list = byDay.get(day) ?? [];
      list.push(r.attempts.reduce((s, a) => s + a.durationMs, 0));
      byDay.set(day, list);
    }
    for (const h of p.hints) successes.set(h.hint, (successes.get(h.hint) ?? 0) + h.evidence.length);
    for (const k of p.knownFailing) {
      const cls = k.failureClass ?? "unclassified";
      const f = failures.get(cls) ?? { cls, count: 0, items: [] };
      f.count++;
      f.items.push({ name: p.name, k, next: nextStep(p.name, k, p.queue, catalog), remedy: hasRemedy(k, catalog) });
      failures.set(cls, f);
    }
    for (const q of p.queue) {
      if (q.status === "gave-up") queue.gaveUp++;
      else {
        queue.waiting++;
        if (!queue.next || cmpTime(q.nextEligibleAt, queue.next.nextEligibleAt) < 0 || q.nextEligibleAt === queue.next.nextEligibleAt && cmp(q.package, queue.next.package) < 0)
          queue.next = q;
      }
    }
    const floor = recent.length >= recentCount ? recent[recent.length - 1] : void 0;
    const newer = floor ? p.history.filter((h) => byNewest(h, floor) < 0) : p.history;
    if (newer.length > 0) recent = recent.concat(newer).sort(byNewest).slice(0, recentCount);
  }
  const hintIds = /* @__PURE__ */ new Set([...catalog?.hints.map((h) => h.id) ?? [], ...matches.keys(), ...successes.keys()]);
  const hints = [...hintIds].sort(cmp).map((id) => {
    const h = catalog?.hints.find((c) => c.id === id);
    return { id, class: h?.class ?? "", description: h?.description ?? "", matches: matches.get(id) ?? 0, successes: successes.get(id) ?? 0, inCatalog: !!h };
  });
  for (const f of failures.values()) f.items.sort((a, b) => cmpTime(b.k.at, a.k.at) || cmp(a.name, b.name) || cmp(a.k.unit, b.k.unit));
  const buildTime = [...byDay.entries()].sort(([a], [b]) => cmp(a, b)).map(([day, list]) => {
    list.sort((a, b) => a - b);
    const mid = Math.floor(list.length / 2);
    return { day, runs: list.length, medianMs: list.length % 2 ? list[mid] : (list[mid - 1] + list[mid]) / 2 };
  });
  return {
    packages,
    attempts,
    runs,
    recent,
    failures: [...failures.values()].sort((a, b) => b.count - a.count || cmp(a.cls, b.cls)),
    hints,
    queue,
    executors,
    buildTime,
    lastRecordAt,
    wheels
  };
}
function byNewest(a, b) {
  return cmpTime(b.finishedAt, a.finishedAt) || cmp(a.package, b.package) || cmp(a.run, b.run) || b.attempt - a.attempt;
}

// src/stages/publish/package-pages.ts
async function packagePage(v, wheels, catalog, suggest) {
  const p = v.pkg;
  const parts = [];
  parts.push(`<h1>${esc(p.name)}</h1>`);
  parts.push(
    `<p class="summary">Status: <span class="status status-${esc(v.status)}">${esc(v.status)}</span>; ${wheels.length} wheel(s) on the index, ${v.runs.length} run(s), ${p.history.length} attempt(s)${v.lastAt ? `; last activity ${esc(v.lastAt)}` : ""}. <a href="../simple/${esc(encodeURIComponent(p.name))}/">Simple index page</a>, <a href="../api/packages/${esc(encodeURIComponent(p.name))}.json">JSON</a>.</p>`
  );
  if (wheels.length > 0) {
    parts.push(
      table(
        "Wheels on the index",
        ["Wheel", "Version", "Variant", "Preset", "Executor", "Built", "Size", "Needs", "Yanked", "Attestation"],
        wheels.map((w) => [
          /^https?:/.test(w.url) ? extLink(w.url, w.entry.filename) : `<a href="../${esc(w.url.split("/").map(encodeURIComponent).join("/"))}">${esc(w.entry.filename)}</a>`,
          esc(w.entry.version),
          esc(w.entry.variant),
          esc(w.entry.preset),
          // Which compilers built it: a turbo wheel is a different input from an emulated one.
          esc(w.entry.executor + (w.entry.compiler ? `, ${w.entry.compiler} compilers` : "")),
          esc(w.entry.builtAt),
          esc(w.entry.size),
          esc(needs(w.entry)),
          esc(w.yanked ?? ""),
          attestationCell(w)
        ])
      )
    );
  }
  parts.push(comparison(v));
  const fixes = [];
  for (const k of p.knownFailing) {
    const next = nextStep(p.name, k, p.queue, catalog);
    if (hasRemedy(k, catalog)) {
      fixes.push(
        `<li>${esc(k.version)} ${esc(k.unit)}: ${esc(k.failureClass ?? "unclassified")}; hint tried: ${esc(k.matchedHint ?? "none")}; next: ${esc(next)}</li>`
      );
      continue;
    }
    const attempt = p.history.find((h) => h.run === k.run && h.attempt === k.attempt);
    const s = await suggestFix(p.name, k, attempt, suggest);
    const id = `fix-${fixes.length}`;
    fixes.push(
      `<li><h3 id="${id}-h">${esc(k.version)} ${esc(k.unit)}: ${esc(k.failureClass ?? "unclassified")} in ${esc(k.phase ?? "?")}, no remedy yet</h3><p>Next step: ${esc(next)}. A hint for <code>${esc(s.filename)}</code>${s.evidence.length ? ", from the log" : ""}:</p><pre class="snippet" aria-labelledby="${id}-h" tabindex="0">${esc(s.snippet)}</pre>` + (s.url ? `<p><a class="suggest" href="${esc(s.url)}" rel="noopener noreferrer">Suggest a fix: open this file on GitHub</a></p>` : "<p>Publish with <code>--repo owner/name</code> for a link that opens it on GitHub.</p>") + "</li>"
    );
  }
  if (fixes.length > 0) parts.push(`<section aria-labelledby="fixes"><h2 id="fixes">Failing units</h2><ul class="fixes">${fixes.join("\n")}</ul></section>`);
  parts.push(history(v));
  return page({ title: `${p.name} - s390x wheels`, root: "../", body: parts.join("\n") });
}
function needs(e) {
  const pkgs = e.runtimePackages ? `${e.runtimePackages.manager} install ${e.runtimePackages.packages.join(" ")}` : "";
  if (e.unverified) return `UNVERIFIED: ${e.unverified}${pkgs ? ` (runtime packages: ${pkgs})` : ""}`;
  if (pkgs) return `verified with runtime packages: ${pkgs}`;
  return e.externalLibraries ? `system libraries: ${e.externalLibraries.join(", ")}` : "";
}
function comparison(v) {
  const presets = [...new Set(v.runs.map((r) => r.preset))].sort(cmp);
  if (presets.length === 0) return "<p>No builds recorded yet.</p>";
  const versions = [...new Set(v.runs.map((r) => r.version))].sort(byVersion).reverse();
  const out = ['<section aria-labelledby="cmp"><h2 id="cmp">Variants compared</h2>'];
  for (const version of versions) {
    const runs = [...v.latest.values()].filter((r) => r.version === version);
    const variants = [...new Set(runs.map((r) => r.variant))].sort(cmp);
    const rows = variants.map((variant) => [
      esc(variant),
      ...presets.map((preset) => {
        const r = runs.find((x) => x.variant === variant && x.preset === preset);
        return r ? cell(r) : '<span class="muted">-</span>';
      })
    ]);
    out.push(table(`Version ${version}: latest run per variant and preset`, ["Variant", ...presets], rows, { className: "compare" }));
    const diffs = [];
    for (const variant of variants) {
      const ok = runs.filter((r) => r.variant === variant && r.outcome === "success");
      const bad = runs.filter((r) => r.variant === variant && r.outcome === "failure");
      if (ok.length && bad.length)
        diffs.push(`${variant}: preset ${ok.map((r) => r.preset).join(", ")} built it where ${bad.map((r) => r.preset).join(", ")} failed`);
      for (const r of ok) {
        const first = r.attempts[0];
        const last = r.attempts[r.attempts.length - 1];
        const added = last.hintsApplied.filter((h) => !first.hintsApplied.includes(h));
        if (added.length)
          diffs.push(`${variant} on ${r.preset}: hint ${added.join(", ")} made attempt ${last.attempt} succeed after ${first.failureClass ?? "a failure"}`);
      }
    }
    if (diffs.length) out.push(`<ul class="diffs">${diffs.map((d) => `<li>${esc(d)}</li>`).join("")}</ul>`);
  }
  out.push("</section>");
  return out.join("\n");
}
function cell(r) {
  const last = r.attempts[r.attempts.length - 1];
  const hints = last.hintsApplied.length ? ` hints: ${last.hintsApplied.join(", ")}` : "";
  const cls = r.outcome === "failure" ? ` (${last.failureClass ?? "unclassified"})` : "";
  const total = r.attempts.reduce((s, a) => s + a.durationMs, 0);
  return `<span class="status status-${r.outcome === "success" ? "built" : "failing"}">${esc(r.outcome)}</span>${esc(cls)} ${esc(r.attempts.length)} attempt(s), ${esc(duration(total))}${esc(hints)}`;
}
function history(v) {
  const rows = [...v.runs].reverse().flatMap(
    (r) => [...r.attempts].reverse().map((a) => [
      esc(a.finishedAt),
      esc(a.version),
      esc(a.variant),
      esc(a.preset),
      `${esc(a.attempt)}/${esc(a.attempts)}`,
      `<span class="status status-${a.status === "success" ? "built" : "failing"}">${esc(a.status)}</span>`,
      esc([a.phase, a.failureClass].filter(Boolean).join(" / ")),
      esc(a.matchedHint ?? ""),
      esc(a.hintsApplied.join(", ")),
      esc(duration(a.durationMs)),
      esc(a.executor + (a.compiler ? `, ${a.compiler} compilers` : "") + (a.runner ? ` on ${a.runner}` : "")),
      [a.runUrl ? extLink(a.runUrl, "run") : "", a.log ? `<code>${esc(a.log)}</code>` : ""].filter(Boolean).join(" ")
    ])
  );
  return `<section aria-labelledby="hist"><h2 id="hist">Attempt history</h2>
${table("Every attempt, newest first", ["Finished", "Version", "Variant", "Preset", "Attempt", "Status", "Phase / class", "Hint matched", "Hints applied", "Duration", "Executor", "Log"], rows, { id: "attempts" })}</section>`;
}
function attestationCell(w) {
  const a = w.entry.attestation;
  const parts = [];
  if (a) parts.push(extLink(a.url, `attestation ${a.id}`));
  if (w.provenance?.sitePath) parts.push(`<a href="../${esc(w.provenance.sitePath.split("/").map(encodeURIComponent).join("/"))}">PEP 740 provenance</a>`);
  const who = w.provenance?.publisher;
  if (who) parts.push(`signed by ${esc(who.repository)} (${esc(who.workflow)})`);
  return parts.join(", ");
}

// src/stages/publish/wheels.ts
import { readFile as readFile2 } from "node:fs/promises";
import { resolve as resolve2 } from "node:path";
async function siteWheels(state, o, warn) {
  const out = /* @__PURE__ */ new Map();
  for (const name of [...state.packages.keys()].sort(cmp)) {
    const pkg = state.packages.get(name);
    const file = o.stateDir ? resolve2(o.stateDir, packageFile(name)) : packageFile(name);
    const newest = /* @__PURE__ */ new Map();
    pkg.manifest.forEach((entry, index) => {
      const have = newest.get(entry.filename);
      if (!have || cmpTime(entry.builtAt, have.entry.builtAt) > 0 || entry.builtAt === have.entry.builtAt && cmp(entry.sha256, have.entry.sha256) > 0)
        newest.set(entry.filename, { entry, index });
    });
    const withdrawals = [
      ...(o.withdrawals ?? []).filter((d) => d.package === name),
      ...(pkg.withdrawals ?? []).map((w) => ({ package: name, version: w.version, filename: w.filename, reason: w.reason }))
    ];
    const list = [];
    for (const { entry, index } of [...newest.values()].sort((a, b) => cmp(a.entry.filename, b.entry.filename))) {
      let parsed;
      try {
        if (entry.filename.includes("/") || entry.filename.includes("\\")) throw new Error("a path, not a file name");
        parsed = parseWheelFilename(entry.filename);
      } catch (e) {
        throw new RefineryError("state", `not a wheel file name: ${JSON.stringify(entry.filename)} (${e.message})`, {
          location: { file, field: `manifest.${index}.filename` },
          fix: "restore the file from git or remove that manifest entry"
        });
      }
      if (parsed.name !== name) {
        throw new RefineryError("state", `wheel ${JSON.stringify(entry.filename)} is not a wheel of ${name}`, {
          location: { file, field: `manifest.${index}.filename` },
          fix: "restore the file from git or remove that manifest entry"
        });
      }
      const wheel = await locate(entry, parsed, o, file, index, warn);
      if (!wheel) continue;
      const w = withdrawals.find((d) => d.filename ? d.filename === entry.filename : d.version === void 0 || d.version === entry.version);
      if (w) wheel.yanked = w.reason || "withdrawn";
      const given = o.provenanceDir ? await readFile2(resolve2(o.provenanceDir, `${entry.filename}.provenance`), "utf8").catch(() => void 0) : void 0;
      if (given !== void 0) wheel.provenance = { text: checkProvenance(given, entry.filename) };
      else if (entry.attestation?.provenance) {
        const text = provenanceOf(entry);
        if (text) wheel.provenance = { text, publisher: entry.attestation.provenance.publisher };
        else warn(`no provenance for ${entry.filename}: its attestation's statement does not name the wheel's sha256`);
      }
      list.push(wheel);
    }
    if (list.length > 0) out.set(name, list);
  }
  return out;
}
async function locate(entry, parsed, o, file, index, warn) {
  const s = entry.storage;
  if (s.kind === "local") {
    if (!o.localStore) {
      throw new RefineryError("usage", `${entry.filename} is in a local wheel store, and no store was given`, {
        fix: "pass --store local:DIR, the folder record stored the wheels in"
      });
    }
    if (!s.location || s.location.split(/[\\/]/).includes("..") || s.location.startsWith("/")) {
      throw new RefineryError("state", `local storage location ${JSON.stringify(s.location)} leaves the store`, {
        location: { file, field: `manifest.${index}.storage.location` },
        fix: "restore the file from git"
      });
    }
    const source = resolve2(o.localStore, s.location);
    const bytes = await readFile2(source).catch((e) => {
      if (e.code === "ENOENT") return void 0;
      throw new RefineryError("input", `cannot read the stored wheel: ${e.code ?? String(e)}`, { location: { file: source } });
    });
    if (!bytes) {
      warn(`left out ${entry.filename}: not in the local store ${o.localStore}`);
      return void 0;
    }
    if (bytes.length !== entry.size || sha256(bytes) !== entry.sha256) {
      warn(`left out ${entry.filename}: the stored file does not match its sha256 in the manifest`);
      return void 0;
    }
    const text = await readWheelMetadata(source, entry.filename);
    const meta = parseCoreMetadata(text, `${entry.filename}/METADATA`);
    const sitePath = `files/${entry.sha256.slice(0, 16)}/${entry.filename}`;
    return { entry, parsed, url: sitePath, sitePath, source, requiresPython: meta.requiresPython, metadata: { text, sha256: sha256(text) } };
  }
  if (s.kind === "github-release") {
    const url = safeHttpUrl(s.location);
    const last = url ? decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "") : "";
    if (!url || last !== entry.filename) {
      warn(`left out ${entry.filename}: its release asset URL ${url ? "does not end in the wheel file name" : "is not an http(s) URL"}`);
      return void 0;
    }
    const m = s.metadata;
    return { entry, parsed, url, ...m ? { metadata: { sha256: m.sha256 }, requiresPython: m.requiresPython } : {} };
  }
  warn(`left out ${entry.filename}: stored in ${s.kind === "none" ? "no store" : s.kind}, which pip cannot download from`);
  return void 0;
}
function provenanceOf(entry) {
  const p = entry.attestation.provenance;
  let subjects;
  try {
    subjects = JSON.parse(Buffer.from(p.attestation.envelope.statement, "base64").toString("utf8")).subject;
  } catch {
    return void 0;
  }
  const names = Array.isArray(subjects) && subjects.some((x) => typeof x === "object" && x !== null && x.digest?.sha256 === entry.sha256);
  if (!names) return void 0;
  return `${JSON.stringify({ version: 1, attestation_bundles: [{ publisher: p.publisher, attestations: [p.attestation] }] })}
`;
}
function checkProvenance(text, filename) {
  let v;
  try {
    v = JSON.parse(text);
  } catch {
    throw new RefineryError("input", `${filename}.provenance is not JSON`, { fix: "give PEP 740 provenance objects" });
  }
  const ok = v && typeof v === "object" && v.version === 1 && Array.isArray(v.attestation_bundles);
  if (!ok)
    throw new RefineryError("input", `${filename}.provenance is not a PEP 740 provenance object (version 1 with attestation_bundles)`, {
      fix: "give PEP 740 provenance objects"
    });
  return `${JSON.stringify(v)}
`;
}

// src/stages/publish/writer.ts
import { readdir as readdir2, readFile as readFile3, rm } from "node:fs/promises";
import { join as join2, relative as relative2, resolve as resolve3, sep } from "node:path";
var SITE_LIST = ".refinery-site.json";
var SiteWriter = class {
  written = [];
  unchanged = 0;
  produced = /* @__PURE__ */ new Set();
  root;
  constructor(root) {
    this.root = resolve3(root);
  }
  /**
   * Refuse a folder that holds files and no list of an earlier publish: the site would overwrite
   * whatever index.html or api/ it has (`--out .` in a repository).
   */
  async check() {
    const entries = await readdir2(this.root).catch((e) => {
      if (e.code === "ENOENT") return [];
      throw new RefineryError("usage", `cannot read the output folder: ${e.code ?? String(e)}`, { location: { file: this.root } });
    });
    if (entries.length > 0 && !entries.includes(SITE_LIST)) {
      throw new RefineryError("usage", "the output folder is not empty and was not written by refinery publish", {
        location: { file: this.root },
        fix: "publish into a new or empty folder (an earlier site there is updated in place)"
      });
    }
  }
  /** Path inside the site for a relative path; refuses anything that would leave the folder. */
  path(rel) {
    const abs = resolve3(this.root, rel);
    const back = relative2(this.root, abs);
    if (!back || back.startsWith("..") || back.split(sep).includes("..") || rel.includes("\0")) {
      throw new RefineryError("state", `a site path outside the output folder: ${JSON.stringify(rel)}`, {
        fix: "a file name in the state is not a plain file name; fix or remove that entry"
      });
    }
    return abs;
  }
  async write(rel, data) {
    const abs = this.path(rel);
    if (this.produced.has(rel)) throw new Error(`bug: ${rel} written twice in one publish`);
    this.produced.add(rel);
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    const have = await readFile3(abs).catch(() => void 0);
    if (have && have.length === bytes.length && have.equals(bytes)) {
      this.unchanged++;
      return false;
    }
    await writeFileAtomic(abs, bytes, { durable: false });
    this.written.push(rel);
    return true;
  }
  /** A file whose name carries its content hash: present with the right size means unchanged. */
  async writeAddressed(rel, size, load) {
    const abs = this.path(rel);
    this.produced.add(rel);
    const have = await readFile3(abs).catch(() => void 0);
    if (have && have.length === size) {
      this.unchanged++;
      return false;
    }
    await writeFileAtomic(abs, await load(), { durable: false });
    this.written.push(rel);
    return true;
  }
  /** Remove what the previous publish wrote and this one did not, then record this publish's list. */
  async finish() {
    const listFile = join2(this.root, SITE_LIST);
    const before = await readFile3(listFile, "utf8").then((t) => JSON.parse(t)).catch(() => void 0);
    const removed = [];
    if (Array.isArray(before)) {
      for (const rel of before) {
        if (typeof rel !== "string" || this.produced.has(rel)) continue;
        let abs;
        try {
          abs = this.path(rel);
        } catch {
          continue;
        }
        await rm(abs, { force: true });
        removed.push(rel);
      }
    }
    const list = `${JSON.stringify([...this.produced].sort(), null, 0)}
`;
    const have = await readFile3(listFile, "utf8").catch(() => void 0);
    if (have !== list) await writeFileAtomic(listFile, list, { durable: false });
    return removed.sort();
  }
};

// src/stages/publish/publish.ts
var WRITERS = 8;
async function publishSite(state, outDir, o = {}) {
  const warnings = [];
  const warn = (l) => {
    warnings.push(l);
    o.warn?.(l);
  };
  const out = new SiteWriter(outDir);
  await out.check();
  const wheels = await siteWheels(state, o, warn);
  const views = siteViews(state, o.catalog);
  const names = [...wheels.keys()].sort(cmp);
  await mapLimit(names, WRITERS, async (name) => {
    const list = wheels.get(name);
    for (const w of list) {
      if (w.sitePath && w.source) {
        const src = w.source;
        await out.writeAddressed(w.sitePath, w.entry.size, () => readFile4(src));
      }
      if (w.sitePath && w.metadata?.text !== void 0) await out.write(`${w.sitePath}.metadata`, w.metadata.text);
      if (w.provenance) {
        w.provenance.sitePath = `${w.sitePath ?? `files/${w.entry.sha256.slice(0, 16)}/${w.entry.filename}`}.provenance`;
        await out.write(w.provenance.sitePath, w.provenance.text);
      }
    }
    const files = list.map(indexFile);
    await out.write(`simple/${name}/index.html`, projectHtml(name, files));
    await out.write(`simple/${name}/index.json`, projectJson(name, files));
    await out.write(`api/packages/${name}.json`, packageApi(name, list));
  });
  await out.write("simple/index.html", rootHtml(names));
  await out.write("simple/index.json", rootJson(names));
  await mapLimit(
    views.packages,
    WRITERS,
    async (v) => out.write(`packages/${v.pkg.name}.html`, await packagePage(v, wheels.get(v.pkg.name) ?? [], o.catalog, o.suggest ?? {}))
  );
  for (const [rel, text] of Object.entries(dashboardFiles(views, o.title ?? "s390x wheels"))) await out.write(rel, text);
  await out.write("api/index.json", indexApi(wheels, state));
  await out.write("api/manifest.json", manifestApi(state));
  await out.write("metrics.txt", metricsText(views));
  await writeExports(state, (rel, data) => out.write(rel, data));
  await out.write(
    "exports/index.html",
    page({
      title: "Exports",
      root: "../",
      body: `<h1>Exports</h1>
${table(
        "The manifest and the attempt history",
        ["File", "Format"],
        EXPORT_FILES.map((rel) => [
          `<a href="${esc(rel.slice("exports/".length))}">${esc(rel.slice("exports/".length))}</a>`,
          rel.endsWith(".csv") ? "CSV (RFC 4180)" : "Apache Parquet"
        ])
      )}`
    })
  );
  await out.write(".nojekyll", "");
  const removed = await out.finish();
  const siteUrl = o.siteUrl ? safeHttpUrl(o.siteUrl.replace(/\/?$/, "/")) : void 0;
  return {
    outDir,
    packages: state.packages.size,
    wheels: [...wheels.values()].reduce((s, l) => s + l.length, 0),
    written: [...out.written].sort(),
    unchanged: out.unchanged,
    removed,
    warnings,
    ...siteUrl ? { siteUrl } : {}
  };
}
function indexFile(w) {
  return {
    filename: w.entry.filename,
    url: w.url,
    sha256: w.entry.sha256,
    size: w.entry.size,
    requiresPython: w.requiresPython,
    metadataSha256: w.metadata?.sha256,
    yanked: w.yanked,
    provenance: w.provenance?.sitePath,
    uploadTime: new Date(w.entry.builtAt).toISOString(),
    version: w.entry.version
  };
}

export {
  esc,
  safeHttpUrl,
  API_VERSION,
  writeSimpleIndex,
  suggestFix,
  newFileUrl,
  publishSite
};
