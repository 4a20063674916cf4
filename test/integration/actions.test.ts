/**
 * The actions run as GitHub runs them: `node dist/<name>-action.js` with INPUT_* variables and the
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files of the runner's file commands.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOutputs } from '../helpers/action-files.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { pytoolsBin, repoRoot } from '../helpers/pytools.js';

let server: FixtureIndexServer;
let work: string;
beforeAll(async () => {
  server = await FixtureIndexServer.start({ projects: await projectsFromDir(join(repoRoot, 'examples/demo/dists')) });
  work = await mkdtemp(join(tmpdir(), 'refinery-actions-'));
});
afterAll(async () => server?.close());

async function runAction(name: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const dir = await mkdtemp(join(work, `${name}-`));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: Record<string, string> = {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: join(repoRoot, 'examples/demo'),
    RUNNER_TEMP: dir,
    REFINERY_UV: pytoolsBin('uv'),
    XDG_CACHE_HOME: join(work, 'cache'),
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  Object.assign(env, extraEnv);
  const r = await execa(process.execPath, [join(repoRoot, 'dist', `${name}-action.js`)], { env, reject: false, cwd: env.GITHUB_WORKSPACE });
  return { ...r, outputs: parseOutputs(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8') };
}

// Each test runs a bundled action entry as a process: a scan with uv over the loopback index.
describe('actions/scan and actions/plan', { timeout: 180_000 }, () => {
  it('scan writes the inventory, counts and a job summary', async () => {
    const r = await runAction('scan', { config: 'refinery.yml', 'index-url': server.url, 'state-dir': join(work, 'state') });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs['needs-build']).toBe('2');
    expect(JSON.parse(r.outputs.summary!)).toEqual({ 'upstream-wheel': 5, 'needs-build': 2, excluded: 1 });
    const inv = JSON.parse(await readFile(r.outputs.inventory!, 'utf8'));
    expect(inv.packages).toHaveLength(8);
    expect(r.summary).toContain('s390x wheel scan');
    expect(r.summary).toContain('markupsafe==3.0.2');
  });

  it('plan turns an inventory into a matrix output a build job can use', async () => {
    const scan = await runAction('scan', { config: 'refinery.yml', 'index-url': server.url, 'state-dir': join(work, 'state') });
    const r = await runAction('plan', { config: 'refinery.yml', inventory: scan.outputs.inventory!, 'state-dir': join(work, 'state') });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const matrix = JSON.parse(r.outputs.matrix!);
    expect(matrix.include.map((u: { package: string }) => u.package).sort()).toEqual(['crcmod', 'markupsafe']);
    expect(JSON.parse(matrix.include[0].runs_on)).toBe('ubuntu-24.04');
    expect(r.outputs.shards).toBe('1');
    expect(r.summary).toContain('s390x build plan');
    // The inventory it planned from, for the record job's upstream counts (artifact refinery-inventory).
    const handed = JSON.parse(await readFile(r.outputs.inventory!, 'utf8'));
    expect(handed.schema).toBe('refinery/inventory@1');
    expect(handed.summary).toEqual(JSON.parse(scan.outputs.summary!));
  });

  it('plan with waves gives one matrix of batches per wave job, the unused ones empty', async () => {
    const scan = await runAction('scan', { config: 'refinery.yml', 'index-url': server.url, 'state-dir': join(work, 'state') });
    const r = await runAction('plan', {
      config: 'refinery.yml',
      inventory: scan.outputs.inventory!,
      'state-dir': join(work, 'state'),
      waves: '5',
      'max-parallel': '1',
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.matrix).toBeUndefined();
    const wave0 = JSON.parse(r.outputs['wave-0']!);
    // max-parallel 1: the wave is one batch, its units built one after the other, named by id.
    expect(wave0.include).toHaveLength(1);
    expect(wave0.include[0].id).toMatch(/^wave-0-batch-\d+$/);
    expect(JSON.parse(wave0.include[0].runs_on)).toBe('ubuntu-24.04');
    // The wave job turns its entry into whole units from the plan file.
    const expanded = await runAction('plan', { batch: JSON.stringify(wave0.include[0]), 'plan-file': r.outputs.plan! });
    expect(expanded.exitCode, expanded.stdout + expanded.stderr).toBe(0);
    const batch = JSON.parse(expanded.outputs.batch!);
    expect(batch.units.map((u: { package: string }) => u.package).sort()).toEqual(['crcmod', 'markupsafe']);
    expect(batch.units[0].sdist.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(expanded.summary).toBe('');
    expect(r.outputs['wave-0-batches']).toBe(String(wave0.include.length));
    for (const w of [1, 2, 3, 4]) {
      expect(r.outputs[`wave-${w}`]).toBe('{"include":[]}');
      expect(r.outputs[`wave-${w}-batches`]).toBe('0');
    }
    expect(r.outputs['wave-5']).toBeUndefined();
    expect(r.outputs['queued-deeper']).toBe('0');
  });

  it('plan refuses waves and max-parallel inputs out of range before scanning', async () => {
    for (const [name, value, said] of [
      ['waves', 'lots', 'the waves input must be a whole number from 1 to 8'],
      ['max-parallel', '300', 'the max-parallel input must be a whole number from 1 to 256'],
    ] as const) {
      const r = await runAction('plan', { config: 'refinery.yml', 'state-dir': join(work, 'state'), 'index-url': server.url, [name]: value });
      expect(r.exitCode).not.toBe(0);
      expect(r.stdout).toContain(said);
      expect(r.summary).toBe('');
    }
  });

  it('options scan ignores become warning annotations on their requirements line, relative to the workspace', async () => {
    const workspace = await mkdtemp(join(work, 'repo-'));
    await mkdir(join(workspace, 'ci'));
    await writeFile(join(workspace, 'ci', 'requirements.txt'), 'markupsafe==3.0.2\n--find-links ./wheels\n');
    await writeFile(join(workspace, 'ci', 'refinery.yml'), 'requirements:\n  - lock: requirements.txt\n');
    const r = await runAction(
      'scan',
      { config: 'ci/refinery.yml', 'index-url': server.url, 'state-dir': join(work, 'state') },
      { GITHUB_WORKSPACE: workspace },
    );
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^::warning file=ci\/requirements\.txt,line=2::--find-links is not searched by scan/m);
    expect(r.stderr).not.toContain('--find-links'); // said once, as the annotation
    expect(r.summary).toContain('ignored: requirements.txt:2:'); // the summary names it from the config's folder
  });

  it('a bad config fails the step with an annotation naming file and line', async () => {
    const bad = join(work, 'bad.yml');
    await writeFile(bad, 'targets:\n  python: ["two"]\n');
    const r = await runAction('scan', { config: bad });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`::error title=refinery%3A config,file=${bad.replace(/[/.]/g, '\\$&')},line=2::`));
  });
});
