import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitOut } from '../../src/adapters/git.js';
import { commitStateWithGit } from '../../src/stages/record/commit-git.js';
import { record } from '../../src/stages/record/record.js';
import { runId } from '../../src/stages/record/results.js';
import { loadState } from '../../src/domain/state/index.js';
import { racingSpecs } from '../helpers/commit-back.js';
import { makeResult, writeResults } from '../helpers/state-results.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const REPO = resolve(import.meta.dirname, '..', '..');
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-commitback-git-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function cloneOf(remote: string, name: string): Promise<string> {
  const dir = join(root, name);
  await git(root, ['clone', '--quiet', remote, dir]);
  await git(dir, ['config', 'user.name', `writer ${name}`]);
  await git(dir, ['config', 'user.email', `${name}@example.invalid`]);
  return dir;
}

/** Writer w records results for packages shared with other writers (same files) and its own. */
const specsFor = (w: number) =>
  racingSpecs(w, T0, [
    { status: 'failure', failureClass: 'missing-system-lib', matchedHint: 'libffi' },
    { status: 'success', hints: ['libffi'] },
  ]);

describe('commit-back with git against a bare repository', () => {
  it('8 concurrent writers all land every attempt exactly once, in valid state, without force', async () => {
    const remote = join(root, 'remote.git');
    await git(root, ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
    const seed = await cloneOf(remote, 'seed');
    await writeFile(join(seed, 'README.md'), 'wheels\n');
    await git(seed, ['add', 'README.md']);
    await git(seed, ['commit', '--quiet', '-m', 'initial']);
    await git(seed, ['push', '--quiet', 'origin', 'HEAD:refs/heads/main']);

    const writers = await Promise.all(Array.from({ length: 8 }, (_, w) => cloneOf(remote, `w${w}`)));
    const outcomes = await Promise.all(
      writers.map(async (dir, w) => {
        const results = join(root, `results-${w}`);
        await writeResults(results, specsFor(w));
        await record(results, join(dir, '.refinery'));
        return commitStateWithGit({ repoDir: dir, stateDir: join(dir, '.refinery'), message: `record results of writer ${w}`, maxAttempts: 30 });
      }),
    );
    expect(outcomes.every((o) => o.commit !== undefined)).toBe(true);
    // Somebody had to retry: the scenario really raced.
    expect(outcomes.some((o) => o.attempts > 1)).toBe(true);

    const check = await cloneOf(remote, 'check');
    const state = await loadState(join(check, '.refinery'));
    const expected = new Map<string, number>();
    for (let w = 0; w < 8; w++)
      for (const s of specsFor(w)) {
        const r = makeResult(s);
        for (const a of r.attempts) expected.set(`${runId(r)}#${a.n}`, 0);
      }
    for (const pkg of state.packages.values()) {
      for (const h of pkg.history) {
        const key = `${h.run}#${h.attempt}`;
        expect(expected.has(key)).toBe(true);
        expected.set(key, expected.get(key)! + 1);
      }
    }
    expect([...expected.values()].every((n) => n === 1)).toBe(true);
    expect(state.packages.get('shared-lib')!.manifest).toHaveLength(8);
    expect(state.packages.get('own-3')!.hints.map((h) => h.hint)).toEqual(['libffi']);
    // Linear history on main: every state commit has one parent, the user's file is intact.
    const merges = await gitOut(check, ['rev-list', '--merges', 'HEAD']);
    expect(merges).toBe('');
    expect(Number(await gitOut(check, ['rev-list', '--count', 'HEAD']))).toBe(9);
    expect(await readdir(check)).toContain('README.md');
  });

  it('8 real `refinery record --commit git` processes racing on one remote land every attempt once', async () => {
    const cli = join(REPO, '.cache', 'test-bundles', 'refinery-cli.mjs');
    await build({
      entryPoints: [join(REPO, 'src', 'faces', 'cli', 'entry.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: cli,
      packages: 'external',
      logLevel: 'silent',
    });
    const remote = join(root, 'remote-cli.git');
    await git(root, ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
    const seed = await cloneOf(remote, 'cli-seed');
    await git(seed, ['commit', '--quiet', '--allow-empty', '-m', 'initial']);
    await git(seed, ['push', '--quiet', 'origin', 'HEAD:refs/heads/main']);
    const writers = await Promise.all(Array.from({ length: 8 }, (_, w) => cloneOf(remote, `cli-w${w}`)));
    await Promise.all(writers.map((_, w) => writeResults(join(root, `cli-results-${w}`), specsFor(w))));
    const codes = await Promise.all(
      writers.map(
        (dir, w) =>
          new Promise<{ code: number | null; err: string }>((ok) => {
            const p = spawn(process.execPath, [cli, 'record', '--results', join(root, `cli-results-${w}`), '--commit', 'git', '--max-attempts', '30'], {
              cwd: dir,
              stdio: ['ignore', 'ignore', 'pipe'],
            });
            let err = '';
            p.stderr.on('data', (d: Buffer) => (err += d.toString()));
            p.on('exit', (code) => ok({ code, err }));
          }),
      ),
    );
    expect(
      codes.map((c) => c.code),
      codes.map((c) => c.err).join('\n'),
    ).toEqual(Array(8).fill(0));
    const check = await cloneOf(remote, 'cli-check');
    const state = await loadState(join(check, '.refinery'));
    const lines = [...state.packages.values()].flatMap((p) => p.history.map((h) => `${h.run}#${h.attempt}`));
    const expected = Array.from({ length: 8 }, (_, w) => specsFor(w))
      .flat()
      .flatMap((s) => {
        const r = makeResult(s);
        return r.attempts.map((a) => `${runId(r)}#${a.n}`);
      });
    expect(lines.sort()).toEqual(expected.sort());
  });

  it('refuses to move the branch when unpushed local commits touch other files', async () => {
    const remote = join(root, 'remote2.git');
    await git(root, ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
    const a = await cloneOf(remote, 'a2');
    await writeFile(join(a, 'README.md'), 'x\n');
    await git(a, ['add', 'README.md']);
    await git(a, ['commit', '--quiet', '-m', 'initial']);
    await git(a, ['push', '--quiet', 'origin', 'HEAD:refs/heads/main']);
    const b = await cloneOf(remote, 'b2');
    await writeResults(join(root, 'res-a2'), [specsFor(1)[0]!]);
    await record(join(root, 'res-a2'), join(a, '.refinery'));
    await commitStateWithGit({ repoDir: a, stateDir: join(a, '.refinery'), message: 'a' });
    await writeFile(join(b, 'notes.txt'), 'local work\n');
    await git(b, ['add', 'notes.txt']);
    await git(b, ['commit', '--quiet', '-m', 'local work']);
    await writeResults(join(root, 'res-b2'), [specsFor(2)[0]!]);
    await record(join(root, 'res-b2'), join(b, '.refinery'));
    await expect(commitStateWithGit({ repoDir: b, stateDir: join(b, '.refinery'), message: 'b' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await gitOut(b, ['log', '-1', '--format=%s', 'HEAD~1'])).toBe('local work');
  });
});
