import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  byCodePoint,
  interpreterFor,
  isPureWheel,
  recipeFor,
  urlWithCredentials
} from "./chunk-5RNAZF3E.js";
import {
  run
} from "./chunk-RYNH5UWE.js";
import {
  HttpClient,
  downloadVerified,
  extractSafely,
  sha256File
} from "./chunk-LOLMKOCG.js";
import {
  DEFAULT_PRIMARY_INDEX
} from "./chunk-B3SVX456.js";
import {
  stableJson,
  writeJsonAtomic
} from "./chunk-3LOFCYLJ.js";
import {
  combineRemedies,
  hintById,
  matchLog,
  mergeEnv,
  remedyFor
} from "./chunk-NTQ7ZETI.js";
import {
  cpTag
} from "./chunk-WVSMWCXV.js";
import {
  BuildResult,
  external_exports,
  parseWheelFilename,
  wheelMismatch
} from "./chunk-UNLQIFJ6.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";

// src/domain/executors/environment.ts
var BASE_VARS = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TMPDIR", "TZ", "SOURCE_DATE_EPOCH"];
var NETWORK_VARS = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "ALL_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "all_proxy",
  "no_proxy",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "REQUESTS_CA_BUNDLE",
  "CURL_CA_BUNDLE",
  "PIP_CERT",
  "UV_NATIVE_TLS"
];
var LOCALE = /^LC_[A-Z_]+$/;
function allowlistedEnv(source, names = []) {
  const out = {};
  const wanted = /* @__PURE__ */ new Set([...BASE_VARS, ...NETWORK_VARS, ...names]);
  for (const [k, v] of Object.entries(source)) {
    if (v !== void 0 && (wanted.has(k) || LOCALE.test(k))) out[k] = v;
  }
  return out;
}
function namedEnv(source, names) {
  const out = {};
  for (const k of names) {
    const v = source[k];
    if (v !== void 0) out[k] = v;
  }
  return out;
}

// src/domain/executors/container.ts
import { existsSync } from "node:fs";
import { realpath, stat } from "node:fs/promises";

// src/domain/executors/turbo.ts
import { access, constants, readFile } from "node:fs/promises";
import { join } from "node:path";
var TURBO_MANIFEST = "turbo.json";
var TurboManifest = external_exports.object({
  schema: external_exports.literal("refinery/turbo@1"),
  mountPoint: external_exports.string().regex(/^\/[A-Za-z0-9._/-]+$/, "an absolute path of letters, digits, . _ - /"),
  target: external_exports.literal("s390x-linux-gnu"),
  gcc: external_exports.string().min(1),
  gccPackage: external_exports.string().optional(),
  rust: external_exports.string().nullable().optional(),
  rustTarget: external_exports.string().nullable().optional()
});
var DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
var REQUIRED_WRAPPERS = ["cc", "c++", "ld"];
async function loadTurboToolchain(dir) {
  const file = join(dir, TURBO_MANIFEST);
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if (e.code === "ENOENT" || e.code === "ENOTDIR") return void 0;
    throw e;
  }
  const fix = "assemble it again with scripts/setup-turbo-toolchain.sh, or build with --compiler emulated";
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RefineryError("environment", `the turbo toolchain manifest is not JSON: ${e.message}`, { location: { file }, fix });
  }
  const parsed = TurboManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RefineryError("environment", `not a turbo toolchain manifest: ${issue.message}`, { location: { file, field: issue.path.join(".") }, fix });
  }
  const m = parsed.data;
  for (const w of [...REQUIRED_WRAPPERS, ...m.rust ? ["cargo", "rustc"] : []]) {
    try {
      await access(join(dir, "bin", w), constants.X_OK);
    } catch {
      throw new RefineryError("environment", `the turbo toolchain in ${dir} has no bin/${w}`, { location: { file }, fix });
    }
  }
  return {
    dir,
    mountPoint: m.mountPoint,
    gcc: m.gcc,
    ...m.rust ? { rust: m.rust } : {},
    fingerprint: `gcc ${m.gccPackage ?? m.gcc}${m.rust ? `, rust ${m.rust}` : ""}`
  };
}
function turboMountArgs(t) {
  return ["--mount", `type=bind,source=${t.dir},target=${t.mountPoint},readonly`];
}
function turboEnv(t, imagePath2 = DEFAULT_PATH) {
  const bin = `${t.mountPoint}/bin`;
  const env = {
    // First on PATH too: builds that call gcc, c++ or cargo by name (setuptools-rust looks for
    // cargo and rustc there) get the turbo tools.
    PATH: `${bin}:${imagePath2}`,
    CC: `${bin}/cc`,
    CXX: `${bin}/c++`,
    CPP: `${bin}/cpp`,
    LD: `${bin}/ld`,
    AR: `${bin}/ar`,
    RANLIB: `${bin}/ranlib`,
    NM: `${bin}/nm`,
    STRIP: `${bin}/strip`,
    LDSHARED: `${bin}/cc -shared`,
    LDCXXSHARED: `${bin}/c++ -shared`,
    REFINERY_COMPILER: "turbo"
  };
  if (t.rust) {
    Object.assign(env, {
      CARGO: `${bin}/cargo`,
      RUSTC: `${bin}/rustc`,
      CARGO_BUILD_TARGET: "s390x-unknown-linux-gnu",
      CARGO_TARGET_S390X_UNKNOWN_LINUX_GNU_LINKER: `${bin}/cc`,
      // Build scripts and proc macros are host (x86_64) programs: linked by the host linker
      // wrapper so that they, too, use the folder's loader and libraries.
      CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER: `${bin}/host-cc`,
      CC_s390x_unknown_linux_gnu: `${bin}/cc`,
      CXX_s390x_unknown_linux_gnu: `${bin}/c++`,
      AR_s390x_unknown_linux_gnu: `${bin}/ar`,
      // maturin and setuptools-rust read these to tag the wheel for the container's platform.
      PYO3_CROSS: "0"
    });
  }
  return env;
}

