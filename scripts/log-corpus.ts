import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { HttpClient } from '../src/adapters/http.js';
import { run } from '../src/adapters/process.js';
import { loadHintCatalog, matchLog } from '../src/domain/hints/index.js';
import { EnvName, SystemPackageName } from '../src/domain/hints/schema.js';
import { hostCaBundle } from '../src/session/executor.js';
import { CORPUS_HEADER, pinnedSdist, trimLog } from '../test/helpers/log-corpus.js';

const root = resolve(import.meta.dirname, '..');
const logsDir = join(root, 'test', 'fixtures', 'logs');
const sdistCache = join(root, '.cache', 'sdists');
const image = process.env.REFINERY_IMAGE ?? 'refinery/debian-s390x:bookworm';
/**
 * Per case: apt under QEMU plus a build that fails early; a hung build must not hold the run.
 * Installing Debian's Rust (rustc, libstd-rust-dev, LLVM) alone took over 15 minutes on 2 loaded cores.
 */
const CASE_TIMEOUT_MS = 40 * 60_000;

const Requirement = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._\-[\],<>=!~ ]*$/, 'a requirement line');
const PipFlag = z.enum(['--no-build-isolation']);
const Case = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  sdist: z.string().regex(/^(\.\.\/sdists\/)?[A-Za-z0-9][A-Za-z0-9._+-]*\.tar\.gz$/),
  log: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*\.log$/),
  absent: z.string().min(1),
  hint: z.string().optional(),
  remove: z.array(SystemPackageName).default([]),
  apt: z.array(SystemPackageName).default([]),
  pip: z.array(Requirement).default([]),
  env: z.record(EnvName, z.string().regex(/^[^\n]*$/)).default({}),
  flags: z.array(PipFlag).default([]),
  noCa: z.boolean().default(false),
  legacy: z.boolean().default(false),
  byRefinery: z.boolean().default(false),
  /** The phase whose failure the log is (default build): `test` for a smoke test's output. */
  phase: z.enum(['build', 'test']).optional(),
  /** A log another case's run happened to produce (a network fault): kept, not remade. */
  madeBy: z.string().optional(),
});
type Case = z.infer<typeof Case>;
const Corpus = z.strictObject({
  version: z.literal(1),
  sdists: z.record(z.string(), z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/), url: z.string().url() })),
  cases: z.array(Case),
});

// Fixed text. $1: sdist file name in /in; the rest: pip flags. Lists come as space-separated variables.
const CONTAINER_SCRIPT = `set -u
setup() {
  if [ -n "$CORPUS_REMOVE" ]; then dpkg --purge --force-depends $CORPUS_REMOVE || return 1; fi
  if [ -n "$CORPUS_APT" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $CORPUS_APT || return 1
  fi
  if [ -n "$CORPUS_PIP" ]; then
    python3 -m venv --system-site-packages /tmp/venv && /tmp/venv/bin/python -m pip install -q $CORPUS_PIP || return 1
  fi
}
setup >/tmp/setup.log 2>&1 || { echo "[log-corpus] setup failed:"; tail -n 30 /tmp/setup.log; exit 97; }
py=python3; if [ -x /tmp/venv/bin/python ]; then py=/tmp/venv/bin/python; PATH=/tmp/venv/bin:$PATH; export PATH; fi
mkdir -p /tmp/b && cd /tmp/b && tar xzf "/in/$1" && d=$(ls) && shift
$py -m pip wheel --no-deps "$@" -w /tmp/out "./$d" 2>&1
`;

async function sdistPath(c: Case, corpus: z.infer<typeof Corpus>, http: HttpClient): Promise<string> {
  if (c.sdist.startsWith('../sdists/')) return join(logsDir, c.sdist);
  if (!corpus.sdists[c.sdist]) throw new Error(`case ${c.name}: sdist ${c.sdist} is not pinned under sdists:`);
  return pinnedSdist(c.sdist, corpus.sdists, http);
}

