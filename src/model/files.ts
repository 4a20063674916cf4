import { z } from 'zod';

/** A distribution file on an index, as the index client reports it. */
export const DistFile = z.object({
  filename: z.string(),
  url: z.string(),
  /** Hex sha256 from the index, when it published one. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  size: z.number().int().nonnegative().optional(),
  requiresPython: z.string().optional(),
  /** PEP 592: false, or the reason string (possibly empty) when yanked. */
  yanked: z.union([z.literal(false), z.string()]).default(false),
  /** PEP 658/714: the metadata file exists (with its sha256 when given). */
  metadata: z.union([z.literal(false), z.object({ sha256: z.string().optional() })]).default(false),
  /** Which configured index served it (its URL). */
  index: z.string(),
});
export type DistFile = z.infer<typeof DistFile>;
