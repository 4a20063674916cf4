import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  HttpClient,
  byCodePoint,
  extractSafely,
  interpreterFor,
  isPureWheel,
  parseWheelFilename,
  recipeFor,
  urlWithCredentials
} from "./chunk-SXA7RWFH.js";
import {
  run
} from "./chunk-Z6UYON7K.js";
import {
  DEFAULT_PRIMARY_INDEX,
  stableJson,
  writeJsonAtomic
} from "./chunk-NJWFOZHF.js";
import {
  combineRemedies,
  hintById,
  matchLog,
  mergeEnv,
  remedyFor
} from "./chunk-4B7YVCOA.js";
import {
  BuildResult,
  cpTag
} from "./chunk-56VPNN2N.js";
import {
  RefineryError
} from "./chunk-2Z5TIULM.js";

// src/executors/container.ts
import { existsSync } from "node:fs";
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
      problems.push({ what: `no container engine: '${this.engine}' is not installed`, fix: "install docker (apt-get install docker.io) or podman, or run scripts/setup-s390x-env.sh" });
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
    const fmt = "{{.Id}}|{{.Architecture}}|{{json .RepoDigests}}";
    let r = await this.cli(["image", "inspect", "--format", fmt, "--", image]);
    if (r.exitCode !== 0 && this.opts.pull) {
      await this.cli(["pull", "--platform", "linux/s390x", "--", image], { timeoutMs: 15 * 6e4 });
      r = await this.cli(["image", "inspect", "--format", fmt, "--", image]);
    }
    if (r.exitCode !== 0) return void 0;
    const [id = "", arch = "", digestsJson = "[]"] = r.stdout.trim().split("|");
    let digests = [];
    try {
      digests = JSON.parse(digestsJson);
    } catch {
    }
    const digest = Array.isArray(digests) ? digests.find((d) => typeof d === "string" && d.includes("@")) : void 0;
    return { id, arch, ...digest ? { digest } : {} };
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
    args.push("--volume", `${o.hostWorkDir}:/work`, "--workdir", "/work");
    if (this.opts.caBundle) args.push("--volume", `${this.opts.caBundle}:${CA_PATH}:ro`, "--env", `PIP_CERT=${CA_PATH}`);
    const lifetime = o.maxLifetimeMs ? String(Math.ceil(o.maxLifetimeMs / 1e3) + 300) : "infinity";
    args.push("--entrypoint", "sleep", "--", img.id, lifetime);
    const started = await this.cli(args, { timeoutMs: 12e4 });
    if (started.exitCode !== 0) {
      throw new RefineryError("environment", `could not start a container from ${o.preset.image}: ${firstLine(started.all)}`, {
        fix: "check that the engine runs containers (`docker run --rm IMAGE uname -m`)"
      });
    }
    const session = new ContainerSession(this, o.name, o.preset.packageManager, this.opts.chownTo);
    const arch = await session.exec(["uname", "-m"], { timeoutMs: 6e4 });
    if (arch.output.trim() !== "s390x") {
      await session.close();
      throw new RefineryError("environment", `image ${o.preset.image} runs as '${arch.output.trim()}', not s390x`, {
        fix: "use an s390x image (quay.io/pypa/manylinux_2_28_s390x, or one built by scripts/setup-s390x-env.sh)"
      });
    }
    return session;
  }
  /** @internal used by sessions */
  engineRun(args, extra) {
    return this.cli(args, extra);
  }
};
var ContainerSession = class {
  constructor(executor, name, packageManager, chownTo) {
    this.executor = executor;
    this.name = name;
    this.packageManager = packageManager;
    this.chownTo = chownTo;
  }
  executor;
  name;
  packageManager;
  chownTo;
  workDir = "/work";
  scratchDir = "/tmp";
  closed = false;
  async exec(argv, opts = {}) {
    const args = ["exec", "--workdir", opts.cwd ?? this.workDir];
    for (const [k, v] of Object.entries(opts.env ?? {})) args.push("--env", `${k}=${v}`);
    args.push("--", this.name, ...argv);
    const started = Date.now();
    let killedByAbort = false;
    const onAbort = () => {
      killedByAbort = true;
      void this.kill();
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const r = await this.executor.engineRun(args, {
        ...opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : { timeoutMs: 24 * 36e5 },
        onOutput: opts.onOutput,
        signal: opts.signal
      });
      if (r.timedOut) await this.kill();
      return { exitCode: r.exitCode, killed: r.timedOut || killedByAbort, durationMs: Date.now() - started, output: r.all };
    } finally {
      opts.signal?.removeEventListener("abort", onAbort);
    }
  }
  /**
   * Stop and remove the container, returning only once it is gone: `kill` on a `--rm` container
   * returns before the engine has removed it (seconds later under QEMU), which left containers
   * behind for a moment after a timed-out build.
   */
  async kill() {
    if (this.closed) return;
    this.closed = true;
    await this.executor.engineRun(["rm", "--force", "--", this.name], { timeoutMs: 6e4 });
    for (let i = 0; i < 120; i++) {
      const r = await this.executor.engineRun(["container", "inspect", "--format", "{{.Id}}", "--", this.name], { timeoutMs: 2e4 });
      if (r.exitCode !== 0) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  async close() {
    if (this.closed) return;
    if (this.chownTo) await this.executor.engineRun(["exec", "--", this.name, "chown", "-R", this.chownTo, this.workDir], { timeoutMs: 12e4 });
    await this.kill();
  }
};
function firstLine(s) {
  return s.trim().split("\n")[0]?.slice(0, 300) ?? "";
}

// src/executors/host.ts
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
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
    const scratch = join(o.hostWorkDir, "scratch");
    await mkdir(scratch, { recursive: true });
    return new ProcessSession(o.hostWorkDir, scratch, this.opts.packageManager ?? "none");
  }
};
var ProcessSession = class {
  constructor(workDir, scratchDir, packageManager) {
    this.workDir = workDir;
    this.scratchDir = scratchDir;
    this.packageManager = packageManager;
  }
  workDir;
  scratchDir;
  packageManager;
  async exec(argv, opts = {}) {
    const [file, ...args] = argv;
    if (!file) throw new Error("empty command");
    const started = Date.now();
    try {
      const r = await run(file, args, {
        cwd: opts.cwd ?? this.workDir,
        env: { ...opts.env },
        timeoutMs: opts.timeoutMs,
        onOutput: opts.onOutput,
        signal: opts.signal
      });
      return { exitCode: r.exitCode, killed: r.timedOut || Boolean(opts.signal?.aborted), durationMs: Date.now() - started, output: r.all };
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
    if (!r || r.exitCode !== 0) return [{ what: `${py} with pip is not available`, fix: "install Python 3 with pip, or pass --python PATH" }];
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
    if (!r || r.exitCode !== 0) return [{ what: `${py} with pip is not available`, fix: `install it, or pass --python PATH, or use --executor container on this s390x machine` }];
    return [];
  }
};

// src/executors/choose.ts
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

// src/build/unit.ts
import { randomBytes } from "node:crypto";
import { copyFile as copyFile3, mkdir as mkdir4, mkdtemp, readdir as readdir2, rm as rm3, stat, writeFile as writeFile2 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join4 } from "node:path";
import { setTimeout as sleepMs } from "node:timers/promises";

// src/model/fingerprint.ts
import { createHash } from "node:crypto";
function inputsFingerprint(i) {
  const canonical = stableJson({ ...i, hints: [...new Set(i.hints)].sort() });
  return `sha256:${createHash("sha256").update(canonical).digest("hex")}`;
}

// src/build/pip-config.ts
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

// src/build/attempt.ts
import { createWriteStream } from "node:fs";
import { copyFile, mkdir as mkdir2, readdir, rm, writeFile } from "node:fs/promises";
import { join as join2 } from "node:path";

// src/build/frontend.ts
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

// src/build/smoke.ts
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

// src/build/attempt.ts
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
  const hostDist = join2(a.hostWorkDir, distName);
  await rm(hostDist, { recursive: true, force: true });
  await mkdir2(hostDist, { recursive: true });
  const done = async (o) => {
    log.line(`[refinery] attempt ${a.n}: ${o.status}${o.phase ? ` in phase ${o.phase}` : ""}${o.killed ? " (killed)" : ""}`);
    return { ...o, log: await log.close(), phaseDurationsMs: durations };
  };
  const step = async (phase, argv, extraEnv = {}) => {
    const remaining = a.deadline - now();
    const limit = Math.max(1, Math.min(a.timeouts[phase], remaining));
    log.line(`[refinery] ${phase}: ${argv.map((x) => x.length > 200 ? "<script>" : x).join(" ")}`);
    const started = now();
    const r = remaining <= 0 ? { exitCode: -1, killed: true, durationMs: 0, output: "" } : await a.session.exec(argv, { env: { ...env, ...extraEnv }, timeoutMs: limit, onOutput: (c) => log.write(c), signal: a.signal });
    durations[phase] = (durations[phase] ?? 0) + (now() - started);
    if (r.killed) {
      const by = remaining <= a.timeouts[phase] || a.signal?.aborted ? "unit" : "phase";
      log.line(`[refinery] KILLED: ${by === "unit" ? "the unit" : `phase ${phase}`} exceeded its timeout of ${Math.round((by === "unit" ? Math.max(remaining, 0) : a.timeouts[phase]) / 1e3)} s; process tree stopped`);
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
    await writeFile(join2(a.hostWorkDir, `constraints-${a.n}.txt`), `${a.remedy.constraints.join("\n")}
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
  let outPath = join2(a.outDir, wheelName);
  await copyFile(join2(hostDist, wheelName), outPath);
  log.line(`[refinery] wheel: ${wheelName}`);
  if (a.repair === "auditwheel" && /-none-any\.whl$/.test(wheelName)) log.line("[refinery] repair: pure-Python wheel, nothing to repair");
  else if (a.repair === "auditwheel") {
    const repairedDir = `repaired-${a.n}`;
    const r = await step("repair", ["auditwheel", "repair", "--wheel-dir", `${wd}/${repairedDir}`, `${wd}/${distName}/${wheelName}`]);
    if (r.exitCode !== 0) return done({ status: "failure", phase: "repair", killed: r.killed, ...r.killedBy ? { killedBy: r.killedBy } : {}, wheelPath: outPath, wheelFilename: wheelName });
    const repaired = (await readdir(join2(a.hostWorkDir, repairedDir))).find((f) => f.endsWith(".whl"));
    if (repaired) {
      await rm(outPath, { force: true });
      outPath = join2(a.outDir, repaired);
      await copyFile(join2(a.hostWorkDir, repairedDir, repaired), outPath);
      await copyFile(join2(a.hostWorkDir, repairedDir, repaired), join2(hostDist, repaired));
      wheelName = repaired;
      log.line(`[refinery] repaired wheel: ${repaired}`);
    }
  }
  const venv = `${a.session.scratchDir}/refinery-smoke-${a.n}`;
  const wheelInSession = `${wd}/${distName}/${wheelName}`;
  const mkVenv = await step("test", [a.python, "-m", "venv", "--clear", "--without-pip", venv]);
  if (mkVenv.exitCode !== 0) return done({ status: "failure", phase: "test", killed: mkVenv.killed, ...mkVenv.killedBy ? { killedBy: mkVenv.killedBy } : {}, wheelPath: outPath, wheelFilename: wheelName });
  const smoke = await step("test", [`${venv}/bin/python`, "-c", SMOKE_SCRIPT, wheelInSession], { PYTHONDONTWRITEBYTECODE: "1" });
  const report = parseSmokeOutput(smoke.output);
  const common = { wheelPath: outPath, wheelFilename: wheelName, ...report ? { smoke: report } : {} };
  if (smoke.exitCode !== 0) return done({ status: "failure", phase: "test", killed: smoke.killed, ...smoke.killedBy ? { killedBy: smoke.killedBy } : {}, ...common });
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

// src/build/backoff.ts
function backoffDelayMs(retry, o) {
  const ceiling = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + o.random() * (ceiling / 2));
}

// src/build/fetch.ts
import { createHash as createHash2 } from "node:crypto";
import { createReadStream, createWriteStream as createWriteStream2 } from "node:fs";
import { copyFile as copyFile2, mkdir as mkdir3, rename, rm as rm2 } from "node:fs/promises";
import { basename, join as join3 } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
async function sha256File(path) {
  const h = createHash2("sha256");
  await pipeline(createReadStream(path), h);
  return h.digest("hex");
}
async function fetchSdist(ref, destDir, opts = {}) {
  if (basename(ref.filename) !== ref.filename || ref.filename.startsWith(".")) {
    throw new RefineryError("input", `sdist filename ${JSON.stringify(ref.filename)} is not a plain file name`, { fix: "the plan unit must name the sdist file only" });
  }
  await mkdir3(destDir, { recursive: true });
  const dest = join3(destDir, ref.filename);
  const tmp = `${dest}.part`;
  if (/^https?:\/\//i.test(ref.url)) {
    const http = opts.http ?? new HttpClient();
    await http.stream(ref.url, { signal: opts.signal }, async (res) => {
      if (res.status !== 200) throw new RefineryError("index", `GET ${res.url}: HTTP ${res.status}`, { fix: "check the sdist URL in the plan" });
      await pipeline(res.body, createWriteStream2(tmp));
    });
  } else {
    const src = ref.url.startsWith("file:") ? fileURLToPath(ref.url) : ref.url;
    try {
      await copyFile2(src, tmp);
    } catch (e) {
      throw new RefineryError("input", `cannot read sdist ${src}: ${e.code ?? String(e)}`, { fix: "pass an existing sdist file" });
    }
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

// src/build/unit.ts
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
    frontend: `${o.frontend ?? "pip"}${isolation ? "" : " --no-build-isolation"}`
  });
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
  const work = await mkdtemp(join4(o.workRoot ?? tmpdir(), `refinery-${unit.id.slice(0, 60)}-`));
  try {
    const fetchStart = Date.now();
    const sdist = await fetchSdist(o.sdistFile ? { ...unit.sdist, url: o.sdistFile } : unit.sdist, join4(work, "sdist"), { http: o.http, signal: o.signal });
    const fetchMs = Date.now() - fetchStart;
    const linked = await stageFindLinks(o.findLinks ?? [], join4(work, FIND_LINKS_DIR));
    const pipConf = pipIndexConfig(o.indexes ?? []);
    if (pipConf) await writeFile2(join4(work, PIP_CONF), pipConf, { mode: 384 });
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
    const baseEnv = mergeEnv({ ...o.env ?? {} }, o.preset.env);
    const recipeRemedy = recipe ? recipeHint(recipe.remedy) : void 0;
    const identity = await o.executor.identity(o.preset);
    const fingerprint = await unitFingerprint(unit, o, sdist.sha256);
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
      const hintIds = applied.map((h) => h.id);
      o.onEvent?.({ type: "attempt-start", n, hints: hintIds });
      const srcRel = `src-${n}`;
      await extractSafely(sdist.path, join4(work, srcRel));
      const top = await singleTopDir(join4(work, srcRel), unit.sdist.filename);
      const logName2 = `${unit.id}.attempt-${n}.log`;
      const name = `refinery-${unit.id.slice(0, 80)}-${n}-${randomBytes(3).toString("hex")}`;
      const session = await o.executor.open({ name, hostWorkDir: work, preset: o.preset, maxLifetimeMs: Math.max(0, deadline - Date.now()) });
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
          logFile: join4(o.outDir, logName2),
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
      const matches = outcome.status === "failure" ? matchLog(o.catalog, outcome.log, outcome.phase) : [];
      const best = matches[0];
      const failureClass = outcome.status === "success" ? void 0 : outcome.killed ? "timeout" : best?.class;
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
        log: logName2
      };
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
      const next = matches.map((m) => hintById(o.catalog, m.hint)).find((h) => !applied.some((a) => a.id === h.id) && hasEffect(remedyFor(h, pm)));
      if (!next) break;
      applied.push(next);
      o.onEvent?.({ type: "hint-applied", hint: next.id, class: next.class, forAttempt: n + 1 });
    }
    if (attempts.length === 0) {
      throw new RefineryError("build", `${unit.id}: no attempt could start before the unit timeout`, { fix: "raise the unit timeout" });
    }
    const phaseDurationsMs = { fetch: fetchMs, ...last?.phaseDurationsMs ?? {} };
    const logName = `${unit.id}.log`;
    await writeFile2(join4(o.outDir, logName), logs.join("\n"));
    let wheel;
    if (success?.wheelPath && success.wheelFilename) {
      const st = await stat(success.wheelPath);
      wheel = { filename: success.wheelFilename, sha256: await sha256File(success.wheelPath), size: st.size, tags: parseWheelFilename(success.wheelFilename).tags };
    }
    const result = BuildResult.parse({
      schema: "refinery/result@1",
      unit: { id: unit.id, package: unit.package, version: unit.version, python: unit.python, targets: servedTargets(unit, wheel) },
      status: success ? "success" : "failure",
      ...wheel ? { wheel } : {},
      attempts,
      executor: o.executor.kind,
      preset: o.preset.name,
      ...identity.image ? { image: identity.image } : {},
      ...identity.imageDigest ? { imageDigest: identity.imageDigest } : {},
      ...o.runner ? { runner: o.runner } : {},
      ...o.runUrl ? { runUrl: o.runUrl } : {},
      sdist: { filename: unit.sdist.filename, sha256: sdist.sha256 },
      inputsFingerprint: fingerprint,
      phaseDurationsMs,
      log: logName
    });
    await writeJsonAtomic(join4(o.outDir, `${unit.id}.result.json`), result);
    return result;
  } finally {
    if (!o.keepWorkDir) await rm3(work, { recursive: true, force: true }).catch(() => void 0);
  }
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
      await copyFile3(join4(dir, name), join4(dest, name));
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
  return { id: "recipe", class: "permanent", description: "recipe", match: [{ pattern: "(?!)", stage: "any", ignoreCase: false }], priority: 0, remedy, evidence: [] };
}
function dedupe(ids) {
  return [...new Set(ids)];
}
async function singleTopDir(dir, filename) {
  const entries = await readdir2(dir, { withFileTypes: true });
  const dirs = entries.filter((e) => e.isDirectory());
  if (dirs.length !== 1 || entries.length !== 1) {
    throw new RefineryError("input", `${filename}: an sdist must contain exactly one top-level directory, found ${entries.map((e) => e.name).join(", ") || "nothing"}`, {
      fix: "build from a standard sdist (python -m build --sdist)"
    });
  }
  return dirs[0].name;
}

// src/executors/types.ts
var EXECUTOR_KINDS = ["container", "native", "host"];

export {
  makeExecutor,
  chooseExecutor,
  environmentError,
  unitFingerprint,
  buildUnit,
  EXECUTOR_KINDS
};
