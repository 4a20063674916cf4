import type { AppliedRemedy } from '../../domain/hints/remedy.js';
import type { PackageManager } from '../../domain/model/preset.js';
import { byCodePoint } from '../../domain/model/order.js';

export type Frontend = 'pip' | 'build';

/** Build command (argv) for a PEP 517 frontend. Paths are executor-side. */
export function frontendCommand(
  frontend: Frontend,
  python: string,
  o: { srcDir: string; outDir: string; isolation: boolean; configSettings: Readonly<Record<string, string>> },
): string[] {
  const settings = Object.entries(o.configSettings).sort(([a], [b]) => byCodePoint(a, b));
  if (frontend === 'build') {
    return [
      python,
      '-m',
      'build',
      '--wheel',
      '--outdir',
      o.outDir,
      ...(o.isolation ? [] : ['--no-isolation']),
      ...settings.map(([k, v]) => `--config-setting=${k}=${v}`),
      o.srcDir,
    ];
  }
  return [
    // --verbose keeps the backend's output in the log even when the build succeeds.
    python,
    '-m',
    'pip',
    'wheel',
    '--verbose',
    '--no-deps',
    '--wheel-dir',
    o.outDir,
    ...(o.isolation ? [] : ['--no-build-isolation']),
    ...settings.map(([k, v]) => `--config-settings=${k}=${v}`),
    o.srcDir,
  ];
}

/** Commands that install system packages; names were validated by the hint schema. */
export function installCommands(pm: PackageManager, packages: readonly string[]): { install: string[]; refresh?: string[] } | undefined {
  if (packages.length === 0) return undefined;
  switch (pm) {
    case 'apt':
      return { install: ['apt-get', 'install', '-y', '--no-install-recommends', ...packages], refresh: ['apt-get', 'update'] };
    case 'dnf':
      return { install: ['dnf', 'install', '-y', ...packages] };
    case 'yum':
      return { install: ['yum', 'install', '-y', ...packages] };
    case 'apk':
      return { install: ['apk', 'add', '--no-cache', ...packages] };
    case 'none':
      return undefined;
  }
}

/** Whether the build runs isolated: a remedy can force it; preinstalled requirements need it off. */
export function useIsolation(defaultIsolation: boolean, r: AppliedRemedy): boolean {
  if (r.preinstall.length > 0) return false;
  return r.buildIsolation ?? defaultIsolation;
}
