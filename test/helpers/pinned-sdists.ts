/**
 * The real PyPI sdists tests pin: `sdists` of test/fixtures/logs/corpus.yml (sha256 as published),
 * downloaded once into .cache/sdists and hash-checked, shared with scripts/log-corpus.ts.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { sha256File } from '../../src/adapters/blob-cache.js';
import { downloadVerified } from '../../src/adapters/download.js';
import { HttpClient } from '../../src/adapters/http.js';
import type { InventoryEntry } from '../../src/domain/model/inventory.js';
import { readSdistBuildRequires, readSdistSource } from '../../src/domain/package-index/dist-contents.js';
import { repoRoot } from './pytools.js';

export const PINNED = (
  parse(await readFile(join(repoRoot, 'test', 'fixtures', 'logs', 'corpus.yml'), 'utf8')) as { sdists: Record<string, { sha256: string; url: string }> }
).sdists;

/** A pinned sdist's path in .cache/sdists, downloaded when absent or not the published bytes. */
export async function pinnedSdist(filename: string): Promise<string> {
  const pin = PINNED[filename];
  if (!pin) throw new Error(`${filename} is not pinned under sdists: in test/fixtures/logs/corpus.yml`);
  const file = join(repoRoot, '.cache', 'sdists', filename);
  if (!existsSync(file) || (await sha256File(file)) !== pin.sha256) await downloadVerified(new HttpClient(), pin.url, file, { sha256: pin.sha256 });
  return file;
}

/** The inventory entry a scan makes for a pinned sdist: its build requirements and measured sources. */
export async function pinnedEntry(name: string, version: string, filename: string, python = '3.11'): Promise<InventoryEntry> {
  const file = await pinnedSdist(filename);
  const pin = PINNED[filename]!;
  return {
    name,
    version,
    python,
    target: `cp${python.replace('.', '')}-linux_s390x`,
    status: 'needs-build',
    reason: filename,
    sdist: { filename, url: pin.url, sha256: pin.sha256, size: (await stat(file)).size, yanked: false, metadata: false, index: 'pypi' },
    depth: 0,
    requiredBy: [],
    buildRequires: await readSdistBuildRequires(file, filename),
    source: await readSdistSource(file, filename),
    abi: 'cpython',
  };
}