// src/domain/executors/container.ts
var CA_PATH = "/etc/refinery/ca-bundle.pem";
var ContainerExecutor = class {
  constructor(opts) {
    this.opts = opts;
    this.engine = opts.engine ?? "docker";
    this.engineEnv = opts.host ? { DOCKER_HOST: opts.host, CONTAINER_HOST: opts.host } : {};
  }
  opts;
  kind = "container";
  engine;
  engineEnv;
  cli(args, extra = {}) {
    return run(this.engine, args, { env: this.engineEnv, timeoutMs: extra.timeoutMs ?? 6e4, onOutput: extra.onOutput, signal: extra.signal });
  }
  async check(preset) {
    const problems = [];
    let engineUp = false;
    const v = await this.cli(["version", "--format", "{{.Server.Version}}"], { timeoutMs: 2e4 }).catch(() => void 0);
    if (!v || v.exitCode === -1 && v.all.trim() === "" && !v.timedOut) {
      problems.push({
        what: `no container engine: '${this.engine}' is not installed`,
        fix: "install docker (apt-get install docker.io) or podman, or run scripts/setup-s390x-env.sh"
      });
    } else {
      engineUp = v.exitCode === 0;
      if (!engineUp) {
        problems.push({
          what: `the ${this.engine} engine does not answer${this.opts.host ? ` on ${this.opts.host}` : ""}: ${firstLine(v.all) || (v.timedOut ? "timed out" : `exit ${v.exitCode}`)}`,
          fix: `start the engine (scripts/setup-s390x-env.sh starts one) or point --docker-host / DOCKER_HOST at it`
        });
      }
    }
    if (this.opts.hostArch !== "s390x") {
      const binfmt = this.opts.binfmtPath ?? "/proc/sys/fs/binfmt_misc/qemu-s390x";
      if (!existsSync(binfmt)) {
        problems.push({
          what: `no binfmt handler for s390x (${binfmt} is missing), so s390x binaries cannot run on this ${this.opts.hostArch} machine`,
          fix: "install qemu-user-static and binfmt-support and run `update-binfmts --enable qemu-s390x` (scripts/setup-s390x-env.sh does it; on GitHub use docker/setup-qemu-action)"
        });
      }
    }
    if (engineUp) {
      const img = await this.inspect(preset.image);
      if (!img) {
        problems.push({
          what: `image ${preset.image} is not present in the engine`,
          fix: this.opts.pull ? `could not pull it; check registry access, or build a local image with scripts/setup-s390x-env.sh and use a preset pointing at it (docs/build.md, "debian-local")` : `pull it (\`${this.engine} pull --platform linux/s390x ${preset.image}\`), or build a local image with scripts/setup-s390x-env.sh and use a preset pointing at it (docs/build.md, "debian-local")`
        });
      }
    }
    return problems;
  }
  /** Image id, repo digest and recorded architecture, pulling first when allowed; undefined when absent. */
  async inspect(image) {
    const fmt = "{{.Id}}|{{.Architecture}}|{{json .RepoDigests}}|{{json .Config.Env}}";
    let r = await this.cli(["image", "inspect", "--format", fmt, "--", image]);
    if (r.exitCode !== 0 && this.opts.pull) {
      await this.cli(["pull", "--platform", "linux/s390x", "--", image], { timeoutMs: 15 * 6e4 });
      r = await this.cli(["image", "inspect", "--format", fmt, "--", image]);
    }
    if (r.exitCode !== 0) return void 0;
    const [id = "", arch = "", digestsJson = "[]", envJson = "null"] = r.stdout.trim().split("|");
    let digests = [];
    try {
      digests = JSON.parse(digestsJson);
    } catch {
    }
    const digest = Array.isArray(digests) ? digests.find((d) => typeof d === "string" && d.includes("@")) : void 0;
    return { id, arch, ...digest ? { digest } : {}, ...imagePath(envJson) };
  }
  async identity(preset) {
    const img = await this.inspect(preset.image);
    const imageDigest = img?.digest ?? img?.id;
    return { image: preset.image, ...imageDigest ? { imageDigest } : {}, fingerprint: imageDigest ?? preset.image };
  }
  interpreter(preset, python) {
    return interpreterFor(preset, python);
  }
  packageManager(preset) {
    return preset.packageManager;
  }
  async open(o) {
    const img = await this.inspect(o.preset.image);
    if (!img) {
      throw new RefineryError("environment", `image ${o.preset.image} is not present`, {
        fix: "run `refinery build --check` for how to get it, or use a preset with a local image"
      });
    }
    const args = ["run", "--detach", "--rm", "--name", o.name, "--label", "refinery.build=1"];
    if (img.arch === "s390x") args.push("--platform", "linux/s390x");
    if (this.opts.network && this.opts.network !== "default") args.push("--network", this.opts.network);
    if (this.opts.cpus) args.push("--cpus", String(this.opts.cpus));
    if (this.opts.memory) args.push("--memory", this.opts.memory);
    args.push("--mount", await workMount(o.hostWorkDir), "--workdir", "/work");
    if (this.opts.caBundle) args.push("--volume", `${this.opts.caBundle}:${CA_PATH}:ro`, "--env", `PIP_CERT=${CA_PATH}`);
    const turbo = this.turboSession(o, img.path);
    args.push(...turbo.args);
    const lifetime = o.maxLifetimeMs ? String(Math.ceil(o.maxLifetimeMs / 1e3) + 300) : "infinity";
    args.push("--entrypoint", "sleep", "--", img.id, lifetime);
    const started = await this.cli(args, { timeoutMs: 12e4 });
    if (started.exitCode !== 0) {
      throw new RefineryError("environment", `could not start a container from ${o.preset.image}: ${firstLine(started.all)}`, {
        fix: "check that the engine runs containers (`docker run --rm IMAGE uname -m`)"
      });
    }
    const session = new ContainerSession(this, o.name, o.preset.packageManager, this.opts.chownTo, turbo.env);
    const arch = await session.exec(["uname", "-m"], { timeoutMs: 6e4 });
    if (arch.output.trim() !== "s390x") {
      await session.close();
      throw new RefineryError("environment", `image ${o.preset.image} runs as '${arch.output.trim()}', not s390x`, {
        fix: "use an s390x image (quay.io/pypa/manylinux_2_28_s390x, or one built by scripts/setup-s390x-env.sh)"
      });
    }
    return session;
  }
  /** Turbo applies to presets that say so (their image's ABI matches the cross compilers), on x86_64 hosts. */
  turbo(preset) {
    return this.opts.turbo && preset.turbo && this.opts.hostArch === "x64" ? this.opts.turbo : void 0;
  }
  /** The mount and the compiler environment of a turbo session; nothing for an emulated one. */
  turboSession(o, imagePath2) {
    if (o.compiler !== "turbo") return { args: [], env: {} };
    const t = this.turbo(o.preset);
    if (!t) {
      throw new RefineryError(
        "environment",
        `turbo compilers were asked for, but ${this.opts.turbo ? `preset ${o.preset.name} does not allow them` : "no turbo toolchain is set up"}`,
        {
          fix: "build with --compiler emulated, or assemble the toolchain with scripts/setup-turbo-toolchain.sh"
        }
      );
    }
    return { args: turboMountArgs(t), env: turboEnv(t, imagePath2) };
  }
  /** @internal used by sessions */
  engineRun(args, extra) {
    return this.cli(args, extra);
  }
};
var ContainerSession = class {
  constructor(executor, name, packageManager, chownTo, baseEnv = {}) {
    this.executor = executor;
    this.name = name;
    this.packageManager = packageManager;
    this.chownTo = chownTo;
    this.baseEnv = baseEnv;
  }
  executor;
  name;
  packageManager;
  chownTo;
  baseEnv;
  workDir = "/work";
  scratchDir = "/tmp";
  closed = false;
  async exec(argv, opts = {}) {
    const args = ["exec", "--workdir", opts.cwd ?? this.workDir];
    for (const [k, v] of Object.entries({ ...this.baseEnv, ...opts.env })) args.push("--env", `${k}=${v}`);
    args.push("--", this.name, ...argv);
    const started = Date.now();
    let killedByAbort = false;
    const onAbort = () => {
      killedByAbort = true;
      void this.kill();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const r = await this.executor.engineRun(args, {
        ...opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : { timeoutMs: 24 * 36e5 },
        onOutput: opts.onOutput,
        signal: opts.signal
      });
      const killed = r.timedOut || killedByAbort;
      const gone = killed ? await this.kill() : void 0;
      return {
        exitCode: r.exitCode,
        killed,
        durationMs: Date.now() - started,
        output: r.all,
        ...gone !== void 0 ? {
          tree: {
            stopped: gone,
            how: "container removed",
            notes: gone ? [] : [`container ${this.name} may still run: \`docker rm --force ${this.name}\``]
          }
        } : {}
      };
    } finally {
      opts.signal?.removeEventListener("abort", onAbort);
    }
  }
  killing;
  /**
   * Stop and remove the container, returning only once it is gone: `kill` on a `--rm` container
   * returns before the engine has removed it (seconds later under QEMU), which left containers
   * behind for a moment after a timed-out build. True once the engine no longer knows it; one
   * removal however often it is asked (timeout, cancel, close).
   */
  kill() {
    this.closed = true;
    this.killing ??= (async () => {
      await this.executor.engineRun(["rm", "--force", "--", this.name], { timeoutMs: 6e4 });
      for (let i = 0; i < 120; i++) {
        const r = await this.executor.engineRun(["container", "inspect", "--format", "{{.Id}}", "--", this.name], { timeoutMs: 2e4 });
        if (r.exitCode !== 0) return true;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return false;
    })();
    return this.killing;
  }
  async close() {
    if (this.closed) {
      await this.killing;
      return;
    }
    if (this.chownTo) await this.executor.engineRun(["exec", "--", this.name, "chown", "-R", this.chownTo, this.workDir], { timeoutMs: 12e4 });
    await this.kill();
  }
};
async function workMount(hostWorkDir) {
  let source;
  try {
    source = await realpath(hostWorkDir);
    if (!(await stat(source)).isDirectory()) throw new Error("not a directory");
  } catch (e) {
    throw new RefineryError("environment", `the unit's work folder ${JSON.stringify(hostWorkDir)} is not a folder: ${e.message}`, {
      fix: "build under a work root that exists and is a folder"
    });
  }
  if (/[,"\n\r]/.test(source)) {
    throw new RefineryError(
      "environment",
      `the unit's work folder ${JSON.stringify(source)} has a comma, quote or line break, which a container mount cannot name`,
      {
        fix: "build under a work root whose path has none of them"
      }
    );
  }
  return `type=bind,source=${source},target=/work`;
}
function imagePath(envJson) {
  try {
    const env = JSON.parse(envJson);
    const path = Array.isArray(env) ? env.find((e) => typeof e === "string" && e.startsWith("PATH=")) : void 0;
    return path ? { path: path.slice(5) } : {};
  } catch {
    return {};
  }
}
function firstLine(s) {
  return s.trim().split("\n")[0]?.slice(0, 300) ?? "";
}

// src/domain/executors/host.ts
import { mkdir } from "node:fs/promises";
import { join as join2 } from "node:path";
var ProcessExecutor = class {
  constructor(opts) {
    this.opts = opts;
  }
  opts;
  /** This machine's package manager is not the preset's: only what the options allow. */
  packageManager() {
    return this.opts.packageManager ?? "none";
  }
  async identity(preset) {
    const py = this.interpreter(preset, Object.keys(preset.python)[0] ?? "3");
    const v = await run(py, ["-c", "import sys, platform; print(sys.version.split()[0], platform.machine())"], { timeoutMs: 3e4 }).catch(() => void 0);
    return { fingerprint: `${this.kind}:${v?.stdout.trim() ?? "unknown"}` };
  }
  async open(o) {
    const scratch = join2(o.hostWorkDir, "scratch");
    await mkdir(scratch, { recursive: true });
    const base = allowlistedEnv(this.opts.env ?? process.env);
    return new ProcessSession(o.hostWorkDir, scratch, this.opts.packageManager ?? "none", base, this.opts.tree ?? {});
  }
};
var ProcessSession = class {
  constructor(workDir, scratchDir, packageManager, baseEnv, tree) {
    this.workDir = workDir;
    this.scratchDir = scratchDir;
    this.packageManager = packageManager;
    this.baseEnv = baseEnv;
    this.tree = tree;
  }
  workDir;
  scratchDir;
  packageManager;
  baseEnv;
  tree;
  async exec(argv, opts = {}) {
    const [file, ...args] = argv;
    if (!file) throw new Error("empty command");
    const started = Date.now();
    try {
      const r = await run(file, args, {
        cwd: opts.cwd ?? this.workDir,
        // Exactly this environment: the CLI's own (tokens, keys) never reaches package code.
        env: { ...this.baseEnv, ...opts.env },
        extendEnv: false,
        timeoutMs: opts.timeoutMs,
        onOutput: opts.onOutput,
        signal: opts.signal,
        tree: this.tree
      });
      const t = r.tree;
      return {
        exitCode: r.exitCode,
        killed: r.timedOut || Boolean(opts.signal?.aborted),
        durationMs: Date.now() - started,
        output: r.all,
        ...t ? { tree: { stopped: t.stopped, how: t.isolation === "pid-namespace" ? "PID namespace" : "process group", notes: t.notes } } : {}
      };
    } catch (e) {
      const msg = `refinery: cannot run ${file}: ${e.message}
`;
      opts.onOutput?.(msg);
      return { exitCode: 127, killed: Boolean(opts.signal?.aborted), durationMs: Date.now() - started, output: msg };
    }
  }
  async close() {
  }
};
var HostExecutor = class extends ProcessExecutor {
  kind = "host";
  interpreter() {
    return this.opts.python ?? "python3";
  }
  async check() {
    const py = this.interpreter();
    const r = await run(py, ["-m", "pip", "--version"], { timeoutMs: 3e4 }).catch(() => void 0);
    if (r?.exitCode !== 0) return [{ what: `${py} with pip is not available`, fix: "install Python 3 with pip, or pass --python PATH" }];
    return [];
  }
};
var NativeExecutor = class extends ProcessExecutor {
  kind = "native";
  interpreter(preset, python) {
    return this.opts.python ?? interpreterFor(preset, python);
  }
  async check(preset) {
    if (this.opts.hostArch !== "s390x") {
      return [{ what: `this machine is ${this.opts.hostArch}, not s390x`, fix: "use --executor container (QEMU) here, or run on an s390x runner" }];
    }
    const py = this.opts.python ?? Object.values(preset.python)[0] ?? "python3";
    const r = await run(py, ["-m", "pip", "--version"], { timeoutMs: 3e4 }).catch(() => void 0);
    if (r?.exitCode !== 0)
      return [{ what: `${py} with pip is not available`, fix: `install it, or pass --python PATH, or use --executor container on this s390x machine` }];
    return [];
  }
};

// src/domain/executors/choose.ts
function makeExecutor(kind, o) {
  switch (kind) {
    case "container":
      return new ContainerExecutor(o.container);
    case "native":
      return new NativeExecutor(o.process);
    case "host":
      return new HostExecutor(o.process);
  }
}
async function chooseExecutor(preset, o) {
  if (o.process.hostArch === "s390x") {
    const native = new NativeExecutor(o.process);
    const p = await native.check(preset);
    if (p.length === 0) return { executor: native, reason: "this machine is s390x: building natively with the preset interpreter" };
  }
  const container = new ContainerExecutor(o.container);
  const problems = await container.check(preset);
  if (problems.length === 0) {
    return {
      executor: container,
      reason: o.process.hostArch === "s390x" ? `s390x machine with a container engine: building in ${preset.image}` : `container engine and QEMU binfmt for s390x found: building in ${preset.image} under emulation`
    };
  }
  throw environmentError("no executor can build s390x wheels on this machine", problems);
}
function environmentError(what, problems) {
  const list = problems.map((p) => `${p.what} -> ${p.fix}`).join("; ");
  return new RefineryError("environment", `${what}: ${list}`, {
    fix: "fix the above, or pass --executor host to test the pipeline with this machine's Python (wheels will not be s390x)"
  });
}

// src/stages/builder/unit.ts
import { randomBytes } from "node:crypto";
import { copyFile as copyFile3, mkdir as mkdir4, mkdtemp, readdir as readdir2, rm as rm3, stat as stat2, writeFile as writeFile2 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join5 } from "node:path";
import { setTimeout as sleepMs } from "node:timers/promises";

// src/domain/hints/evidence.ts
var ERRORISH = /\b(error|fatal|failed|cannot|could not|not found|no such file|undefined reference|unrecognized|unsupported|requires?)\b|\w(Error|Exception)\b/i;
var BOILERPLATE = [
  /error: subprocess-exited-with-error/i,
  /note: This error originates from a subprocess/i,
  /ERROR: Failed (building wheel|to build)/i,
  /^\s*Failed to build /i,
  /error: metadata-generation-failed/i,
  /Encountered error while generating package metadata/i,
  /exit code: \d+/i,
  /^\s*[│|]?\s*(File ".*", line \d+|Traceback \(most recent call last\))/,
  /finished with status 'error'/,
  /See above for (output|details)/i,
  /This is an issue with the package mentioned above/i,
  /\[end of output\]/i,
  /^[×╰╭│|]/,
  /^(note|hint): /i
];
var TAIL_LINES = 3;
var EVIDENCE_LINES = 8;
var EVIDENCE_LINE_CHARS = 300;
function errorLines(log, max = EVIDENCE_LINES) {
  const errorish = [];
  const plain = [];
  for (const raw of log.split("\n")) {
    const line = raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "").trim();
    if (!line || BOILERPLATE.some((b) => b.test(line)) || line.startsWith("[refinery]") || line.startsWith("=====")) continue;
    const cut = line.length > EVIDENCE_LINE_CHARS ? `${line.slice(0, EVIDENCE_LINE_CHARS - 1)}\u2026` : line;
    const into = ERRORISH.test(line) ? errorish : plain;
    if (!into.includes(cut)) into.push(cut);
  }
  return errorish.length > 0 ? errorish.slice(-max) : plain.slice(-Math.min(TAIL_LINES, max));
}

// src/domain/model/fingerprint.ts
import { createHash } from "node:crypto";
function inputsFingerprint(i) {
  const canonical = stableJson({ ...i, hints: [...new Set(i.hints)].sort() });
  return `sha256:${createHash("sha256").update(canonical).digest("hex")}`;
}

// src/stages/builder/pip-config.ts
var slash = (u) => u.endsWith("/") ? u : `${u}/`;
function pipIndexConfig(indexes) {
  const [primary, ...extras] = indexes;
  if (!primary) return void 0;
  if (extras.length === 0 && !primary.auth && slash(primary.url) === slash(DEFAULT_PRIMARY_INDEX)) return void 0;
  const lines = ["[global]", `index-url = ${urlWithCredentials(primary)}`];
  if (extras.length > 0) lines.push("extra-index-url =", ...extras.map((e) => `    ${urlWithCredentials(e)}`));
  return `${lines.join("\n")}
`;
}

// src/stages/builder/attempt.ts
import { createWriteStream } from "node:fs";
import { copyFile, mkdir as mkdir2, readdir, rm, writeFile } from "node:fs/promises";
import { join as join3 } from "node:path";

// src/stages/builder/frontend.ts
function frontendCommand(frontend, python, o) {
  const settings = Object.entries(o.configSettings).sort(([a], [b]) => byCodePoint(a, b));
  if (frontend === "build") {
    return [
      python,
      "-m",
      "build",
      "--wheel",
      "--outdir",
      o.outDir,
      ...o.isolation ? [] : ["--no-isolation"],
      ...settings.map(([k, v]) => `--config-setting=${k}=${v}`),
      o.srcDir
    ];
  }
  return [
    // --verbose keeps the backend's output in the log even when the build succeeds.
    python,
    "-m",
    "pip",
    "wheel",
    "--verbose",
    "--no-deps",
    "--wheel-dir",
    o.outDir,
    ...o.isolation ? [] : ["--no-build-isolation"],
    ...settings.map(([k, v]) => `--config-settings=${k}=${v}`),
    o.srcDir
  ];
}
function installCommands(pm, packages) {
  if (packages.length === 0) return void 0;
  switch (pm) {
    case "apt":
      return { install: ["apt-get", "install", "-y", "--no-install-recommends", ...packages], refresh: ["apt-get", "update"] };
    case "dnf":
      return { install: ["dnf", "install", "-y", ...packages] };
    case "yum":
      return { install: ["yum", "install", "-y", ...packages] };
    case "apk":
      return { install: ["apk", "add", "--no-cache", ...packages] };
    case "none":
      return void 0;
  }
}
function useIsolation(defaultIsolation, r) {
  if (r.preinstall.length > 0) return false;
  return r.buildIsolation ?? defaultIsolation;
}

// src/stages/builder/smoke.ts
var SMOKE_SCRIPT = String.raw`
import importlib, json, os, sys, sysconfig, zipfile
wheel = sys.argv[1]
site = sysconfig.get_paths()["platlib"]
names = []
with zipfile.ZipFile(wheel) as z:
    files = z.namelist()
    # Install: members go to site-packages, <name>.data/{purelib,platlib}/ too; scripts and headers
    # are not needed to import. Member paths are checked to stay inside site-packages.
    for f in files:
        parts = f.split("/")
        if parts[0].endswith(".data"):
            if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                continue
            parts = parts[2:]
        dest = os.path.realpath(os.path.join(site, *parts))
        if not dest.startswith(os.path.realpath(site) + os.sep):
            print("REFINERY-SMOKE-ERROR member escapes site-packages: " + f)
            sys.exit(2)
        if f.endswith("/"):
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as out:
            out.write(z.read(f))
    tops = [f for f in files if f.endswith(".dist-info/top_level.txt")]
    if tops:
        names = [l.strip().replace("/", ".") for l in z.read(tops[0]).decode().splitlines() if l.strip()]
    else:
        for f in files:
            first = f.split("/")[0]
            if first.endswith((".dist-info", ".data")) or first == "__pycache__":
                continue
            mod = first.split(".")[0] if "/" not in f else first
            if mod not in names:
                names.append(mod)
importlib.invalidate_caches()
names = [n for n in names if n.replace(".", "_").isidentifier()]
public = [n for n in names if not n.startswith("_")]
names = public or names
result = {"imported": [], "failed": [], "missingDeps": [], "byteorder": sys.byteorder}
for n in names:
    try:
        importlib.import_module(n)
        result["imported"].append(n)
    except ModuleNotFoundError as e:
        if e.name and e.name.split(".")[0] not in names:
            result["missingDeps"].append({"module": n, "missing": e.name})
        else:
            result["failed"].append({"module": n, "error": repr(e)})
    except Exception as e:
        result["failed"].append({"module": n, "error": repr(e)})
print("REFINERY-SMOKE " + json.dumps(result))
sys.exit(1 if result["failed"] or not (result["imported"] or result["missingDeps"]) else 0)
`;
function parseSmokeOutput(output) {
  const line = output.split("\n").find((l) => l.startsWith("REFINERY-SMOKE "));
  if (!line) return void 0;
  try {
    return JSON.parse(line.slice("REFINERY-SMOKE ".length));
  } catch {
    return void 0;
  }
}

// src/stages/builder/attempt.ts
function stopWords(r) {
  if (!r.tree) return r.durationMs === 0 ? "no command started" : "command killed";
  if (r.tree.stopped) return `process tree stopped (${r.tree.how})`;
  return `the process tree may NOT be fully stopped (${r.tree.how})`;
}
async function runAttempt(a) {
  const now = a.now ?? Date.now;
  const log = new AttemptLog(a.logFile);
  const durations = {};
  const wd = a.session.workDir;
  const env = mergeEnv(a.env, a.remedy.env);
  if (a.pipConfigRel && env.PIP_CONFIG_FILE === void 0 && env.PIP_INDEX_URL === void 0) {
    env.PIP_CONFIG_FILE = `${wd}/${a.pipConfigRel}`;
  }
  const distName = `dist-${a.n}`;
  const hostDist = join3(a.hostWorkDir, distName);
  await rm(hostDist, { recursive: true, force: true });
  await mkdir2(hostDist, { recursive: true });
  if (a.compilerNote) log.line(`[refinery] compiler: ${a.compilerNote}`);
  const done = async (o) => {
    log.line(`[refinery] attempt ${a.n}: ${o.status}${o.phase ? ` in phase ${o.phase}` : ""}${o.killed ? " (killed)" : ""}`);
    return { ...o, log: await log.close(), phaseDurationsMs: durations };
  };
  const step = async (phase, argv, extraEnv = {}) => {
    const remaining = a.deadline - now();
    const limit = Math.max(1, Math.min(a.timeouts[phase], remaining));
    log.line(`[refinery] ${phase}: ${argv.map((x) => x.length > 200 ? "<script>" : x).join(" ")}`);
    const started = now();
    const r = remaining <= 0 || a.signal?.aborted ? { exitCode: -1, killed: true, durationMs: 0, output: "" } : await a.session.exec(argv, { env: { ...env, ...extraEnv }, timeoutMs: limit, onOutput: (c) => log.write(c), signal: a.signal });
    durations[phase] = (durations[phase] ?? 0) + (now() - started);
    for (const n of r.tree?.notes ?? []) log.line(`[refinery] ${n}`);
    if (r.killed) {
      const by = a.signal?.aborted ? "cancel" : remaining <= a.timeouts[phase] ? "unit" : "phase";
      const what = by === "cancel" ? "the build was cancelled (refinery was asked to stop)" : `${by === "unit" ? "the unit" : `phase ${phase}`} exceeded its timeout of ${Math.round((by === "unit" ? Math.max(remaining, 0) : a.timeouts[phase]) / 1e3)} s`;
      log.line(`[refinery] KILLED: ${what}; ${stopWords(r)}`);
      return { ...r, exitCode: r.exitCode === 0 ? 137 : r.exitCode, killedBy: by };
    }
    return r;
  };
  const pkgs = installCommands(a.session.packageManager, a.remedy.packages);
  if (pkgs) {
    let r = await step("prepare", pkgs.install);
    if (r.exitCode !== 0 && !r.killed && pkgs.refresh) {
      r = await step("prepare", pkgs.refresh);
      if (r.exitCode === 0 && !r.killed) r = await step("prepare", pkgs.install);
    }
    if (r.exitCode !== 0) return done({ status: "failure", phase: "prepare", killed: r.killed, ...r.killedBy ? { killedBy: r.killedBy } : {} });
  }
  const pipEnv = {};
  if (a.findLinksRel) pipEnv.PIP_FIND_LINKS = `${wd}/${a.findLinksRel}`;
  if (a.remedy.constraints.length > 0) {
    await writeFile(join3(a.hostWorkDir, `constraints-${a.n}.txt`), `${a.remedy.constraints.join("\n")}
`);
    pipEnv.PIP_CONSTRAINT = `${wd}/constraints-${a.n}.txt`;
  }
  if (a.remedy.preinstall.length > 0) {
    const r = await step("prepare", [a.python, "-m", "pip", "install", ...a.remedy.preinstall], { ...pipEnv, PIP_BREAK_SYSTEM_PACKAGES: "1" });
    if (r.exitCode !== 0) return done({ status: "failure", phase: "prepare", killed: r.killed, ...r.killedBy ? { killedBy: r.killedBy } : {} });
  }
  const isolation = useIsolation(a.isolation, a.remedy);
  const build = await step(
    "build",
    frontendCommand(a.frontend, a.python, { srcDir: `${wd}/${a.srcRel}`, outDir: `${wd}/${distName}`, isolation, configSettings: a.remedy.configSettings }),
    pipEnv
  );
  if (build.exitCode !== 0) return done({ status: "failure", phase: "build", killed: build.killed, ...build.killedBy ? { killedBy: build.killedBy } : {} });
  let wheelName = (await readdir(hostDist)).find((f) => f.endsWith(".whl"));
  if (!wheelName) {
    log.line("[refinery] build: the frontend exited 0 but wrote no wheel");
    return done({ status: "failure", phase: "build", killed: false });
  }
  await mkdir2(a.outDir, { recursive: true });
  let outPath = join3(a.outDir, wheelName);
  await copyFile(join3(hostDist, wheelName), outPath);
  log.line(`[refinery] wheel: ${wheelName}`);
  if (a.repair === "auditwheel" && /-none-any\.whl$/.test(wheelName)) log.line("[refinery] repair: pure-Python wheel, nothing to repair");
  else if (a.repair === "auditwheel") {
    const repairedDir = `repaired-${a.n}`;
    const r = await step("repair", ["auditwheel", "repair", "--wheel-dir", `${wd}/${repairedDir}`, `${wd}/${distName}/${wheelName}`]);
    if (r.exitCode !== 0)
      return done({
        status: "failure",
        phase: "repair",
        killed: r.killed,
        ...r.killedBy ? { killedBy: r.killedBy } : {},
        wheelPath: outPath,
        wheelFilename: wheelName
      });
    const repaired = (await readdir(join3(a.hostWorkDir, repairedDir))).find((f) => f.endsWith(".whl"));
    if (repaired) {
      await rm(outPath, { force: true });
      outPath = join3(a.outDir, repaired);
      await copyFile(join3(a.hostWorkDir, repairedDir, repaired), outPath);
      await copyFile(join3(a.hostWorkDir, repairedDir, repaired), join3(hostDist, repaired));
      wheelName = repaired;
      log.line(`[refinery] repaired wheel: ${repaired}`);
    }
  }
  const venv = `${a.session.scratchDir}/refinery-smoke-${a.n}`;
  const wheelInSession = `${wd}/${distName}/${wheelName}`;
  const mkVenv = await step("test", [a.python, "-m", "venv", "--clear", "--without-pip", venv]);
  if (mkVenv.exitCode !== 0)
    return done({
      status: "failure",
      phase: "test",
      killed: mkVenv.killed,
      ...mkVenv.killedBy ? { killedBy: mkVenv.killedBy } : {},
      wheelPath: outPath,
      wheelFilename: wheelName
    });
  const smoke = await step("test", [`${venv}/bin/python`, "-c", SMOKE_SCRIPT, wheelInSession], { PYTHONDONTWRITEBYTECODE: "1" });
  const report = parseSmokeOutput(smoke.output);
  const common = { wheelPath: outPath, wheelFilename: wheelName, ...report ? { smoke: report } : {} };
  if (smoke.exitCode !== 0)
    return done({ status: "failure", phase: "test", killed: smoke.killed, ...smoke.killedBy ? { killedBy: smoke.killedBy } : {}, ...common });
  return done({ status: "success", killed: false, ...common });
}
var AttemptLog = class {
  stream;
  chunks = [];
  constructor(file) {
    this.stream = createWriteStream(file, { flags: "w" });
  }
  write(chunk) {
    this.chunks.push(chunk);
    this.stream.write(chunk);
  }
  line(text) {
    const last = this.chunks[this.chunks.length - 1];
    this.write(`${last && !last.endsWith("\n") ? "\n" : ""}${text}
`);
  }
  async close() {
    await new Promise((resolve, reject) => this.stream.end((e) => e ? reject(e) : resolve()));
    return this.chunks.join("");
  }
};

// src/stages/builder/backoff.ts
function backoffDelayMs(retry, o) {
  const ceiling = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + o.random() * (ceiling / 2));
}

