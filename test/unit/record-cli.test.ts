import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitOut } from '../../src/adapters/git.js';
import type { CliContext } from '../../src/faces/cli/context.js';
import { main } from '../../src/faces/cli/main.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { writeResults } from '../helpers/state-results.js';

const T0 = Date.parse('2026-07-01T00:00:00Z');
let root: string;

function cli(cwd: string, env: Record<string, string> = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => (stdout += d.toString()));
  err.on('data', (d: Buffer) => (stderr += d.toString()));
  const ctx: CliContext = { cwd, env: { HOME: root, ...env }, stdout: out, stderr: err, interactive: false };
  return async (...argv: string[]) => {
    stdout = '';
    stderr = '';
    const code = await main(argv, ctx);
    return { code, stdout, stderr };
  };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-record-cli-'));
  await writeResults(join(root, 'results'), [
    { pkg: 'numpy', version: '2.0', start: T0 },
    { pkg: 'scipy', version: '1.14', start: T0, attempts: [{ status: 'failure', failureClass: 'transient' }] },
  ]);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('refinery record', () => {
  it('records into the state folder and reports what it did', async () => {
    const run = cli(root);
    const r = await run('record', '--results', 'results', '--state', 'st', '--store', 'local:wheelhouse', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ results: 2, built: 1, failed: 1, packages: ['numpy', 'scipy'], queued: 1 });
    expect(JSON.parse(await readFile(join(root, 'st', 'packages', 'numpy.json'), 'utf8')).manifest[0].storage.kind).toBe('local');
  });

  it('a missing results folder is one clear error with the input exit code', async () => {
    const r = await cli(root)('record', '--results', 'nope', '--state', 'st2');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^refinery: error: .*nope: cannot read the results folder: ENOENT/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an invalid state folder is exit code 9 and is left alone', async () => {
    const run = cli(root);
    await run('record', '--results', 'results', '--state', 'bad');
    const file = join(root, 'bad', 'packages', 'numpy.json');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, '{"schema":"refinery/package@1"');
    const r = await run('record', '--results', 'results', '--state', 'bad');
    expect(r.code).toBe(9);
    expect(r.stderr).toContain(file);
    expect(await readFile(file, 'utf8')).toBe('{"schema":"refinery/package@1"');
  });

  it('--commit git commits and pushes the state from a checkout', async () => {
    const remote = join(root, 'remote.git');
    await git(root, ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
    const repo = join(root, 'checkout');
    await git(root, ['clone', '--quiet', remote, repo]);
    await git(repo, ['commit', '--quiet', '--allow-empty', '-m', 'initial'], {
      env: { GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@x', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@x' },
    });
    await git(repo, ['push', '--quiet', 'origin', 'HEAD:refs/heads/main']);
    const r = await cli(repo)('record', '--results', join(root, 'results'), '--commit', 'git');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/committed [0-9a-f]{12} with git after 1 attempt/);
    expect(await gitOut(repo, ['ls-tree', '-r', '--name-only', 'origin/main'])).toContain('.refinery/history/scipy.jsonl');
    expect(await gitOut(repo, ['log', '-1', '--format=%s', 'origin/main'])).toBe('refinery: record 2 build result(s) (1 built, 1 failed)');
  });

  it('--commit api commits through the GitHub API with the workflow token', async () => {
    const gh = await new FakeGitHub().start();
    try {
      gh.seed('main', { 'README.md': 'x\n' });
      const env = { GITHUB_TOKEN: gh.token, GITHUB_REPOSITORY: 'acme/wheels', GITHUB_REF_NAME: 'main', GITHUB_API_URL: gh.url };
      const r = await cli(join(root, 'ws'), env)('record', '--results', join(root, 'results'), '--commit', 'api', '--store', 'release:wheels', '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).commit).toMatchObject({ how: 'api', commit: gh.head('main') });
      expect(gh.files('main').get('.refinery/packages/numpy.json')).toContain('"kind": "github-release"');
    } finally {
      await gh.stop();
    }
  });
});

describe('refinery queue', () => {
  it('lists, shows due entries, adds and drops', async () => {
    const run = cli(root);
    await run('record', '--results', 'results', '--state', 'q');
    let r = await run('queue', 'list', '--state', 'q');
    expect(r.stdout).toMatch(/scipy\s+1\.14\s+3\.12\s+transient\s+1\s+2026-07-01T01:01:00.000Z\s+waiting/);
    r = await run('queue', 'due', '--state', 'q', '--now', '2026-07-01T00:30:00Z', '--json');
    expect(JSON.parse(r.stdout)).toEqual([]);
    r = await run('queue', 'due', '--state', 'q', '--now', '2026-07-01T02:00:00Z', '--json');
    expect(JSON.parse(r.stdout).map((q: { package: string }) => q.package)).toEqual(['scipy']);
    r = await run('queue', 'add', 'Pillow', '11.0.0', '--state', 'q', '--note', 'asked for');
    expect(r.code).toBe(0);
    r = await run('queue', 'list', '--state', 'q', '--json');
    expect(JSON.parse(r.stdout).map((q: { package: string; reason: string }) => [q.package, q.reason])).toEqual([
      ['pillow', 'requested'],
      ['scipy', 'transient'],
    ]);
    r = await run('queue', 'drop', 'scipy', '1.14', '--state', 'q');
    expect(r.stdout).toMatch(/dropped 1 queue entry/);
    r = await run('queue', 'drop', 'scipy', '1.14', '--state', 'q');
    expect(r.code).toBe(2);
    r = await run('queue', 'add', 'bad name!', '1.0', '--state', 'q');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a valid package name/);
  });
});
