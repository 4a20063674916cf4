// The pure parts of the build and record actions: the unit input, fork safety, the batch status,
// the cache keys, and the words a missing s390x binfmt handler gets on a runner.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContainerExecutor } from '../../src/domain/executors/index.js';
import { Preset } from '../../src/domain/model/preset.js';
import { RefineryError } from '../../src/errors.js';
import { pipCacheKeys, wheelCacheKey } from '../../src/faces/actions/caches.js';
import { commitRefusal } from '../../src/faces/actions/fork-safety.js';
import { batchStatus, type UnitReport } from '../../src/faces/actions/summary.js';
import { parseUnitInput } from '../../src/faces/actions/unit-input.js';
import { planUnit } from '../helpers/units.js';

describe('the unit input', () => {
  it('takes one unit or a batch of units, and refuses anything else with one input error', () => {
    const a = planUnit('a');
    const b = planUnit('b');
    expect(parseUnitInput(JSON.stringify(a)).map((u) => u.id)).toEqual(['a']);
    expect(parseUnitInput(JSON.stringify({ wave: 0, index: 3, units: [a, b] })).map((u) => u.id)).toEqual(['a', 'b']);
    const refused = (text: string) => {
      try {
        parseUnitInput(text);
      } catch (e) {
        expect(e).toBeInstanceOf(RefineryError);
        expect((e as RefineryError).code).toBe('input');
        return (e as RefineryError).message;
      }
      throw new Error('accepted');
    };
    expect(refused('{"units": []}')).toContain('no units');
    expect(refused('not json')).toContain('not JSON');
    expect(refused(JSON.stringify({ units: [a, { ...b, id: 'b/../../x' }] }))).toContain('at units.1.id');
    expect(refused(JSON.stringify({ units: ['a'] }))).toContain('at units.0');
    expect(refused(JSON.stringify({ units: [a, a] }))).toContain('twice');
  });
});

describe('fork safety', () => {
  const event = async (name: string, payload: unknown) => {
    const file = join(await mkdtemp(join(tmpdir(), 'refinery-event-')), 'event.json');
    await writeFile(file, typeof payload === 'string' ? payload : JSON.stringify(payload));
    return commitRefusal({ GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: file });
  };
  const pr = (headRepo: unknown) => ({ pull_request: { number: 5, head: { repo: headRepo }, base: { repo: { full_name: 'acme/w' } } } });

  it('lets pushes, schedules and manual runs commit', async () => {
    for (const name of ['push', 'schedule', 'workflow_dispatch', 'workflow_call']) expect(await event(name, {})).toBeUndefined();
    expect(await commitRefusal({})).toBeUndefined();
  });

  it('refuses every pull_request run, and pull_request_target runs from forks', async () => {
    expect(await event('pull_request', pr({ fork: false, full_name: 'acme/w' }))).toMatch(/read-only/);
    expect(await event('pull_request', pr({ fork: true, full_name: 'eve/w' }))).toMatch(/from eve\/w comes from a fork/);
    // A fork that says it is not one, by name, and a deleted fork (head.repo null).
    expect(await event('pull_request_target', pr({ fork: false, full_name: 'eve/w' }))).toMatch(/comes from a fork/);
    expect(await event('pull_request_target', pr(null))).toMatch(/comes from a fork/);
    expect(await event('pull_request_target', pr({ fork: false, full_name: 'acme/w' }))).toBeUndefined();
    // No readable payload: the worst case.
    expect(await event('pull_request_target', '{not json')).toMatch(/comes from a fork/);
  });
});

describe('batch status and cache keys', () => {
  const rep = (status: UnitReport['status']): UnitReport => ({ unit: planUnit(status), status });
  it('a failure wins, then a timeout, then a build; all reused is reused', () => {
    expect(batchStatus([rep('reused'), rep('built'), rep('timeout'), rep('failed')])).toBe('failed');
    expect(batchStatus([rep('reused'), rep('timeout'), rep('built')])).toBe('timeout');
    expect(batchStatus([rep('reused'), rep('built')])).toBe('built');
    expect(batchStatus([rep('reused'), rep('reused')])).toBe('reused');
  });

  it('keys name what they hold: the fingerprint; the preset, python and the batch sdists', () => {
    expect(wheelCacheKey(`sha256:${'a'.repeat(64)}`)).toBe(`refinery-wheel-v1-${'a'.repeat(64)}`);
    const u1 = planUnit('x', { sdist: { filename: 'x-1.0.tar.gz', url: 'u', sha256: '1'.repeat(64) } });
    const u2 = planUnit('y', { sdist: { filename: 'y-1.0.tar.gz', url: 'u', sha256: '2'.repeat(64) } });
    const k = pipCacheKeys([u1, u2]);
    expect(k.key).toBe(pipCacheKeys([u2, u1]).key);
    expect(k.key).not.toBe(pipCacheKeys([u1]).key);
    expect(k.restoreKeys).toEqual([`refinery-pip-v1-${process.platform}-${process.arch}-manylinux_2_28-py3.12-`]);
    expect(k.key.startsWith(k.restoreKeys[0]!)).toBe(true);
    expect(k.key.length).toBeLessThan(512);
    expect(k.key).not.toContain(',');
  });
});

describe('a runner without an s390x binfmt handler', () => {
  it('is told to add docker/setup-qemu-action with platforms: s390x', async () => {
    const preset = Preset.parse({ name: 'p', image: 'img', packageManager: 'apt', python: { '3.11': '/usr/bin/python3' }, platform: 'linux', repair: 'none' });
    const p = await new ContainerExecutor({ engine: '/nonexistent/docker', hostArch: 'x64', binfmtPath: '/nonexistent/qemu-s390x' }).check(preset);
    expect(p.find((x) => /binfmt/.test(x.what))!.fix).toContain('`uses: docker/setup-qemu-action` with `platforms: s390x`');
  });
});
