import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnit, type BuildEvent, type BuildOptions } from '../../src/stages/builder/index.js';
import { HostExecutor } from '../../src/domain/executors/index.js';
import { loadHintCatalog, matchLog, parseHintCatalog, mergeCatalogs } from '../../src/domain/hints/index.js';
import { Preset } from '../../src/domain/model/preset.js';
import type { PlanUnit } from '../../src/domain/model/plan.js';
import { RefineryError } from '../../src/errors.js';
import { makeBackendSdist, writeTarGz } from '../fixtures/sdists/crafted.js';
import { runCli } from '../helpers/cli.js';
import { pytoolsBin, requirePytools } from '../helpers/pytools.js';

// Nothing from package names, versions, file names, hint data or logs reaches a shell, and an sdist
// that would write outside its directory or explode is refused before any build step runs.
const havePy = requirePytools();
let work: string;
const seeds = join(import.meta.dirname, '..', '..', 'seeds', 'hints.yml');
const HOSTILE = (m: string) => `x;touch ${m};$(touch ${m})\`touch ${m}\`|touch ${m}&&touch ${m}`;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-build-safety-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function unit(name: string, sdistPath: string, filename = sdistPath.split('/').pop()!): PlanUnit {
  return {
    id: `${name.replace(/[^A-Za-z0-9._-]/g, '_')}-0.1-host`,
    package: name,
    version: '0.1',
    python: 'py3',
    buildPython: '3.11',
    targets: [],
    preset: 'host',
    hints: [],
    runner: { kind: 'qemu', labels: ['local'] },
    runs_on: '"local"',
    wave: 0,
    needs: [],
    sdist: { filename, url: sdistPath },
    estimatedSeconds: 1,
    reason: 'test',
  };
}

async function opts(dir: string, extra: Partial<BuildOptions> = {}): Promise<BuildOptions & { events: BuildEvent[] }> {
  const events: BuildEvent[] = [];
  return {
    executor: new HostExecutor({ python: havePy ? pytoolsBin('python') : 'python3', hostArch: process.arch }),
    preset: Preset.parse({ name: 'host', image: 'none', packageManager: 'none', python: { '3.11': 'python3' }, platform: 'linux' }),
    catalog: await loadHintCatalog(seeds),
    outDir: join(dir, 'out'),
    workRoot: dir,
    env: { PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1' },
    skipCheck: true,
    onEvent: (e) => events.push(e),
    events,
    ...extra,
  };
}

/** Every file named PWNED anywhere under dir (a command ran where none should). */
function pwned(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.split('/').pop() === 'PWNED');
}

describe('malicious sdists are refused before any build step', () => {
  const cases: Array<[string, Parameters<typeof writeTarGz>[1], RegExp]> = [
    [
      'path traversal',
      [
        { name: 'evil-0.1/', type: 'directory' },
        { name: 'evil-0.1/../../escaped.txt', content: 'x' },
      ],
      /\.\.|outside|travers/i,
    ],
    [
      'absolute member',
      [
        { name: 'evil-0.1/', type: 'directory' },
        { name: '/tmp/refinery-absolute-escape.txt', content: 'x' },
      ],
      /absolute|outside/i,
    ],
    [
      'symlink out of the tree',
      [
        { name: 'evil-0.1/', type: 'directory' },
        { name: 'evil-0.1/link', type: 'symlink', linkname: '/etc' },
        { name: 'evil-0.1/link/evil.conf', content: 'x' },
      ],
      /link/i,
    ],
    [
      'hardlink out of the tree',
      [
        { name: 'evil-0.1/', type: 'directory' },
        { name: 'evil-0.1/passwd', type: 'link', linkname: '../../../../etc/passwd' },
      ],
      /link|outside|\.\./i,
    ],
    [
      'a link chain that climbs to / and a hardlink through it',
      [
        { name: 'evil-0.1/', type: 'directory' },
        { name: 'evil-0.1/a/', type: 'directory' },
        { name: 'evil-0.1/a/b', type: 'symlink', linkname: '../..' },
        { name: 'evil-0.1/c0', type: 'symlink', linkname: 'a/b/..' },
        ...Array.from({ length: 16 }, (_, i) => ({ name: `evil-0.1/c${i + 1}`, type: 'symlink' as const, linkname: `c${i}/..` })),
        { name: 'evil-0.1/passwd', type: 'link', linkname: 'evil-0.1/c16/etc/passwd' },
      ],
      /symlink "evil-0\.1\/c0" points outside the tree/,
    ],
    [
      'decompression bomb',
      [
        { name: 'evil-0.1/', type: 'directory' },
        { name: 'evil-0.1/zeros.bin', zeros: 300 * 1024 * 1024 },
      ],
      /bomb|ratio|expan|too large|exceed/i,
    ],
  ];
  for (const [what, members, message] of cases) {
    it(`refuses ${what} with a clear input error`, async () => {
      const dir = await mkdtemp(join(work, 'mal-'));
      const sdist = await writeTarGz(join(dir, 'evil-0.1.tar.gz'), members);
      const o = await opts(dir);
      const err = await buildUnit(unit('evil', sdist), o).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RefineryError);
      expect((err as RefineryError).code).toBe('input');
      expect((err as RefineryError).message).toMatch(message);
      // Only the attempt-start event: no session was opened, no command ran.
      expect(o.events.filter((e) => e.type !== 'attempt-start')).toEqual([]);
      expect(existsSync(join(dir, 'escaped.txt'))).toBe(false);
      expect(existsSync('/tmp/refinery-absolute-escape.txt')).toBe(false);
      expect(existsSync('/etc/evil.conf')).toBe(false);
      // The scratch work directory is gone.
      expect(readdirSync(dir).filter((f) => f.startsWith('refinery-'))).toEqual([]);
    }, 120_000);
  }

  it('refuses an sdist without a single top-level directory', async () => {
    const dir = await mkdtemp(join(work, 'flat-'));
    const sdist = await writeTarGz(join(dir, 'flat-0.1.tar.gz'), [
      { name: 'setup.py', content: 'x' },
      { name: 'other.py', content: 'y' },
    ]);
    await expect(buildUnit(unit('flat', sdist), await opts(dir))).rejects.toThrow(/exactly one top-level directory/);
  });
});

