import { resolve } from 'node:path';
import * as core from '@actions/core';
import { RefineryError } from '../../errors.js';
import { EXECUTOR_KINDS, type ExecutorKind } from '../../domain/executors/index.js';
import type { Compiler } from '../../domain/model/compiler.js';
import { type CommitMode, openSession, type Session, type SessionFlags } from '../../session/index.js';
import { commitRefusal } from './fork-safety.js';

/** Multiline or comma-separated input -> list. */
export function listInput(name: string): string[] {
  return core
    .getInput(name)
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** What paths in inputs are relative to, as in every other action. */
export function workspace(): string {
  return process.env.GITHUB_WORKSPACE ?? process.cwd();
}

/** The scan inputs every action shares, as session flags (the same cascade as the CLI's). */
export function scanInputs(): SessionFlags {
  const ws = workspace();
  const opt = (name: string) => core.getInput(name) || undefined;
  const config = opt('config');
  const state = opt('state-dir');
  const platform = opt('platform') as SessionFlags['platform'];
  return {
    ...(config ? { config: resolve(ws, config) } : {}),
    requirements: listInput('requirements').map((r) => resolve(ws, r)),
    ...(opt('index-url') ? { indexUrl: opt('index-url') } : {}),
    extraIndexUrl: listInput('extra-index-url'),
    python: listInput('python'),
    ...(platform ? { platform } : {}),
    ...(state ? { state: resolve(ws, state) } : {}),
  };
}

/** Turn any failure into an annotation and a failed step; never a bare stack trace. */
export async function runAction(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (e instanceof RefineryError) {
      const props: core.AnnotationProperties = { title: `refinery: ${e.code}` };
      if (e.location.file) props.file = e.location.file;
      if (e.location.line) props.startLine = e.location.line;
      core.error(e.describe(), props);
      // Failed without setFailed: that would print the same message as a second error annotation.
      process.exitCode = 1;
    } else {
      core.setFailed(`refinery: internal error: ${(e as Error)?.stack ?? String(e)}`);
    }
  }
}

/** The action's session: the runner's process as the world, notices as log lines. */
export function actionSession(flags: SessionFlags = scanInputs()): Promise<Session> {
  return openSession({ cwd: process.cwd(), env: process.env, flags, notice: (m) => core.info(m) });
}

/** The `executor` and `compiler` inputs, checked; empty: what the runner has, the config's compiler. */
export function buildInputs(): { executor?: ExecutorKind; compiler?: Compiler; network?: 'host' | 'none' | 'default' } {
  const executor = core.getInput('executor');
  if (executor && !EXECUTOR_KINDS.includes(executor as ExecutorKind))
    throw new RefineryError('usage', `executor ${JSON.stringify(executor)}: expected ${EXECUTOR_KINDS.join(', ')} or nothing (what the runner has)`);
  const compiler = core.getInput('compiler');
  if (compiler && compiler !== 'turbo' && compiler !== 'emulated')
    throw new RefineryError('usage', `compiler ${JSON.stringify(compiler)}: expected turbo or emulated`);
  // The container's network, as `--network` says it: host for an index on the runner's loopback.
  const network = core.getInput('network');
  if (network && network !== 'host' && network !== 'none' && network !== 'default')
    throw new RefineryError('usage', `network ${JSON.stringify(network)}: expected host, none or default`);
  return {
    ...(executor ? { executor: executor as ExecutorKind } : {}),
    ...(compiler ? { compiler: compiler as Compiler } : {}),
    ...(network ? { network: network as 'host' | 'none' | 'default' } : {}),
  };
}

/**
 * The `token`, `commit` and `store` inputs, with fork safety applied: where the event may not
 * write (a pull request), nothing is committed and nothing goes to a release, and `refused` says why.
 */
export async function commitInputs(): Promise<{ token?: string; commit: CommitMode; store: string; refused?: string }> {
  const token = core.getInput('token');
  if (token) core.setSecret(token);
  let commit = core.getInput('commit') || (token ? 'api' : 'none');
  if (commit !== 'api' && commit !== 'git' && commit !== 'none')
    throw new RefineryError('usage', `commit ${JSON.stringify(commit)}: expected api, git or none`);
  let store = core.getInput('store') || 'none';
  const refused = await commitRefusal(process.env);
  if (refused && (commit !== 'none' || store.startsWith('release:'))) {
    core.warning(`refinery: not committing: ${refused}`);
    commit = 'none';
    if (store.startsWith('release:')) store = 'none';
  }
  return { ...(token ? { token } : {}), commit: commit as CommitMode, store, ...(refused ? { refused } : {}) };
}
