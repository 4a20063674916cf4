/**
 * What the image has installed already, read from the package manager's own query: a remedy the
 * image satisfies (a predicted hint whose packages are there) is not installed again. The apt form
 * runs the real dpkg-query of this (Debian) machine; the s390x image's is in test/e2e/build-s390x.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/adapters/process.js';
import { installedQuery } from '../../src/stages/builder/frontend.js';

describe('installedQuery', () => {
  it("apt: dpkg-query's answer for an installed package, a missing one and one removed with its config left", async () => {
    const q = installedQuery('apt', ['dpkg', 'refinery-no-such-package'])!;
    expect(q.argv.slice(0, 3)).toEqual(['dpkg-query', '-W', '-f=${Package} ${db:Status-Abbrev}\n']);
    const r = await run(q.argv[0]!, q.argv.slice(1));
    // dpkg-query exits 1 when a name is unknown; the installed ones are still printed.
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain('no packages found matching refinery-no-such-package');
    expect([...q.installed(r.all)]).toEqual(['dpkg']);
    // "rc": removed, configuration files left: not installed.
    expect([...installedQuery('apt', ['libfoo-dev'])!.installed('libfoo-dev rc \n')]).toEqual([]);
  });

  it('rpm and apk print the names they have; their "not installed" lines and names not asked for count for nothing', () => {
    const rpm = installedQuery('dnf', ['gcc-c++', 'cmake'])!;
    expect(rpm.argv).toEqual(['rpm', '-q', '--qf', '%{NAME}\n', 'gcc-c++', 'cmake']);
    expect([...rpm.installed('gcc-c++\npackage cmake is not installed\nbash\n')]).toEqual(['gcc-c++']);
    const apk = installedQuery('apk', ['g++', 'samurai'])!;
    expect([...apk.installed('g++\n')]).toEqual(['g++']);
  });

  it('asks nothing where there is no package manager or nothing to install', () => {
    expect(installedQuery('none', ['gcc'])).toBeUndefined();
    expect(installedQuery('apt', [])).toBeUndefined();
  });
});
