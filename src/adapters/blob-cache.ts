/**
 * Content-addressed files in the cache: PEP 658 metadata files and distributions, stored under
 * their sha256 and never revalidated (a hash names one content forever). Every copy is hashed
 * when used, and a damaged one is replaced, never trusted.
 */
import { createHash, hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { RefineryError } from '../errors.js';
import { downloadVerified, verifyBytes } from './download.js';
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
    if (sha256Hex) {
      verifyBytes(res.body, { sha256: sha256Hex }, { name: redactUrl(url) });
      await writeFileAtomic(this.blobPath(sha256Hex), res.body, { durable: false });
    }
    return res.body;
  }

  /**
   * Path of a verified copy of a distribution in the cache, downloading (streamed, hashed on the
   * way, the size checked too when the index published it) when it is not there yet. `sha256Hex`
   * is required: content addressing is the point.
   */
  async fetchBlob(url: string, sha256Hex: string, size?: number): Promise<string> {
    if (!SHA256.test(sha256Hex)) throw new RefineryError('index', `invalid sha256 ${JSON.stringify(sha256Hex)} for ${redactUrl(url)}`);
    const path = this.blobPath(sha256Hex);
    // Re-hashed on every use: cheap next to a download, and a damaged blob is replaced, not trusted.
    if ((await exists(path)) && (await sha256File(path)) === sha256Hex) {
      this.http.noteCacheHit(url);
      return path;
    }
    await downloadVerified(this.http, url, path, { sha256: sha256Hex, size });
    return path;
  }

  /** Where a blob with this hash lives (whether or not it is there). */
  blobPath(sha256Hex: string): string {
    return join(this.dir, 'blobs', 'sha256', sha256Hex.slice(0, 2), sha256Hex);
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

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
