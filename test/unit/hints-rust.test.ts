/**
 * Rust new enough: the minimum a package declares (real PyPI sdists, pinned in the log corpus),
 * the minimum a failed build's log names (the real lines of issue 14's cryptography and bcrypt
 * builds with Debian's rustc 1.63 / cargo 0.66, and cargo's own refusal), and the choice
 * among the toolchains a preset lists.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractSafely } from '../../src/adapters/archive.js';
import { combineRemedies, hintById, loadHintCatalog, matchLog } from '../../src/domain/hints/index.js';
import { chooseRust, rustNeedFromLog, rustNeedFromSources, withRustChoice } from '../../src/domain/hints/rust.js';
import { loadPresets } from '../../src/domain/presets/index.js';
import { rustSources } from '../../src/stages/builder/rust-sources.js';
import { pinnedSdist } from '../helpers/log-corpus.js';
import { repoRoot } from '../helpers/pytools.js';

const logsDir = join(repoRoot, 'test', 'fixtures', 'logs');
const catalog = await loadHintCatalog(join(repoRoot, 'seeds', 'hints.yml'));
const presets = await loadPresets(join(repoRoot, 'seeds', 'presets.yml'));
const debianLocal = presets.get('debian-local')!;
const scratch = await mkdtemp(join(tmpdir(), 'refinery-rust-unit-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A pinned real sdist (downloaded once into .cache/sdists, hash-checked), extracted. */
async function extracted(filename: string): Promise<string> {
  const file = await pinnedSdist(filename);
  const dest = join(scratch, filename);
  await extractSafely(file, dest);
  const [top] = await readdir(dest);
  return join(dest, top!);
}

describe('the Rust a package declares', () => {
  it('bcrypt 5.0.0: the strictest of setuptools-rust (>=1.64.0) and its Cargo.toml (1.74.0)', async () => {
    const files = await rustSources(await extracted('bcrypt-5.0.0.tar.gz'));
    expect(files.map((f) => f.path).sort()).toEqual(['pyproject.toml', 'src/_bcrypt/Cargo.toml']);
    expect(rustNeedFromSources(files)).toEqual({ version: '1.74.0', because: 'rust-version 1.74.0 in src/_bcrypt/Cargo.toml' });
  }, 60_000);

  it("cryptography 50.0.2: the workspace's rust-version (1.83.0); members that inherit it and the docs' crates add nothing", async () => {
    const files = await rustSources(await extracted('cryptography-50.0.2.tar.gz'));
    expect(files.some((f) => f.path.startsWith('docs/'))).toBe(false);
    expect(files.filter((f) => f.path.endsWith('Cargo.toml')).length).toBeGreaterThanOrEqual(8);
    expect(rustNeedFromSources(files)).toEqual({ version: '1.83.0', because: 'rust-version 1.83.0 in Cargo.toml' });
  }, 60_000);

  it('says nothing for a package without a declaration or with files that are not TOML', () => {
    expect(rustNeedFromSources([{ path: 'Cargo.toml', text: '[package]\nname = "x"\n' }])).toBeUndefined();
    expect(rustNeedFromSources([{ path: 'Cargo.toml', text: 'rust-version = = "1.80"' }])).toBeUndefined();
    expect(rustNeedFromSources([{ path: 'Cargo.toml', text: '[package]\nrust-version = "latest"\n' }])).toBeUndefined();
  });
});

describe('the Rust a failed build names (real lines)', () => {
  it("bcrypt 5.0.0 with rustc 1.63: setuptools-rust wants >= 1.64.0 (the line of issue 14's run)", () => {
    expect(rustNeedFromLog('      error: Rust 1.63.0 does not match extension requirement >=1.64.0')).toMatchObject({
      version: '1.64.0',
      because: expect.stringMatching(/^setuptools-rust: Rust 1\.63\.0 does not match/),
    });
  });
  it("cryptography 50.0.2 with cargo 0.66: a version 4 Cargo.lock needs cargo 1.78 (the line of issue 14's run)", () => {
    const line = 'error: lock file version 4 was found, but this version of Cargo does not understand this lock file';
    expect(rustNeedFromLog(line)).toMatchObject({ version: '1.78.0', because: expect.stringMatching(/^Cargo\.lock: lock file version 4 was found/) });
  });
  it("cargo's own rust-version refusal", () => {
    const line =
      'error: package `rustdemo v0.1.0 (/w/src-1/rustdemo-0.1)` cannot be built because it requires rustc 1.80 or newer, while the currently active rustc version is 1.63.0';
    expect(rustNeedFromLog(line)?.version).toBe('1.80.0');
  });
  it('rust-too-old classifies each form (toolchain-too-old), above rust-toolchain', () => {
    for (const line of [
      'error: Rust 1.63.0 does not match extension requirement >=1.64.0',
      'error: lock file version 4 was found, but this version of Cargo does not understand this lock file',
      'error: package `x v0.1.0` cannot be built because it requires rustc 1.80 or newer, while the currently active rustc version is 1.63.0',
    ]) {
      expect(matchLog(catalog, `can't find Rust compiler\n${line}\n`)[0], line).toMatchObject({ hint: 'rust-too-old', class: 'toolchain-too-old' });
    }
  });

  it('a log about something else names nothing', async () => {
    expect(rustNeedFromLog(await readFile(join(logsDir, 'bcrypt-4.2.1-no-rust.log'), 'utf8'))).toBeUndefined();
  });
});

