// `npm run demo`: the refinery's main job end to end on a bundled example. It serves
// examples/demo/dists (real sdists and wheels from PyPI) as a static PEP 503 index on loopback,
// scans examples/demo/requirements.txt for CPython 3.11 on s390x, plans the builds, builds them
// (in the local s390x container under QEMU when this machine has one, else on the host executor,
// said so), records the results, publishes the site, pip-installs a built wheel from it, and says
// where to open the dashboard. Nothing leaves this machine except uv's first install.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const work = join(root, '.refinery-demo');
const say = (s) => process.stdout.write(`\n\x1b[1m== ${s}\x1b[0m\n`);
const DEMO_PORT = 8765; // examples/demo/refinery-s390x-local.yml's index: builds take their build requirements from it
const SOCKET = '/run/refinery-docker.sock';

// uv (the resolver) as `refinery scan` finds it: REFINERY_UV, PATH, or the pinned uv the refinery
// installs once into its cache folder. The demo's own index is loopback-only, so uv comes from PyPI.
async function findUv() {
  const { locateUv } = await import(join(root, 'dist/lib.js'));
  return locateUv({
    env: process.env,
    cacheDir: join(root, '.cache', 'refinery'),
    indexes: [{ url: 'https://pypi.org/simple' }],
    install: true,
    httpOptions: { env: process.env },
    notice: (m) => say(m),
  });
}

async function serve(dir, port) {
  const server = spawn('python3', ['-u', '-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  const got = await new Promise((ok, fail) => {
    let out = '';
    const onData = (d) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) ok(Number(m[1]));
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', (d) => {
      log.push(...String(d).split('\n').filter(Boolean));
      onData(d);
    });
    server.on('exit', (code) => fail(new Error(`http.server on port ${port} exited (${code}): ${out}${port ? ` (is port ${port} in use?)` : ''}`)));
    setTimeout(() => fail(new Error('http.server did not start')), 10_000);
  });
  return { url: `http://127.0.0.1:${got}`, log, stop: () => server.kill() };
}

const env = { ...process.env };
if (!env.DOCKER_HOST && existsSync(SOCKET)) env.DOCKER_HOST = `unix://${SOCKET}`;

function refinery(args, opts = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin/refinery.js'), ...args], {
    stdio: opts.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: { ...env, REFINERY_UV: uv },
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`refinery ${args[0]} exited with ${r.status}${opts.capture ? `: ${r.stderr}` : ''}`);
  return r;
}

if (!existsSync(join(root, 'dist/cli.js'))) throw new Error('dist/ is missing: run npm run build');
const uv = await findUv();
for (const d of ['index', 'state', 'wheelhouse', 'store', 'site', 'pip-target', 'units']) rmSync(join(work, d), { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const { writeSimpleIndex } = await import(join(root, 'dist/lib.js'));
const written = await writeSimpleIndex(join(root, 'examples/demo/dists'), join(work, 'index'));
const index = await serve(join(work, 'index'), DEMO_PORT);
let site;
try {
  const config = 'examples/demo/refinery-s390x-local.yml';
  say(`local index: ${written.files} real distributions of ${written.projects} projects at ${index.url}/simple`);
  say('refinery scan: what has an s390x wheel, what needs building');
  refinery(['scan', '--config', config, '-o', '.refinery-demo/inventory.json']);
  say('refinery plan: the GitHub Actions matrix');
  refinery(['plan', '--config', config, '--inventory', '.refinery-demo/inventory.json', '-o', '.refinery-demo/plan.json']);
  const plan = JSON.parse(readFileSync(join(work, 'plan.json'), 'utf8'));
  const units = plan.matrix.include;

  // Where to build: the s390x container under QEMU when engine, binfmt handler and image are here.
  const check = refinery(['build', '--check', '--config', config, '--executor', 'container', '--network', 'host'], { capture: true, allowFail: true });
  const container = check.status === 0;
  const executorArgs = container ? ['--executor', 'container', '--network', 'host'] : ['--executor', 'host'];
  if (container) say(`refinery build: ${units.length} unit(s) in refinery/debian-s390x:bookworm under QEMU (a few minutes)`);
  else {
    const why = (check.stderr || check.stdout).split('\n').find((l) => l.trim()) ?? 'no s390x container';
    say(
      `no s390x container here (${why.replace(/^refinery: error: /, '').slice(0, 160)}): scripts/setup-s390x-env.sh would add QEMU binfmt, a Docker engine and the refinery/debian-s390x:bookworm image. Building on the HOST executor instead: the wheels are for this machine, not s390x, and recorded as executor: host`,
    );
  }
  mkdirSync(join(work, 'units'), { recursive: true });
  for (const u of units) {
    const file = join(work, 'units', `${u.id}.json`);
    writeFileSync(file, JSON.stringify(u));
    say(`refinery build ${u.package} ${u.version} (${u.id})`);
    // A failed build is a result too: record keeps it, the dashboard shows it.
    refinery(['build', '--config', config, '--unit', file, '--out', '.refinery-demo/wheelhouse', ...executorArgs], { allowFail: true });
  }
  say('refinery record: results into the state, wheels into a local store');
  refinery(['record', '--config', config, '--results', '.refinery-demo/wheelhouse', '--store', 'local:.refinery-demo/store']);
  say('refinery publish: the static site (pip index, dashboard, API, metrics, exports)');
  refinery(['publish', '--config', config, '--out', '.refinery-demo/site', '--store', 'local:.refinery-demo/store']);

  site = await serve(join(work, 'site'), 0);
  const wheels = readdirSync(join(work, 'site', 'simple'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  if (wheels.length === 0) throw new Error('no wheel was built: see the build output above');
  const pkg = wheels.includes('markupsafe') ? 'markupsafe' : wheels[0];
  const pip = existsSync(join(root, '.cache/pytools/bin/python')) ? join(root, '.cache/pytools/bin/python') : 'python3';
  // s390x wheels install on this machine only into a target folder for that platform.
  const platformArgs = container ? ['--only-binary=:all:', '--platform', 'linux_s390x', '--python-version', '3.11', '--implementation', 'cp'] : [];
  say(`pip install ${pkg} from the published index${container ? ' (for linux_s390x, into a target folder)' : ''}`);
  const r = spawnSync(
    pip,
    [
      '-m',
      'pip',
      'install',
      '--no-cache-dir',
      '--no-deps',
      '--disable-pip-version-check',
      '--index-url',
      `${site.url}/simple/`,
      '--target',
      join(work, 'pip-target'),
      ...platformArgs,
      pkg,
    ],
    {
      stdio: 'inherit',
      env: { ...process.env, PIP_CONFIG_FILE: '/dev/null' },
    },
  );
  if (r.status !== 0) throw new Error(`pip install ${pkg} from the published index failed`);
  // spawnSync held the event loop: let the server's request log arrive.
  await new Promise((ok) => setTimeout(ok, 300));
  const metadataFetched = site.log.some((l) => /\.whl\.metadata HTTP/.test(l));
  say(
    `installed into .refinery-demo/pip-target: ${readdirSync(join(work, 'pip-target')).join(', ')}${metadataFetched ? ' (pip read the PEP 658 .metadata file first)' : ''}`,
  );
  say('the dashboard: serve the site and open it');
  process.stdout.write(
    `  python3 -m http.server 8000 --bind 127.0.0.1 --directory .refinery-demo/site\n  then open http://127.0.0.1:8000/ (package pages, simple/, metrics.txt, exports/)\n`,
  );
} finally {
  site?.stop();
  index.stop();
}