async function build(c: Case, sdist: string, ca: string | undefined): Promise<{ exit: number; log: string; seconds: number }> {
  const withCa = ca && !c.noCa ? ['-v', `${ca}:/etc/refinery-ca.crt:ro`, '-e', 'PIP_CERT=/etc/refinery-ca.crt'] : [];
  const env = Object.entries(c.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const args = [
    'run',
    '--rm',
    '--network',
    'host',
    '--name',
    `corpus-${c.name}-${process.pid}`,
    ...withCa,
    ...env,
    '-e',
    `CORPUS_REMOVE=${c.remove.join(' ')}`,
    '-e',
    `CORPUS_APT=${c.apt.join(' ')}`,
    '-e',
    `CORPUS_PIP=${c.pip.join(' ')}`,
    '-v',
    `${dirname(sdist)}:/in:ro`,
    image,
    'sh',
    '-c',
    CONTAINER_SCRIPT,
    'sh',
    basename(sdist),
    ...c.flags,
  ];
  const r = await run('docker', args, { timeoutMs: CASE_TIMEOUT_MS });
  if (r.timedOut) await run('docker', ['rm', '-f', `corpus-${c.name}-${process.pid}`]);
  return { exit: r.timedOut ? -1 : r.exitCode, log: r.all, seconds: Math.round(r.durationMs / 1000) };
}

function header(c: Case, sdist: string, exit: number): string {
  const m = /^(.+)-([^-]+)\.tar\.gz$/.exec(basename(sdist));
  const fields = {
    case: c.name,
    package: m?.[1] ?? basename(sdist),
    version: m?.[2] ?? '',
    absent: c.absent,
    date: new Date().toISOString().slice(0, 10),
    image,
    exit,
    command: `npx tsx scripts/log-corpus.ts ${c.name}`,
  };
  return `${CORPUS_HEADER}${JSON.stringify(fields)}`;
}

async function main(argv: string[]): Promise<number> {
  const corpus = Corpus.parse(parse(await readFile(join(logsDir, 'corpus.yml'), 'utf8')));
  if (argv.includes('--list')) {
    for (const c of corpus.cases) console.log(`${c.name.padEnd(26)} ${c.log.padEnd(44)} absent: ${c.absent}`);
    return 0;
  }
  const j = argv.indexOf('--jobs');
  // Two at most by default: builds under QEMU share the machine's cores with everything else.
  const jobs = j >= 0 ? Math.max(1, Number(argv[j + 1]) || 1) : 2;
  const names = argv.filter((a, i) => !a.startsWith('--') && (j < 0 || i !== j + 1));
  const unknown = names.filter((n) => !corpus.cases.some((c) => c.name === n));
  if (unknown.length > 0) throw new Error(`unknown case(s): ${unknown.join(', ')} (see --list)`);
  // The refinery's own attempt logs come from buildUnit (README), not from a pip run here.
  const todo = corpus.cases.filter((c) => !c.byRefinery && !c.madeBy && (names.length === 0 || names.includes(c.name)));
  const catalog = await loadHintCatalog(join(root, 'seeds', 'hints.yml'));
  const http = new HttpClient();
  const ca = hostCaBundle(process.env);
  await mkdir(sdistCache, { recursive: true });
  let bad = 0;
  const queue = [...todo];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const sdist = await sdistPath(c, corpus, http);
      process.stderr.write(`building ${c.name} (absent: ${c.absent})\n`);
      const r = await build(c, sdist, ca);
      if (r.exit === 97 || r.exit === -1) {
        process.stderr.write(`  ${c.name}: ${r.exit === -1 ? 'timed out' : 'setup failed'}, log not written\n${r.log.slice(-2000)}\n`);
        bad++;
        continue;
      }
      const text = `${header(c, sdist, r.exit)}\n${trimLog(r.log)}`;
      await writeFile(join(logsDir, c.log), text);
      const best = matchLog(catalog, text, 'build')[0];
      const got = best?.hint ?? 'none';
      const ok = got === (c.hint ?? 'none');
      if (!ok) bad++;
      process.stderr.write(
        `  ${c.name}: exit ${r.exit} in ${r.seconds} s -> ${c.log}: ${got}${ok ? '' : ` (expected ${c.hint ?? 'none'})`}${best ? ` at line ${best.lineNumber}: ${best.line}` : ''}\n`,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, todo.length) }, worker));
  return bad === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`log-corpus: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
