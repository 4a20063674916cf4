/**
 * `refinery scan` and `refinery plan` end to end through the CLI, over real distributions from
 * PyPI (examples/demo/dists) served by a real index on loopback, with uv resolving.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inventory } from '../../src/domain/model/inventory.js';
import { Plan } from '../../src/domain/model/plan.js';
import { runCli } from '../helpers/cli.js';
import { FixtureIndexServer, projectsFromDir, startStaticIndex, type RunningIndex } from '../helpers/index-server.js';
import { loopbackCertificate, startForwardProxy } from '../helpers/proxy-server.js';
import { pytoolsBin, repoRoot } from '../helpers/pytools.js';

const demo = join(repoRoot, 'examples', 'demo');
const env = { REFINERY_UV: pytoolsBin('uv') };
let server: FixtureIndexServer;
let work: string;

beforeAll(async () => {
  server = await FixtureIndexServer.start({ projects: await projectsFromDir(join(demo, 'dists')) });
  work = await mkdtemp(join(tmpdir(), 'refinery-scan-'));
});
afterAll(async () => {
  await server?.close();
});

function statusOf(inv: Inventory, name: string, python = '3.12'): string | undefined {
  return inv.packages.find((p) => p.name === name && p.python === python)?.status;
}

async function scanJson(args: string[]): Promise<Inventory> {
  const r = await runCli(
    [
      'scan',
      '--config',
      join(demo, 'refinery.yml'),
      '--index-url',
      server.url,
      '--cache-dir',
      join(work, 'cache'),
      '--state',
      join(work, 'state'),
      '--json',
      ...args,
    ],
    { env },
  );
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return Inventory.parse(JSON.parse(r.stdout));
}

describe('refinery scan classifies every resolved package per target', () => {
  it('upstream wheels, needs-build sdists and exclusions on the demo set', async () => {
    const inv = await scanJson([]);
    expect(inv.targets).toEqual(['cp312-manylinux_2_28_s390x']);
    const statuses = Object.fromEntries(inv.packages.map((p) => [p.name, p.status]));
    expect(statuses).toEqual({
      certifi: 'upstream-wheel',
      'charset-normalizer': 'upstream-wheel',
      crcmod: 'needs-build',
      docopt: 'excluded',
      idna: 'upstream-wheel',
      markupsafe: 'needs-build',
      requests: 'upstream-wheel',
      urllib3: 'upstream-wheel',
    });
    const charset = inv.packages.find((p) => p.name === 'charset-normalizer')!;
    expect(charset.wheel?.filename).toMatch(/manylinux2014_s390x\.whl$/);
    const markupsafe = inv.packages.find((p) => p.name === 'markupsafe')!;
    expect(markupsafe.sdist?.filename).toBe('markupsafe-3.0.2.tar.gz');
    expect(markupsafe.sdist?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(markupsafe.buildRequires?.some((r) => r.startsWith('setuptools'))).toBe(true);
    // What it compiles, for the plan's estimate: its C speedups, measured from the sdist's members.
    expect(markupsafe.source?.languages).toEqual(['c']);
    expect(markupsafe.source?.bytes).toBeGreaterThan(1000);
    expect(inv.packages.find((p) => p.name === 'docopt')!.reason).toMatch(/exclude 'docopt'/);
    // dependency depth and who pulled it in
    const idna = inv.packages.find((p) => p.name === 'idna')!;
    expect(idna).toMatchObject({ depth: 1, requiredBy: ['requests'] });
    expect(inv.summary).toEqual({ 'upstream-wheel': 5, 'needs-build': 2, excluded: 1 });
  });

  it('a wheel built only for cp312 does not serve 3.11, and without an sdist that is no-source', async () => {
    const inv = await scanJson(['--python', '3.11', '--python', '3.12']);
    expect(statusOf(inv, 'charset-normalizer', '3.12')).toBe('upstream-wheel');
    expect(statusOf(inv, 'charset-normalizer', '3.11')).toBe('no-source');
    expect(statusOf(inv, 'requests', '3.11')).toBe('upstream-wheel');
  });

  it('bounded expansion cuts what lies deeper than maxDepth and says why', async () => {
    const cfg = join(work, 'shallow.yml');
    await writeFile(cfg, `requirements:\n  - file: ${join(demo, 'requirements.txt')}\nexpansion:\n  maxDepth: 0\n`);
    const r = await runCli(['scan', '--config', cfg, '--index-url', server.url, '--cache-dir', join(work, 'cache'), '--state', join(work, 'state'), '--json'], {
      env,
    });
    expect(r.code).toBe(0);
    const inv = Inventory.parse(JSON.parse(r.stdout));
    expect(inv.packages.map((p) => p.name).sort()).toEqual(['crcmod', 'docopt', 'markupsafe', 'requests']);
    expect(inv.cut.map((c) => c.name).sort()).toEqual(['certifi', 'charset-normalizer', 'idna', 'urllib3']);
    expect(inv.cut[0]!.reason).toMatch(/depth 1 exceeds expansion.maxDepth 0/);
  });

  it('prints a readable table by default', async () => {
    const r = await runCli(
      ['scan', '--config', join(demo, 'refinery.yml'), '--index-url', server.url, '--cache-dir', join(work, 'cache'), '--state', join(work, 'state')],
      { env },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PACKAGE\s+VERSION\s+PYTHON\s+STATUS\s+DETAIL/);
    expect(r.stdout).toMatch(/markupsafe\s+3\.0\.2\s+3\.12\s+needs-build\s+markupsafe-3\.0\.2\.tar\.gz/);
    expect(r.stdout).toMatch(/8 package version\(s\) over 1 target\(s\)/);
  });
});

describe('refinery plan turns needs-build into a matrix', () => {
  it('--json prints matrix.include with the fields workflows read', async () => {
    const r = await runCli(
      ['plan', '--config', join(demo, 'refinery.yml'), '--index-url', server.url, '--cache-dir', join(work, 'cache'), '--state', join(work, 'state'), '--json'],
      { env },
    );
    expect(r.code).toBe(0);
    const plan = Plan.parse(JSON.parse(r.stdout));
    expect(plan.matrix.include.map((u) => u.id).sort()).toEqual(['crcmod-1.7-cp312-manylinux_2_28', 'markupsafe-3.0.2-cp312-manylinux_2_28']);
    for (const u of plan.matrix.include) {
      expect(u).toMatchObject({ python: '3.12', preset: 'manylinux_2_28', wave: 0, runner: { kind: 'qemu', labels: ['ubuntu-24.04'] } });
      expect(u.sdist.url).toContain(server.origin);
    }
    expect(plan.shards).toHaveLength(1);
  });

  it('plans from an inventory file written by scan -o', async () => {
    const inv = join(work, 'inventory.json');
    const s = await runCli(
      [
        'scan',
        '--config',
        join(demo, 'refinery.yml'),
        '--index-url',
        server.url,
        '--cache-dir',
        join(work, 'cache'),
        '--state',
        join(work, 'state'),
        '-o',
        inv,
      ],
      { env },
    );
    expect(s.code).toBe(0);
    const p = await runCli(['plan', '--config', join(demo, 'refinery.yml'), '--state', join(work, 'state'), '--inventory', inv]);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/2 unit\(s\) in 1 wave\(s\), 1 shard\(s\)/);
  });

  it('a broken inventory file is one clear error naming the file', async () => {
    const bad = join(work, 'bad-inventory.json');
    await writeFile(bad, JSON.stringify({ schema: 'refinery/inventory@1', packages: 'nope' }));
    const p = await runCli(['plan', '--inventory', bad]);
    expect(p.code).toBe(4);
    expect(p.stderr).toContain(bad);
    expect(p.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('a Python no preset has is refused at plan time', () => {
  // Every preset (shipped: 3.8-3.14 across them) is asked; the error lists what they have.
  const refused = (stderr: string) => {
    expect(stderr).toMatch(/no preset has CPython 3\.99: the presets have CPython 3\.8, 3\.9, 3\.10, 3\.11, 3\.12, 3\.13, 3\.14/);
    expect(stderr).toMatch(/targets\.python/);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it('plan --python 3.99 and run --python 3.99 stop before scanning (the index given is unreachable: a scan would fail on it instead)', async () => {
    const dead = 'http://127.0.0.1:9/simple';
    for (const cmd of ['plan', 'run']) {
      const r = await runCli(
        [
          cmd,
          '--config',
          join(demo, 'refinery.yml'),
          '--python',
          '3.99',
          '--index-url',
          dead,
          '--cache-dir',
          join(work, 'cache'),
          '--state',
          join(work, 'state-399'),
        ],
        { env },
      );
      expect(r.code, `${cmd}: ${r.stderr}`).toBe(3);
      refused(r.stderr);
      expect(r.stdout).toBe('');
    }
  });

  it('plan --inventory with targets of 3.99 is refused too, and --python 3.11 plans', async () => {
    const s = await runCli(
      [
        'scan',
        '--config',
        join(demo, 'refinery.yml'),
        '--python',
        '3.11',
        '--index-url',
        server.url,
        '--cache-dir',
        join(work, 'cache'),
        '--state',
        join(work, 'state'),
        '--json',
      ],
      { env },
    );
    expect(s.code, s.stderr).toBe(0);
    const inv = Inventory.parse(JSON.parse(s.stdout));
    expect(inv.packages.some((p) => p.status === 'needs-build')).toBe(true);
    const file = join(work, 'inventory-399.json');
    await writeFile(file, JSON.stringify({ ...inv, packages: inv.packages.map((p) => ({ ...p, python: '3.99' })) }));
    const bad = await runCli(['plan', '--config', join(demo, 'refinery.yml'), '--state', join(work, 'state'), '--inventory', file]);
    expect(bad.code).toBe(3);
    refused(bad.stderr);
    const good = join(work, 'inventory-311.json');
    await writeFile(good, JSON.stringify(inv));
    const ok = await runCli(['plan', '--config', join(demo, 'refinery.yml'), '--state', join(work, 'state'), '--inventory', good, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(Plan.parse(JSON.parse(ok.stdout)).matrix.include.every((u) => u.python === '3.11')).toBe(true);
  });
});

describe('bad input ends in one clear error and an exit code per class', () => {
  it('a malformed requirements line names file and line (exit 4)', async () => {
    const req = join(work, 'bad-req.txt');
    await writeFile(req, 'requests\nlxml >= = 5\n');
    const r = await runCli(['scan', '-r', req, '--index-url', server.url, '--cache-dir', join(work, 'cache')], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${req}:2`);
  });

  it('a package no index has is a resolution error (exit 6)', async () => {
    const r = await runCli(['scan', '-r', await reqFile('no-such-package-xyz\n'), '--index-url', server.url, '--cache-dir', join(work, 'cache')], { env });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/no-such-package-xyz/);
  });

  it('a lock file that does not pin every line is refused with its line (exit 4)', async () => {
    const cfg = join(work, 'lock.yml');
    await writeFile(cfg, `requirements:\n  - lock: ${await reqFile('requests==2.32.3\nidna>=3\n')}\n`);
    const r = await runCli(['scan', '--config', cfg, '--index-url', server.url, '--cache-dir', join(work, 'cache')], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/:2: .*must pin every requirement/);
  });

  it('a malformed config names file, line and field (exit 3)', async () => {
    const cfg = join(work, 'badcfg.yml');
    await writeFile(cfg, 'targets:\n  python: [3.12]\n');
    const r = await runCli(['scan', '--config', cfg]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${cfg}:2: targets.python.0:`);
  });

  it('an unknown flag is a usage error (exit 2)', async () => {
    const r = await runCli(['scan', '--no-such-flag']);
    expect(r.code).toBe(2);
  });
});

describe('lock files need no resolution', () => {
  it('every pinned line is classified as it is, without uv', async () => {
    const cfg = join(work, 'locked.yml');
    await writeFile(
      cfg,
      `requirements:\n  - lock: ${await reqFile('markupsafe==3.0.2\nidna==3.10 ; python_version >= "3.8"\ncertifi==2024.12.14 ; platform_machine == "x86_64"\n')}\n`,
    );
    const r = await runCli(['scan', '--config', cfg, '--index-url', server.url, '--cache-dir', join(work, 'cache'), '--json'], {
      env: { REFINERY_UV: '/nonexistent/uv', PATH: '/nonexistent' },
    });
    expect(r.stderr).toBe('');
    const inv = Inventory.parse(JSON.parse(r.stdout));
    expect(inv.packages.map((p) => `${p.name}:${p.status}`)).toEqual(['idna:upstream-wheel', 'markupsafe:needs-build']);
  });
});

describe('pip options scan does not act on are said, not dropped', () => {
  it('--find-links, --no-index and --pre in a requirements file: one warning each with file and line, also in --json', async () => {
    const dir = await mkdtemp(join(work, 'opts-'));
    await writeFile(join(dir, 'requirements.txt'), '--no-index\n-f ./wheels\n--pre\nmarkupsafe==3.0.2\n');
    await writeFile(join(dir, 'refinery.yml'), 'requirements:\n  - lock: requirements.txt\n');
    const r = await runCli(['scan', '--config', join(dir, 'refinery.yml'), '--index-url', server.url, '--cache-dir', join(work, 'cache'), '--json'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      'warning: requirements.txt:1: --no-index is ignored: scan always asks the configured indexes',
      expect.stringMatching(/^warning: requirements\.txt:2: --find-links is not searched by scan/),
      expect.stringMatching(/^warning: requirements\.txt:3: --pre is ignored/),
    ]);
    const inv = Inventory.parse(JSON.parse(r.stdout));
    expect(inv.warnings?.map((w) => `${w.file}:${w.line}`)).toEqual(['requirements.txt:1', 'requirements.txt:2', 'requirements.txt:3']);
    expect(inv.packages.map((p) => p.status)).toEqual(['needs-build']);
  });
});

describe('the page cache', () => {
  it('keeps the pages a failed scan fetched, so the next run does not fetch them again', async () => {
    const flaky = await FixtureIndexServer.start({ projects: await projectsFromDir(join(demo, 'dists')) });
    try {
      flaky.addFault({ path: '/simple/markupsafe/', fault: { kind: 'status', status: 500 }, times: Infinity });
      const cfg = join(work, 'flaky.yml');
      await writeFile(cfg, `requirements:\n  - lock: ${await reqFile('idna==3.10\nmarkupsafe==3.0.2\n')}\nindexes:\n  primary: ${flaky.url}\n`);
      const cache = join(work, 'cache-flaky');
      const args = ['scan', '--config', cfg, '--cache-dir', cache, '--json'];
      const failed = await runCli(args, { env: { REFINERY_UV: '/nonexistent/uv' } });
      expect(failed.code).not.toBe(0);
      expect(failed.stderr).toContain('/simple/markupsafe/');
      flaky.faults.length = 0;
      flaky.resetCounters();
      const ok = await runCli(args, { env: { REFINERY_UV: '/nonexistent/uv' } });
      expect(ok.code, ok.stderr).toBe(0);
      // idna's page came from the pack the failed run wrote; markupsafe's page (and its sdist, for
      // the build requirements) had never arrived.
      expect(Object.keys(flaky.counters.byPath).sort()).toEqual(['/files/markupsafe-3.0.2.tar.gz', '/simple/markupsafe/']);
    } finally {
      await flaky.close();
    }
  });
});

describe('behind a forward proxy', () => {
  it('scans an https index through HTTPS_PROXY (a CONNECT tunnel), trusting the index certificate from NODE_EXTRA_CA_CERTS', async () => {
    const tls = await loopbackCertificate();
    const secure = await FixtureIndexServer.start({ projects: await projectsFromDir(join(demo, 'dists')), tls });
    const proxy = await startForwardProxy();
    try {
      // By host name, as real indexes are named (https-proxy-agent checks an IP literal's
      // certificate against "localhost", so a bare-IP https index behind a proxy would fail).
      const index = secure.url.replace('127.0.0.1', 'localhost');
      const cfg = join(work, 'proxied.yml');
      await writeFile(cfg, `requirements:\n  - lock: ${await reqFile('markupsafe==3.0.2\nidna==3.10\n')}\nindexes:\n  primary: ${index}\n`);
      // A real process: Node reads NODE_EXTRA_CA_CERTS at start-up only.
      const r = await execa(
        process.execPath,
        [join(repoRoot, 'bin/refinery.js'), 'scan', '--config', cfg, '--cache-dir', join(work, 'cache-proxied'), '--json'],
        {
          env: { HTTPS_PROXY: proxy.url, NO_PROXY: '', no_proxy: '', NODE_EXTRA_CA_CERTS: tls.certPath, REFINERY_UV: '/nonexistent/uv' },
          reject: false,
        },
      );
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      const inv = Inventory.parse(JSON.parse(r.stdout));
      expect(inv.packages.map((p) => `${p.name}:${p.status}`)).toEqual(['idna:upstream-wheel', 'markupsafe:needs-build']);
      // Every request went through one tunnel per connection to the index, none around it.
      expect(proxy.log.length).toBeGreaterThan(0);
      expect(new Set(proxy.log)).toEqual(new Set([`CONNECT localhost:${new URL(secure.url).port}`]));
      expect(secure.log.length).toBeGreaterThanOrEqual(2);
    } finally {
      await proxy.close();
      await secure.close();
    }
  });
});

describe('works against a plain static PEP 503 tree (python -m http.server)', () => {
  let stat: RunningIndex;
  beforeAll(async () => {
    stat = await startStaticIndex(await projectsFromDir(join(demo, 'dists')));
  });
  afterAll(async () => stat?.stop());

  it('gives the same statuses as the JSON-capable server', async () => {
    const r = await runCli(
      [
        'scan',
        '--config',
        join(demo, 'refinery.yml'),
        '--index-url',
        stat.url,
        '--cache-dir',
        join(work, 'cache-static'),
        '--state',
        join(work, 'state'),
        '--json',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const inv = Inventory.parse(JSON.parse(r.stdout));
    expect(inv.summary).toEqual({ 'upstream-wheel': 5, 'needs-build': 2, excluded: 1 });
  });
});

async function reqFile(text: string): Promise<string> {
  const f = join(work, `req-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(f, text);
  return f;
}
void readFile;
