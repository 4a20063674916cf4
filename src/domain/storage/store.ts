import { createHash } from 'node:crypto';
import { resolve, sep } from 'node:path';
import { FileRefusedError, readRegularFile } from '../../adapters/untrusted.js';
import { excerpt, printablePath, RefineryError } from '../../errors.js';
import { isPlainName } from '../model/files.js';
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

/** Largest wheel read by default (GitHub's limit for a release asset). */
export const DEFAULT_MAX_WHEEL_BYTES = 2 * 1024 ** 3;

/**
 * Read a wheel and check it is the one the result describes: a regular file (never through a link,
 * never a FIFO or device), of exactly `wheel.size` bytes (checked before reading, under
 * `maxBytes`), with `wheel.sha256`. Every move of a wheel (record, a store) reads it through here.
 */
export async function readVerified(file: string, wheel: StoredWheel, maxBytes = DEFAULT_MAX_WHEEL_BYTES): Promise<Buffer> {
  const where = printablePath(file);
  checkWheelSize(file, wheel, maxBytes);
  let data: Buffer;
  try {
    data = await readRegularFile(file, { maxBytes, expectBytes: wheel.size });
  } catch (e) {
    if (e instanceof FileRefusedError) {
      throw new RefineryError('input', `the wheel ${e.message}`, {
        location: { file: where },
        fix:
          e.reason === 'size'
            ? 'the wheel was changed or truncated after the build; rebuild it'
            : 'wheels are regular files written by refinery build; rebuild it',
      });
    }
    throw new RefineryError('input', `wheel file missing: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      location: { file: where },
      fix: 'download the build job artifacts with the wheels next to their .result.json files',
    });
  }
  checkSha(data, wheel, file);
  return data;
}

/** Refuse a wheel whose result says it is larger than `maxBytes`, before anything is read. */
export function checkWheelSize(file: string, wheel: StoredWheel, maxBytes: number): void {
  if (wheel.size > maxBytes) {
    throw new RefineryError('input', `wheel ${excerpt(wheel.filename)} is said to be ${wheel.size} bytes, over the cap of ${maxBytes}`, {
      location: { file: printablePath(file) },
      fix: 'a wheel this large is refused; raise the wheel size cap if it is real',
    });
  }
}

export function checkSha(data: Uint8Array, wheel: StoredWheel, where: string): void {
  const got = sha256Hex(data);
  if (got !== wheel.sha256) {
    throw new RefineryError('input', `sha256 mismatch for ${excerpt(wheel.filename)}: expected ${wheel.sha256}, got ${got}`, {
      location: { file: printablePath(where) },
      fix: 'the wheel was changed or truncated after the build; rebuild it',
    });
  }
}

/** `rel` under `root`, resolved, with `name` (its last part) a plain name; a RefineryError when it would land anywhere else. */
export function confined(root: string, rel: string, name: string): string {
  const base = resolve(root);
  const path = resolve(base, rel);
  if (!isPlainName(name) || !path.startsWith(`${base}${sep}`)) {
    throw new RefineryError('input', `refused a wheel path outside ${base}: ${excerpt(rel)}`, { fix: 'wheel filenames are plain names; rebuild the wheel' });
  }
  return path;
}

/** Check downloaded or copied bytes against the wheel's size and sha256. */
export function checkWheelData(data: Uint8Array, wheel: StoredWheel, where: string): void {
  if (data.length !== wheel.size) {
    throw new RefineryError('input', `the wheel ${excerpt(wheel.filename)} holds ${data.length} bytes, expected ${wheel.size}`, {
      location: { file: printablePath(where) },
      fix: 'the wheel was changed or truncated after the build; rebuild it',
    });
  }
  checkSha(data, wheel, where);
}
