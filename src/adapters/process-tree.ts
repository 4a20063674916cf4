/**
 * The processes of one build tree, found in /proc (Linux): everything in the tree's process group,
 * everything carrying the tree's marker variable in its environment (a `setsid()` child leaves
 * the group but keeps its environment), and their children. Elsewhere (no /proc) only the group
 * can be signalled.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { run } from './process.js';

export const TREE_MARKER_VAR = 'REFINERY_BUILD_TREE';

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  /** `Z` for a zombie (exited, not reaped yet). */
  state: string;
}

export const haveProc = process.platform === 'linux';

/** Every process of this machine (that /proc shows), with its parent, group and state. */
async function allProcesses(): Promise<ProcInfo[]> {
  const names = await readdir('/proc').catch(() => [] as string[]);
  const out = await Promise.all(
    names
      .filter((n) => /^[0-9]+$/.test(n))
      .map(async (n) => {
        const stat = await readFile(`/proc/${n}/stat`, 'utf8').catch(() => undefined);
        if (!stat) return undefined;
        // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return { pid: Number(n), state: f[0] ?? '?', ppid: Number(f[1]), pgrp: Number(f[2]) };
      }),
  );
  return out.filter((p): p is ProcInfo => p !== undefined);
}

async function carriesMarker(pid: number, needle: Buffer): Promise<boolean> {
  const env = await readFile(`/proc/${pid}/environ`).catch(() => undefined);
  return env ? env.includes(needle) : false;
}

/**
 * The tree's processes: in `pgrp`, or carrying `marker`, or children of those, transitively.
 * Zombies are included (state `Z`): they have exited and cannot be killed.
 */
export async function treeMembers(pgrp: number, marker: string): Promise<ProcInfo[]> {
  if (!haveProc) return [];
  const procs = (await allProcesses()).filter((p) => p.pid !== process.pid);
  const needle = Buffer.from(`${TREE_MARKER_VAR}=${marker}\0`);
  const members = new Set<number>();
  await Promise.all(
    procs.map(async (p) => {
      if (p.pgrp === pgrp || (p.state !== 'Z' && (await carriesMarker(p.pid, needle)))) members.add(p.pid);
    }),
  );
  // Children of members (a child that cleared its environment and left the group while its parent lives).
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (!members.has(p.pid) && members.has(p.ppid)) {
        members.add(p.pid);
        grew = true;
      }
    }
  }
  return procs.filter((p) => members.has(p.pid));
}

/** The pipes a process has open (`pipe:[inode]` of its fds). */
export async function pipeInodes(pid: number): Promise<string[]> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return links.filter((l) => l.startsWith('pipe:'));
}

export interface StopReport {
  /** No live process of the tree is left. */
  stopped: boolean;
  /** Processes still alive after the last try. */
  left: number[];
  /** Live processes found and signalled (0 when the tree had already ended). */
  killed: number;
}

/**
 * SIGKILL every live member until none is left (bounded), the group included. The group is
 * signalled only while /proc shows a member in it: an empty group's id may be a new process's.
 * `spare`: members not to touch (the chain that waits for output).
 */
export async function stopTree(pgrp: number, marker: string, opts: { tries?: number; spare?: ReadonlySet<number> } = {}): Promise<StopReport> {
  if (!haveProc) {
    // Nothing to check against: the group is all that can be reached.
    try {
      process.kill(-pgrp, 'SIGKILL');
    } catch {
      // gone
    }
    return { stopped: false, left: [], killed: 0 };
  }
  const tries = opts.tries ?? 50;
  const seen = new Set<number>();
  let left: number[] = [];
  for (let i = 0; i < tries; i++) {
    const live = (await treeMembers(pgrp, marker)).filter((p) => p.state !== 'Z' && !opts.spare?.has(p.pid));
    left = live.map((p) => p.pid);
    if (left.length === 0) return { stopped: true, left, killed: seen.size };
    if (!opts.spare && live.some((p) => p.pgrp === pgrp)) {
      try {
        process.kill(-pgrp, 'SIGKILL');
      } catch {
        // no such group (any more)
      }
    }
    for (const pid of left) {
      seen.add(pid);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, Math.min(20 * (i + 1), 200)));
  }
  return { stopped: false, left, killed: seen.size };
}

export type Isolation = 'pid-namespace' | 'process-group';

let namespaceProbe: Promise<string[] | undefined> | undefined;

/**
 * The argv prefix that runs a command as PID 1 of a new PID namespace (util-linux `unshare`),
 * where this machine allows it: when PID 1 dies the kernel kills everything else in the
 * namespace, `setsid()` or not. Root may create one; other users only through a user namespace,
 * which many systems forbid (Ubuntu's AppArmor default, containers without CAP_SYS_ADMIN).
 * Undefined when neither works (callers may also turn it off: TreeOptions.pidNamespace).
 */
export function pidNamespacePrefix(): Promise<string[] | undefined> {
  namespaceProbe ??= (async () => {
    if (!haveProc) return undefined;
    const candidates = [
      ['unshare', '--pid', '--fork', '--kill-child', '--'],
      ['unshare', '--user', '--map-current-user', '--pid', '--fork', '--kill-child', '--'],
    ];
    for (const prefix of candidates) {
      const [file, ...args] = prefix;
      const r = await run(file!, [...args, 'true'], { timeoutMs: 10_000 }).catch(() => undefined);
      if (r?.exitCode === 0) return prefix;
    }
    return undefined;
  })();
  return namespaceProbe;
}