describe("choosing among a preset's Rust toolchains", () => {
  it('debian-local lists rustc 1.63 and rustc-web 1.85 (apt-cache policy in the image)', () => {
    expect(debianLocal.toolchains?.rust).toEqual([
      { packages: ['rustc', 'cargo'], version: '1.63.0' },
      { packages: ['rustc-web', 'cargo-web'], version: '1.85.0' },
    ]);
    expect(presets.get('debian-12')!.toolchains).toEqual(debianLocal.toolchains);
  });

  it('the oldest that meets the need, saying which and why', () => {
    expect(chooseRust(debianLocal, { version: '1.74.0', because: 'rust-version 1.74.0 in Cargo.toml' })).toEqual({
      kind: 'packages',
      packages: ['rustc-web', 'cargo-web'],
      version: '1.85.0',
      note: 'needs Rust >= 1.74.0 (rust-version 1.74.0 in Cargo.toml); rustc-web, cargo-web (Rust 1.85.0) of preset debian-local, not rustc, cargo (1.63.0)',
    });
    expect(chooseRust(debianLocal, { version: '1.60.0', because: 'x' })).toMatchObject({ packages: ['rustc', 'cargo'], version: '1.63.0' });
  });

  it('with no declared minimum, the newest; with a minimum above every one, the newest and rustup named', () => {
    expect(chooseRust(debianLocal, undefined)).toMatchObject({ kind: 'packages', packages: ['rustc-web', 'cargo-web'] });
    const c = chooseRust(debianLocal, { version: '1.90.0', because: 'rust-version 1.90 in Cargo.toml' });
    expect(c).toMatchObject({ kind: 'too-old', packages: ['rustc-web', 'cargo-web'] });
    expect(c!.note).toMatch(/the newest of preset debian-local is rustc-web, cargo-web \(Rust 1\.85\.0\).*rustup/);
  });

  it("replaces the Rust hints' packages in the remedy and keeps the others", () => {
    const inForce = ['cxx-compiler', 'rust-toolchain'].map((id) => hintById(catalog, id)!);
    const { remedy, note } = withRustChoice(combineRemedies(inForce, 'apt'), inForce, 'apt', debianLocal, { version: '1.74.0', because: 'b' });
    expect(remedy.packages).toEqual(['g++', 'rustc-web', 'cargo-web']);
    expect(note).toMatch(/^rust: needs Rust >= 1\.74\.0/);
  });

  it('without a preset list, the last Rust hint applied replaces the earlier one (rustc-web conflicts with rustc)', () => {
    const { toolchains: _t, ...bare } = debianLocal;
    const inForce = ['rust-toolchain', 'rust-too-old'].map((id) => hintById(catalog, id)!);
    expect(withRustChoice(combineRemedies(inForce, 'apt'), inForce, 'apt', bare, undefined).remedy.packages).toEqual(['rustc-web', 'cargo-web']);
    const only = [hintById(catalog, 'rust-toolchain')!];
    expect(withRustChoice(combineRemedies(only, 'dnf'), only, 'dnf', bare, undefined).remedy.packages).toEqual(['cargo', 'rust']);
  });

  it('leaves remedies without a Rust hint alone', () => {
    const inForce = [hintById(catalog, 'libffi')!];
    const r = combineRemedies(inForce, 'apt');
    expect(withRustChoice(r, inForce, 'apt', debianLocal, { version: '1.74.0', because: 'b' })).toEqual({ remedy: r });
  });
});