// src/stages/builder/fetch.ts
import { copyFile as copyFile2, mkdir as mkdir3, rename, rm as rm2 } from "node:fs/promises";
import { basename, join as join4 } from "node:path";
import { fileURLToPath } from "node:url";
async function fetchSdist(ref, destDir, opts = {}) {
  if (basename(ref.filename) !== ref.filename || ref.filename.startsWith(".")) {
    throw new RefineryError("input", `sdist filename ${JSON.stringify(ref.filename)} is not a plain file name`, {
      fix: "the plan unit must name the sdist file only"
    });
  }
  await mkdir3(destDir, { recursive: true });
  const dest = join4(destDir, ref.filename);
  if (/^https?:\/\//i.test(ref.url)) {
    const sha2562 = await downloadVerified(opts.http ?? new HttpClient(), ref.url, dest, ref.sha256?.toLowerCase(), opts.signal ? { signal: opts.signal } : {});
    return { path: dest, sha256: sha2562 };
  }
  const tmp = `${dest}.part`;
  const src = ref.url.startsWith("file:") ? fileURLToPath(ref.url) : ref.url;
  try {
    await copyFile2(src, tmp);
  } catch (e) {
    throw new RefineryError("input", `cannot read sdist ${src}: ${e.code ?? String(e)}`, { fix: "pass an existing sdist file" });
  }
  const sha256 = await sha256File(tmp);
  if (ref.sha256 && ref.sha256.toLowerCase() !== sha256) {
    await rm2(tmp, { force: true });
    throw new RefineryError("index", `sha256 mismatch for ${ref.filename}: expected ${ref.sha256}, got ${sha256}`, {
      fix: "the file changed since it was planned or was corrupted in transit; re-run scan/plan, and report it if it persists"
    });
  }
  await rename(tmp, dest);
  return { path: dest, sha256 };
}

