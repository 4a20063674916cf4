// `npm run demo`: the refinery's main job on a bundled example. It serves examples/demo/dists
// (real sdists and wheels from PyPI) as a static PEP 503 index on loopback, scans
// examples/demo/requirements.txt for CPython 3.12 on s390x, plans the builds, and shows the
// summary and the JSON it wrote. Nothing leaves this machine except uv's first install.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const work = join(root, '.refinery-demo');
const say = (s) => process.stdout.write(`\n\x1b[1m== ${s}\x1b[0m\n`);

function findUv() {
  if (process.env.REFINERY_UV) return process.env.REFINERY_UV;
  if (spawnSync('uv', ['--version']).status === 0) return 'uv';
  const local = join(root, '.cache/pytools/bin/uv');
  if (!existsSync(local)) {
    say('uv (the resolver) is not installed: installing it into .cache/pytools (one time)');
    const r = spawnSync('bash', [join(root, 'scripts/setup-test-python.sh')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('could not install uv; install it with `pip install uv` and rerun');
  }
  return local;
}

async function serve(dir) {
  const server = spawn('python3', ['-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise((ok, fail) => {
    let out = '';
    const onData = (d) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) ok(Number(m[1]));
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => fail(new Error(`index server exited (${code}): ${out}`)));
    setTimeout(() => fail(new Error('index server did not start')), 10_000);
  });
  return { url: `http://127.0.0.1:${port}/simple`, stop: () => server.kill() };
}

function refinery(args) {
  const r = spawnSync(process.execPath, [join(root, 'bin/refinery.js'), ...args], {
    stdio: 'inherit',
    env: { ...process.env, REFINERY_UV: uv },
    cwd: root,
  });
  if (r.status !== 0) throw new Error(`refinery ${args[0]} exited with ${r.status}`);
}

if (!existsSync(join(root, 'dist/cli.js'))) throw new Error('dist/ is missing: run npm run build');
const uv = findUv();
rmSync(join(work, 'index'), { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const { writeSimpleIndex } = await import(join(root, 'dist/lib.js'));
const written = await writeSimpleIndex(join(root, 'examples/demo/dists'), join(work, 'index'));
const index = await serve(join(work, 'index'));
try {
  say(`local index: ${written.files} real distributions of ${written.projects} projects at ${index.url}`);
  const config = 'examples/demo/refinery.yml';
  say('refinery scan: what has an s390x wheel, what needs building');
  refinery(['scan', '--config', config, '--index-url', index.url, '-o', '.refinery-demo/inventory.json']);
  say('refinery plan: the GitHub Actions matrix');
  refinery(['plan', '--config', config, '--inventory', '.refinery-demo/inventory.json', '-o', '.refinery-demo/plan.json']);
  const plan = JSON.parse(readFileSync(join(work, 'plan.json'), 'utf8'));
  say('wrote .refinery-demo/inventory.json and .refinery-demo/plan.json; the first matrix entry:');
  process.stdout.write(`${JSON.stringify(plan.matrix.include[0] ?? {}, null, 2)}\n`);
} finally {
  index.stop();
}
