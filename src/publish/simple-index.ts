import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../adapters/fs.js';
import { isSdist, isWheel, parseSdistFilename, parseWheelFilename } from '../python/filenames.js';

/**
 * Write a static PEP 503 "simple" tree for a folder of distributions: `simple/index.html`,
 * `simple/<name>/index.html` with `#sha256=` fragments, and the files under `files/`. Any static
 * web server (GitHub Pages, `python3 -m http.server`) can then serve it to pip and uv.
 */
export async function writeSimpleIndex(distDir: string, outDir: string): Promise<{ projects: number; files: number }> {
  const byProject = new Map<string, Array<{ filename: string; sha256: string }>>();
  const names = (await readdir(distDir)).filter((f) => isWheel(f) || isSdist(f)).sort();
  await mkdir(join(outDir, 'files'), { recursive: true });
  for (const filename of names) {
    const project = isWheel(filename) ? parseWheelFilename(filename).name : parseSdistFilename(filename).name;
    const src = join(distDir, filename);
    await copyFile(src, join(outDir, 'files', filename));
    const list = byProject.get(project) ?? [];
    list.push({ filename, sha256: await sha256Of(src) });
    byProject.set(project, list);
  }
  const projects = [...byProject.keys()].sort();
  await writeFileAtomic(
    join(outDir, 'simple', 'index.html'),
    page('Simple index', projects.map((p) => `<a href="${esc(p)}/">${esc(p)}</a>`)),
  );
  for (const p of projects) {
    const links = byProject.get(p)!.map((f) => `<a href="../../files/${encodeURIComponent(f.filename)}#sha256=${f.sha256}">${esc(f.filename)}</a>`);
    await writeFileAtomic(join(outDir, 'simple', p, 'index.html'), page(`Links for ${p}`, links));
  }
  return { projects: projects.length, files: names.length };
}

function page(title: string, links: string[]): string {
  return `<!DOCTYPE html>\n<html>\n<head><meta name="pypi:repository-version" content="1.0"><title>${esc(title)}</title></head>\n<body>\n${links.join('<br>\n')}\n</body>\n</html>\n`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
