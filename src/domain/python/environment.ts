/** The PEP 508 marker environment of a CPython target on Linux s390x. */
import type { MarkerEnvironment } from './marker-ast.js';

/**
 * Default patch level per minor version, used for `python_full_version` when the caller does not
 * give one: the newest patch release known when this table was written. Markers on full versions
 * are rare; pass `fullVersion` to be exact (e.g. the interpreter in a build image).
 */
export const DEFAULT_PATCH: Readonly<Record<string, string>> = {
  '3.8': '3.8.20',
  '3.9': '3.9.25',
  '3.10': '3.10.19',
  '3.11': '3.11.14',
  '3.12': '3.12.12',
  '3.13': '3.13.9',
  '3.14': '3.14.0',
};

export interface MarkerEnvironmentOptions {
  /** CPython minor version, e.g. "3.12". */
  python: string;
  /** e.g. "3.12.4"; defaults to DEFAULT_PATCH[python] or "<python>.0". */
  fullVersion?: string;
  /** `platform.release()`, the kernel; unknown for a target, so empty unless given. */
  platformRelease?: string;
  /** `platform.version()`; empty unless given. */
  platformVersion?: string;
  /** Only for lock-file evaluation (`extras`, `dependency_groups` variables). */
  extras?: readonly string[];
  dependencyGroups?: readonly string[];
}

/** Marker variables for CPython on Linux s390x. The platform policy does not change any of them. */
export function markerEnvironment(opts: MarkerEnvironmentOptions): MarkerEnvironment {
  const full = opts.fullVersion ?? DEFAULT_PATCH[opts.python] ?? `${opts.python}.0`;
  return {
    implementation_name: 'cpython',
    implementation_version: full,
    os_name: 'posix',
    platform_machine: 's390x',
    platform_release: opts.platformRelease ?? '',
    platform_system: 'Linux',
    platform_version: opts.platformVersion ?? '',
    python_full_version: full,
    platform_python_implementation: 'CPython',
    python_version: opts.python,
    sys_platform: 'linux',
    ...(opts.extras ? { extras: opts.extras } : {}),
    ...(opts.dependencyGroups ? { dependency_groups: opts.dependencyGroups } : {}),
  };
}
