import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in test/helpers/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The test venv with packaging (oracle), uv, pypiserver and build. */
export const pytoolsDir = path.join(repoRoot, '.cache', 'pytools');

/** Whether the venv exists at all (tests use it to decide between skip and fail). */
export function hasPytools(): boolean {
  return existsSync(path.join(pytoolsDir, 'bin', 'python'));
}

/**
 * Absolute path of a program in the test venv. Throws when it is missing, so a test that needs it
 * fails with an instruction instead of a confusing ENOENT.
 */
export function pytoolsBin(name: string): string {
  const bin = path.join(pytoolsDir, 'bin', name);
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run scripts/setup-test-python.sh to create the test Python tools venv`);
  }
  return bin;
}

/**
 * For suites that need the venv: under CI=true a missing venv is an error (the suite must run
 * there); locally the suite may be skipped. Returns true when the suite should run.
 */
export function requirePytools(): boolean {
  if (hasPytools()) return true;
  if (process.env.CI === 'true') pytoolsBin('python'); // throws with the setup instruction
  return false;
}
