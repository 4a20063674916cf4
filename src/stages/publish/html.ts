/**
 * Everything the site writes from state content goes through here: text is escaped for HTML
 * (element content and quoted attributes alike), and a link from the state is used only when it
 * is an absolute http(s) URL. Nothing from the state becomes markup, a script or another scheme.
 */

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML content or a double- or single-quoted attribute value. */
export function esc(s: string | number | undefined): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** The URL when it is absolute http(s) (no credentials), else undefined. */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  if (u.username || u.password) return undefined;
  return u.href;
}

/** `<a>` to an http(s) URL from the state, or the text alone when the URL is anything else. */
export function extLink(url: string | undefined, text: string): string {
  const safe = safeHttpUrl(url);
  return safe ? `<a href="${esc(safe)}" rel="noopener noreferrer">${esc(text)}</a>` : esc(text);
}

/** A table; cells are already-escaped HTML. */
export function table(caption: string, head: string[], rows: string[][], opts: { id?: string; className?: string } = {}): string {
  const id = opts.id ? ` id="${esc(opts.id)}"` : '';
  const cls = opts.className ? ` class="${esc(opts.className)}"` : '';
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table${id}${cls}>\n<caption>${esc(caption)}</caption>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** A complete page of the dashboard; `root` is the relative path back to the site root ('' or '../'). */
export function page(o: { title: string; root: string; body: string; scripts?: string[] }): string {
  const scripts = (o.scripts ?? []).map((s) => `<script src="${esc(o.root + s)}" defer></script>`).join('\n');
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

/** Seconds as `1h 02m`, `3m 05s` or `12.3s`. */
export function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
