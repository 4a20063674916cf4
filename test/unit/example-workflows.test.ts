// The ready-to-copy workflows and docs/cli.md must stay true to the code: every action input and
// output they use is declared in an action.yml, every `refinery` command and flag they run exists,
// write permission is confined to the record jobs, and docs/cli.md names every flag the CLI has.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');
const exampleDir = join(root, 'examples', 'workflows');
const examples = readdirSync(exampleDir).filter((f) => f.endsWith('.yml'));
const workflowFiles = [...examples.map((f) => join('examples', 'workflows', f)), join('.github', 'workflows', 'ci.yml')];

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  env?: Record<string, string>;
}
interface Job {
  permissions?: Record<string, string>;
  if?: string;
  strategy?: { matrix?: unknown };
  'runs-on'?: unknown;
  steps: Step[];
}
interface Workflow {
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

function load(file: string): Workflow {
  return parse(readFileSync(join(root, file), 'utf8'), { uniqueKeys: true, prettyErrors: true }) as Workflow;
}

function action(path: string): { inputs: string[]; outputs: string[] } {
  const a = parse(readFileSync(join(root, path), 'utf8')) as { inputs?: object; outputs?: object };
  return { inputs: Object.keys(a.inputs ?? {}), outputs: Object.keys(a.outputs ?? {}) };
}

/** `refinery <cmd> [<sub>] --flags...` invocations in a run script (line continuations joined). */
function refineryCalls(script: string): { command: string[]; flags: string[] }[] {
  const calls: { command: string[]; flags: string[] }[] = [];
  for (const line of script.replace(/\\\n/g, ' ').split('\n')) {
    const m = /(?:^|[\s;&|(])refinery\s+([a-z]+)(?:\s+([a-z]+))?(.*)$/.exec(line);
    if (!m) continue;
    const command = [m[1]!];
    if (m[1] === 'queue' || m[1] === 'hints') command.push(m[2]!);
    const rest = `${m[1] === 'queue' || m[1] === 'hints' ? '' : (m[2] ?? '')} ${m[3] ?? ''}`;
    calls.push({ command, flags: [...rest.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((f) => f[1]!) });
  }
  return calls;
}

async function helpFlags(command: string[]): Promise<string[]> {
  const r = await runCli([...command, '--help']);
  expect(r.code, `refinery ${command.join(' ')} --help: ${r.stderr}`).toBe(0);
  return [...r.stdout.matchAll(/^\s+(?:-[A-Za-z], )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!);
}

describe('example workflows', () => {
  it('are the four pipelines the docs describe', () => {
    expect(examples.sort()).toEqual(['s390x-pages.yml', 's390x-pull-request.yml', 's390x-retry.yml', 's390x-wheels.yml']);
  });

  it.each(workflowFiles)('%s parses as YAML with unique keys', (file) => {
    const wf = load(file);
    expect(Object.keys(wf.jobs).length).toBeGreaterThan(0);
  });

  it.each(workflowFiles)('%s passes only declared inputs to the refinery actions and reads only declared outputs', (file) => {
    const wf = load(file);
    for (const job of Object.values(wf.jobs)) {
      const stepAction = new Map<string, ReturnType<typeof action>>();
      for (const step of job.steps) {
        const m = /^OWNER\/REPO(?:\/(actions\/[a-z]+))?@/.exec(step.uses ?? '');
        if (!m) continue;
        const declared = action(m[1] ? join(m[1], 'action.yml') : 'action.yml');
        for (const input of Object.keys(step.with ?? {})) expect(declared.inputs, `${file}: ${step.uses} input ${input}`).toContain(input);
        if (step.id) stepAction.set(step.id, declared);
      }
      const text = JSON.stringify(job);
      for (const [, id, output] of text.matchAll(/steps\.([a-z-]+)\.outputs\.([a-z-]+)/g)) {
        const declared = stepAction.get(id!);
        if (declared) expect(declared.outputs, `${file}: steps.${id}.outputs.${output}`).toContain(output);
      }
    }
  });

  it.each(examples)('%s runs only refinery commands and flags that exist', async (file) => {
    const wf = load(join('examples', 'workflows', file));
    const calls = Object.values(wf.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run ? refineryCalls(s.run) : [])));
    // A workflow runs the refinery through the CLI or through its actions.
    const actions = Object.values(wf.jobs).flatMap((j) => j.steps.filter((s) => /^OWNER\/REPO(\/actions\/[a-z]+)?@/.test(s.uses ?? '')));
    expect(calls.length + actions.length).toBeGreaterThan(0);
    for (const call of calls) {
      const known = await helpFlags(call.command);
      for (const flag of call.flags) expect(known, `${file}: refinery ${call.command.join(' ')} ${flag}`).toContain(flag);
    }
  });

  it.each(examples)('%s reads only, except in the job that records or deploys Pages', (file) => {
    const wf = load(join('examples', 'workflows', file));
    // Either read for all, or nothing at the top and each job's grants spelled out.
    const none = Object.keys(wf.permissions ?? { contents: 'read' }).length === 0;
    if (!none) expect(wf.permissions).toEqual({ contents: 'read' });
    for (const [name, job] of Object.entries(wf.jobs)) {
      const records = job.steps.some((s) => /refinery record\b.*--commit (git|api)/.test(s.run ?? ''));
      const deploys = job.steps.some((s) => /^actions\/deploy-pages@/.test(s.uses ?? ''));
      if (records) expect(job.permissions, `${file}: ${name}`).toEqual({ contents: 'write' });
      else if (deploys) expect(job.permissions, `${file}: ${name}`).toEqual({ pages: 'write', 'id-token': 'write' });
      else if (none) expect(job.permissions, `${file}: ${name} asks for read only`).toEqual({ contents: 'read' });
      else expect(job.permissions, `${file}: ${name} must not ask for more than the workflow's read`).toBeUndefined();
      // Secrets never appear; the workflow token is handed only to the recording step.
      expect(JSON.stringify(job), `${file}: ${name}`).not.toMatch(/secrets\./);
      for (const step of job.steps) if (step.env?.GITHUB_TOKEN) expect(step.run ?? '', `${file}: ${name}`).toMatch(/refinery record/);
    }
  });

  it('the Pages workflow runs actions/publish and deploys with the official actions, pinned by commit SHA', () => {
    const text = readFileSync(join(exampleDir, 's390x-pages.yml'), 'utf8');
    const wf = load(join('examples', 'workflows', 's390x-pages.yml'));
    expect(wf.permissions).toEqual({});
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    const uses = [...text.matchAll(/^\s*(?:- )?uses: (\S+)(.*)$/gm)];
    expect(uses.map((u) => u[1]!.split('@')[0])).toEqual([
      'actions/checkout',
      'OWNER/REPO/actions/publish',
      'actions/upload-pages-artifact',
      'actions/deploy-pages',
    ]);
    for (const [, ref, comment] of uses) {
      if (ref!.startsWith('OWNER/REPO/')) continue; // the refinery itself: the reader pins it (the header says how)
      expect(ref, ref).toMatch(/^actions\/[a-z-]+@[0-9a-f]{40}$/);
      expect(comment, `${ref}: the version it pins`).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
    // The artifact the site job uploads is the folder publish wrote, and the store is the one record used.
    const upload = steps.find((s) => /upload-pages-artifact/.test(s.uses ?? ''))!;
    const publish = steps.find((s) => /actions\/publish@/.test(s.uses ?? ''))!;
    expect(upload.with?.path).toBe(`\${{ steps.${publish.id}.outputs.site }}`);
    const record = readFileSync(join(exampleDir, 's390x-wheels.yml'), 'utf8');
    expect(record).toContain(`--store ${publish.with?.store}`);
    // Only the deploy job may write, and only to Pages.
    const writers = Object.entries(wf.jobs).filter(([, j]) => Object.values(j.permissions ?? {}).includes('write'));
    expect(writers.map(([n, j]) => [n, j.permissions])).toEqual([['deploy', { pages: 'write', 'id-token': 'write' }]]);
    // Triggered by the workflows that record (their token's pushes start no workflow).
    const on = (wf as unknown as { on: { workflow_run: { workflows: string[] } } }).on;
    const names = examples.map((f) => (parse(readFileSync(join(exampleDir, f), 'utf8')) as { name: string }).name);
    for (const w of on.workflow_run.workflows) expect(names).toContain(w);
  });

  it('records on a pull request workflow only for pushes to main', () => {
    const wf = load(join('examples', 'workflows', 's390x-pull-request.yml'));
    const recordJobs = Object.values(wf.jobs).filter((j) => j.permissions?.contents === 'write');
    expect(recordJobs).toHaveLength(1);
    expect(recordJobs[0]!.if).toContain("github.event_name == 'push'");
    expect(recordJobs[0]!.if).toContain("github.ref == 'refs/heads/main'");
  });

  it('build matrices come from the plan output and run where each unit says', () => {
    for (const file of ['s390x-wheels.yml', 's390x-pull-request.yml']) {
      const build = load(join('examples', 'workflows', file)).jobs.build!;
      expect(build.strategy?.matrix).toBe('${{ fromJSON(needs.plan.outputs.matrix) }}');
      expect(build['runs-on']).toBe('${{ fromJSON(matrix.runs_on) }}');
      // The unit reaches the CLI as data through the environment, never inside the script text.
      const buildStep = build.steps.find((s) => /refinery build/.test(s.run ?? ''))!;
      expect(buildStep.env?.UNIT).toBe('${{ toJSON(matrix) }}');
      expect(buildStep.run).not.toContain('${{');
    }
  });
});

describe('docs/cli.md', () => {
  const doc = readFileSync(join(root, 'docs', 'cli.md'), 'utf8');

  /** Every command and subcommand `refinery --help` lists, e.g. ['scan'], ['queue', 'add']. */
  async function allCommands(): Promise<string[][]> {
    const listed = async (prefix: string[]) => {
      const r = await runCli([...prefix, '--help']);
      const section = r.stdout.split(/^Commands:$/m)[1] ?? '';
      return [...section.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    };
    const out: string[][] = [];
    for (const c of await listed([])) {
      const subs = await listed([c]);
      if (subs.length === 0) out.push([c]);
      else for (const sub of subs) out.push([c, sub]);
    }
    return out;
  }

  it('names every command and every flag the CLI has', async () => {
    const commands = await allCommands();
    expect(commands.map((c) => c[0])).toEqual(expect.arrayContaining(['scan', 'plan', 'build', 'record', 'hints', 'queue']));
    for (const command of commands) {
      const name = command.join(' ');
      expect(doc, `document refinery ${name} in docs/cli.md`).toMatch(
        new RegExp(command.length === 1 ? `refinery ${name}\\b` : `${command[0]} ${command[1]}\\b`),
      );
      for (const flag of await helpFlags(command)) {
        if (flag === '--help') continue;
        expect(doc, `document ${flag} of refinery ${name} in docs/cli.md`).toMatch(new RegExp(`${flag}(?![a-z-])`));
      }
    }
  });
});
