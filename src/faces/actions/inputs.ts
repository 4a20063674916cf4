import { resolve } from 'node:path';
import * as core from '@actions/core';
import { RefineryError } from '../../errors.js';
import { openSession, type Session, type SessionFlags } from '../../session/index.js';

/** Multiline or comma-separated input -> list. */
export function listInput(name: string): string[] {
  return core
    .getInput(name)
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The scan inputs every action shares, as session flags (the same cascade as the CLI's). */
export function scanInputs(): SessionFlags {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const opt = (name: string) => core.getInput(name) || undefined;
  const config = opt('config');
  const state = opt('state-dir');
  const platform = opt('platform') as SessionFlags['platform'];
  return {
    ...(config ? { config: resolve(workspace, config) } : {}),
    requirements: listInput('requirements').map((r) => resolve(workspace, r)),
    ...(opt('index-url') ? { indexUrl: opt('index-url') } : {}),
    extraIndexUrl: listInput('extra-index-url'),
    python: listInput('python'),
    ...(platform ? { platform } : {}),
    ...(state ? { state: resolve(workspace, state) } : {}),
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
      core.setFailed(e.describe());
    } else {
      core.setFailed(`refinery: internal error: ${(e as Error)?.stack ?? String(e)}`);
    }
  }
}

/** The action's session: the runner's process as the world, notices as log lines. */
export function actionSession(flags: SessionFlags = scanInputs()): Promise<Session> {
  return openSession({ cwd: process.cwd(), env: process.env, flags, notice: (m) => core.info(m) });
}