// src/stages/builder/unit.ts
var DEFAULT_TIMEOUTS = { prepare: 20 * 6e4, build: 150 * 6e4, repair: 15 * 6e4, test: 15 * 6e4 };
async function unitFingerprint(unit, o, sdistSha256) {
  const recipe = recipeFor(o.recipes, unit.package);
  const initial = dedupe([...o.preset.hints, ...recipe?.hints ?? [], ...unit.hints]);
  const identity = await o.executor.identity(o.preset);
  const isolation = o.isolation ?? true;
  return inputsFingerprint({
    sdistSha256,
    image: identity.fingerprint,
    python: unit.buildPython,
    preset: o.preset.name,
    hints: [...initial, ...recipe ? [`recipe:${recipe.name}`] : []],
    env: mergeEnv({ ...o.env ?? {} }, o.preset.env),
    frontend: `${o.frontend ?? "pip"}${isolation ? "" : " --no-build-isolation"}`,
    ...turboFingerprint(turboToolchain(unit, o))
  });
}
function turboToolchain(unit, o) {
  const wanted = o.compiler ?? unit.compiler ?? "turbo";
  return wanted === "turbo" ? o.executor.turbo?.(o.preset) : void 0;
}
function turboFingerprint(t) {
  return t ? { compiler: `turbo: ${t.fingerprint}` } : {};
}
async function buildUnit(unit, o) {
  const recipe = recipeFor(o.recipes, unit.package);
  if (recipe?.skip) {
    throw new RefineryError("build", `${unit.package} is skipped by its recipe: ${recipe.skip}`, { fix: "remove the recipe skip to try anyway" });
  }
  if (!o.skipCheck) {
    const problems = await o.executor.check(o.preset);
    if (problems.length > 0) throw environmentError(`the ${o.executor.kind} executor cannot build here`, problems);
  }
  const python = o.executor.interpreter(o.preset, unit.buildPython);
  const pm = o.executor.packageManager(o.preset);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...o.timeouts };
  const started = Date.now();
  const deadline = started + (o.unitTimeoutMs ?? 180 * 6e4);
  const maxAttempts = o.maxAttempts ?? 4;
  const transientRetries = o.transientRetries ?? 2;
  const backoff = o.backoff ?? { baseMs: 1e4, maxMs: 12e4 };
  const random = o.random ?? Math.random;
  const sleep = o.sleep ?? ((ms, signal) => sleepMs(ms, void 0, { signal }).catch(() => void 0));
  const frontend = o.frontend ?? "pip";
  const isolation = o.isolation ?? true;
  await mkdir4(o.outDir, { recursive: true });
  const work = await mkdtemp(join5(o.workRoot ?? tmpdir(), `refinery-${unit.id.slice(0, 60)}-`));
  try {
    const fetchStart = Date.now();
    let sdist;
    try {
      if (o.signal?.aborted) throw o.signal.reason;
      sdist = await fetchSdist(o.sdistFile ? { ...unit.sdist, url: o.sdistFile } : unit.sdist, join5(work, "sdist"), { http: o.http, signal: o.signal });
    } catch (e) {
      if (!o.signal?.aborted) throw e;
      return await cancelledBeforeStart(unit, o, new Date(fetchStart));
    }
    const fetchMs = Date.now() - fetchStart;
    const linked = await stageFindLinks(o.findLinks ?? [], join5(work, FIND_LINKS_DIR));
    const pipConf = pipIndexConfig(o.indexes ?? []);
    if (pipConf) await writeFile2(join5(work, PIP_CONF), pipConf, { mode: 384 });
    if (linked > 0) o.onOutput?.(`[refinery] find-links: ${linked} wheel(s) from earlier builds for build requirements
`);
    const initial = dedupe([...o.preset.hints, ...recipe?.hints ?? [], ...unit.hints]);
    const applied = [];
    const unknown = [];
    for (const id of initial) {
      const h = hintById(o.catalog, id);
      if (h) applied.push(h);
      else unknown.push(id);
    }
    const baseEnv = mergeEnv({ ...o.passEnv ?? {}, ...o.env ?? {} }, o.preset.env);
    const recipeRemedy = recipe ? recipeHint(recipe.remedy) : void 0;
    const identity = await o.executor.identity(o.preset);
    const fingerprint = await unitFingerprint(unit, o, sdist.sha256);
    const turbo = turboToolchain(unit, o);
    let compiler = "emulated";
    const attempts = [];
    const logs = [];
    let transientUsed = 0;
    let success;
    let last;
    if (unknown.length > 0) o.onOutput?.(`[refinery] unknown hint ids ignored: ${unknown.join(", ")}
`);
    for (let n = 1; n <= maxAttempts; n++) {
      if (Date.now() >= deadline || o.signal?.aborted) break;
      const inForce = [...recipeRemedy ? [recipeRemedy] : [], ...applied];
      const remedy = combineRemedies(inForce, pm);
      compiler = turbo && remedy.compiler !== "emulated" ? "turbo" : "emulated";
      const hintIds = applied.map((h) => h.id);
      o.onEvent?.({ type: "attempt-start", n, hints: hintIds });
      const srcRel = `src-${n}`;
      await extractSafely(sdist.path, join5(work, srcRel));
      const top = await singleTopDir(join5(work, srcRel), unit.sdist.filename);
      const logName2 = `${unit.id}.attempt-${n}.log`;
      const name = `refinery-${unit.id.slice(0, 80)}-${n}-${randomBytes(3).toString("hex")}`;
      const session = await o.executor.open({ name, hostWorkDir: work, preset: o.preset, maxLifetimeMs: Math.max(0, deadline - Date.now()), compiler });
      const startedAt = /* @__PURE__ */ new Date();
      let outcome;
      try {
        outcome = await runAttempt({
          n,
          session,
          hostWorkDir: work,
          srcRel: `${srcRel}/${top}`,
          python,
          frontend,
          isolation,
          // The host executor builds for this machine: no auditwheel there, nothing to make manylinux.
          repair: o.executor.kind === "host" ? "none" : o.preset.repair,
          remedy,
          env: baseEnv,
          timeouts,
          deadline,
          outDir: o.outDir,
          ...linked > 0 ? { findLinksRel: FIND_LINKS_DIR } : {},
          ...pipConf ? { pipConfigRel: PIP_CONF } : {},
          logFile: join5(o.outDir, logName2),
          compilerNote: compiler === "turbo" ? `turbo (${turbo.fingerprint}, host-speed compilers mounted at ${turbo.mountPoint})` : turbo ? "emulated (turbo turned off by a hint)" : "emulated",
          ...o.signal ? { signal: o.signal } : {}
        });
      } finally {
        await session.close().catch(() => void 0);
      }
      last = outcome;
      logs.push(`===== attempt ${n} (hints: ${hintIds.join(", ") || "none"}) =====
${outcome.log}`);
      if (o.onOutput) o.onOutput(outcome.log);
      if (outcome.wheelPath) o.onEvent?.({ type: "wheel", path: outcome.wheelPath });
      const cancelled = outcome.killedBy === "cancel";
      const matches = outcome.status === "failure" && !cancelled ? matchLog(o.catalog, outcome.log, outcome.phase) : [];
      const best = matches[0];
      const failureClass = outcome.status === "success" || cancelled ? void 0 : outcome.killed ? "timeout" : best?.class;
      const attempt = {
        n,
        startedAt: startedAt.toISOString(),
        finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        status: outcome.status,
        ...outcome.phase ? { phase: outcome.phase } : {},
        ...failureClass ? { failureClass } : {},
        ...best && !outcome.killed ? { matchedHint: best.hint } : {},
        hintsApplied: [...recipe ? [`recipe:${recipe.name}`] : [], ...hintIds],
        killed: outcome.killed,
        log: logName2,
        compiler
      };
      const unclassified = outcome.status === "failure" && !cancelled && !outcome.killed && matches.length === 0;
      if (unclassified) {
        const evidence = errorLines(outcome.log);
        if (evidence.length > 0) attempt.evidence = evidence;
      }
      attempts.push(attempt);
      o.onEvent?.({ type: "attempt-end", attempt, matches });
      if (outcome.status === "success") {
        success = outcome;
        break;
      }
      if (outcome.killed) break;
      if (failureClass === "transient" || failureClass === "qemu-fault") {
        if (transientUsed >= transientRetries) break;
        transientUsed++;
        const delayMs = backoffDelayMs(transientUsed, { ...backoff, random });
        if (Date.now() + delayMs >= deadline) break;
        o.onEvent?.({ type: "retry-wait", delayMs, reason: `${failureClass} (${best?.hint})` });
        await sleep(delayMs, o.signal);
        continue;
      }
      const untried = (h) => !applied.some((a) => a.id === h.id) && (hasEffect(remedyFor(h, pm)) || compiler === "turbo" && remedyFor(h, pm)?.compiler === "emulated");
      const next = matches.map((m) => hintById(o.catalog, m.hint)).find(untried) ?? // An unclassified failure is not the end: the catalog's fallback (build tools) gets one try.
      (unclassified ? o.catalog.hints.find((h) => h.fallback && untried(h)) : void 0);
      if (!next) break;
      applied.push(next);
      o.onEvent?.({ type: "hint-applied", hint: next.id, class: next.class, forAttempt: n + 1 });
    }
    if (attempts.length === 0 && o.signal?.aborted) return await cancelledBeforeStart(unit, o, new Date(fetchStart));
    if (attempts.length === 0) {
      throw new RefineryError("build", `${unit.id}: no attempt could start before the unit timeout`, { fix: "raise the unit timeout" });
    }
    const phaseDurationsMs = { fetch: fetchMs, ...last?.phaseDurationsMs ?? {} };
    const logName = `${unit.id}.log`;
    await writeFile2(join5(o.outDir, logName), logs.join("\n"));
    let wheel;
    if (success?.wheelPath && success.wheelFilename) {
      const st = await stat2(success.wheelPath);
      wheel = {
        filename: success.wheelFilename,
        sha256: await sha256File(success.wheelPath),
        size: st.size,
        tags: parseWheelFilename(success.wheelFilename).tags
      };
      const why = wheelMismatch(wheel.filename, unit.package, unit.version);
      if (why) {
        throw new RefineryError("build", `${unit.id}: the build made ${wheel.filename}, which is not a wheel of ${unit.package} ${unit.version} (${why})`, {
          fix: "the sdist builds another project or version than the requirement names: check the pin, or the sdist (upstream metadata mismatch)"
        });
      }
    }
    const result = BuildResult.parse({
      schema: "refinery/result@1",
      unit: { id: unit.id, package: unit.package, version: unit.version, python: unit.python, targets: servedTargets(unit, wheel) },
      status: success ? "success" : last?.killedBy === "cancel" || o.signal?.aborted ? "cancelled" : "failure",
      ...wheel ? { wheel } : {},
      attempts,
      executor: o.executor.kind,
      preset: o.preset.name,
      ...identity.image ? { image: identity.image } : {},
      ...identity.imageDigest ? { imageDigest: identity.imageDigest } : {},
      compiler,
      ...compiler === "turbo" ? { toolchain: turbo.fingerprint } : {},
      ...o.runner ? { runner: o.runner } : {},
      ...o.runUrl ? { runUrl: o.runUrl } : {},
      sdist: { filename: unit.sdist.filename, sha256: sdist.sha256 },
      inputsFingerprint: fingerprint,
      phaseDurationsMs,
      log: logName
    });
    await writeJsonAtomic(join5(o.outDir, `${unit.id}.result.json`), result);
    return result;
  } finally {
    await rm3(join5(work, PIP_CONF), { force: true }).catch(() => void 0);
    if (!o.keepWorkDir) await rm3(work, { recursive: true, force: true }).catch(() => void 0);
  }
}
async function cancelledBeforeStart(unit, o, startedAt) {
  const logName = `${unit.id}.log`;
  await writeFile2(
    join5(o.outDir, logName),
    `[refinery] cancelled before attempt 1 could run (fetching or unpacking ${unit.sdist.filename}); nothing was built
`
  );
  const result = BuildResult.parse({
    schema: "refinery/result@1",
    unit: { id: unit.id, package: unit.package, version: unit.version, python: unit.python, targets: unit.targets },
    status: "cancelled",
    attempts: [
      {
        n: 1,
        startedAt: startedAt.toISOString(),
        finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        status: "failure",
        phase: "fetch",
        hintsApplied: [],
        killed: true,
        log: logName
      }
    ],
    executor: o.executor.kind,
    preset: o.preset.name,
    ...o.runner ? { runner: o.runner } : {},
    ...o.runUrl ? { runUrl: o.runUrl } : {},
    sdist: { filename: unit.sdist.filename, sha256: unit.sdist.sha256 ?? "" },
    inputsFingerprint: "",
    phaseDurationsMs: { fetch: Date.now() - startedAt.getTime() },
    log: logName
  });
  await writeJsonAtomic(join5(o.outDir, `${unit.id}.result.json`), result);
  return result;
}
var FIND_LINKS_DIR = "find-links";
var PIP_CONF = "pip.conf";
async function stageFindLinks(dirs, dest) {
  const copied = /* @__PURE__ */ new Set();
  for (const dir of dirs) {
    const names = await readdir2(dir).catch((e) => {
      if (e.code === "ENOENT") return [];
      throw e;
    });
    for (const name of names.filter((n) => n.endsWith(".whl") && !copied.has(n))) {
      if (copied.size === 0) await mkdir4(dest, { recursive: true });
      await copyFile3(join5(dir, name), join5(dest, name));
      copied.add(name);
    }
  }
  return copied.size;
}
function servedTargets(unit, wheel) {
  if (unit.python !== "py3" || !wheel || isPureWheel(wheel.tags)) return unit.targets;
  return unit.targets.filter((t) => t.startsWith(`${cpTag(unit.buildPython)}-`));
}
function hasEffect(f) {
  if (!f) return false;
  return f.packages.length + f.constraints.length + f.preinstall.length + Object.keys(f.env).length + Object.keys(f.configSettings).length > 0 || f.buildIsolation !== void 0;
}
function recipeHint(remedy) {
  return {
    id: "recipe",
    class: "permanent",
    description: "recipe",
    match: [{ pattern: "(?!)", stage: "any", ignoreCase: false }],
    priority: 0,
    remedy,
    evidence: [],
    fallback: false
  };
}
function dedupe(ids) {
  return [...new Set(ids)];
}
async function singleTopDir(dir, filename) {
  const entries = await readdir2(dir, { withFileTypes: true });
  const dirs = entries.filter((e) => e.isDirectory());
  if (dirs.length !== 1 || entries.length !== 1) {
    throw new RefineryError(
      "input",
      `${filename}: an sdist must contain exactly one top-level directory, found ${entries.map((e) => e.name).join(", ") || "nothing"}`,
      {
        fix: "build from a standard sdist (python -m build --sdist)"
      }
    );
  }
  return dirs[0].name;
}

// src/domain/executors/types.ts
var EXECUTOR_KINDS = ["container", "native", "host"];

export {
  loadTurboToolchain,
  namedEnv,
  makeExecutor,
  chooseExecutor,
  environmentError,
  unitFingerprint,
  buildUnit,
  EXECUTOR_KINDS
};
