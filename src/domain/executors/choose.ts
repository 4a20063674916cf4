import { RefineryError } from '../../errors.js';
import type { Preset } from '../model/preset.js';
import { ContainerExecutor, type ContainerExecutorOptions } from './container.js';
import { HostExecutor, NativeExecutor, type ProcessExecutorOptions } from './host.js';
import type { EnvironmentProblem, Executor, ExecutorKind } from './types.js';

export interface ExecutorChoiceOptions {
  container: ContainerExecutorOptions;
  process: ProcessExecutorOptions;
}

export function makeExecutor(kind: ExecutorKind, o: ExecutorChoiceOptions): Executor {
  switch (kind) {
    case 'container':
      return new ContainerExecutor(o.container);
    case 'native':
      return new NativeExecutor(o.process);
    case 'host':
      return new HostExecutor(o.process);
  }
}

export interface ExecutorChoice {
  executor: Executor;
  /** One sentence saying why this executor was picked. */
  reason: string;
}

/**
 * What the machine has: an s390x machine builds natively; elsewhere a container engine with QEMU
 * binfmt builds under emulation. The host executor is never picked silently (its wheels are not
 * s390x); when nothing fits, the error lists every problem with its fix.
 */
export async function chooseExecutor(preset: Preset, o: ExecutorChoiceOptions): Promise<ExecutorChoice> {
  if (o.process.hostArch === 's390x') {
    const native = new NativeExecutor(o.process);
    const p = await native.check(preset);
    if (p.length === 0) return { executor: native, reason: 'this machine is s390x: building natively with the preset interpreter' };
  }
  const container = new ContainerExecutor(o.container);
  const problems = await container.check(preset);
  if (problems.length === 0) {
    return {
      executor: container,
      reason:
        o.process.hostArch === 's390x'
          ? `s390x machine with a container engine: building in ${preset.image}`
          : `container engine and QEMU binfmt for s390x found: building in ${preset.image} under emulation`,
    };
  }
  throw environmentError('no executor can build s390x wheels on this machine', problems);
}

export function environmentError(what: string, problems: readonly EnvironmentProblem[]): RefineryError {
  const list = problems.map((p) => `${p.what} -> ${p.fix}`).join('; ');
  return new RefineryError('environment', `${what}: ${list}`, {
    fix: "fix the above, or pass --executor host to test the pipeline with this machine's Python (wheels will not be s390x)",
  });
}
