import type { PlanUnit } from '../../src/domain/model/plan.js';
import type { PlanDeps } from '../../src/stages/plan/index.js';

/** A plan unit with every field a matrix job reads; tests and benches override what they look at. */
export function planUnit(id: string, over: Partial<PlanUnit> = {}): PlanUnit {
  return {
    id,
    package: id,
    version: '1.0',
    python: '3.12',
    buildPython: '3.12',
    targets: ['cp312-manylinux_2_28_s390x'],
    preset: 'manylinux_2_28',
    hints: [],
    runner: { kind: 'qemu', labels: ['ubuntu-24.04'] },
    runs_on: '"ubuntu-24.04"',
    wave: 0,
    needs: [],
    sdist: { filename: `${id}-1.0.tar.gz`, url: `http://127.0.0.1/${id}-1.0.tar.gz` },
    estimatedSeconds: 1,
    reason: 'test',
    ...over,
  };
}

/** A py3 unit of a crafted sdist (`<name>-0.1`, a local path) built on the host executor. */
export function hostUnit(name: string, sdist: string): PlanUnit {
  return planUnit(`${name}-0.1-py3-host`, {
    package: name,
    version: '0.1',
    python: 'py3',
    buildPython: '3.11',
    targets: ['py3-none-any'],
    preset: 'host',
    runner: { kind: 'qemu', labels: ['local'] },
    runs_on: '"local"',
    sdist: { filename: sdist.split('/').pop()!, url: sdist },
  });
}

/** Plan dependencies of a fresh repository: no recipes, no history, nothing queued. */
export function noHistory(over: Partial<PlanDeps> = {}): PlanDeps {
  return {
    recipe: () => undefined,
    learnedHints: () => [],
    lastFailure: () => undefined,
    queued: () => undefined,
    durationEstimate: () => undefined,
    presetSuccession: [],
    now: new Date('2026-12-01T00:00:00Z'),
    ...over,
  };
}
