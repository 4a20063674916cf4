import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { run } from '../../adapters/process.js';
import { RefineryError } from '../../errors.js';
import type { Preset } from '../model/preset.js';
import { interpreterFor } from '../presets/load.js';
import { type TurboToolchain, turboEnv, turboMountArgs, turboUvPath } from './turbo.js';
import type { EnvironmentProblem, ExecOptions, ExecResult, Executor, ExecutorSession, OpenSessionOptions } from './types.js';

export interface ContainerExecutorOptions {
  /** `docker` or `podman` (a path works too). */
  engine?: string;
  /** DOCKER_HOST / CONTAINER_HOST value for the engine client, when not the default socket. */
  host?: string;
  /** `host`, `none`, or undefined for the engine's default network. */
  network?: 'host' | 'none' | 'default';
  cpus?: number;
  memory?: string;
  /** This machine's architecture (`process.arch` style: x64, s390x); s390x needs no emulation. */
  hostArch: string;
  /** binfmt_misc entry proving QEMU handles s390x binaries. */
  binfmtPath?: string;
  /** Pull a missing image (needs a reachable registry). */
  pull?: boolean;
  /** Host CA bundle mounted for pip (TLS-intercepting proxies); sets PIP_CERT in the container. */
  caBundle?: string;
  /** Host uid:gid that should own the files left in the work directory (containers write as root). */
  chownTo?: string;
  /** Turbo toolchain (src/domain/executors/turbo.ts) lent to sessions opened with `compiler: 'turbo'`. */
  turbo?: TurboToolchain;
  /**
   * Host folder of unpacked crates (a cargo directory source, scripts/setup-debian-crates.sh),
   * lent read-only to every session at CRATES_MOUNT, where a `cargoRegistry` remedy can name it.
   */
  crates?: string;
}

const CA_PATH = '/etc/refinery/ca-bundle.pem';
/** Where the crates folder is seen in the container (`cargoRegistry: /opt/refinery/crates`). */
export const CRATES_MOUNT = '/opt/refinery/crates';

/** docker/podman `--platform linux/s390x` builds: QEMU on x86 runners, plain containers on s390x. */
export class ContainerExecutor implements Executor {
  readonly kind = 'container' as const;
  private readonly engine: string;
  private readonly engineEnv: Record<string, string>;

  constructor(private readonly opts: ContainerExecutorOptions) {
    this.engine = opts.engine ?? 'docker';
    this.engineEnv = opts.host ? { DOCKER_HOST: opts.host, CONTAINER_HOST: opts.host } : {};
  }

  private cli(args: readonly string[], extra: { timeoutMs?: number; onOutput?: (c: string) => void; signal?: AbortSignal } = {}) {
    return run(this.engine, args, { env: this.engineEnv, timeoutMs: extra.timeoutMs ?? 60_000, onOutput: extra.onOutput, signal: extra.signal });
  }

