import { RefineryError } from '../../errors.js';
import type { PlanUnit, Shard } from '../../domain/model/plan.js';

/**
 * Split units into matrices GitHub accepts: at most `maxJobs` entries each (GitHub's limit is 256)
 * and a serialized matrix no larger than `maxBytes` (job outputs are capped at 1 MB in total).
 * Units of different waves never share a shard, so shards can be chained wave by wave.
 */
export function shard(units: readonly PlanUnit[], maxJobs: number, maxBytes: number): Shard[] {
  const shards: Shard[] = [];
  const waves = [...new Set(units.map((u) => u.wave))].sort((a, b) => a - b);
  for (const wave of waves) {
    let current: PlanUnit[] = [];
    let bytes = overhead;
    for (const unit of units.filter((u) => u.wave === wave)) {
      const size = Buffer.byteLength(JSON.stringify(unit)) + 1;
      if (size + overhead > maxBytes) {
        throw new RefineryError('config', `plan unit ${unit.id} alone is ${size} bytes, over the ${maxBytes}-byte output limit`, {
          location: { field: 'limits.maxOutputBytes' },
          fix: 'raise limits.maxOutputBytes (GitHub allows up to 1 MB of job outputs)',
        });
      }
      if (current.length >= maxJobs || bytes + size > maxBytes) {
        shards.push({ index: shards.length, wave, matrix: { include: current } });
        current = [];
        bytes = overhead;
      }
      current.push(unit);
      bytes += size;
    }
    if (current.length > 0) shards.push({ index: shards.length, wave, matrix: { include: current } });
  }
  return shards;
}

/** `{"include":[]}` */
const overhead = 14;
