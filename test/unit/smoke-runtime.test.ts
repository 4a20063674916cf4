/**
 * The runtime packages a wheel needs, found for real: the locate script run by a real CPython on
 * this Debian machine resolves libraries as the loader does, and dpkg-query names their owners
 * (zlib1g for libz.so.1, whose file dpkg knows only by its /lib spelling on a merged /usr). The
 * package managers' answers are untrusted output: hostile lines give no package and no option.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCATE_SCRIPT, locatable, ownerCommand, ownerQueryPaths, parseLocated, parseOwners } from '../../src/stages/builder/runtime-packages.js';
import { pytoolsBin, requirePytools } from '../helpers/pytools.js';

/** This machine's multiarch library folder (Debian: /usr/lib/x86_64-linux-gnu). */
const LIBZ = 'libz.so.1';

describe('runtime packages of the libraries a wheel needs', () => {
  it('resolves libz.so.1 with the loader and dpkg-query names zlib1g (through the /lib spelling dpkg knows)', () => {
    requirePytools();
    // The CI machine is Debian (.ci/run): without dpkg-query this test cannot say anything.
    expect(existsSync('/usr/bin/dpkg-query'), 'dpkg-query (Debian) is needed').toBe(true);
    const names = [LIBZ, 'libdoes-not-exist-refinery.so.9'];
    const out = execFileSync(pytoolsBin('python'), ['-c', LOCATE_SCRIPT, JSON.stringify(names)], { encoding: 'utf8' });
    const located = parseLocated(out, names);
    expect(located.has('libdoes-not-exist-refinery.so.9')).toBe(false);
    const paths = located.get(LIBZ)!;
    expect(paths[0]).toMatch(/\/libz\.so\.1$/);
    expect(paths[1]).toMatch(/\/libz\.so\.1\.\d+/);
    const query = ownerQueryPaths('apt', paths);
    expect(query.length).toBeGreaterThan(paths.length);
    const argv = ownerCommand('apt', query)!;
    expect(argv.slice(0, 3)).toEqual(['dpkg-query', '--search', '--']);
    // dpkg-query exits 1 when some spelling is unknown, and still names the owner of the others.
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    expect(parseOwners('apt', `${r.stdout}${r.stderr}`, query)).toEqual(['zlib1g']);
  });

  it('reads only well-formed answers: other paths, options and odd names give nothing', () => {
    const q = ['/usr/lib/s390x-linux-gnu/libjpeg.so.62', '/lib/s390x-linux-gnu/libjpeg.so.62'];
    expect(
      parseOwners(
        'apt',
        [
          'libjpeg62-turbo:s390x: /usr/lib/s390x-linux-gnu/libjpeg.so.62',
          'dpkg-query: no path found matching pattern /lib/s390x-linux-gnu/libjpeg.so.62',
          '-evil:s390x: /usr/lib/s390x-linux-gnu/libjpeg.so.62',
          'other: /etc/passwd',
          'a b; rm -rf /: /usr/lib/s390x-linux-gnu/libjpeg.so.62',
          'diversion by foo from: /usr/lib/s390x-linux-gnu/libjpeg.so.62',
        ].join('\n'),
        q,
      ),
    ).toEqual(['libjpeg62-turbo']);
    expect(parseOwners('apt', 'libc6:s390x, libc6-dev:s390x: /lib/s390x-linux-gnu/libm.so.6\n', ['/lib/s390x-linux-gnu/libm.so.6'])).toEqual([
      'libc6',
      'libc6-dev',
    ]);
    // rpm with our query format; apk's own wording.
    expect(
      parseOwners('dnf', 'REFINERY-OWNER libjpeg-turbo\nfile /x is not owned by any package\nREFINERY-OWNER --root=/\n', ['/usr/lib64/libjpeg.so.62']),
    ).toEqual(['libjpeg-turbo']);
    expect(parseOwners('apk', '/usr/lib/libjpeg.so.8 is owned by libjpeg-turbo-3.0.4-r0\n/etc/x is owned by evil-1-r0\n', ['/usr/lib/libjpeg.so.8'])).toEqual([
      'libjpeg-turbo',
    ]);
    expect(parseOwners('none', 'libjpeg62-turbo: /usr/lib/libjpeg.so.62', ['/usr/lib/libjpeg.so.62'])).toEqual([]);
  });

  it('takes from the locate script only absolute, plain paths of the names it was asked about', () => {
    const names = ['libjpeg.so.62', 'libz.so.1', 'libq.so.5'];
    const line = `REFINERY-LIBS ${JSON.stringify({
      'libjpeg.so.62': ['/usr/lib/s390x-linux-gnu/libjpeg.so.62', '/usr/lib/s390x-linux-gnu/libjpeg.so.62.3.0'],
      'libz.so.1': ['relative/libz.so.1', '/usr/../etc/shadow', '/usr/lib/a b.so', 7],
      'libq.so.5': 'not a list',
      'libextra.so': ['/usr/lib/libextra.so'],
    })}`;
    const got = parseLocated(`noise\n${line}\n`, names);
    expect([...got.entries()]).toEqual([['libjpeg.so.62', ['/usr/lib/s390x-linux-gnu/libjpeg.so.62', '/usr/lib/s390x-linux-gnu/libjpeg.so.62.3.0']]]);
    expect(parseLocated('REFINERY-LIBS {not json', names).size).toBe(0);
    expect(parseLocated('REFINERY-LIBS null', names).size).toBe(0);
    expect(locatable(['libjpeg.so.62', '../../etc/passwd', '-x.so', 'a;b'])).toEqual(['libjpeg.so.62']);
  });

  it('asks each package manager without a shell, every path after --', () => {
    expect(ownerCommand('apt', ['/a'])).toEqual(['dpkg-query', '--search', '--', '/a']);
    expect(ownerCommand('dnf', ['/a'])).toEqual(['rpm', '--query', '--file', '--queryformat', 'REFINERY-OWNER %{NAME}\\n', '--', '/a']);
    expect(ownerCommand('apk', ['/a'])).toEqual(['apk', 'info', '--who-owns', '--', '/a']);
    expect(ownerCommand('none', ['/a'])).toBeUndefined();
    expect(ownerCommand('apt', [])).toBeUndefined();
    expect(ownerQueryPaths('apt', ['/lib/x/libz.so.1'])).toEqual(['/lib/x/libz.so.1', '/usr/lib/x/libz.so.1']);
    expect(ownerQueryPaths('dnf', ['/usr/lib64/libz.so.1'])).toEqual(['/usr/lib64/libz.so.1']);
  });
});
