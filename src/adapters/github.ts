/**
 * What the record and storage stages need from GitHub without loading Octokit: the client type
 * (erased at run time) and error inspection. The client itself is in github-client.ts.
 */
export type { GitHubClientOptions, RefineryOctokit } from './github-client.js';

/** HTTP status of an Octokit RequestError, or undefined for other errors. */
export function httpStatus(e: unknown): number | undefined {
  const s = (e as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
}
