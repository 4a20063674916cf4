import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  Option
} from "./chunk-FHZVLPJT.js";
import {
  warn
} from "./chunk-KCAWH7LJ.js";
import {
  EXECUTOR_KINDS
} from "./chunk-J5ZFXILX.js";
import {
  COMPILERS
} from "./chunk-CY6NXZGB.js";
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
  ).option("--turbo-dir <dir>", "the turbo toolchain folder (scripts/setup-turbo-toolchain.sh; default: $REFINERY_TURBO_DIR, else ~/.cache/refinery/turbo)").option(
    "--crates-dir <dir>",
    "unpacked crates (scripts/setup-debian-crates.sh) the container reads at /opt/refinery/crates, for `cargoRegistry` (default: $REFINERY_CRATES_DIR)"
  );
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
    ...o.turboDir ? { turboDir: o.turboDir } : {},
    ...o.cratesDir ? { cratesDir: o.cratesDir } : {}
  };
}
function positive(v, flag) {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new RefineryError("usage", `${flag} ${JSON.stringify(v)} is not a positive number`, { fix: `e.g. ${flag} 2` });
  return n;
}

// src/faces/cli/build-progress.ts
function addProgressOptions(cmd) {
  return cmd.addOption(
    new Option("--progress <mode>", "progress on stderr while building: text, json (JSON lines) or none (default: text; json with --json)").choices([
      "text",
      "json",
      "none"
    ])
  ).option("--heartbeat <seconds>", "seconds between progress lines while an attempt runs", "30");
}
function progressMode(o) {
  return o.progress ?? (o.json ? "json" : "text");
}
function heartbeatMs(o) {
  return Math.round(positive(o.heartbeat ?? "30", "--heartbeat") * 1e3);
}
function progressLine(mode, unitId, e) {
  if (mode === "none") return void 0;
  if (e.type !== "attempt-start" && e.type !== "heartbeat") return void 0;
  if (mode === "json") {
    return JSON.stringify(
      e.type === "attempt-start" ? { event: "attempt-start", unit: unitId, attempt: e.n, hints: e.hints, log: e.log } : { event: "heartbeat", unit: unitId, attempt: e.n, phase: e.phase, elapsedSeconds: Math.round(e.elapsedMs / 1e3), lastLine: e.lastLine }
    );
  }
  if (e.type === "attempt-start") return `${unitId}: attempt ${e.n}${e.hints.length ? ` with hints ${e.hints.join(", ")}` : ""}; live log: ${e.log}`;
  return `${unitId}: attempt ${e.n}, ${e.phase}, ${clock(e.elapsedMs)}${e.lastLine ? `: ${e.lastLine}` : ""}`;
}
function printProgress(ctx, mode, unitId, e) {
  const line = progressLine(mode, unitId, e);
  if (line !== void 0) warn(ctx, line);
  return line !== void 0;
}
function clock(ms) {
  const s = Math.round(ms / 1e3);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

export {
  cancellation,
  addExecutorOptions,
  executorFlags,
  positive,
  addProgressOptions,
  progressMode,
  heartbeatMs,
  printProgress
};
