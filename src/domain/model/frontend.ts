import { z } from 'zod';

/**
 * The PEP 517 frontend that builds the wheel: `pip wheel`, `python -m build`, or `uv build` (the
 * turbo toolchain's native uv makes the isolated build env: src/stages/builder/frontend.ts).
 */
export const FRONTENDS = ['pip', 'build', 'uv'] as const;
export const Frontend = z.enum(FRONTENDS);
export type Frontend = z.infer<typeof Frontend>;