  async check(preset: Preset): Promise<EnvironmentProblem[]> {
    const problems: EnvironmentProblem[] = [];
    let engineUp = false;
    const v = await this.cli(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 }).catch(() => undefined);
    // The process adapter reports a program that cannot be started as exit -1 with no output.
    if (!v || (v.exitCode === -1 && v.all.trim() === '' && !v.timedOut)) {
      problems.push({
        what: `no container engine: '${this.engine}' is not installed`,
        fix: 'install docker (apt-get install docker.io) or podman, or run scripts/setup-s390x-env.sh',
      });
    } else {
      engineUp = v.exitCode === 0;
      if (!engineUp) {
        problems.push({
          what: `the ${this.engine} engine does not answer${this.opts.host ? ` on ${this.opts.host}` : ''}: ${firstLine(v.all) || (v.timedOut ? 'timed out' : `exit ${v.exitCode}`)}`,
          fix: `start the engine (scripts/setup-s390x-env.sh starts one) or point --docker-host / DOCKER_HOST at it`,
        });
      }
    }
    if (this.opts.hostArch !== 's390x') {
      const binfmt = this.opts.binfmtPath ?? '/proc/sys/fs/binfmt_misc/qemu-s390x';
      if (!existsSync(binfmt)) {
        problems.push({
          what: `no binfmt handler for s390x (${binfmt} is missing), so s390x binaries cannot run on this ${this.opts.hostArch} machine`,
          fix: 'install qemu-user-static and binfmt-support and run `update-binfmts --enable qemu-s390x` (scripts/setup-s390x-env.sh does it; on GitHub add a step `uses: docker/setup-qemu-action` with `platforms: s390x` before this one)',
        });
      }
    }
    if (engineUp) {
      const img = await this.inspect(preset.image);
      if (!img) {
        problems.push({
          what: `image ${preset.image} is not present in the engine`,
          fix: this.opts.pull
            ? `could not pull it; check registry access, or build a local image with scripts/setup-s390x-env.sh and use a preset pointing at it (docs/build.md, "debian-local")`
            : `pull it (\`${this.engine} pull --platform linux/s390x ${preset.image}\`), or build a local image with scripts/setup-s390x-env.sh and use a preset pointing at it (docs/build.md, "debian-local")`,
        });
      }
    }
    return problems;
  }

  /** Image id, repo digest and recorded architecture, pulling first when allowed; undefined when absent. */
  private async inspect(image: string): Promise<{ id: string; digest?: string; arch: string; path?: string } | undefined> {
    const fmt = '{{.Id}}|{{.Architecture}}|{{json .RepoDigests}}|{{json .Config.Env}}';
    let r = await this.cli(['image', 'inspect', '--format', fmt, '--', image]);
    if (r.exitCode !== 0 && this.opts.pull) {
      await this.cli(['pull', '--platform', 'linux/s390x', '--', image], { timeoutMs: 15 * 60_000 });
      r = await this.cli(['image', 'inspect', '--format', fmt, '--', image]);
    }
    if (r.exitCode !== 0) return undefined;
    const [id = '', arch = '', digestsJson = '[]', envJson = 'null'] = r.stdout.trim().split('|');
    let digests: unknown = [];
    try {
      digests = JSON.parse(digestsJson);
    } catch {
      // no digests
    }
    const digest = Array.isArray(digests) ? (digests as unknown[]).find((d): d is string => typeof d === 'string' && d.includes('@')) : undefined;
    return { id, arch, ...(digest ? { digest } : {}), ...imagePath(envJson) };
  }

  async identity(preset: Preset) {
    const img = await this.inspect(preset.image);
    const imageDigest = img?.digest ?? img?.id;
    return { image: preset.image, ...(imageDigest ? { imageDigest } : {}), fingerprint: imageDigest ?? preset.image };
  }

  interpreter(preset: Preset, python: string): string {
    return interpreterFor(preset, python);
  }

  packageManager(preset: Preset): Preset['packageManager'] {
    return preset.packageManager;
  }

  async open(o: OpenSessionOptions): Promise<ExecutorSession> {
    const img = await this.inspect(o.preset.image);
    if (!img) {
      throw new RefineryError('environment', `image ${o.preset.image} is not present`, {
        fix: 'run `refinery build --check` for how to get it, or use a preset with a local image',
      });
    }
    const args = ['run', '--detach', '--rm', '--name', o.name, '--label', 'refinery.build=1'];
    // docker 20.10 records an imported image as amd64 although its binaries are s390x; asking
    // for --platform then fails, so the flag is passed only when the image says it is s390x.
    if (img.arch === 's390x') args.push('--platform', 'linux/s390x');
    if (this.opts.network && this.opts.network !== 'default') args.push('--network', this.opts.network);
    if (this.opts.cpus) args.push('--cpus', String(this.opts.cpus));
    if (this.opts.memory) args.push('--memory', this.opts.memory);
    // The unit's own work folder is the only host folder the build sees (and it holds only what
    // extraction let through: no link out of it, no hardlink to a file outside).
    args.push('--mount', await workMount(o.hostWorkDir), '--workdir', '/work');
    // pip reads PIP_CERT; uv (the uv frontend) and OpenSSL read SSL_CERT_FILE.
    if (this.opts.caBundle) args.push('--volume', `${this.opts.caBundle}:${CA_PATH}:ro`, '--env', `PIP_CERT=${CA_PATH}`, '--env', `SSL_CERT_FILE=${CA_PATH}`);
    // Crates are sources, the same for every architecture: unpacked on the host (seconds) instead
    // of installed by apt under QEMU (half an hour for pyo3's), and only read.
    if (this.opts.crates) args.push('--mount', await readOnlyMount(this.opts.crates, CRATES_MOUNT, 'crates folder'));
    const turbo = this.turboSession(o, img.path);
    args.push(...turbo.args);
    // A bounded sleep, not `infinity`: if this process dies, the container ends on its own.
    const lifetime = o.maxLifetimeMs ? String(Math.ceil(o.maxLifetimeMs / 1000) + 300) : 'infinity';
    args.push('--entrypoint', 'sleep', '--', img.id, lifetime);
    const started = await this.cli(args, { timeoutMs: 120_000 });
    if (started.exitCode !== 0) {
      throw new RefineryError('environment', `could not start a container from ${o.preset.image}: ${firstLine(started.all)}`, {
        fix: 'check that the engine runs containers (`docker run --rm IMAGE uname -m`)',
      });
    }
    const session = new ContainerSession(this, o.name, o.preset.packageManager, this.opts.chownTo, turbo.env);
    const arch = await session.exec(['uname', '-m'], { timeoutMs: 60_000 });
    if (arch.output.trim() !== 's390x') {
      await session.close();
      throw new RefineryError('environment', `image ${o.preset.image} runs as '${arch.output.trim()}', not s390x`, {
        fix: 'use an s390x image (quay.io/pypa/manylinux_2_28_s390x, or one built by scripts/setup-s390x-env.sh)',
      });
    }
    return session;
  }

  /** Turbo applies to presets that say so (their image's ABI matches the cross compilers), on x86_64 hosts. */
  turbo(preset: Preset): TurboToolchain | undefined {
    return this.opts.turbo && preset.turbo && this.opts.hostArch === 'x64' ? this.opts.turbo : undefined;
  }

  /**
   * The turbo toolchain's uv (a static x86_64 program: it runs natively whatever the image's ABI),
   * on x86_64 hosts.
   */
  uv(): { path: string; version: string } | undefined {
    const t = this.opts.turbo;
    return t?.uv && this.opts.hostArch === 'x64' ? { path: turboUvPath(t), version: t.uv } : undefined;
  }

  /**
   * The mount and the compiler environment of a turbo session; for an emulated one, the mount alone
   * when it lends uv (the compilers stay the image's), else nothing.
   */
  private turboSession(o: OpenSessionOptions, imagePath: string | undefined): { args: string[]; env: Record<string, string> } {
    if (o.compiler !== 'turbo') return o.uv && this.opts.turbo && this.uv() ? { args: turboMountArgs(this.opts.turbo), env: {} } : { args: [], env: {} };
    const t = this.turbo(o.preset);
    if (!t) {
      throw new RefineryError(
        'environment',
        `turbo compilers were asked for, but ${this.opts.turbo ? `preset ${o.preset.name} does not allow them` : 'no turbo toolchain is set up'}`,
        {
          fix: 'build with --compiler emulated, or assemble the toolchain with scripts/setup-turbo-toolchain.sh',
        },
      );
    }
    return { args: turboMountArgs(t), env: turboEnv(t, imagePath) };
  }

  /** @internal used by sessions */
  engineRun(args: readonly string[], extra: { timeoutMs?: number; onOutput?: (c: string) => void; signal?: AbortSignal }) {
    return this.cli(args, extra);
  }
}

