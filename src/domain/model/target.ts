import { z } from 'zod';

/** Platform policies a target can follow on s390x. manylinux_2_28 is cibuildwheel's default image. */
export const PLATFORM_POLICIES = ['manylinux_2_28', 'manylinux2014', 'manylinux_2_34', 'musllinux_1_2', 'linux'] as const;
export const PlatformPolicy = z.enum(PLATFORM_POLICIES);
export type PlatformPolicy = z.infer<typeof PlatformPolicy>;

export const PythonVersion = z.string().regex(/^3\.\d{1,2}$/, 'a CPython minor version such as "3.12"');

/** One build target: a CPython minor version on s390x under a platform policy. */
export const Target = z.object({
  python: PythonVersion,
  platform: PlatformPolicy,
  arch: z.literal('s390x').default('s390x'),
});
export type Target = z.infer<typeof Target>;

/** Stable id, e.g. `cp312-manylinux_2_28_s390x`. */
export function targetId(t: Target): string {
  return `cp${t.python.replace('.', '')}-${t.platform}_${t.arch}`;
}

/** `3.12` -> `cp312` */
export function cpTag(python: string): string {
  return `cp${python.replace('.', '')}`;
}

/** The glibc or musl version a policy guarantees, used for tag compatibility. */
export function policyLibc(p: PlatformPolicy): { libc: 'glibc' | 'musl'; major: number; minor: number } {
  switch (p) {
    case 'manylinux2014':
      return { libc: 'glibc', major: 2, minor: 17 };
    case 'manylinux_2_28':
      return { libc: 'glibc', major: 2, minor: 28 };
    case 'manylinux_2_34':
      return { libc: 'glibc', major: 2, minor: 34 };
    case 'musllinux_1_2':
      return { libc: 'musl', major: 1, minor: 2 };
    case 'linux':
      // A plain distro build: glibc of the distro; we assume no manylinux promise.
      return { libc: 'glibc', major: 2, minor: 0 };
  }
}
