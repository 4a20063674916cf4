/**
 * A cancel (SIGTERM/SIGINT to refinery aborts the build's signal) stops the container, not just the
 * docker client: the engine no longer knows it once exec returns. Real s390x container under QEMU.
 *   DOCKER_HOST=unix:///run/refinery-docker.sock npx vitest run test/e2e/container-cancel.test.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/adapters/process.js';
import { ContainerExecutor } from '../../src/domain/executors/index.js';
import { Preset } from '../../src/domain/model/preset.js';

const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/refinery-docker.sock';
const IMAGE = process.env.REFINERY_IMAGE ?? 'refinery/debian-s390x:bookworm';
const preset = Preset.parse({ name: 'debian-local', image: IMAGE, packageManager: 'apt', python: { '3.11': '/usr/bin/python3' }, platform: 'linux' });
const executor = new ContainerExecutor({ host: DOCKER_HOST, network: 'none', hostArch: process.arch });
const problems = await executor.check(preset);
if (process.env.CI === 'true' && problems.length > 0) throw new Error(`the s390x container executor is not ready: ${JSON.stringify(problems)}`);

let work: string | undefined;
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe.runIf(problems.length === 0)('cancelling a container build', () => {
  it('removes the container and says so', async () => {
    work = await mkdtemp(join(tmpdir(), 'refinery-container-cancel-'));
    const name = `refinery-cancel-test-${randomBytes(4).toString('hex')}`;
    const session = await executor.open({ name, hostWorkDir: work, preset, maxLifetimeMs: 600_000 });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 3_000);
    const started = Date.now();
    const r = await session.exec(['sleep', '300'], { timeoutMs: 300_000, signal: controller.signal });
    clearTimeout(timer);
    await session.close();
    expect(r.killed).toBe(true);
    expect(r.tree).toMatchObject({ stopped: true, how: 'container removed' });
    expect(Date.now() - started).toBeLessThan(60_000);
    const inspect = await run('docker', ['container', 'inspect', '--', name], { env: { DOCKER_HOST }, timeoutMs: 30_000 });
    expect(inspect.exitCode).not.toBe(0);
  }, 180_000);
});