class ContainerSession implements ExecutorSession {
  readonly workDir = '/work';
  readonly scratchDir = '/tmp';
  private closed = false;

  constructor(
    private readonly executor: ContainerExecutor,
    private readonly name: string,
    readonly packageManager: Preset['packageManager'],
    private readonly chownTo: string | undefined,
    /** Set on every command, under the caller's env (turbo compilers). */
    private readonly baseEnv: Readonly<Record<string, string>> = {},
  ) {}

  async exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const args = ['exec', '--workdir', opts.cwd ?? this.workDir];
    for (const [k, v] of Object.entries({ ...this.baseEnv, ...opts.env })) args.push('--env', `${k}=${v}`);
    args.push('--', this.name, ...argv);
    const started = Date.now();
    let killedByAbort = false;
    // The docker client dying does not stop the process inside the container: kill the container.
    const onAbort = () => {
      killedByAbort = true;
      void this.kill();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const r = await this.executor.engineRun(args, {
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : { timeoutMs: 24 * 3600_000 }),
        onOutput: opts.onOutput,
        signal: opts.signal,
      });
      const killed = r.timedOut || killedByAbort;
      const gone = killed ? await this.kill() : undefined;
      return {
        exitCode: r.exitCode,
        killed,
        durationMs: Date.now() - started,
        output: r.all,
        ...(gone !== undefined
          ? {
              tree: {
                stopped: gone,
                how: 'container removed',
                notes: gone ? [] : [`container ${this.name} may still run: \`docker rm --force ${this.name}\``],
              },
            }
          : {}),
      };
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  private killing: Promise<boolean> | undefined;
  /**
   * Stop and remove the container, returning only once it is gone: `kill` on a `--rm` container
   * returns before the engine has removed it (seconds later under QEMU), which left containers
   * behind for a moment after a timed-out build. True once the engine no longer knows it; one
   * removal however often it is asked (timeout, cancel, close).
   */
  private kill(): Promise<boolean> {
    this.closed = true;
    this.killing ??= (async () => {
      await this.executor.engineRun(['rm', '--force', '--', this.name], { timeoutMs: 60_000 });
      // `rm` fails when the engine's own --rm removal already started: wait for that to finish.
      for (let i = 0; i < 120; i++) {
        const r = await this.executor.engineRun(['container', 'inspect', '--format', '{{.Id}}', '--', this.name], { timeoutMs: 20_000 });
        if (r.exitCode !== 0) return true;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return false;
    })();
    return this.killing;
  }

  async close(): Promise<void> {
    if (this.closed) {
      // A kill (timeout, cancel) may still be removing it: close returns once it is gone.
      await this.killing;
      return;
    }
    if (this.chownTo) await this.executor.engineRun(['exec', '--', this.name, 'chown', '-R', this.chownTo, this.workDir], { timeoutMs: 120_000 });
    await this.kill();
  }
}

/**
 * `--mount` for the work folder, resolved to the real folder it is. `--mount` rather than
 * `--volume`: it never creates a missing host path, and a ':' in the path cannot turn into another
 * mount's fields. A path that `--mount`'s comma-separated syntax cannot carry is refused.
 */
function workMount(hostWorkDir: string): Promise<string> {
  return bindMount(hostWorkDir, '/work', "the unit's work folder", 'build under a work root that exists and is a folder');
}

/** The same for a host folder the container may only read (the crates). */
function readOnlyMount(hostDir: string, target: string, what: string): Promise<string> {
  return bindMount(hostDir, target, `the ${what}`, `point it at a folder that exists (scripts/setup-debian-crates.sh makes one)`).then((m) => `${m},readonly`);
}

async function bindMount(hostDir: string, target: string, what: string, fix: string): Promise<string> {
  let source: string;
  try {
    source = await realpath(hostDir);
    if (!(await stat(source)).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    throw new RefineryError('environment', `${what} ${JSON.stringify(hostDir)} is not a folder: ${(e as Error).message}`, { fix });
  }
  if (/[,"\n\r]/.test(source)) {
    throw new RefineryError('environment', `${what} ${JSON.stringify(source)} has a comma, quote or line break, which a container mount cannot name`, {
      fix: 'use a path that has none of them',
    });
  }
  return `type=bind,source=${source},target=${target}`;
}

/** The image's PATH (from its config), which a turbo session puts the toolchain in front of. */
function imagePath(envJson: string): { path?: string } {
  try {
    const env: unknown = JSON.parse(envJson);
    const path = Array.isArray(env) ? env.find((e): e is string => typeof e === 'string' && e.startsWith('PATH=')) : undefined;
    return path ? { path: path.slice(5) } : {};
  } catch {
    return {};
  }
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0]?.slice(0, 300) ?? '';
}
