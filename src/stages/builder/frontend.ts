import type { AppliedRemedy } from '../../domain/hints/remedy.js';
import type { PackageManager } from '../../domain/model/preset.js';
import { byCodePoint } from '../../domain/model/order.js';

import type { Frontend } from '../../domain/model/frontend.js';

export { FRONTENDS, Frontend } from '../../domain/model/frontend.js';

/**
 * Build command (argv) for a PEP 517 frontend. Paths are executor-side; `uv` is the uv program
 * (the turbo toolchain's, or `uv` on the session's PATH).
 */
export function frontendCommand(
  frontend: Frontend,
  python: string,
  o: { srcDir: string; outDir: string; isolation: boolean; configSettings: Readonly<Record<string, string>>; uv?: string },
): string[] {
  const settings = Object.entries(o.configSettings).sort(([a], [b]) => byCodePoint(a, b));
  if (frontend === 'uv') {
    // --no-sources: build requirements come from the indexes, as pip takes them, never from a
    // [tool.uv.sources] table the sdist carries (uv.toml and [tool.uv] are off by UV_NO_CONFIG).
    return [
      o.uv ?? 'uv',
      'build',
      '--wheel',
      '--no-sources',
      '--python',
      python,
      '--out-dir',
      o.outDir,
      ...(o.isolation ? [] : ['--no-build-isolation']),
      ...settings.map(([k, v]) => `--config-setting=${k}=${v}`),
      o.srcDir,
    ];
  }
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

/**
 * A query for which of `packages` the image has installed already (argv), and how to read its
 * output: a remedy the image already satisfies (a predicted pkg-config where pkg-config is there)
 * then costs one query, not an install and a package-list refresh under QEMU.
 */
export function installedQuery(pm: PackageManager, packages: readonly string[]): { argv: string[]; installed: (output: string) => Set<string> } | undefined {
  if (packages.length === 0) return undefined;
  const named = (re: RegExp) => (output: string) => {
    const out = new Set<string>();
    for (const line of output.split('\n')) {
      const name = re.exec(line.trim())?.[1];
      if (name && packages.includes(name)) out.add(name);
    }
    return out;
  };
  switch (pm) {
    case 'apt':
      // "gcc ii ": the second status letter i is "installed"; missing names go to stderr.
      return { argv: ['dpkg-query', '-W', '-f=${Package} ${db:Status-Abbrev}\n', ...packages], installed: named(/^(\S+) [a-z]i\s*$/) };
    case 'dnf':
    case 'yum':
      // rpm -q prints the name of each installed one, "package X is not installed" for the rest.
      return { argv: ['rpm', '-q', '--qf', '%{NAME}\n', ...packages], installed: named(/^(\S+)$/) };
    case 'apk':
      return { argv: ['apk', 'info', '-e', ...packages], installed: named(/^(\S+)$/) };
    case 'none':
      return undefined;
  }
}

/** Whether the build runs isolated: a remedy can force it; preinstalled requirements need it off. */
export function useIsolation(defaultIsolation: boolean, r: AppliedRemedy): boolean {
  if (r.preinstall.length > 0) return false;
  return r.buildIsolation ?? defaultIsolation;
}
