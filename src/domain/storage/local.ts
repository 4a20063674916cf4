import { writeFileAtomic } from '../../adapters/fs.js';
import { readRegularFile } from '../../adapters/untrusted.js';
import { excerpt, RefineryError } from '../../errors.js';
import { isPlainName } from '../model/files.js';
import type { StorageRef } from '../state/schema.js';
import { confined, readVerified, sha256Hex, type StoredWheel, type WheelStore } from './store.js';

/**
 * Wheels in a folder: `<root>/<first 16 hex of sha256>/<filename>`. Content-addressed, so two
 * builds of the same filename with different bytes never overwrite each other. Every path is
 * resolved and checked to stay under the root (or the destination folder) before it is used.
 */
export class LocalWheelStore implements WheelStore {
  readonly kind = 'local' as const;
  constructor(readonly root: string) {}

  async put(file: string, wheel: StoredWheel): Promise<StorageRef> {
    const data = await readVerified(file, wheel);
    const location = `${wheel.sha256.slice(0, 16)}/${wheel.filename}`;
    const dest = confined(this.root, location, wheel.filename);
    // Same address: keep the stored file when it is this wheel, replace it when it is not (a torn or edited copy).
    const existing = await readRegularFile(dest, { expectBytes: data.length }).catch(() => undefined);
    if (!existing || sha256Hex(existing) !== wheel.sha256) await writeFileAtomic(dest, data);
    return { kind: 'local', location };
  }

  async get(ref: StorageRef, wheel: StoredWheel, destDir: string): Promise<string> {
    if (ref.kind !== 'local' || !ref.location || !LOCAL_LOCATION.test(ref.location) || !isPlainName(ref.location.slice(17))) {
      throw new RefineryError('state', `not a local storage reference: ${excerpt(JSON.stringify(ref), 120)}`, {
        fix: 'use the store the wheel was recorded with',
      });
    }
    const src = confined(this.root, ref.location, wheel.filename);
    const data = await readVerified(src, wheel).catch((e: unknown) => {
      if (e instanceof RefineryError && e.message.startsWith('wheel file missing')) {
        throw new RefineryError('input', `stored wheel ${excerpt(wheel.filename)} is not in ${this.root}`, {
          location: { file: src },
          fix: 'point the store at the folder the wheel was recorded into, or rebuild',
        });
      }
      throw e;
    });
    // The verified bytes, not a second read of the source.
    const dest = confined(destDir, wheel.filename, wheel.filename);
    await writeFileAtomic(dest, data);
    return dest;
  }
}

/** `<sha16>/<plain name>`, as `put` writes it. */
const LOCAL_LOCATION = /^[0-9a-f]{16}\/[^/\\]+$/;