describe.runIf(havePy)('shell metacharacters never reach a shell', () => {
  it('in the sdist file name, its directory, hint env values and the build log', async () => {
    const dir = await mkdtemp(join(work, 'meta-'));
    await mkdir(join(dir, 'src'));
    const name = 'metachar';
    const sdist = await makeBackendSdist(
      join(dir, 'src'),
      name,
      `import os, sys\nprint(${JSON.stringify(HOSTILE('PWNED'))})\nprint("ENV=" + os.environ.get("HOSTILE_ENV", "unset"))\nif os.environ.get("HOSTILE_ENV") is None:\n    print("meta.c:1:10: fatal error: hostile.h: No such file or directory")\n    sys.exit(1)\n`,
      { filename: `${HOSTILE('PWNED')}.tar.gz` },
    );
    const catalog = mergeCatalogs(
      await loadHintCatalog(seeds),
      parseHintCatalog(
        `version: 1\nhints:\n  - id: hostile\n    class: missing-system-lib\n    description: d\n    priority: 90\n    match: [{ pattern: "hostile\\\\.h: No such file" }]\n    remedy: { any: { env: { HOSTILE_ENV: ${JSON.stringify(HOSTILE('PWNED'))} } } }\n`,
        'hostile.yml',
      ),
    );
    const o = await opts(dir, { catalog });
    // The unit's package name is hostile too: it reaches the build as data, and at the end the wheel
    // (named for the sdist's real project) is refused as not being a wheel of that name.
    const u = unit(`meta$(touch PWNED)`, sdist);
    await expect(buildUnit(u, o)).rejects.toMatchObject({ code: 'build', message: expect.stringContaining('which is not a wheel of meta$(touch PWNED) 0.1') });
    const log = await readFile(join(o.outDir, `${u.id}.log`), 'utf8');
    // The hint matched the first attempt's log and the second attempt built with it.
    expect(log).toMatch(/===== attempt 2 \(hints: hostile\) =====[\s\S]*Successfully built/);
    // The hostile text arrived verbatim, as data.
    expect(log).toContain(HOSTILE('PWNED'));
    expect(log).toContain(`ENV=${HOSTILE('PWNED')}`);
    expect(pwned(dir)).toEqual([]);
    expect(pwned(process.cwd())).toEqual([]);
    // Classifying that log runs no command either.
    expect(matchLog(catalog, log).length).toBeGreaterThan(0);
    expect(pwned(dir)).toEqual([]);
  }, 120_000);

  it('in --package, refused before anything runs', async () => {
    const dir = await mkdtemp(join(work, 'cli-'));
    for (const spec of [
      `six==1.16.0;touch PWNED`,
      `six$(touch PWNED)==1.16.0`,
      'six==`touch PWNED`',
      'six==1.16.0 && touch PWNED',
      'six==1.16.0|touch PWNED',
    ]) {
      const r = await runCli(['build', '--package', spec, '--executor', 'host'], { cwd: dir });
      expect(r.code, spec).toBe(2);
      expect(r.stderr).toMatch(/is not NAME==VERSION/);
    }
    expect(pwned(dir)).toEqual([]);
  });
});
