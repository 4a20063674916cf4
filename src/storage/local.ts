import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../adapters/fs.js';
import { RefineryError } from '../errors.js';
import type { StorageRef } from '../state/schema.js';
import { checkSha, readVerified, type StoredWheel, type WheelStore } from './store.js';

/**
 * Wheels in a folder: `<root>/<first 16 hex of sha256>/<filename>`. Content-addressed, so two
 * builds of the same filename with different bytes never overwrite each other.
 */
export class LocalWheelStore implements WheelStore {
  readonly kind = 'local' as const;
  constructor(readonly root: string) {}

  async put(file: string, wheel: StoredWheel): Promise<StorageRef> {
    const data = await readVerified(file, wheel);
    const location = `${wheel.sha256.slice(0, 16)}/${wheel.filename}`;
    const dest = join(this.root, location);
    const existing = await readFile(dest).catch(() => undefined);
    if (!existing || existing.length !== data.length) await writeFileAtomic(dest, data);
    return { kind: 'local', location };
  }

  async get(ref: StorageRef, wheel: StoredWheel, destDir: string): Promise<string> {
    if (ref.kind !== 'local' || !ref.location || ref.location.split('/').includes('..')) {
      throw new RefineryError('state', `not a local storage reference: ${JSON.stringify(ref)}`, { fix: 'use the store the wheel was recorded with' });
    }
    const src = resolve(this.root, ref.location);
    const data = await readFile(src).catch(() => undefined);
    if (!data) {
      throw new RefineryError('input', `stored wheel ${wheel.filename} is not in ${this.root}`, {
        location: { file: src },
        fix: 'point the store at the folder the wheel was recorded into, or rebuild',
      });
    }
    checkSha(data, wheel, src);
    await mkdir(destDir, { recursive: true });
    const dest = join(destDir, wheel.filename);
    await copyFile(src, dest);
    return dest;
  }
}
