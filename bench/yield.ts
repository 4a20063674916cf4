/**
 * npm run bench:yield -- the yield of the refinery on real packages, measured the same way each
 * time: every release of bench/yield-corpus.txt (25 real PyPI releases without s390x wheels,
 * pinned) through `runYield` (scan -> plan -> build with hint retries -> smoke test in a fresh
 * container -> record, unattended), CPython 3.11, preset debian-local (the local s390x Debian 12
 * image under QEMU), turbo compilers where the toolchain is set up, a per-unit timeout. Prints a
 * row as each release ends, then the table, the yield (built + built-unverified over attempted;
 * target 90%) and failures by class. Needs scripts/setup-s390x-env.sh.
 *
 *   BENCH_YIELD_TIMEOUT   minutes per unit (default 20)
 *   BENCH_YIELD_STOP_AT   ISO time after which no release starts (the rest are not-run)
 *   BENCH_YIELD_ONLY      comma-separated names: only these releases of the corpus
 *   BENCH_YIELD_OUT       folder for the state, results, logs and yield.json (default: a temp folder)
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RefineryConfig } from '../src/domain/config/schema.js';
import { ContainerExecutor, loadTurboToolchain } from '../src/domain/executors/index.js';
import { loadHintCatalog } from '../src/domain/hints/index.js';
import { loadPresets } from '../src/domain/presets/index.js';
import { normalizeName } from '../src/domain/python/names.js';
import { loadRecipes } from '../src/domain/recipes/index.js';
import { indexesFromConfig } from '../src/stages/scan/from-config.js';
import { locateUv } from '../src/stages/scan/uv.js';
import { parseYieldList, runYield, yieldTable } from '../src/chain/yield.js';

const root = join(import.meta.dirname, '..');
const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/refinery-docker.sock';
const TURBO_DIR = process.env.REFINERY_TURBO_DIR ?? join(homedir(), '.cache', 'refinery', 'turbo');
const CA = [process.env.REFINERY_CA_BUNDLE, process.env.PIP_CERT, process.env.SSL_CERT_FILE].find((f) => f && existsSync(f));
const timeoutMin = Number(process.env.BENCH_YIELD_TIMEOUT ?? 20);
const stopAt = process.env.BENCH_YIELD_STOP_AT ? Date.parse(process.env.BENCH_YIELD_STOP_AT) : undefined;
// Names as PEP 503 normalizes them, as the list's entries are (ruamel.yaml.clib -> ruamel-yaml-clib).
const only = process.env.BENCH_YIELD_ONLY?.split(',').map((s) => normalizeName(s.trim()));
const out = process.env.BENCH_YIELD_OUT ?? (await mkdtemp(join(tmpdir(), 'yield-bench-')));
await mkdir(out, { recursive: true });

const corpusFile = join(root, 'bench', 'yield-corpus.txt');
const entries = parseYieldList(await readFile(corpusFile, 'utf8'), corpusFile).filter((e) => !only || only.includes(e.name));
const config = RefineryConfig.parse({
  targets: { python: ['3.11'], platform: 'linux' },
  preset: 'debian-local',
  limits: { unitTimeoutMinutes: timeoutMin },
  state: { dir: join(out, 'state') },
  cacheDir: join(root, '.cache', 'refinery'),
});
const turbo = await loadTurboToolchain(TURBO_DIR).catch(() => undefined);
const executor = new ContainerExecutor({
  host: DOCKER_HOST,
  network: 'host',
  hostArch: process.arch,
  ...(CA ? { caBundle: CA } : {}),
  ...(turbo ? { turbo } : {}),
});
const presets = await loadPresets(join(root, 'seeds', 'presets.yml'));
const problems = await executor.check(presets.get('debian-local')!);
if (problems.length > 0) {
  console.error(`bench:yield needs the s390x container setup:\n${problems.map((p) => `  ${p.what} -> ${p.fix}`).join('\n')}`);
  process.exit(1);
}
const env = process.env as Record<string, string | undefined>;
// uv comes from the configured index (PyPI) when this machine has none yet.
const indexes = indexesFromConfig(config, env, { extraIndexUrls: [] });
const uvPath = await locateUv({ env, cacheDir: config.cacheDir!, indexes, install: true, httpOptions: { env } });

console.log(
  `bench:yield: ${entries.length} releases, CPython 3.11, debian-local, ${turbo ? `turbo (${turbo.fingerprint})` : 'emulated compilers'}, ${timeoutMin} min/unit; out ${out}`,
);
const started = Date.now();
const report = await runYield(entries, {
  config,
  baseDir: root,
  stateDir: join(out, 'state'),
  cacheDir: config.cacheDir!,
  env,
  uv: async () => uvPath,
  executor,
  presets,
  catalog: await loadHintCatalog(join(root, 'seeds', 'hints.yml')),
  recipes: await loadRecipes(join(root, 'seeds', 'recipes')),
  outDir: join(out, 'results'),
  unitTimeoutMs: timeoutMin * 60_000,
  ...(stopAt ? { startBefore: stopAt } : {}),
  onRow: (r) =>
    console.log(`${new Date().toISOString().slice(11, 19)} ${r.outcome.padEnd(16)} ${r.name}==${r.version} ${r.seconds}s: ${r.evidence ?? r.reason}`),
});
console.log(`\n${yieldTable(report)}`);
console.log(`wall time ${Math.round((Date.now() - started) / 60_000)} min; target yield 90%`);
await writeFile(join(out, 'yield.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`report: ${join(out, 'yield.json')}`);
