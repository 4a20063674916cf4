import { z } from 'zod';
import { DistFile } from './files.js';

export const INVENTORY_STATUSES = ['upstream-wheel', 'built', 'needs-build', 'no-source', 'excluded', 'known-failing'] as const;
export const InventoryStatus = z.enum(INVENTORY_STATUSES);
export type InventoryStatus = z.infer<typeof InventoryStatus>;

/** One resolved (package, version, target) and what the refinery should do about it. */
export const InventoryEntry = z.object({
  /** PEP 503 normalized name. */
  name: z.string(),
  version: z.string(),
  /** CPython minor version of the target, e.g. "3.12". */
  python: z.string(),
  /** Target id, e.g. cp312-manylinux_2_28_s390x. */
  target: z.string(),
  status: InventoryStatus,
  /** Human reason, always present: which wheel, which sdist, which rule, which attempt. */
  reason: z.string(),
  /** upstream-wheel: the chosen wheel. */
  wheel: DistFile.optional(),
  /** needs-build: the sdist to build from. */
  sdist: DistFile.optional(),
  /** excluded: the matching rule. */
  rule: z.string().optional(),
  /** built: manifest filename; known-failing: the attempt id. */
  ref: z.string().optional(),
  /** Shortest distance from a top-level requirement (0 = asked for directly). */
  depth: z.number().int().nonnegative(),
  /** Packages that pulled this one in (normalized names); empty for top-level. */
  requiredBy: z.array(z.string()),
  /** Build requirements (PEP 518) read from the sdist, for ordering builds. */
  buildRequires: z.array(z.string()).optional(),
  /** What the sdist compiles (bytes of C, C++, Cython, Fortran, Rust sources; tests and data left out), for estimates. */
  source: z
    .object({
      bytes: z.number().int().nonnegative(),
      languages: z.array(z.string()),
      /** The -sys crates of its Cargo.lock (openssl-sys): system libraries a Rust build links, for pre-flight remedies. */
      sysCrates: z.array(z.string()).optional(),
    })
    .optional(),
  /**
   * How many builds serve the targets: `abi3` (upstream ships abi3 wheels) and `none` (the
   * refinery's builds of it came out pure Python) build once for every Python; `cpython`, per Python.
   */
  abi: z.enum(['cpython', 'abi3', 'none']).optional(),
});
export type InventoryEntry = z.infer<typeof InventoryEntry>;

export const CutEntry = z.object({
  name: z.string(),
  version: z.string().optional(),
  target: z.string(),
  reason: z.string(),
});
export type CutEntry = z.infer<typeof CutEntry>;

/** Something in the input scan did not act on, said once (file relative to the config's folder). */
export const InventoryWarning = z.object({
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
});
export type InventoryWarning = z.infer<typeof InventoryWarning>;

export const Inventory = z.object({
  schema: z.literal('refinery/inventory@1'),
  generatedAt: z.string(),
  targets: z.array(z.string()),
  packages: z.array(InventoryEntry),
  /** What bounded expansion left out, and why. */
  cut: z.array(CutEntry),
  summary: z.record(z.string(), z.number()),
  /** Present when the requirements used options scan ignores (`--find-links`, `--pre`, ...). */
  warnings: z.array(InventoryWarning).optional(),
});
export type Inventory = z.infer<typeof Inventory>;
