import { z } from 'zod';

/** A distribution file on an index, as the index client reports it. */
export const DistFile = z.object({
  filename: z.string(),
  url: z.string(),
  /** Hex sha256 from the index, when it published one. */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
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

/**
 * A name that becomes one path segment (a wheel, a log, a unit id, a version): no folder separator,
 * no `..`, no control character, at most 255 bytes, so joining it to a folder stays in that folder.
 * Results come from build jobs that ran someone's build code, and state files can be hand-edited:
 * both are checked with this before a name is used as a path.
 */
export const PLAIN_NAME_MESSAGE = "a plain file name (no '/', '\\\\', '..' or control characters, at most 255 bytes)";
// eslint-disable-next-line no-control-regex
export const PLAIN_NAME = /^(?!\.$)(?!.*\.\.)[^/\\\u0000-\u001f\u007f-\u009f]+$/u;
export function isPlainName(s: string): boolean {
  return PLAIN_NAME.test(s) && Buffer.byteLength(s) <= 255;
}
export const PlainName = z
  .string()
  .regex(PLAIN_NAME, PLAIN_NAME_MESSAGE)
  .refine((s) => Buffer.byteLength(s) <= 255, PLAIN_NAME_MESSAGE);
