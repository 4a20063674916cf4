import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  Option
} from "./chunk-FHZVLPJT.js";
import {
  warn
} from "./chunk-KCAWH7LJ.js";
import {
  EXECUTOR_KINDS
} from "./chunk-HSMHA6FS.js";
import {
  COMPILERS
} from "./chunk-GNHYITKS.js";
import {
  CancelledError,
  RefineryError
} from "./chunk-FLRCTOVA.js";

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

// src/faces/cli/executor-setup.ts
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
function executorFlags(o) {
  return {
    ...o.executor ? { executor: o.executor } : {},
    engine: o.engine,
    ...o.dockerHost ? { dockerHost: o.dockerHost } : {},
    ...o.network ? { network: o.network } : {},
    ...o.cpus ? { cpus: positive(o.cpus, "--cpus") } : {},
    ...o.memory ? { memory: o.memory } : {},
    ...o.pull ? { pull: true } : {},
    ...o.caBundle ? { caBundle: o.caBundle } : {},
    ...o.hostPython ? { hostPython: o.hostPython } : {},
    ...o.turboDir ? { turboDir: o.turboDir } : {}
  };
}
function positive(v, flag) {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new RefineryError("usage", `${flag} ${JSON.stringify(v)} is not a positive number`, { fix: `e.g. ${flag} 2` });
  return n;
}

export {
  cancellation,
  addExecutorOptions,
  executorFlags,
  positive
};
