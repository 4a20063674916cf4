/** The Octokit client with retry and throttling. Loaded on demand: it is the slowest module to load. */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

/** Octokit with the retry plugin (5xx, network) and the throttling plugin (primary and secondary rate limits). */
export const RefineryOctokit = Octokit.plugin(retry, throttling);
export type RefineryOctokit = InstanceType<typeof RefineryOctokit>;

export interface GitHubClientOptions {
  token?: string;
  /** REST API root, e.g. https://api.github.com or a GHES /api/v3 URL (tests: a local server). */
  baseUrl?: string;
  /** How often a rate-limited request is retried before giving up. */
  rateLimitRetries?: number;
  /** Passed to the retry plugin; tests lower it. */
  retryAfterBaseValueMs?: number;
  log?: (line: string) => void;
  /**
   * Pace requests as GitHub asks (writes one at a time, a second apart; waits on rate limits).
   * Default true; tests that race many writers in one process turn it off.
   */
  throttle?: boolean;
}

export function githubClient(opts: GitHubClientOptions = {}): RefineryOctokit {
  const limit = opts.rateLimitRetries ?? 3;
  const log = opts.log ?? (() => {});
  return new RefineryOctokit({
    ...(opts.token ? { auth: opts.token } : {}),
    ...(opts.baseUrl ? { baseUrl: opts.baseUrl.replace(/\/$/, '') } : {}),
    userAgent: 's390x-wheel-refinery',
    log: { debug: () => {}, info: () => {}, warn: log, error: log },
    retry: opts.retryAfterBaseValueMs === undefined ? {} : { retryAfterBaseValue: opts.retryAfterBaseValueMs },
    throttle: {
      enabled: opts.throttle ?? true,
      onRateLimit: (after: number, options: { method: string; url: string }, _o: unknown, count: number) => {
        log(`GitHub rate limit on ${options.method} ${options.url}; retrying after ${after}s`);
        return count < limit;
      },
      onSecondaryRateLimit: (after: number, options: { method: string; url: string }, _o: unknown, count: number) => {
        log(`GitHub secondary rate limit on ${options.method} ${options.url}; retrying after ${after}s`);
        return count < limit;
      },
    },
  });
}
