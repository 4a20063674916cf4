/**
 * The failure-log corpus' file format (test/fixtures/logs): a header line written by
 * scripts/log-corpus.ts, then the build's output, trimmed. Shared by the script and the tests.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { sha256File } from '../../src/adapters/blob-cache.js';
import { downloadVerified } from '../../src/adapters/download.js';
import { HttpClient } from '../../src/adapters/http.js';
import { ERRORISH } from '../../src/domain/hints/evidence.js';
import type { InventoryEntry } from '../../src/domain/model/inventory.js';
import { readSdistBuildRequires, readSdistSource } from '../../src/domain/package-index/dist-contents.js';

const root = resolve(import.meta.dirname, '..', '..');
const corpusFile = join(root, 'test', 'fixtures', 'logs', 'corpus.yml');

export const CORPUS_HEADER = '# log-corpus: ';

export interface SdistPin {
  sha256: string;
  url: string;
}

/** The sdists corpus.yml pins (file name -> sha256 and PyPI URL). */
export async function corpusPins(): Promise<Record<string, SdistPin>> {
  return (parse(await readFile(corpusFile, 'utf8')) as { sdists: Record<string, SdistPin> }).sdists;
}

/**
 * A pinned real sdist from PyPI in `.cache/sdists` (downloaded once, hash-checked each time), for
 * the corpus script and the tests that read real sdists.
 */
export async function pinnedSdist(filename: string, pins?: Record<string, SdistPin>, http = new HttpClient()): Promise<string> {
  const pin = (pins ?? (await corpusPins()))[filename];
  if (!pin) throw new Error(`sdist ${filename} is not pinned under sdists: in ${corpusFile}`);
  const dest = join(root, '.cache', 'sdists', filename);
  if (existsSync(dest) && (await sha256File(dest)) === pin.sha256) return dest;
  await downloadVerified(http, pin.url, dest, { sha256: pin.sha256 });
  return dest;
}

/** The inventory entry a scan makes for a pinned sdist: its build requirements and measured sources. */
export async function pinnedEntry(name: string, version: string, filename: string, python = '3.11'): Promise<InventoryEntry> {
  const pins = await corpusPins();
  const file = await pinnedSdist(filename, pins);
  const pin = pins[filename]!;
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

export interface CorpusHeader {
  case: string;
  package: string;
  version: string;
  absent: string;
  date: string;
  image: string;
  exit: number;
  command: string;
}

/** The header of a corpus log, or undefined for the logs made before the script (no header). */
export function corpusHeader(text: string): CorpusHeader | undefined {
  const first = text.slice(0, text.indexOf('\n'));
  return first.startsWith(CORPUS_HEADER) ? (JSON.parse(first.slice(CORPUS_HEADER.length)) as CorpusHeader) : undefined;
}

const KEEP_HEAD = 40;
const KEEP_TAIL = 200;
const KEEP_MIDDLE_ERRORS = 60;

/**
 * A long log cut to what classification and a reader need: the first lines (what was built, how),
 * the last ones (where pip reports the failure) and, between them, the lines that look like errors
 * (a CMake or meson error can sit above a long tail). Terminal escapes and carriage returns go.
 */
export function trimLog(log: string): string {
  const lines = log
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length <= KEEP_HEAD + KEEP_TAIL + KEEP_MIDDLE_ERRORS) return `${lines.join('\n')}\n`;
  const middle = lines.slice(KEEP_HEAD, lines.length - KEEP_TAIL);
  const errors = middle.filter((l) => ERRORISH.test(l)).slice(-KEEP_MIDDLE_ERRORS);
  const out = [
    ...lines.slice(0, KEEP_HEAD),
    `[log-corpus] ${middle.length - errors.length} of ${middle.length} lines left out here; kept: the ${errors.length} that look like errors`,
    ...errors,
    '[log-corpus] end of the trimmed part',
    ...lines.slice(lines.length - KEEP_TAIL),
  ];
  return `${out.join('\n')}\n`;
}
