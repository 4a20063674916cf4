import { cmp } from '../../domain/state/canonical.js';
import { mapLimit } from '../../domain/state/load.js';
import type { HintCatalog } from '../../domain/hints/schema.js';
import type { State } from '../../domain/state/types.js';
import { indexApi, manifestApi, packageApi } from './api.js';
import { dashboardFiles } from './dashboard.js';
import { EXPORT_FILES, writeExports } from './exports.js';
import { readFile } from 'node:fs/promises';
import { esc, page, safeHttpUrl, table } from './html.js';
import { metricsText } from './metrics.js';
import { packagePage } from './package-pages.js';
import { projectHtml, projectJson, rootHtml, rootJson, type IndexFile } from './simple-index.js';
import type { SuggestOptions } from './suggest.js';
import { siteViews } from './views.js';
import { siteWheels, type SiteWheel, type WheelOptions } from './wheels.js';
import { SiteWriter } from './writer.js';

/** Files written at once. */
const WRITERS = 8;

export interface PublishOptions extends WheelOptions {
  /** The hint catalog, for the hint table and to tell failures with a remedy from those without. */
  catalog?: HintCatalog;
  suggest?: SuggestOptions;
  title?: string;
  /** Where the site will be served (GitHub Pages), for links a face prints: kept only when http(s). */
  siteUrl?: string;
  warn?: (line: string) => void;
}

export interface PublishOutcome {
  outDir: string;
  packages: number;
  wheels: number;
  /** Files whose bytes changed (relative to outDir), sorted. */
  written: string[];
  unchanged: number;
  /** Files an earlier publish wrote that this one no longer produces. */
  removed: string[];
  warnings: string[];
  /** The site's URL, ending in `/`, when one was given and it is an http(s) URL without credentials. */
  siteUrl?: string;
}

/**
 * `refinery publish`: the state as a static site. Deterministic (the same state and options give
 * the same bytes) and incremental (only files whose bytes change are written).
 */
export async function publishSite(state: State, outDir: string, o: PublishOptions = {}): Promise<PublishOutcome> {
  const warnings: string[] = [];
  const warn = (l: string) => {
    warnings.push(l);
    o.warn?.(l);
  };
  const out = new SiteWriter(outDir);
  await out.check();
  const wheels = await siteWheels(state, o, warn);
  const views = siteViews(state, o.catalog);

  // The index: wheels (local store: copied into the site), their metadata and provenance files, the pages.
  const names = [...wheels.keys()].sort(cmp);
  // Files are independent: a few in flight at once keep the disk busy instead of one await each.
  await mapLimit(names, WRITERS, async (name) => {
    const list = wheels.get(name)!;
    for (const w of list) {
      if (w.sitePath && w.source) {
        const src = w.source;
        await out.writeAddressed(w.sitePath, w.entry.size, () => readFile(src));
      }
      if (w.sitePath && w.metadata?.text !== undefined) await out.write(`${w.sitePath}.metadata`, w.metadata.text);
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
  await out.write('simple/index.html', rootHtml(names));
  await out.write('simple/index.json', rootJson(names));

  await mapLimit(views.packages, WRITERS, async (v) =>
    out.write(`packages/${v.pkg.name}.html`, await packagePage(v, wheels.get(v.pkg.name) ?? [], o.catalog, o.suggest ?? {})),
  );
  for (const [rel, text] of Object.entries(dashboardFiles(views, o.title ?? 's390x wheels'))) await out.write(rel, text);
  await out.write('api/index.json', indexApi(wheels, state));
  await out.write('api/manifest.json', manifestApi(state));
  await out.write('metrics.txt', metricsText(views));
  await writeExports(state, (rel, data) => out.write(rel, data));
  await out.write(
    'exports/index.html',
    page({
      title: 'Exports',
      root: '../',
      body: `<h1>Exports</h1>\n${table(
        'The manifest and the attempt history',
        ['File', 'Format'],
        EXPORT_FILES.map((rel) => [
          `<a href="${esc(rel.slice('exports/'.length))}">${esc(rel.slice('exports/'.length))}</a>`,
          rel.endsWith('.csv') ? 'CSV (RFC 4180)' : 'Apache Parquet',
        ]),
      )}`,
    }),
  );
  // GitHub Pages: serve the files as they are (no Jekyll).
  await out.write('.nojekyll', '');
  const removed = await out.finish();
  const siteUrl = o.siteUrl ? safeHttpUrl(o.siteUrl.replace(/\/?$/, '/')) : undefined;
  return {
    outDir,
    packages: state.packages.size,
    wheels: [...wheels.values()].reduce((s, l) => s + l.length, 0),
    written: [...out.written].sort(),
    unchanged: out.unchanged,
    removed,
    warnings,
    ...(siteUrl ? { siteUrl } : {}),
  };
}

function indexFile(w: SiteWheel): IndexFile {
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
    version: w.entry.version,
  };
}
