/**
 * Yanks from the state: `refinery yank` records a withdrawal fact, publish marks those wheels
 * yanked (PEP 592) in both forms of the index without `--yank`, `--yank` still adds to them, and
 * the fact merges as a set, survives a reload, and is validated like every hand-editable field.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRefineryError } from '../../src/errors.js';
import { loadState, mergePackage, packageFileText, saveState, withdrawWheels } from '../../src/domain/state/index.js';
import { LocalWheelStore } from '../../src/domain/storage/index.js';
import { publishSite } from '../../src/stages/publish/index.js';
import { runCli } from '../helpers/cli.js';
import { attemptFor, stateOf, storedEntry } from '../helpers/publish-fixtures.js';

let root: string;
let store: string;

/** A state folder with idna 3.10 and certifi in a local store. */
async function stateDir(name: string): Promise<string> {
  const dir = join(root, name);
  const s = new LocalWheelStore(store);
  const idna = await storedEntry(s, 'idna-3.10-py3-none-any.whl', { name: 'idna', version: '3.10' });
  const certifi = await storedEntry(s, 'certifi-2024.12.14-py3-none-any.whl', { name: 'certifi', version: '2024.12.14' });
  await saveState(
    dir,
    stateOf({ name: 'idna', manifest: [idna], history: [attemptFor(idna)] }, { name: 'certifi', manifest: [certifi], history: [attemptFor(certifi)] }),
  );
  return dir;
}

const link = (html: string, file: string) => new RegExp(`<a [^>]*>${file.replace(/\./g, '\\.')}</a>`).exec(html)?.[0] ?? '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-yank-'));
  store = join(root, 'store');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('refinery yank and the published index', () => {
  it('records the withdrawal in the state, and publish marks the wheel yanked with the reason, in HTML and JSON', async () => {
    const dir = await stateDir('cli');
    const r = await runCli(['yank', 'IDNA', '3.10', '--reason', 'broken on "z15" <b>', '--state', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ package: 'idna', version: '3.10', wheels: ['idna-3.10-py3-none-any.whl'], reason: 'broken on "z15" <b>' });
    const file = JSON.parse(await readFile(join(dir, 'packages/idna.json'), 'utf8'));
    expect(file.withdrawals).toEqual([{ version: '3.10', reason: 'broken on "z15" <b>', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect(JSON.parse(await readFile(join(dir, 'packages/certifi.json'), 'utf8')).withdrawals).toBeUndefined();

    const out = join(root, 'site-cli');
    await publishSite(await loadState(dir), out, { localStore: store });
    const html = await readFile(join(out, 'simple/idna/index.html'), 'utf8');
    expect(link(html, 'idna-3.10-py3-none-any.whl')).toContain('data-yanked="broken on &quot;z15&quot; &lt;b&gt;"');
    const json = JSON.parse(await readFile(join(out, 'simple/idna/index.json'), 'utf8'));
    expect(json.files[0].yanked).toBe('broken on "z15" <b>');
    expect(await readFile(join(out, 'simple/certifi/index.html'), 'utf8')).not.toContain('data-yanked');
  });

  it('--wheel withdraws one wheel only, and --yank at publish adds to what the state withdrew', async () => {
    const dir = await stateDir('one');
    const state = await loadState(dir);
    const extra = structuredClone(state.packages.get('idna')!.manifest[0]!);
    extra.filename = 'idna-3.10-py2.py3-none-any.whl';
    extra.inputsFingerprint = 'sha256:other';
    state.packages.get('idna')!.manifest.push(extra);
    await saveState(dir, state, ['idna']);
    const r = await runCli(['yank', 'idna', '3.10', '--wheel', 'idna-3.10-py3-none-any.whl', '--reason', 'bad build', '--state', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('withdrew 1 wheel(s) of idna 3.10');
    const withdrawn = await loadState(dir);
    const out = join(root, 'site-one');
    // The second idna wheel (same bytes, another name) stays installable; certifi is yanked by the flag.
    await publishSite(withdrawn, out, { localStore: store, withdrawals: [{ package: 'certifi', version: '2024.12.14', reason: 'flag' }] });
    const html = await readFile(join(out, 'simple/idna/index.html'), 'utf8');
    expect(link(html, 'idna-3.10-py3-none-any.whl')).toContain('data-yanked="bad build"');
    expect(link(html, 'idna-3.10-py2.py3-none-any.whl')).toMatch(/^<a href=/);
    expect(link(html, 'idna-3.10-py2.py3-none-any.whl')).not.toContain('data-yanked');
    expect(link(await readFile(join(out, 'simple/certifi/index.html'), 'utf8'), 'certifi-2024.12.14-py3-none-any.whl')).toContain('data-yanked="flag"');
  });

  it('a version the manifest does not have is one usage error, and nothing is written', async () => {
    const dir = await stateDir('typo');
    const before = await readFile(join(dir, 'packages/idna.json'), 'utf8');
    const r = await runCli(['yank', 'idna', '3.1', '--reason', 'x', '--state', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no wheel of idna 3.1 in the manifest');
    expect(await readFile(join(dir, 'packages/idna.json'), 'utf8')).toBe(before);
    const noReason = await runCli(['yank', 'idna', '3.10', '--state', dir]);
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toContain('--reason');
  });
});

describe('withdrawals in the state', () => {
  it('merge as a set: in any order, twice, the same package; a package without any keeps its old bytes', async () => {
    const dir = await stateDir('merge');
    const s = await loadState(dir);
    const plain = packageFileText(s.packages.get('idna')!);
    expect(plain).not.toContain('withdrawals');
    const w1 = { version: '3.10', reason: 'one', at: '2026-07-01T00:00:00.000Z' };
    const w2 = { version: '3.10', filename: 'idna-3.10-py3-none-any.whl', reason: 'two', at: '2026-07-02T00:00:00.000Z' };
    const a = withdrawWheels(s, 'idna', w1).packages.get('idna')!;
    const b = withdrawWheels(s, 'idna', w2).packages.get('idna')!;
    const ab = mergePackage(a, b);
    expect(packageFileText(mergePackage(b, a))).toBe(packageFileText(ab));
    expect(packageFileText(mergePackage(ab, ab))).toBe(packageFileText(ab));
    expect(ab.withdrawals).toEqual([w1, w2]);
  });

  it('a hand-edited withdrawal is validated like any field: a path for a file name, an unknown field', async () => {
    for (const [bad, field] of [
      [{ version: '3.10', filename: '../x.whl', reason: 'x', at: '2026-07-01T00:00:00Z' }, 'withdrawals.0.filename'],
      [{ version: '3.10', reason: 'x', at: '2026-07-01T00:00:00Z', url: 'javascript:alert(1)' }, 'withdrawals.0.url'],
      [{ version: '3.10', reason: 'x'.repeat(401), at: '2026-07-01T00:00:00Z' }, 'withdrawals.0.reason'],
    ] as const) {
      const dir = await stateDir(`hostile-${field}-${String(bad.reason.length)}`);
      const file = join(dir, 'packages/idna.json');
      await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), withdrawals: [bad] }));
      const e = await loadState(dir).catch((x: unknown) => x);
      expect(isRefineryError(e) && e.code).toBe('state');
      expect((e as { location: { field?: string } }).location.field).toBe(field);
    }
  });
});
