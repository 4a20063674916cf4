import { readdir, readFile, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../../adapters/fs.js';
import { RefineryError } from '../../errors.js';

/** The list of files the last publish wrote, so the next one can remove what is no longer produced. */
export const SITE_LIST = '.refinery-site.json';

/**
 * Writes the site's files, each only when its bytes differ from what is on disk (a republish
 * after one package changed rewrites that package's pages and the site-wide summaries, nothing
 * else), and removes files an earlier publish wrote that this one no longer produces.
 */
export class SiteWriter {
  readonly written: string[] = [];
  unchanged = 0;
  private readonly produced = new Set<string>();
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /**
   * Refuse a folder that holds files and no list of an earlier publish: the site would overwrite
   * whatever index.html or api/ it has (`--out .` in a repository).
   */
  async check(): Promise<void> {
    const entries = await readdir(this.root).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw new RefineryError('usage', `cannot read the output folder: ${e.code ?? String(e)}`, { location: { file: this.root } });
    });
    if (entries.length > 0 && !entries.includes(SITE_LIST)) {
      throw new RefineryError('usage', 'the output folder is not empty and was not written by refinery publish', {
        location: { file: this.root },
        fix: 'publish into a new or empty folder (an earlier site there is updated in place)',
      });
    }
  }

  /** Path inside the site for a relative path; refuses anything that would leave the folder. */
  path(rel: string): string {
    const abs = resolve(this.root, rel);
    const back = relative(this.root, abs);
    if (!back || back.startsWith('..') || back.split(sep).includes('..') || rel.includes('\0')) {
      throw new RefineryError('state', `a site path outside the output folder: ${JSON.stringify(rel)}`, {
        fix: 'a file name in the state is not a plain file name; fix or remove that entry',
      });
    }
    return abs;
  }

  async write(rel: string, data: string | Uint8Array): Promise<boolean> {
    const abs = this.path(rel);
    if (this.produced.has(rel)) throw new Error(`bug: ${rel} written twice in one publish`);
    this.produced.add(rel);
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const have = await readFile(abs).catch(() => undefined);
    if (have && have.length === bytes.length && have.equals(bytes)) {
      this.unchanged++;
      return false;
    }
    await writeFileAtomic(abs, bytes, { durable: false });
    this.written.push(rel);
    return true;
  }

  /** A file whose name carries its content hash: present with the right size means unchanged. */
  async writeAddressed(rel: string, size: number, load: () => Promise<Uint8Array>): Promise<boolean> {
    const abs = this.path(rel);
    this.produced.add(rel);
    const have = await readFile(abs).catch(() => undefined);
    if (have && have.length === size) {
      this.unchanged++;
      return false;
    }
    await writeFileAtomic(abs, await load(), { durable: false });
    this.written.push(rel);
    return true;
  }

  /** Remove what the previous publish wrote and this one did not, then record this publish's list. */
  async finish(): Promise<string[]> {
    const listFile = join(this.root, SITE_LIST);
    const before = await readFile(listFile, 'utf8')
      .then((t) => JSON.parse(t) as unknown)
      .catch(() => undefined);
    const removed: string[] = [];
    if (Array.isArray(before)) {
      for (const rel of before) {
        if (typeof rel !== 'string' || this.produced.has(rel)) continue;
        let abs: string;
        try {
          abs = this.path(rel);
        } catch {
          continue;
        }
        await rm(abs, { force: true });
        removed.push(rel);
      }
    }
    const list = `${JSON.stringify([...this.produced].sort(), null, 0)}\n`;
    const have = await readFile(listFile, 'utf8').catch(() => undefined);
    if (have !== list) await writeFileAtomic(listFile, list, { durable: false });
    return removed.sort();
  }
}
