import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256File } from '../../adapters/blob-cache.js';
import { copyVerified, downloadVerified, type MismatchWording } from '../../adapters/download.js';
import { HttpClient } from '../../adapters/http.js';
import { RefineryError } from '../../errors.js';

export interface SdistRef {
  filename: string;
  url: string;
  sha256?: string;
}

export { sha256File };

/**
 * Put the sdist in `destDir` and check its sha256 against the plan's, through the one verified
 * download (../../adapters/download.ts): http(s) through the HTTP client, which retries transient
 * faults with backoff and caps the decoded size; `file:` URLs and plain paths copied (offline
 * builds, tests). A mismatch is never retried: the file is not what was planned. Nothing partial
 * is left in `destDir`.
 */
export async function fetchSdist(
  ref: SdistRef,
  destDir: string,
  opts: { http?: HttpClient; signal?: AbortSignal } = {},
): Promise<{ path: string; sha256: string }> {
  if (basename(ref.filename) !== ref.filename || ref.filename.startsWith('.')) {
    throw new RefineryError('input', `sdist filename ${JSON.stringify(ref.filename)} is not a plain file name`, {
      fix: 'the plan unit must name the sdist file only',
    });
  }
  await mkdir(destDir, { recursive: true });
  const dest = join(destDir, ref.filename);
  const expected = { sha256: ref.sha256 };
  const wording: MismatchWording = {
    name: ref.filename,
    source: 'the plan',
    fix: 'the file changed since it was planned or was corrupted in transit; re-run scan/plan, and report it if it persists',
  };
  if (/^https?:\/\//i.test(ref.url)) {
    const sha256 = await downloadVerified(opts.http ?? new HttpClient(), ref.url, dest, expected, { signal: opts.signal, wording });
    return { path: dest, sha256 };
  }
  const src = ref.url.startsWith('file:') ? fileURLToPath(ref.url) : ref.url;
  try {
    const { sha256 } = await copyVerified(src, dest, expected, wording);
    return { path: dest, sha256 };
  } catch (e) {
    if (e instanceof RefineryError) throw e;
    throw new RefineryError('input', `cannot read sdist ${src}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { fix: 'pass an existing sdist file' });
  }
}
