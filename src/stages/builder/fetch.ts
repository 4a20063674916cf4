import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadVerified, sha256File } from '../../adapters/blob-cache.js';
import { HttpClient } from '../../adapters/http.js';
import { RefineryError } from '../../errors.js';

export interface SdistRef {
  filename: string;
  url: string;
  sha256?: string;
}

export { sha256File };

/**
 * Put the sdist in `destDir` and check its sha256 against the index's. `file:` URLs and plain
 * paths are copied (offline builds, tests); http(s) goes through the HTTP client, which retries
 * transient faults with backoff and caps the decoded size. A mismatch is never retried: the file
 * is not what was planned.
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
  if (/^https?:\/\//i.test(ref.url)) {
    // The one verified download: streamed and hashed, capped (limits.maxDownloadBytes), and only
    // renamed into place when whole and matching; a failure leaves no partial file.
    const sha256 = await downloadVerified(opts.http ?? new HttpClient(), ref.url, dest, ref.sha256?.toLowerCase(), opts.signal ? { signal: opts.signal } : {});
    return { path: dest, sha256 };
  }
  const tmp = `${dest}.part`;
  const src = ref.url.startsWith('file:') ? fileURLToPath(ref.url) : ref.url;
  try {
    await copyFile(src, tmp);
  } catch (e) {
    throw new RefineryError('input', `cannot read sdist ${src}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { fix: 'pass an existing sdist file' });
  }
  const sha256 = await sha256File(tmp);
  if (ref.sha256 && ref.sha256.toLowerCase() !== sha256) {
    await rm(tmp, { force: true });
    throw new RefineryError('index', `sha256 mismatch for ${ref.filename}: expected ${ref.sha256}, got ${sha256}`, {
      fix: 'the file changed since it was planned or was corrupted in transit; re-run scan/plan, and report it if it persists',
    });
  }
  await rename(tmp, dest);
  return { path: dest, sha256 };
}
