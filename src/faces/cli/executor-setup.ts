import { type Command, Option } from 'commander';
import { EXECUTOR_KINDS, type ExecutorKind } from '../../domain/executors/index.js';
import { COMPILERS, type Compiler } from '../../domain/model/compiler.js';
import { RefineryError } from '../../errors.js';
import type { ExecutorFlags } from '../../session/index.js';
/** Flags that say where and how builds run; shared by `build`, `run` and `worker`. */
export interface CliExecutorFlags {
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
  cratesDir?: string;
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
    .option('--turbo-dir <dir>', 'the turbo toolchain folder (scripts/setup-turbo-toolchain.sh; default: $REFINERY_TURBO_DIR, else ~/.cache/refinery/turbo)')
    .option(
      '--crates-dir <dir>',
      'unpacked crates (scripts/setup-debian-crates.sh) the container reads at /opt/refinery/crates, for `cargoRegistry` (default: $REFINERY_CRATES_DIR)',
    );
}

/** The executor flags as the session takes them: numbers parsed, the rest as typed. */
export function executorFlags(o: CliExecutorFlags): ExecutorFlags {
  return {
    ...(o.executor ? { executor: o.executor } : {}),
    engine: o.engine,
    ...(o.dockerHost ? { dockerHost: o.dockerHost } : {}),
    ...(o.network ? { network: o.network } : {}),
    ...(o.cpus ? { cpus: positive(o.cpus, '--cpus') } : {}),
    ...(o.memory ? { memory: o.memory } : {}),
    ...(o.pull ? { pull: true } : {}),
    ...(o.caBundle ? { caBundle: o.caBundle } : {}),
    ...(o.hostPython ? { hostPython: o.hostPython } : {}),
    ...(o.turboDir ? { turboDir: o.turboDir } : {}),
    ...(o.cratesDir ? { cratesDir: o.cratesDir } : {}),
  };
}

export function positive(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new RefineryError('usage', `${flag} ${JSON.stringify(v)} is not a positive number`, { fix: `e.g. ${flag} 2` });
  return n;
}
