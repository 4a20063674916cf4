/** PEP 691 JSON project pages (api-version 1.x), validated at the boundary with zod. */
import { z } from 'zod';
import type { ParsedPage, PageFile } from './types.js';
import { indexError, resolveLink } from './links.js';

const MetadataFlag = z.union([z.boolean(), z.record(z.string(), z.string())]);

const JsonFile = z.object({
  filename: z.string().min(1),
  url: z.string().min(1),
  hashes: z.record(z.string(), z.string()),
  'requires-python': z.string().nullish(),
  'core-metadata': MetadataFlag.optional(),
  'dist-info-metadata': MetadataFlag.optional(),
  yanked: z.union([z.boolean(), z.string()]).optional(),
  size: z.number().int().nonnegative().optional(),
});

const JsonPage = z.object({
  meta: z.object({ 'api-version': z.string().regex(/^\d+\.\d+$/, 'must look like 1.0') }),
  name: z.string(),
  files: z.array(JsonFile),
  versions: z.array(z.string()).optional(),
});

export function parseJsonPage(body: string, pageUrl: string): ParsedPage {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    throw indexError(pageUrl, `the JSON page does not parse (${(e as Error).message})`);
  }
  const parsed = JsonPage.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.join('.') || '(root)' : '(root)';
    throw indexError(pageUrl, `the JSON page is not a PEP 691 project page: ${field}: ${issue?.message ?? 'invalid'}`);
  }
  const page = parsed.data;
  const major = Number(page.meta['api-version'].split('.')[0]);
  if (major !== 1) throw indexError(pageUrl, `unsupported PEP 691 api-version ${page.meta['api-version']} (only 1.x is understood)`);

  const base = new URL(pageUrl); // parsed once, not once per link
  const files = page.files.map((f, i): PageFile => {
    const hashes: Record<string, string> = {};
    for (const [k, v] of Object.entries(f.hashes)) hashes[k.toLowerCase()] = v.toLowerCase();
    const meta = f['core-metadata'] ?? f['dist-info-metadata'] ?? false;
    const file: PageFile = {
      filename: f.filename,
      url: resolveLink(f.url, base, `files.${i}.url`),
      hashes,
      yanked: f.yanked === undefined || f.yanked === false ? false : f.yanked === true ? '' : f.yanked,
      metadata: meta === false ? false : meta === true ? {} : meta.sha256 ? { sha256: meta.sha256.toLowerCase() } : {},
    };
    if (f['requires-python']) file.requiresPython = f['requires-python'];
    if (f.size !== undefined) file.size = f.size;
    return file;
  });
  return { name: page.name, files, ...(page.versions ? { versions: page.versions } : {}) };
}
