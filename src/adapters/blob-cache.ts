/**
 * Content-addressed files in the cache: PEP 658 metadata files and distributions, stored under
 * their sha256 and never revalidated (a hash names one content forever). Every copy is hashed
 * when used, and a damaged one is replaced, never trusted.
 */
import { createHash, hash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { RefineryError } from '../errors.js';
import { writeFileAtomic } from './fs.js';
import { type HttpClient, redactUrl } from './http.js';

const SHA256 = /^[0-9a-f]{64}$/;

export class BlobCache {
  constructor(
    readonly dir: string,
    private readonly http: HttpClient,
  ) {}

  /**
   * A small content-addressed file (a PEP 658 metadata file): from the cache when present, else
   * downloaded, checked against `sha256` and stored. Without a hash it is fetched every time.
   * Undefined when the server answers 404/410 (the caller may have another way to the data).
   */
  async getImmutable(url: string, sha256Hex: string | undefined): Promise<Buffer | undefined> {
    if (sha256Hex && SHA256.test(sha256Hex)) {
      const path = this.blobPath(sha256Hex);
      const existing = await readFile(path).catch(() => undefined);
      if (existing && sha256(existing) === sha256Hex) {
        this.http.noteCacheHit(url);
        return existing;
      }
    }
    const res = await this.http.get(url);
    if (res.status === 404 || res.status === 410) return undefined;
    if (res.status !== 200) {
      throw new RefineryError('index', `GET ${redactUrl(url)} answered HTTP ${res.status}`, {
        fix: 'the index listed this file but does not serve it; retry later or report it to the index operator',
      });
    }
    const got = sha256(res.body);
    if (sha256Hex) {
      if (got !== sha256Hex) throw hashMismatch(url, sha256Hex, got);
      await writeFileAtomic(this.blobPath(got), res.body, { durable: false });
    }
    return res.body;
  }

  /**
   * Path of a verified copy of a distribution in the cache, downloading (streamed, hashed on the
   * way) when it is not there yet. `sha256Hex` is required: content addressing is the point.
   */
  async fetchBlob(url: string, sha256Hex: string): Promise<string> {
    if (!SHA256.test(sha256Hex)) throw new RefineryError('index', `invalid sha256 ${JSON.stringify(sha256Hex)} for ${redactUrl(url)}`);
    const path = this.blobPath(sha256Hex);
    // Re-hashed on every use: cheap next to a download, and a damaged blob is replaced, not trusted.
    if ((await exists(path)) && (await sha256File(path)) === sha256Hex) {
      this.http.noteCacheHit(url);
      return path;
    }
    await downloadVerified(this.http, url, path, sha256Hex);
    return path;
  }

  /** Where a blob with this hash lives (whether or not it is there). */
  blobPath(sha256Hex: string): string {
    return join(this.dir, 'blobs', 'sha256', sha256Hex.slice(0, 2), sha256Hex);
  }
}

/**
 * Stream `url` to `dest` while hashing it; the file appears (atomic rename) only when the hash
 * matches, and a mismatch, a body over the client's download cap or any other failure leaves
 * nothing behind.
 */
export async function downloadVerified(
  http: HttpClient,
  url: string,
  dest: string,
  sha256Hex: string | undefined,
  opts: { signal?: AbortSignal } = {},
): Promise<string> {
  await mkdir(dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  try {
    const got = await http.stream(url, opts.signal ? { signal: opts.signal } : {}, async (res) => {
      if (res.status !== 200) {
        res.body.destroy();
        throw new RefineryError('index', `GET ${res.url} answered HTTP ${res.status}`, {
          fix: 'the index listed this file but does not serve it; retry later or report it to the index operator',
        });
      }
      const hash = createHash('sha256');
      res.body.on('data', (chunk: Buffer) => hash.update(chunk));
      await pipeline(res.body, createWriteStream(tmp));
      return hash.digest('hex');
    });
    if (sha256Hex && got !== sha256Hex) throw hashMismatch(url, sha256Hex, got);
    await rename(tmp, dest);
    return got;
  } finally {
    await rm(tmp, { force: true });
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export function sha256(data: Buffer | string): string {
  // The one-shot crypto.hash (Node >= 20.12) costs a third of createHash on small inputs.
  return hash('sha256', data, 'hex');
}

function hashMismatch(url: string, want: string, got: string): RefineryError {
  return new RefineryError('index', `sha256 mismatch for ${redactUrl(url)}: the index says ${want}, the download is ${got}`, {
    fix: 'the file was changed or corrupted in transit; retry, and report it to the index operator if it persists',
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
