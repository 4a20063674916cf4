import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { combineRemedies, hintAdvice, loadHintCatalog, matchLog, parseHintCatalog, remedyFor, hintById } from '../../src/domain/hints/index.js';
import { RefineryError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { loadRecipes } from '../../src/domain/recipes/index.js';
import { loadPresets } from '../../src/domain/presets/index.js';
import { withRustChoice } from '../../src/domain/hints/rust.js';
import { CORPUS_HEADER, corpusHeader, trimLog } from '../helpers/log-corpus.js';

const root = join(import.meta.dirname, '..', '..');
const logsDir = join(root, 'test', 'fixtures', 'logs');
const catalog = await loadHintCatalog(join(root, 'seeds', 'hints.yml'));

// Every real failure log and what it must be classified as: test/fixtures/logs/corpus.yml, the
// cases scripts/log-corpus.ts builds them from (a hint, or none for the negatives).
const corpus = parse(readFileSync(join(logsDir, 'corpus.yml'), 'utf8')) as {
  cases: Array<{ name: string; log: string; hint?: string; legacy?: boolean; byRefinery?: boolean; madeBy?: string; absent: string; phase?: string }>;
};
const PHASE = Object.fromEntries(corpus.cases.map((c) => [c.log, c.phase ?? 'build']));
const EXPECTED = Object.fromEntries(corpus.cases.filter((c) => c.hint).map((c) => [c.log, c.hint!]));
const NEGATIVE = corpus.cases.filter((c) => !c.hint).map((c) => c.log);

describe('classification of real failure logs', () => {
  it('covers every log in the corpus, and every case has its log', () => {
    const logs = readdirSync(logsDir).filter((f) => f.endsWith('.log'));
    expect(logs.sort()).toEqual([...Object.keys(EXPECTED), ...NEGATIVE].sort());
    expect(NEGATIVE.length).toBeGreaterThanOrEqual(2);
  });

  for (const [file, hint] of Object.entries(EXPECTED)) {
    it(`${file} -> ${hint}`, () => {
      const text = readFileSync(join(logsDir, file), 'utf8');
      for (const phase of [undefined, PHASE[file]]) {
        const best = matchLog(catalog, text, phase)[0];
        expect(best).toMatchObject({ hint, class: hintById(catalog, hint)!.class });
      }
    });
  }

  it('each log the script made starts with its header (package, version, what was absent, date, command), which itself matches no hint', () => {
    for (const c of corpus.cases.filter((x) => !x.legacy && !x.byRefinery)) {
      const text = readFileSync(join(logsDir, c.log), 'utf8');
      const h = corpusHeader(text);
      // A log another case's run happened to produce (madeBy) carries that run's header.
      const made = c.madeBy ?? c.name;
      expect(h, c.log).toMatchObject({ case: made, command: `npx tsx scripts/log-corpus.ts ${made}`, ...(c.madeBy ? {} : { absent: c.absent }) });
      expect(h!.package.length * h!.version.length, c.log).toBeGreaterThan(0);
      expect(h!.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(matchLog(catalog, text.slice(0, text.indexOf('\n')))).toEqual([]);
    }
    // The refinery's own attempt logs (byRefinery) start with its `[refinery]` lines, not a header.
    for (const c of corpus.cases.filter((x) => x.legacy || x.byRefinery))
      expect(readFileSync(join(logsDir, c.log), 'utf8').startsWith(CORPUS_HEADER)).toBe(false);
  });

  it('each hint names its real logs as evidence, and each evidence log is classified as that hint', () => {
    const named = catalog.hints.flatMap((h) => h.evidence.map((log) => [log, h.id] as const));
    expect(Object.fromEntries(named)).toEqual(EXPECTED);
  });

  it('hints list: every shipped hint has a real log; a hint without one is marked unverified and counted', async () => {
    const r = await runCli(['hints', 'list']);
    expect(r.code).toBe(0);
    const rowOf = (id: string) => r.stdout.split('\n').find((l) => l.startsWith(`${id} `)) ?? '';
    expect(rowOf('cxx-compiler')).toMatch(/\bverified\b/);
    expect(rowOf('gfortran')).toMatch(/\bverified\b/);
    // verified by crafted sdists (test/fixtures/sdists/src) and the refinery's own turbo attempt logs
    for (const id of [
      'libatomic',
      'qemu-uncaught-signal',
      'numpy-old-pin',
      'turbo-march-native',
      'turbo-toolchain-exec',
      'turbo-cross-detected',
      'grpcio-boringssl-s390x',
    ])
      expect(rowOf(id), id).toMatch(/\bverified\b/);
    // Every hint has its real log now: no row says unverified, and no count line is printed.
    expect(r.stdout).not.toMatch(/\bunverified\b/);
    expect(catalog.hints.filter((h) => !h.fallback && h.evidence.length === 0)).toEqual([]);
    // A user's hint (--hints) without evidence is marked and counted.
    const dir = mkdtempSync(join(tmpdir(), 'hints-list-'));
    const extra = join(dir, 'mine.yml');
    writeFileSync(
      extra,
      'version: 1\nhints:\n  - id: my-guess\n    class: permanent\n    description: a pattern written from memory\n    match:\n      - pattern: "frobnicate failed"\n',
    );
    const mine = await runCli(['hints', 'list', '--hints', extra]);
    expect(mine.code, mine.stderr).toBe(0);
    expect(mine.stdout.split('\n').find((l) => l.startsWith('my-guess '))).toMatch(/\bunverified\b/);
    expect(mine.stdout).toContain(`1 of ${catalog.hints.length + 1} hint(s) unverified`);
  });

  for (const file of NEGATIVE) {
    it(`${file} matches no hint`, () => {
      expect(matchLog(catalog, readFileSync(join(logsDir, file), 'utf8'))).toEqual([]);
    });
  }

  it('the shipped recipes name only hints of the catalog (pyzmq applies libzmq from its first attempt)', async () => {
    const recipes = await loadRecipes(join(root, 'seeds', 'recipes'));
    for (const r of recipes.values()) for (const id of r.hints) expect(hintById(catalog, id), `${r.name}: ${id}`).toBeDefined();
    expect(recipes.get('pyzmq')?.hints).toEqual(['libzmq']);
    // the bundling pyzmq log is the system library's failure, not a network fault retried with backoff
    const m = matchLog(catalog, readFileSync(join(logsDir, 'pyzmq-27.3.0-no-libzmq-bundle-download-failed.log'), 'utf8'));
    expect(m.map((x) => x.hint)).toEqual(['libzmq']);
    expect(remedyFor(hintById(catalog, 'libzmq')!, 'apt')?.packages).toContain('libzmq3-dev');
  });

  it('ranks the specific hint above the generic missing-header one', () => {
    const m = matchLog(catalog, readFileSync(join(logsDir, 'cffi-1.17.1-no-libffi.log'), 'utf8'));
    expect(m.map((x) => x.hint)).toEqual(['libffi', 'missing-c-header']);
    expect(m[0]!.line).toBe('src/c/_cffi_backend.c:15:10: fatal error: ffi.h: No such file or directory');
  });

  it("meson's informational lines are no failure: its CMake probe and optional lookups of the real scs log match nothing alone", () => {
    const text = readFileSync(join(logsDir, 'scs-3.3.1-meson-no-blas.log'), 'utf8');
    const probes = text.split('\n').filter((l) => /Did not find CMake|Found CMake: NO|found: NO/.test(l));
    expect(probes.length).toBeGreaterThanOrEqual(8);
    expect(matchLog(catalog, probes.join('\n'))).toEqual([]);
  });

  it('stage-bound matchers only count for their phase', () => {
    const c = parseHintCatalog('version: 1\nhints:\n  - {id: t, class: transient, description: d, match: [{pattern: boom, stage: prepare}]}\n', 'x.yml');
    expect(matchLog(c, 'boom', 'build')).toEqual([]);
    expect(matchLog(c, 'boom', 'prepare')).toHaveLength(1);
    expect(matchLog(c, 'boom')).toHaveLength(1);
  });
});

describe('refinery hints explain --json', () => {
  it('lists matches best first with hint and class', async () => {
    const r = await runCli(['hints', 'explain', join(logsDir, 'rpds-py-0.22.3-no-cargo.log'), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { matches: { hint: string; class: string }[] };
    expect(out.matches[0]).toMatchObject({ hint: 'rust-toolchain', class: 'missing-toolchain' });
  });

  it('prints an empty matches array for a log nothing matches', async () => {
    const r = await runCli(['hints', 'explain', join(logsDir, NEGATIVE[0]!), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ log: join(logsDir, NEGATIVE[0]!), matches: [] });
  });

  it('reports a missing log as an input error, without a stack trace', async () => {
    const r = await runCli(['hints', 'explain', '/nonexistent/build.log']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cannot read the log: ENOENT/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate accepts the shipped catalog and list shows every hint', async () => {
    const v = await runCli(['hints', 'validate', '--json']);
    expect(JSON.parse(v.stdout).files[0].hints).toBe(catalog.hints.length);
    const l = await runCli(['hints', 'list']);
    for (const h of catalog.hints) expect(l.stdout).toContain(h.id);
  });
});

describe('advice for what no retry fixes', () => {
  it("the real untrusted-CA log's hint says which CA variables reach the container, and names the command that ran", () => {
    const best = matchLog(catalog, readFileSync(join(logsDir, 'pip-isolation-untrusted-proxy-ca.log'), 'utf8'), 'build')[0]!;
    const h = hintById(catalog, best.hint)!;
    expect(h.class).toBe('permanent');
    expect(hintAdvice(h, 'run')).toMatch(
      /REFINERY_CA_BUNDLE, PIP_CERT, SSL_CERT_FILE, REQUESTS_CA_BUNDLE or NODE_EXTRA_CA_CERTS naming it reaches pip in the container without a flag; or run refinery run --ca-bundle FILE\.$/,
    );
    expect(hintAdvice(h, 'worker')).toMatch(/or run refinery worker --ca-bundle FILE\.$/);
    // Without a command (hints list, explain): the ones it could be.
    expect(hintAdvice(h)).toMatch(/or run refinery build, run or worker --ca-bundle FILE\.$/);
    expect(hintAdvice(h, 'run')).not.toContain('{command}');
  });
});

describe('catalog validation', () => {
  const bad = (yaml: string) => () => parseHintCatalog(yaml, 'bad.yml');
  it('rejects an invalid regex, naming the field', () => {
    expect(bad('version: 1\nhints:\n  - {id: a, class: transient, description: d, match: [{pattern: "("}]}\n')).toThrow(
      /hints\.0\.match\.0\.pattern|regular expression/,
    );
  });
  it('rejects duplicate ids', () => {
    const h = '  - {id: a, class: transient, description: d, match: [{pattern: x}]}\n';
    expect(bad(`version: 1\nhints:\n${h}${h}`)).toThrow(/duplicate hint id 'a'/);
  });
  it('rejects an unknown class and package names that could be options', () => {
    expect(bad('version: 1\nhints:\n  - {id: a, class: flaky, description: d, match: [{pattern: x}]}\n')).toThrow(RefineryError);
    expect(
      bad('version: 1\nhints:\n  - {id: a, class: permanent, description: d, match: [{pattern: x}], remedy: {apt: {packages: ["--allow-unauthenticated"]}}}\n'),
    ).toThrow(/package name/);
    expect(
      bad('version: 1\nhints:\n  - {id: a, class: permanent, description: d, match: [{pattern: x}], remedy: {apt: {packages: ["libx; rm -rf /"]}}}\n'),
    ).toThrow(/package name/);
  });
});

describe('remedies per package manager', () => {
  const libffi = hintById(catalog, 'libffi')!;
  it('gives each package manager its own packages', () => {
    expect(remedyFor(libffi, 'apt')?.packages).toEqual(['libffi-dev']);
    expect(remedyFor(libffi, 'dnf')?.packages).toEqual(['libffi-devel']);
    expect(remedyFor(libffi, 'apk')?.packages).toEqual(['libffi-dev']);
  });
  it('has no remedy where the package manager has no form (never applied)', () => {
    expect(remedyFor(libffi, 'none')).toBeUndefined();
    expect(remedyFor(hintById(catalog, 'big-endian')!, 'apt')).toBeUndefined();
  });
  it('applies `any`-only remedies everywhere and accumulates *FLAGS', () => {
    const numpy = hintById(catalog, 'numpy-old-pin')!;
    expect(remedyFor(numpy, 'none')?.buildIsolation).toBe(false);
    const c = parseHintCatalog(
      'version: 1\nhints:\n  - {id: a, class: permanent, description: d, match: [{pattern: x}], remedy: {any: {env: {LDFLAGS: "-latomic", X: "1"}}}}\n  - {id: b, class: permanent, description: d, match: [{pattern: x}], remedy: {any: {env: {LDFLAGS: "-lm", X: "2"}}}}\n',
      'x.yml',
    );
    expect(combineRemedies(c.hints, 'none').env).toEqual({ LDFLAGS: '-latomic -lm', X: '2' });
  });
  it('every seeded hint with package remedies covers apt, dnf, yum and apk', () => {
    // rust-too-old has a remedy only where the distribution ships a newer Rust than rust-toolchain
    // installs: yum (CentOS 7, manylinux2014) has none, so there it only classifies.
    const only: Record<string, string[]> = { 'rust-too-old': ['apt', 'dnf', 'apk'] };
    for (const h of catalog.hints) {
      const pms = (['apt', 'dnf', 'yum', 'apk'] as const).filter((pm) => h.remedy[pm]);
      if (pms.length > 0) expect(pms, h.id).toEqual(only[h.id] ?? ['apt', 'dnf', 'yum', 'apk']);
    }
  });

  it('Rust too old: the real messages of setuptools-rust and cargo, and the toolchain each preset installs', async () => {
    expect(matchLog(catalog, 'error: Rust 1.63.0 does not match extension requirement >=1.64.0')[0]?.hint).toBe('rust-too-old');
    expect(
      matchLog(
        catalog,
        'error: failed to parse lock file at: /work/src/Cargo.lock\n\nCaused by:\n  lock file version `4` was found, but this version of Cargo does not understand this lock file, perhaps Cargo needs to be updated?',
      )[0]?.hint,
    ).toBe('rust-too-old');
    const presets = await loadPresets(join(root, 'seeds', 'presets.yml'));
    const rust = [hintById(catalog, 'rust-toolchain')!];
    const pick = (hints: typeof rust, preset: string) =>
      withRustChoice(combineRemedies(hints, 'apt'), hints, 'apt', presets.get(preset)!, undefined).remedy.packages.sort();
    // Debian 12 lists rustc 1.63 and rustc-web 1.85: with no declared minimum, the newest; Ubuntu lists none and keeps its own.
    expect(pick(rust, 'debian-local')).toEqual(['cargo-web', 'rustc-web']);
    expect(pick(rust, 'debian-12')).toEqual(['cargo-web', 'rustc-web']);
    expect(pick(rust, 'ubuntu-24.04')).toEqual(['cargo', 'rustc']);
    // Both Rust hints in force: one toolchain, not two conflicting ones.
    expect(pick([...rust, hintById(catalog, 'rust-too-old')!], 'debian-local')).toEqual(['cargo-web', 'rustc-web']);
  });
});

describe('corpus logs are trimmed', () => {
  it('keeps the first and last lines and the error-looking ones between, and says how many it left out', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => (i === 500 ? 'CMake Error at CMakeLists.txt:3 (project):' : `\x1b[1mcompiling file ${i}.c\r`));
    const out = trimLog(lines.join('\n')).split('\n');
    expect(out[0]).toBe('compiling file 0.c');
    expect(out).toContain('CMake Error at CMakeLists.txt:3 (project):');
    expect(out).toContain('compiling file 999.c');
    expect(out).not.toContain('compiling file 300.c');
    expect(out.find((l) => l.startsWith('[log-corpus]'))).toBe('[log-corpus] 759 of 760 lines left out here; kept: the 1 that look like errors');
    expect(trimLog('a\nb\n')).toBe('a\nb\n');
  });
});
