import { readFile } from 'node:fs/promises';

/**
 * Why this run must not commit, or undefined when it may. A `pull_request` run has a read-only
 * token and runs the pull request's code; from a fork it is someone else's code altogether. A
 * `pull_request_target` run from a fork has a write token next to untrusted code: refused too.
 * The event payload (GITHUB_EVENT_PATH) says where the head comes from.
 */
export async function commitRefusal(env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  const event = env.GITHUB_EVENT_NAME;
  if (event !== 'pull_request' && event !== 'pull_request_target') return undefined;
  let fork: boolean | undefined;
  let head = 'the pull request';
  try {
    const payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH ?? '', 'utf8')) as {
      pull_request?: { number?: number; head?: { repo?: { fork?: boolean; full_name?: string } | null }; base?: { repo?: { full_name?: string } } };
    };
    const pr = payload.pull_request;
    const headRepo = pr?.head?.repo;
    // A deleted fork leaves head.repo null: still not this repository.
    fork = headRepo === null || headRepo?.fork === true || (headRepo?.full_name !== undefined && headRepo.full_name !== pr?.base?.repo?.full_name);
    if (pr?.number !== undefined) head = `pull request #${pr.number}${headRepo?.full_name ? ` from ${headRepo.full_name}` : ''}`;
  } catch {
    // No readable payload: treat it as the worst case.
    fork = true;
  }
  if (fork) return `${head} comes from a fork: its build ran someone else's code, so this run does not commit the state or store wheels`;
  if (event === 'pull_request')
    return `this is a pull_request run (${head}): its token is read-only and it runs unmerged code, so it does not commit the state or store wheels; the push to the base branch records`;
  return undefined;
}
