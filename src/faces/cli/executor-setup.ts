import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { RefineryError } from '../../errors.js';
import { chooseExecutor, EXECUTOR_KINDS, type Executor, type ExecutorChoiceOptions, type ExecutorKind, makeExecutor } from '../../domain/executors/index.js';
import type { Preset } from '../../domain/model/preset.js';
import { COMPILERS, type Compiler } from '../../domain/model/compiler.js';
import { loadTurboToolchain } from '../../domain/executors/turbo.js';
import type { CliContext } from './context.js';

/** Flags that say where and how builds run; shared by `build`, `run` and `worker`. */
export interface ExecutorFlags {
  executor?: ExecutorKind;
  engine: string;
  dockerHost?: string;
  network?: 'host' | 'none' | 'default';
  cpus?: string;
  memory?: string;
  pull?: boolean;
  caBundle?: string;
  hostPython?: string;
  compiler?: Compiler;
  turboDir?: string;
}

export function addExecutorOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--executor <kind>', 'where to build (default: what this machine has; the reason is printed)').choices([...EXECUTOR_KINDS]))
    .option('--engine <program>', 'container engine: docker or podman', 'docker')
    .option('--docker-host <url>', 'engine socket, e.g. unix:///run/refinery-docker.sock (default: $DOCKER_HOST)')
    .addOption(new Option('--network <mode>', 'container network').choices(['host', 'none', 'default']))
    .option('--cpus <n>', 'container CPU limit')
    .option('--memory <size>', 'container memory limit, e.g. 4g')
    .option('--pull', 'pull the preset image when it is missing')
    .option(
      '--ca-bundle <file>',
      'CA bundle for pip inside the container (TLS-intercepting proxies; default: the first existing file of $REFINERY_CA_BUNDLE, $PIP_CERT, $SSL_CERT_FILE, $REQUESTS_CA_BUNDLE, $NODE_EXTRA_CA_CERTS)',
    )
    .option('--host-python <path>', "interpreter for --executor host/native (default: python3 / the preset's)")
    .addOption(
      new Option(
        '--compiler <kind>',
        "turbo: host-speed s390x cross compilers inside the emulated container where the toolchain is set up (default, from the config's compiler); emulated: all under QEMU",
      ).choices([...COMPILERS]),
    )
    .option('--turbo-dir <dir>', 'the turbo toolchain folder (scripts/setup-turbo-toolchain.sh; default: $REFINERY_TURBO_DIR, else ~/.cache/refinery/turbo)');
}

/**
 * The CA bundle this machine trusts, for pip inside containers: behind a TLS-intercepting proxy a
 * build fails without it, and the host already names it for its own tools. REFINERY_CA_BUNDLE
 * first, then what pip, OpenSSL, requests and Node read; only a file that exists.
 */
export const CA_BUNDLE_VARS = ['REFINERY_CA_BUNDLE', 'PIP_CERT', 'SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS'] as const;
export function hostCaBundle(env: Record<string, string | undefined>): string | undefined {
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

export function executorOptions(ctx: CliContext, o: ExecutorFlags): ExecutorChoiceOptions {
  const hostArch = process.arch;
  const host = o.dockerHost ?? ctx.env.DOCKER_HOST;
  const caBundle = o.caBundle ?? hostCaBundle(ctx.env);
  return {
    container: {
      engine: o.engine,
      ...(host ? { host } : {}),
      ...(o.network ? { network: o.network } : {}),
      ...(o.cpus ? { cpus: positive(o.cpus, '--cpus') } : {}),
      ...(o.memory ? { memory: o.memory } : {}),
      ...(o.pull ? { pull: true } : {}),
      ...(caBundle ? { caBundle: resolve(ctx.cwd, caBundle) } : {}),
      hostArch,
    },
    // Host and native builds take only allowlisted variables from this environment.
    process: {
      hostArch,
      env: ctx.env,
      ...(o.hostPython ? { python: o.hostPython } : {}),
      // REFINERY_PID_NAMESPACE=0: builds without a PID namespace (process group and marker only).
      ...(ctx.env.REFINERY_PID_NAMESPACE === '0' ? { tree: { pidNamespace: false } } : {}),
    },
  };
}

/** The executor asked for, or the one this machine has, with the reason in words. */
export async function pickExecutor(ctx: CliContext, o: ExecutorFlags, preset: Preset, compiler?: Compiler): Promise<{ executor: Executor; reason: string }> {
  const opts = executorOptions(ctx, o);
  // Emulated builds never look at the toolchain; turbo ones use it where it exists.
  if ((o.compiler ?? compiler ?? 'turbo') === 'turbo') {
    const turbo = await loadTurboToolchain(turboDir(ctx, o));
    if (turbo) opts.container.turbo = turbo;
  }
  if (o.executor) return { executor: makeExecutor(o.executor, opts), reason: 'asked for' };
  return chooseExecutor(preset, opts);
}

/** Where the turbo toolchain folder is: the flag, $REFINERY_TURBO_DIR, or the setup script's default. */
export function turboDir(ctx: CliContext, o: Pick<ExecutorFlags, 'turboDir'>): string {
  if (o.turboDir) return resolve(ctx.cwd, o.turboDir);
  if (ctx.env.REFINERY_TURBO_DIR) return resolve(ctx.cwd, ctx.env.REFINERY_TURBO_DIR);
  return join(ctx.env.HOME ?? homedir(), '.cache', 'refinery', 'turbo');
}

export function positive(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new RefineryError('usage', `${flag} ${JSON.stringify(v)} is not a positive number`, { fix: `e.g. ${flag} 2` });
  return n;
}
