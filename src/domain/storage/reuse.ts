import { findReusable } from '../state/queries.js';
import type { ManifestEntry } from '../state/schema.js';
import type { State } from '../state/types.js';
import type { WheelStore } from './store.js';

export interface Reused {
  entry: ManifestEntry;
  /** The fetched wheel. */
  path: string;
  /** One line for the user: why this unit is not rebuilt. */
  reason: string;
}

/**
 * Cache reuse: when a wheel built from exactly these inputs is recorded and stored, fetch it into
 * `destDir` instead of building. Undefined when there is none, or when it lives in another kind
 * of store than the ones given.
 */
export async function reuseWheel(state: State, fingerprint: string, stores: readonly WheelStore[], destDir: string): Promise<Reused | undefined> {
  const entry = findReusable(state, fingerprint);
  if (!entry) return undefined;
  const store = stores.find((s) => s.kind === entry.storage.kind);
  if (!store) return undefined;
  const path = await store.get(entry.storage, entry, destDir);
  return {
    entry,
    path,
    reason: `reused ${entry.filename}: built ${entry.builtAt} from the same inputs (${fingerprint.slice(0, 19)}), stored in ${entry.storage.kind}`,
  };
}
