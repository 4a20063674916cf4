// placeholder replaced below once the requirements-file parser lands
export interface RequirementSet {
  /** Top-level PEP 508 requirement strings. */
  requirements: string[];
  constraints: string[];
  /** Set when every source is a lock: pins used as they are, no resolution. */
  locked?: import('./resolve.js').ResolvedLine[];
  /** Index options found in requirements files (flags and config win over them). */
  indexUrl?: string;
  extraIndexUrls: string[];
}
