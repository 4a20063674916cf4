import { readdirSync, readFileSync } from 'node:fs';
import { run } from '../../src/adapters/process.js';

/** Live processes (zombies do not count) whose command line contains `marker`; Linux /proc. */
export function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (!cmdline.includes(marker)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Python source: a process that leaves the build's session (double fork + setsid, reparented to init), sleeping with `marker` in its command line. */
export function pyDaemon(marker: string, opts: { keepOutput: boolean }): string {
  return `import os, sys, subprocess
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        ${opts.keepOutput ? '' : 'fd = os.open(os.devnull, os.O_RDWR); os.dup2(fd, 1); os.dup2(fd, 2)'}
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(300)", ${JSON.stringify(marker)}])
    os._exit(0)
os.wait()
`;
}

/** Names of the containers (running or not) whose name contains `prefix`: what a test left behind. */
export async function containersNamed(prefix: string, dockerHost: string): Promise<string> {
  const r = await run('docker', ['ps', '-a', '--filter', `name=${prefix}`, '--format', '{{.Names}}'], { env: { DOCKER_HOST: dockerHost } });
  return r.stdout.trim();
}
