import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { RefineryError } from '../errors.js';
import type { StorageRef } from '../state/schema.js';

/** What a store needs to know about a wheel. */
export interface StoredWheel {
  filename: string;
  sha256: string;
  size: number;
}

/** Where built wheels are kept so a unit with matching inputs is fetched instead of rebuilt. */
export interface WheelStore {
  readonly kind: StorageRef['kind'];
  /** Store the wheel at `file` (idempotent: storing the same content twice gives the same ref). */
  put(file: string, wheel: StoredWheel): Promise<StorageRef>;
  /** Fetch a stored wheel into `destDir`, verify its sha256, return its path. */
  get(ref: StorageRef, wheel: StoredWheel, destDir: string): Promise<string>;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Read a wheel and check it is the one the result describes. */
export async function readVerified(file: string, wheel: StoredWheel): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (e) {
    throw new RefineryError('input', `wheel file missing: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      location: { file },
      fix: 'download the build job artifacts with the wheels next to their .result.json files',
    });
  }
  checkSha(data, wheel, file);
  return data;
}

export function checkSha(data: Uint8Array, wheel: StoredWheel, where: string): void {
  const got = sha256Hex(data);
  if (got !== wheel.sha256) {
    throw new RefineryError('input', `sha256 mismatch for ${wheel.filename}: expected ${wheel.sha256}, got ${got}`, {
      location: { file: where },
      fix: 'the wheel was changed or truncated after the build; rebuild it',
    });
  }
}
