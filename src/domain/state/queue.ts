import { normalizePackage } from './merge.js';
import type { QueueDrop, QueueRequest, WheelWithdrawal } from './schema.js';
import { DEFAULT_RETRY_POLICY, emptyPackage, type RetryPolicy, type State } from './types.js';

/** `refinery queue add`: ask for a build of this version at the next opportunity (a new state). */
export function requestBuild(state: State, name: string, request: QueueRequest, policy: RetryPolicy = DEFAULT_RETRY_POLICY): State {
  const pkg = state.packages.get(name) ?? emptyPackage(name);
  const packages = new Map(state.packages);
  packages.set(name, normalizePackage({ ...pkg, requests: [...pkg.requests, request] }, policy));
  return { packages };
}

/** `refinery queue drop`: stop retrying this version (or one unit of it) for what happened up to `at`. */
export function dropQueued(state: State, name: string, drop: QueueDrop, policy: RetryPolicy = DEFAULT_RETRY_POLICY): State {
  const pkg = state.packages.get(name) ?? emptyPackage(name);
  const packages = new Map(state.packages);
  packages.set(name, normalizePackage({ ...pkg, drops: [...pkg.drops, drop] }, policy));
  return { packages };
}

/** `refinery yank`: withdraw a version's wheels (or one wheel) from the published index (a new state). */
export function withdrawWheels(state: State, name: string, withdrawal: WheelWithdrawal, policy: RetryPolicy = DEFAULT_RETRY_POLICY): State {
  const pkg = state.packages.get(name) ?? emptyPackage(name);
  const packages = new Map(state.packages);
  packages.set(name, normalizePackage({ ...pkg, withdrawals: [...(pkg.withdrawals ?? []), withdrawal] }, policy));
  return { packages };
}
