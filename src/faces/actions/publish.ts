// actions/publish: the state as a static site (pip index, dashboard, API, metrics, exports) for a
// Pages job to upload; outputs the folder and counts, and writes a job summary.
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { parseStoreSpec } from '../../domain/storage/index.js';
import type { PublishOutcome, Session } from '../../session/index.js';
import { actionSession, listInput } from './inputs.js';
import { esc } from './summary.js';

/** Everything publish needs from the inputs, the session and the runner's environment. */
export interface PublishSetup {
  session: Session;
  stateDir: string;
  outDir: string;
  localStore?: string;
  repo?: string;
  branch?: string;
  siteUrl?: string;
  title?: string;
}

/**
 * Inputs -> the action's session (config, state folder and hint catalogs through the same cascade
 * as every face), plus what only publish asks: the store, the site folder, the links.
 */
export async function resolvePublish(env: NodeJS.ProcessEnv = process.env): Promise<PublishSetup> {
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const opt = (name: string) => core.getInput(name) || undefined;
  const config = opt('config');
  const state = opt('state-dir');
  const session = await actionSession({
    ...(config ? { config: resolve(workspace, config) } : {}),
    ...(state ? { state: resolve(workspace, state) } : {}),
    hintFiles: listInput('hints').map((f) => resolve(workspace, f)),
  });
  // Release assets are linked from the manifest's URLs: the tag is accepted to match record's input, nothing is fetched.
  const store = parseStoreSpec(
    opt('store') ?? 'none',
    workspace,
    ['release', 'local', 'none'],
    'give the store record used (release:TAG links to the release assets; local:DIR copies the wheels into the site)',
  );
  const localStore = store.kind === 'local' ? store.dir : undefined;
  return {
    session,
    stateDir: session.stateDir,
    outDir: resolve(workspace, opt('out') ?? 'site'),
    localStore,
    repo: opt('repository'),
    branch: opt('branch'),
    siteUrl: opt('site-url') ?? pagesUrl(env),
    title: opt('title'),
  };
}

/** Where GitHub Pages serves a project site of this repository (no custom domain). */
function pagesUrl(env: NodeJS.ProcessEnv): string | undefined {
  const [owner, name] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !name || (env.GITHUB_SERVER_URL && env.GITHUB_SERVER_URL !== 'https://github.com')) return undefined;
  return name.toLowerCase() === `${owner.toLowerCase()}.github.io` ? `https://${name.toLowerCase()}/` : `https://${owner.toLowerCase()}.github.io/${name}/`;
}

/** Annotations per step are capped (10 warnings): the first ones, then a count. */
const MAX_WARNINGS = 9;

export async function publishAction(): Promise<PublishOutcome> {
  const s = await resolvePublish();
  const outcome = await s.session.publish(s.outDir, {
    localStore: s.localStore,
    title: s.title,
    siteUrl: s.siteUrl,
    suggest: { ...(s.repo ? { repo: s.repo } : {}), ...(s.branch ? { branch: s.branch } : {}) },
  });
  for (const w of outcome.warnings.slice(0, MAX_WARNINGS)) core.warning(w, { title: 'refinery: publish' });
  if (outcome.warnings.length > MAX_WARNINGS)
    core.warning(`${outcome.warnings.length - MAX_WARNINGS} more publish warning(s): see the job summary`, { title: 'refinery: publish' });
  core.setOutput('site', s.outDir);
  core.setOutput('packages', String(outcome.packages));
  core.setOutput('wheels', String(outcome.wheels));
  core.setOutput('changed', String(outcome.written.length));
  publishSummary(outcome);
  await core.summary.write();
  return outcome;
}

/** Files listed by name in the summary; the rest are counted (a step's summary is capped at 1 MiB). */
const LISTED = 50;

function publishSummary(o: PublishOutcome): void {
  core.summary.addHeading('s390x wheels site', 2);
  core.summary.addTable([
    [
      { data: 'packages', header: true },
      { data: 'wheels', header: true },
      { data: 'files written', header: true },
      { data: 'unchanged', header: true },
      { data: 'removed', header: true },
    ],
    [String(o.packages), String(o.wheels), String(o.written.length), String(o.unchanged), String(o.removed.length)],
  ]);
  // The stage kept the URL only when it is http(s) without credentials.
  const site = o.siteUrl;
  const link = (url: string) => `<a href="${esc(url)}" rel="noopener noreferrer">${esc(url)}</a>`;
  if (site) core.summary.addRaw(`<p>Site: ${link(site)} · pip index: ${link(`${site}simple/`)}</p>\n\n`);
  const list = (files: string[]) =>
    `<ul>${files
      .slice(0, LISTED)
      .map((f) => `<li><code>${esc(f)}</code></li>`)
      .join('')}${files.length > LISTED ? `<li>and ${files.length - LISTED} more</li>` : ''}</ul>`;
  if (o.written.length > 0) core.summary.addDetails(`${o.written.length} file(s) changed`, list(o.written));
  else core.summary.addRaw('Nothing changed since the last publish.\n\n');
  if (o.removed.length > 0) core.summary.addDetails(`${o.removed.length} file(s) removed`, list(o.removed));
  if (o.warnings.length > 0) core.summary.addDetails(`${o.warnings.length} warning(s)`, list(o.warnings));
}
