import { relative, resolve, sep } from 'node:path';
import { type Command, Option } from 'commander';
import type { RefineryOctokit } from '../../../adapters/github.js';
import { RefineryError } from '../../../errors.js';
import { commitStateWithApi, commitStateWithGit, record } from '../../../stages/record/index.js';
import { withStateLock } from '../../../domain/state/index.js';
import { GitHubReleaseStore, LocalWheelStore, type WheelStore } from '../../../domain/storage/index.js';
import { type CliContext, print, printJson, warn } from '../context.js';
import { parseStoreSpec } from '../option-values.js';
import { loadEffectiveConfig } from '../options.js';

interface RecordFlags {
  results: string;
  state?: string;
  config?: string;
  commit: 'git' | 'api' | 'none';
  store: string;
  message?: string;
  branch?: string;
  repo?: string;
  apiUrl?: string;
  statePath?: string;
  maxAttempts: string;
  lockWait: string;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('record')
    .summary('merge build results into the state and commit it back')
    .description(
      'Read every <unit>.result.json under --results (build job artifacts, wheels\n' +
        'next to them) and merge them into the state folder: history for every\n' +
        'attempt, manifest entries for wheels (stored with --store for reuse),\n' +
        'learned hints, known-failing marks and retry queue entries. Merging is\n' +
        'order-independent and idempotent; an invalid state is never overwritten.\n' +
        '--commit git pushes from this checkout; --commit api writes through the\n' +
        'GitHub Git Data API (GITHUB_TOKEN). Both re-merge and retry when the\n' +
        'branch moved, and never force. One record at a time per state folder:\n' +
        "another one waits for the folder's lock (--lock-wait), then merges on top.",
    )
    .requiredOption('--results <dir>', 'folder with the build results (searched recursively)')
    .option('--state <dir>', "state folder (default: the config's state.dir, .refinery)")
    .option('-c, --config <file>', 'config file (default: ./refinery.yml when present)')
    .addOption(new Option('--commit <how>', 'commit the state back').choices(['git', 'api', 'none']).default('none'))
    .option('--store <where>', 'where wheels are kept for reuse: none, local:DIR or release:TAG (GitHub Release assets)', 'none')
    .option('-m, --message <text>', 'commit message')
    .option('--branch <name>', 'branch to push to (default: the checked-out one; api: GITHUB_REF_NAME)')
    .option('--repo <owner/name>', 'repository for --commit api and release:TAG (default: GITHUB_REPOSITORY)')
    .option('--api-url <url>', 'GitHub API root (default: GITHUB_API_URL or https://api.github.com)')
    .option('--state-path <path>', 'the state folder inside the repository, for --commit api (default: --state relative to here)')
    .option('--max-attempts <n>', 'push attempts before giving up when others keep pushing', '10')
    .option('--lock-wait <seconds>', 'how long to wait for another record holding the state folder', '600')
    .option('--json', 'print the outcome as JSON')
    .addHelpText(
      'after',
      `
Examples:
  refinery record --results artifacts/ --commit git
  refinery record --results artifacts/ --store release:wheels --commit api`,
    )
    .action(async (o: RecordFlags) => {
      const { stateDir } = await loadEffectiveConfig(ctx, { config: o.config, state: o.state });
      const maxAttempts = Number(o.maxAttempts);
      if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RefineryError('usage', '--max-attempts must be a positive whole number');
      const lockWait = Number(o.lockWait);
      if (!Number.isFinite(lockWait) || lockWait < 0) throw new RefineryError('usage', '--lock-wait must be a number of seconds (0 or more)');
      // Octokit takes longer to load than most commands take to run: only when this run talks to GitHub.
      const talksToGithub = o.commit === 'api' || o.store.startsWith('release:');
      const { githubClient } = talksToGithub ? await import('../../../adapters/github-client.js') : { githubClient: undefined };
      let octokit: RefineryOctokit | undefined;
      const github = () =>
        (octokit ??= githubClient!({ token: ctx.env.GITHUB_TOKEN ?? ctx.env.GH_TOKEN, baseUrl: o.apiUrl ?? ctx.env.GITHUB_API_URL, log: (l) => warn(ctx, l) }));
      const store = storeOf(ctx, o, github);
      // One lock from loading the state to the last push, so writers sharing this folder (and
      // checkout) take turns; record() and the commit-backs below re-enter it.
      const lock = { waitMs: lockWait * 1000, purpose: `record${o.commit === 'none' ? '' : ` --commit ${o.commit}`}`, log: (l: string) => warn(ctx, l) };
      const { outcome, commit } = await withStateLock(
        stateDir,
        async () => {
          const outcome = await record(resolve(ctx.cwd, o.results), stateDir, { store });
          const message = o.message ?? `refinery: record ${outcome.results} build result(s) (${outcome.built} built, ${outcome.failed} failed)`;
          let commit: { how: string; commit?: string; attempts: number } | undefined;
          if (o.commit === 'git') {
            const r = await commitStateWithGit({ repoDir: ctx.cwd, stateDir, message, branch: o.branch, maxAttempts, log: (l) => warn(ctx, l) });
            commit = { how: 'git', commit: r.commit, attempts: r.attempts };
          } else if (o.commit === 'api') {
            const { owner, repo } = repoOf(ctx, o);
            const branch = o.branch ?? ctx.env.GITHUB_REF_NAME;
            if (!branch) throw new RefineryError('usage', '--commit api needs --branch (or GITHUB_REF_NAME)');
            if (!ctx.env.GITHUB_TOKEN && !ctx.env.GH_TOKEN)
              throw new RefineryError('usage', '--commit api needs GITHUB_TOKEN in the environment', {
                fix: 'pass the workflow token: env: GITHUB_TOKEN: ${{ github.token }} with permissions contents: write',
              });
            const statePath = o.statePath ?? relative(ctx.cwd, stateDir).split(sep).join('/');
            if (!statePath || statePath.startsWith('..'))
              throw new RefineryError('usage', 'cannot tell where the state folder is inside the repository', { fix: 'pass --state-path, e.g. .refinery' });
            const r = await commitStateWithApi({
              octokit: github(),
              owner,
              repo,
              branch,
              stateDir,
              statePath,
              local: outcome.state,
              packages: outcome.packages,
              message,
              maxAttempts,
              log: (l) => warn(ctx, l),
            });
            commit = { how: 'api', commit: r.commit, attempts: r.attempts };
          }
          return { outcome, commit };
        },
        lock,
      );
      const summary = {
        results: outcome.results,
        attempts: outcome.attempts,
        built: outcome.built,
        failed: outcome.failed,
        cancelled: outcome.cancelled,
        packages: outcome.packages,
        written: outcome.written,
        queued: outcome.packages.flatMap((n) => outcome.state.packages.get(n)?.queue ?? []).filter((q) => q.status === 'waiting').length,
        commit,
      };
      if (o.json) return printJson(ctx, summary);
      print(
        ctx,
        `recorded ${summary.results} result(s), ${summary.attempts} attempt(s): ${summary.built} built, ${summary.failed} failed, ${summary.packages.length} package(s) changed`,
      );
      if (summary.cancelled > 0) print(ctx, `${summary.cancelled} cancelled build result(s) not recorded: those units are planned again`);
      print(ctx, `state: ${stateDir} (${summary.written.length} file(s) written${summary.queued ? `, ${summary.queued} retry queued` : ''})`);
      if (commit)
        print(
          ctx,
          commit.commit
            ? `committed ${commit.commit.slice(0, 12)} with ${commit.how} after ${commit.attempts} attempt(s)`
            : `nothing to commit (${commit.how})`,
        );
    });
}

function repoOf(ctx: CliContext, o: RecordFlags): { owner: string; repo: string } {
  const full = o.repo ?? ctx.env.GITHUB_REPOSITORY;
  const m = full ? /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(full) : null;
  if (!m)
    throw new RefineryError('usage', `need the repository as owner/name (got ${full ?? 'nothing'})`, {
      fix: 'pass --repo owner/name or set GITHUB_REPOSITORY',
    });
  return { owner: m[1]!, repo: m[2]! };
}

function storeOf(ctx: CliContext, o: RecordFlags, github: () => RefineryOctokit): WheelStore | undefined {
  const spec = parseStoreSpec(o.store, ctx.cwd, ['none', 'local', 'release']);
  if (spec.kind === 'none') return undefined;
  if (spec.kind === 'local') return new LocalWheelStore(spec.dir);
  const { owner, repo } = repoOf(ctx, o);
  return new GitHubReleaseStore({ octokit: github(), owner, repo, tag: spec.tag });
}
