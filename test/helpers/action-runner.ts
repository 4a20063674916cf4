/**
 * Runs an action the way the GitHub runner runs a node action: `node <runs.main>` from its
 * action.yml, every declared input as INPUT_<NAME> (defaults filled in as the runner does), and the
 * file commands' files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH). It reads back the
 * outputs, the summary and the workflow commands (annotations) the step printed.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { repoRoot } from './pytools.js';

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  annotations: { level: 'error' | 'warning' | 'notice'; props: string; message: string }[];
}

export interface ActionRunOptions {
  /** The job's folder for RUNNER_TEMP, the output and summary files. */
  tempDir: string;
  workspace: string;
  inputs?: Record<string, string>;
  env?: Record<string, string | undefined>;
  /** The webhook payload of the event (GITHUB_EVENT_PATH); GITHUB_EVENT_NAME comes from env. */
  event?: unknown;
}

/** Parse the runner's `name<<delimiter` output file format. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

// The toolkit's escaping of workflow commands (messages; properties also escape ':' and ',').
const unescapeMessage = (s: string) => s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
const unescapeProperty = (s: string) => unescapeMessage(s.replace(/%3A/g, ':').replace(/%2C/g, ','));

/** `actionDir`: the folder of the action.yml, relative to the repository root ('' for the root action). */
export async function runActionYml(actionDir: string, o: ActionRunOptions): Promise<ActionRun> {
  const file = join(repoRoot, actionDir, 'action.yml');
  const meta = parse(await readFile(file, 'utf8')) as {
    inputs?: Record<string, { default?: string }>;
    runs: { using: string; main: string };
  };
  const dir = await mkdtemp(join(o.tempDir, 'step-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: o.workspace,
    RUNNER_TEMP: dir,
  };
  if (o.event !== undefined) {
    env.GITHUB_EVENT_PATH = join(dir, 'event.json');
    await writeFile(env.GITHUB_EVENT_PATH, JSON.stringify(o.event));
  }
  for (const [k, v] of Object.entries(o.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  // The runner sets every declared input, a default where none was given (expressions evaluated:
  // here `${{ github.token }}` is the job's GITHUB_TOKEN, when the test gives one).
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    const given = o.inputs?.[name];
    const def = spec.default === '${{ github.token }}' ? (env.GITHUB_TOKEN ?? '') : (spec.default ?? '');
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = given ?? def;
  }
  for (const name of Object.keys(o.inputs ?? {})) {
    if (!meta.inputs?.[name]) throw new Error(`${actionDir || '.'}/action.yml declares no input ${name}`);
  }
  const main = resolve(dirname(file), meta.runs.main);
  const r = await execa(process.execPath, [main], { env, extendEnv: false, reject: false, cwd: o.workspace, all: false });
  const annotations: ActionRun['annotations'] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(line);
    if (m) annotations.push({ level: m[1] as 'error', props: unescapeProperty(m[2]?.trim() ?? ''), message: unescapeMessage(m[3]!) });
  }
  return {
    exitCode: r.exitCode ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: parseOutputs(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    annotations,
  };
}

/**
 * Jobs on fresh runners: each starts with an empty HOME at the same path (cache versions include
 * the paths), in `work` as workspace and temp folder, with `baseEnv` and the job's own variables.
 */
export function freshRunnerJobs(work: string, home: string, baseEnv: Record<string, string>) {
  return async (action: string, inputs: Record<string, string>, env: Record<string, string> = {}, o: Partial<ActionRunOptions> = {}) => {
    await rm(home, { recursive: true, force: true });
    await mkdir(home, { recursive: true });
    return runActionYml(action, {
      tempDir: work,
      workspace: work,
      inputs: { config: 'refinery.yml', ...inputs },
      env: { HOME: home, ...baseEnv, ...env },
      ...o,
    });
  };
}
