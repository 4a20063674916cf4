import { z } from 'zod';

/**
 * How a unit's C, C++ and Rust code is compiled: `turbo` with the host's cross compilers running
 * natively inside the emulated s390x container (src/domain/executors/turbo.ts), or `emulated` with the
 * image's own compilers under QEMU.
 */
export const COMPILERS = ['turbo', 'emulated'] as const;
export const Compiler = z.enum(COMPILERS);
export type Compiler = z.infer<typeof Compiler>;
