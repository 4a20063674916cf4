import { createHash } from 'node:crypto';
import { stableJson } from '../../adapters/fs.js';

/** Everything that changes the wheel a unit produces. Same inputs, same fingerprint: no rebuild. */
export interface FingerprintInputs {
  sdistSha256: string;
  /** Image digest (or image reference when no digest is known, or `host`/`native`). */
  image: string;
  python: string;
  preset: string;
  /** Hint ids in force from the first attempt (order does not matter). */
  hints: readonly string[];
  env: Readonly<Record<string, string>>;
  /** e.g. `build==1.3.0` or `pip==24.0`. */
  frontend: string;
  /**
   * The turbo toolchain (`turbo: gcc 12.2.0-14cross1, ...`) when the first attempt compiles with
   * it; absent for emulated builds, so their fingerprints are what they were before turbo existed.
   */
  compiler?: string;
  /**
   * A distribution preset's auditwheel repair (`auditwheel==6.8.2 to manylinux_2_36_s390x`): absent
   * without one, so fingerprints of unrepaired builds are what they were before it existed.
   */
  repair?: string;
}

export function inputsFingerprint(i: FingerprintInputs): string {
  const canonical = stableJson({ ...i, hints: [...new Set(i.hints)].sort() });
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}
