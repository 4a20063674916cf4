/**
 * The one verified download: a distribution or metadata file fetched from an index, an sdist a
 * build fetches, a cached blob copied out. Bytes are hashed and counted as they are written to a
 * temp file beside the target, checked against the sha256 and size the index (or the plan)
 * published, and renamed into place only when whole and matching: a mismatch, a body past the
 * client's download cap (limits.maxDownloadBytes) or any other failure leaves no file behind.
 * URLs in errors are shown without their credentials.
 */
import { createHash, hash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RefineryError } from '../errors.js';
import { type HttpClient, redactUrl } from './http.js';

/** What the file must be; either may be unknown (PEP 503 pages need not publish them). */
export interface Expected {
  sha256?: string | undefined;
  size?: number | undefined;
}

export interface Verified {
  sha256: string;
  size: number;
}

/** How a mismatch is reported: the name to show and what to do. */
export interface MismatchWording {
  /** Shown in the error (default: the redacted URL or the path). */
  name?: string;
  /** Who published the expected values, e.g. `the index` or `the plan` (default: the index). */
  source?: string;
  fix?: string;
}

const DEFAULT_FIX = 'the file was changed or corrupted in transit; retry, and report it to the index operator if it persists';

/** Stream `url` through `http` to `dest`, verified (see the module comment). Returns the sha256. */
export async function downloadVerified(
  http: HttpClient,
  url: string,
  dest: string,
  expected: Expected = {},
  opts: { signal?: AbortSignal | undefined; wording?: MismatchWording } = {},
): Promise<string> {
  const shown = opts.wording?.name ?? redactUrl(url);
  const got = await placeVerified(dest, expected, { ...opts.wording, name: shown }, (tmp) =>
    http.stream(url, opts.signal ? { signal: opts.signal } : {}, async (res) => {
      if (res.status !== 200) {
        res.body.destroy();
        throw new RefineryError('index', `GET ${res.url} answered HTTP ${res.status}`, {
          fix: 'the index listed this file but does not serve it; retry later or report it to the index operator',
        });
      }
      // The whole request, this write included, is retried when the body breaks off: start afresh.
      return writeCounted(res.body, tmp);
    }),
  );
  return got.sha256;
}

/**
 * Copy a local file (an sdist given by path, a cached blob) to `dest`, verified like a download:
 * the bytes hashed are the bytes placed, whatever happens to the source meanwhile.
 */
export async function copyVerified(src: string, dest: string, expected: Expected = {}, wording: MismatchWording = {}): Promise<Verified> {
  return placeVerified(dest, expected, { ...wording, name: wording.name ?? src }, (tmp) => writeCounted(createReadStream(src), tmp));
}

/** Check bytes already in memory (a PEP 658 metadata file) against what was published. */
export function verifyBytes(data: Buffer, expected: Expected, wording: MismatchWording & { name: string }): Verified {
  // The one-shot crypto.hash: a third of createHash's cost on small inputs.
  const got = { sha256: hash('sha256', data, 'hex'), size: data.length };
  const problem = mismatch(expected, got, wording);
  if (problem) throw problem;
  return got;
}

async function placeVerified(
  dest: string,
  expected: Expected,
  wording: MismatchWording & { name: string },
  write: (tmp: string) => Promise<Verified>,
): Promise<Verified> {
  await mkdir(dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  try {
    const got = await write(tmp);
    const problem = mismatch(expected, got, wording);
    if (problem) throw problem;
    await rename(tmp, dest);
    return got;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Write `body` to a fresh `tmp`, hashing and counting what is written. */
async function writeCounted(body: Readable, tmp: string): Promise<Verified> {
  const hash = createHash('sha256');
  let size = 0;
  body.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  await pipeline(body, createWriteStream(tmp));
  return { sha256: hash.digest('hex'), size };
}

function mismatch(expected: Expected, got: Verified, wording: MismatchWording & { name: string }): RefineryError | undefined {
  const source = wording.source ?? 'the index';
  const want = expected.sha256?.toLowerCase();
  let message: string | undefined;
  if (want && got.sha256 !== want) message = `sha256 mismatch for ${wording.name}: ${source} says ${want}, the file is ${got.sha256}`;
  else if (expected.size !== undefined && got.size !== expected.size)
    message = `size mismatch for ${wording.name}: ${source} says ${expected.size} bytes, the file has ${got.size}`;
  return message ? new RefineryError('index', message, { fix: wording.fix ?? DEFAULT_FIX }) : undefined;
}
