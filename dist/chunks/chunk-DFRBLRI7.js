import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  EXECUTOR_KINDS,
  chooseExecutor,
  loadTurboToolchain,
  makeExecutor
} from "./chunk-OK4ZYHVC.js";
import {
  Option
} from "./chunk-FHZVLPJT.js";
import {
  warn
} from "./chunk-KCAWH7LJ.js";
import {
  COMPILERS
} from "./chunk-UNLQIFJ6.js";
import {
  CancelledError,
  RefineryError
} from "./chunk-FLRCTOVA.js";

// src/faces/cli/executor-setup.ts
import { statSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
function addExecutorOptions(cmd) {
  return cmd.addOption(new Option("--executor <kind>", "where to build (default: what this machine has; the reason is printed)").choices([...EXECUTOR_KINDS])).option("--engine <program>", "container engine: docker or podman", "docker").option("--docker-host <url>", "engine socket, e.g. unix:///run/refinery-docker.sock (default: $DOCKER_HOST)").addOption(new Option("--network <mode>", "container network").choices(["host", "none", "default"])).option("--cpus <n>", "container CPU limit").option("--memory <size>", "container memory limit, e.g. 4g").option("--pull", "pull the preset image when it is missing").option(
    "--ca-bundle <file>",
    "CA bundle for pip inside the container (TLS-intercepting proxies; default: the first existing file of $REFINERY_CA_BUNDLE, $PIP_CERT, $SSL_CERT_FILE, $REQUESTS_CA_BUNDLE, $NODE_EXTRA_CA_CERTS)"
  ).option("--host-python <path>", "interpreter for --executor host/native (default: python3 / the preset's)").addOption(
    new Option(
      "--compiler <kind>",
      "turbo: host-speed s390x cross compilers inside the emulated container where the toolchain is set up (default, from the config's compiler); emulated: all under QEMU"
    ).choices([...COMPILERS])
  ).option("--turbo-dir <dir>", "the turbo toolchain folder (scripts/setup-turbo-toolchain.sh; default: $REFINERY_TURBO_DIR, else ~/.cache/refinery/turbo)");
}
var CA_BUNDLE_VARS = ["REFINERY_CA_BUNDLE", "PIP_CERT", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"];
function hostCaBundle(env) {
  for (const name of CA_BUNDLE_VARS) {
    const file = env[name];
    if (file && isFile(file)) return file;
  }
  return void 0;
}
function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
function executorOptions(ctx, o) {
  const hostArch = process.arch;
  const host = o.dockerHost ?? ctx.env.DOCKER_HOST;
  const caBundle = o.caBundle ?? hostCaBundle(ctx.env);
  return {
    container: {
      engine: o.engine,
      ...host ? { host } : {},
      ...o.network ? { network: o.network } : {},
      ...o.cpus ? { cpus: positive(o.cpus, "--cpus") } : {},
      ...o.memory ? { memory: o.memory } : {},
      ...o.pull ? { pull: true } : {},
      ...caBundle ? { caBundle: resolve(ctx.cwd, caBundle) } : {},
      hostArch
    },
    // Host and native builds take only allowlisted variables from this environment.
    process: {
      hostArch,
      env: ctx.env,
      ...o.hostPython ? { python: o.hostPython } : {},
      // REFINERY_PID_NAMESPACE=0: builds without a PID namespace (process group and marker only).
      ...ctx.env.REFINERY_PID_NAMESPACE === "0" ? { tree: { pidNamespace: false } } : {}
    }
  };
}
async function pickExecutor(ctx, o, preset, compiler) {
  const opts = executorOptions(ctx, o);
  if ((o.compiler ?? compiler ?? "turbo") === "turbo") {
    const turbo = await loadTurboToolchain(turboDir(ctx, o));
    if (turbo) opts.container.turbo = turbo;
  }
  if (o.executor) return { executor: makeExecutor(o.executor, opts), reason: "asked for" };
  return chooseExecutor(preset, opts);
}
function turboDir(ctx, o) {
  if (o.turboDir) return resolve(ctx.cwd, o.turboDir);
  if (ctx.env.REFINERY_TURBO_DIR) return resolve(ctx.cwd, ctx.env.REFINERY_TURBO_DIR);
  return join(ctx.env.HOME ?? homedir(), ".cache", "refinery", "turbo");
}
function positive(v, flag) {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new RefineryError("usage", `${flag} ${JSON.stringify(v)} is not a positive number`, { fix: `e.g. ${flag} 2` });
  return n;
}

// src/faces/cli/cancel.ts
function cancellation(ctx, what) {
  const controller = new AbortController();
  let got;
  const undo = ctx.onStopSignal?.((signal) => {
    got = signal;
    warn(ctx, `refinery: ${signal} received: stopping ${what} (again to exit at once)`);
    controller.abort(new Error(`${signal} received`));
  });
  return {
    signal: controller.signal,
    received: () => got,
    error: (message, fix) => new CancelledError(got ?? "SIGTERM", message, fix ? { fix } : {}),
    dispose: () => undo?.()
  };
}

export {
  addExecutorOptions,
  pickExecutor,
  positive,
  cancellation
};
