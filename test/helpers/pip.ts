// pip from the test venv and nothing else: this machine configures pip globally, so each call gets
// no config file and no index or find-links from the environment.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pytoolsBin } from './pytools.js';

const exec = promisify(execFile);

export const pipEnv = {
  ...process.env,
  PIP_CONFIG_FILE: '/dev/null',
  PIP_INDEX_URL: undefined,
  PIP_EXTRA_INDEX_URL: undefined,
  PIP_FIND_LINKS: undefined,
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
};

export function pip(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return exec(pytoolsBin('python'), ['-m', 'pip', ...args], { env: pipEnv as NodeJS.ProcessEnv }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}
