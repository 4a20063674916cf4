import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  EXECUTOR_KINDS,
  chooseExecutor,
  makeExecutor
} from "./chunk-NPTIXGIM.js";
import {
  Option
} from "./chunk-FHZVLPJT.js";
import {
  RefineryError
} from "./chunk-2Z5TIULM.js";

// src/cli/executor-setup.ts
import { resolve } from "node:path";
function addExecutorOptions(cmd) {
  return cmd.addOption(new Option("--executor <kind>", "where to build (default: what this machine has; the reason is printed)").choices([...EXECUTOR_KINDS])).option("--engine <program>", "container engine: docker or podman", "docker").option("--docker-host <url>", "engine socket, e.g. unix:///run/refinery-docker.sock (default: $DOCKER_HOST)").addOption(new Option("--network <mode>", "container network").choices(["host", "none", "default"])).option("--cpus <n>", "container CPU limit").option("--memory <size>", "container memory limit, e.g. 4g").option("--pull", "pull the preset image when it is missing").option("--ca-bundle <file>", "CA bundle for pip inside the container (TLS-intercepting proxies; default: $REFINERY_CA_BUNDLE)").option("--host-python <path>", "interpreter for --executor host/native (default: python3 / the preset's)");
}
function executorOptions(ctx, o) {
  const hostArch = process.arch;
  const host = o.dockerHost ?? ctx.env.DOCKER_HOST;
  const caBundle = o.caBundle ?? ctx.env.REFINERY_CA_BUNDLE;
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
    process: { hostArch, ...o.hostPython ? { python: o.hostPython } : {} }
  };
}
async function pickExecutor(ctx, o, preset) {
  const opts = executorOptions(ctx, o);
  if (o.executor) return { executor: makeExecutor(o.executor, opts), reason: "asked for" };
  return chooseExecutor(preset, opts);
}
function positive(v, flag) {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new RefineryError("usage", `${flag} ${JSON.stringify(v)} is not a positive number`, { fix: `e.g. ${flag} 2` });
  return n;
}

export {
  addExecutorOptions,
  pickExecutor,
  positive
};
