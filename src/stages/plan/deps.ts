import { dueQueueEntries, durationEvidence, knownFailing, learnedHints, type State } from '../../domain/state/index.js';
import type { PlanDeps } from './plan.js';
import { byCodePoint } from '../../domain/model/order.js';

export type RecipeLookup = PlanDeps['recipe'];

/** Shipped presets from oldest to newest toolchain: the order of swaps after toolchain failures. */
export const DEFAULT_PRESET_SUCCESSION = ['manylinux2014', 'manylinux_2_28', 'manylinux_2_34'] as const;

/** Answer plan's questions from the recorded state. */
export function planDepsFromState(state: State, recipe: RecipeLookup, now: Date): PlanDeps {
  const due = new Set(dueQueueEntries(state, now).map((q) => `${q.package}\u0000${q.version}`));
  return {
    recipe,
    // A hint learned from turbo-incompatible failures only says "not turbo for that version": it
    // becomes the unit's compiler (turboIncompatible), not a hint for every later version.
    learnedHints: (name) =>
      learnedHints(state, name)
        .filter((h) => h.evidence.some((e) => e.failureClass !== 'turbo-incompatible'))
        .map((h) => h.hint),
    turboIncompatible(name, version) {
      for (const h of learnedHints(state, name)) {
        const e = h.evidence.find((x) => x.failureClass === 'turbo-incompatible' && x.version === version);
        if (e) return `turbo compilers failed for ${version} (hint ${h.hint}, run ${e.run}) and the emulated retry built it: compiling emulated`;
      }
      return undefined;
    },
    lastFailure(name, version) {
      const failing = knownFailing(state, name, version)
        .sort((a, b) => byCodePoint(a.at, b.at))
        .at(-1);
      if (!failing) return undefined;
      return {
        failureClass: failing.failureClass ?? 'permanent',
        preset: failing.preset,
        hints: failing.hintsApplied,
        permanent: failing.retry !== 'queued',
      };
    },
    queued(name, version) {
      const entry = state.packages.get(name)?.queue.find((q) => q.version === version && q.status === 'waiting');
      if (!entry) return undefined;
      return { due: due.has(`${name}\u0000${version}`), nextAt: entry.nextEligibleAt };
    },
    durationEstimate: (name, version, like) =>
      durationEvidence(state, name, version, {
        preset: like.preset,
        compiler: like.compiler,
        // A native runner may build in a container or directly; QEMU builds run in a container.
        executors: like.executor === 'native' ? ['native', 'container'] : ['container'],
      }),
    presetSuccession: DEFAULT_PRESET_SUCCESSION,
    now,
  };
}
