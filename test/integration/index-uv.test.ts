/**
 * The fixture index is a real index for third-party clients too: uv (the project's resolver)
 * resolves against it for an s390x target, reading PEP 691 pages and PEP 658 metadata files.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/adapters/process.js';
import { ensureFixtureDists } from '../helpers/fixtures.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { pytoolsBin, repoRoot } from '../helpers/pytools.js';

const runSuite = existsSync(join(repoRoot, '.cache', 'pytools', 'bin', 'uv')) || process.env.CI === 'true';

describe.skipIf(!runSuite)('uv against the fixture index', () => {
  let server: FixtureIndexServer;
  let work: string;

  beforeAll(async () => {
    const { dir } = await ensureFixtureDists();
    server = await FixtureIndexServer.start({ projects: await projectsFromDir(dir) });
    work = await mkdtemp(join(tmpdir(), 'refinery-uv-'));
  });
  afterAll(async () => {
    await server?.close();
    await rm(work, { recursive: true, force: true });
  });

  async function compile(requirements: string): Promise<{ exitCode: number; out: string }> {
    const req = join(work, 'requirements.in');
    await writeFile(req, requirements);
    const args = [
      'pip',
      'compile',
      '--no-cache',
      '--no-config',
      '--no-build',
      '--no-header',
      '--python-platform',
      's390x-manylinux_2_17',
      '--python-version',
      '3.12',
      '--index-url',
      server.url,
      req,
    ];
    // No managed-Python download attempts: only PyPI/npm are reachable here, and CI needs none.
    const r = await run(pytoolsBin('uv'), args, { env: { UV_PYTHON_DOWNLOADS: 'never', UV_NO_CONFIG: '1' }, timeoutMs: 120_000 });
    return { exitCode: r.exitCode, out: r.all };
  }

  it('resolves requests, PyYAML and cffi to the s390x wheels and pure wheels served', async () => {
    const { exitCode, out } = await compile('requests\nPyYAML\ncffi\n');
    expect(exitCode, out).toBe(0);
    for (const pin of [
      'pyyaml==6.0.2',
      'cffi==1.17.1',
      'pycparser==2.22',
      'charset-normalizer==3.4.1',
      'requests==2.32.3',
      'idna==3.10',
      'urllib3==2.3.0',
      'certifi==2025.1.31',
    ]) {
      expect(out).toContain(pin);
    }
    // Dependencies came from PEP 658 metadata files, not from downloading the wheels.
    expect(server.counters.byPath['/files/requests-2.32.3-py3-none-any.whl.metadata']).toBeGreaterThan(0);
    expect(server.counters.byPath['/files/requests-2.32.3-py3-none-any.whl']).toBeUndefined();
  });

  it('finds no usable s390x wheel for MarkupSafe 3.0.2 (x86_64 wheel and sdist only)', async () => {
    const { exitCode, out } = await compile('MarkupSafe\n');
    expect(exitCode).not.toBe(0);
    expect(out.toLowerCase()).toContain('markupsafe==3.0.2 has no usable wheels');
  });
});
