/**
 * The dashboard's script and style sheet, shipped as text so the bundle carries them (no copy step).
 * The script builds every element with createElement/textContent: no string from the data is ever
 * parsed as HTML, and links are relative paths built from package names.
 */

export const DASHBOARD_JS = `'use strict';
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

export const DASHBOARD_CSS = `:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --line: #d0d7de; --ok: #116329; --bad: #a40e26; --warn: #7d4e00; --link: #0550ae; }
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
