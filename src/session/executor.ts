import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { chooseExecutor, type Executor, type ExecutorChoiceOptions, type ExecutorKind, makeExecutor } from '../domain/executors/index.js';
import { loadTurboToolchain } from '../domain/executors/turbo.js';
import type { Compiler } from '../domain/model/compiler.js';
import type { Frontend } from '../domain/model/frontend.js';
import type { Preset } from '../domain/model/preset.js';
import { RefineryError } from '../errors.js';
import type { Env } from './config.js';

/** Where and how builds run: the CLI's executor flags and the build action's inputs, parsed. */
export interface ExecutorFlags {
  executor?: ExecutorKind;
  /** Container engine program (default docker). */
  engine?: string;
  dockerHost?: string;
  network?: 'host' | 'none' | 'default';
  cpus?: number;
  memory?: string;
  pull?: boolean;
  caBundle?: string;
  hostPython?: string;
  turboDir?: string;
  /** Unpacked crates lent read-only to containers (scripts/setup-debian-crates.sh). */
  cratesDir?: string;
}

/**
 * The CA bundle this machine trusts, for pip inside containers: behind a TLS-intercepting proxy a
 * build fails without it, and the host already names it for its own tools. REFINERY_CA_BUNDLE
 * first, then what pip, OpenSSL, requests and Node read; only a file that exists.
 */
export const CA_BUNDLE_VARS = ['REFINERY_CA_BUNDLE', 'PIP_CERT', 'SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS'] as const;
export function hostCaBundle(env: Env): string | undefined {
  for (const name of CA_BUNDLE_VARS) {
    const file = env[name];
    if (file && isFile(file)) return file;
  }
  return undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The crates folder, resolved and known to exist: a mistyped one is one error here, before any
 * container starts, rather than every unit's container refusing the mount.
 */
function cratesFolder(cwd: string, env: Env, o: ExecutorFlags): string | undefined {
  const given = o.cratesDir ?? env.REFINERY_CRATES_DIR;
  if (!given) return undefined;
  const dir = resolve(cwd, given);
  if (!isDir(dir)) {
    const from = o.cratesDir ? '--crates-dir' : 'REFINERY_CRATES_DIR';
    throw new RefineryError('environment', `the crates folder ${JSON.stringify(dir)} (${from}) does not exist or is not a folder`, {
      fix: `unpack the crates there with scripts/setup-debian-crates.sh, or point ${from} at the folder it made`,
    });
  }
  return dir;
}

/**
 * Who gets back what containers leave in a work folder. Containers write as root; where the
 * refinery is not root (GitHub's runners), those files could not even be removed afterwards, nor a
 * seed (uv-seed.ts) be moved into place. Undefined for root, and where there are no user ids.
 */
export function hostOwner(ids: { uid?: number; gid?: number } = { uid: process.getuid?.(), gid: process.getgid?.() }): string | undefined {
  return ids.uid !== undefined && ids.gid !== undefined && ids.uid !== 0 ? `${ids.uid}:${ids.gid}` : undefined;
}

export function executorOptions(cwd: string, env: Env, o: ExecutorFlags, owner: string | undefined = hostOwner()): ExecutorChoiceOptions {
  const hostArch = process.arch;
  const host = o.dockerHost ?? env.DOCKER_HOST;
  const caBundle = o.caBundle ?? hostCaBundle(env);
  const crates = cratesFolder(cwd, env, o);
  return {
    container: {
      ...(owner ? { chownTo: owner } : {}),
      engine: o.engine ?? 'docker',
      ...(host ? { host } : {}),
      ...(o.network ? { network: o.network } : {}),
      ...(o.cpus ? { cpus: o.cpus } : {}),
      ...(o.memory ? { memory: o.memory } : {}),
      ...(o.pull ? { pull: true } : {}),
      ...(caBundle ? { caBundle: resolve(cwd, caBundle) } : {}),
      ...(crates ? { crates } : {}),
      hostArch,
    },
    // Host and native builds take only allowlisted variables from this environment.
    process: {
      hostArch,
      env,
      ...(o.hostPython ? { python: o.hostPython } : {}),
      // REFINERY_PID_NAMESPACE=0: builds without a PID namespace (process group and marker only).
      ...(env.REFINERY_PID_NAMESPACE === '0' ? { tree: { pidNamespace: false } } : {}),
    },
  };
}

/** The executor asked for, or the one this machine has, with the reason in words. */
export async function pickExecutor(
  cwd: string,
  env: Env,
  o: ExecutorFlags,
  preset: Preset,
  compiler: Compiler,
  frontend: Frontend = 'pip',
): Promise<{ executor: Executor; reason: string }> {
  const opts = executorOptions(cwd, env, o);
  // Emulated pip builds never look at the toolchain; turbo ones use it where it exists, and so
  // does the uv frontend (the toolchain's uv), whatever compiles.
  if (compiler === 'turbo' || frontend === 'uv') {
    const turbo = await loadTurboToolchain(turboDir(cwd, env, o));
    if (turbo) opts.container.turbo = turbo;
  }
  if (o.executor) return { executor: makeExecutor(o.executor, opts), reason: 'asked for' };
  return chooseExecutor(preset, opts);
}

/** Where the turbo toolchain folder is: the flag, $REFINERY_TURBO_DIR, or the setup script's default. */
export function turboDir(cwd: string, env: Env, o: Pick<ExecutorFlags, 'turboDir'>): string {
  if (o.turboDir) return resolve(cwd, o.turboDir);
  if (env.REFINERY_TURBO_DIR) return resolve(cwd, env.REFINERY_TURBO_DIR);
  return join(env.HOME ?? homedir(), '.cache', 'refinery', 'turbo');
}
