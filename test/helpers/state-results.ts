// Build results shaped like the build engine writes them, for state and record tests and the bench.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildResult } from '../../src/domain/model/result.js';

export interface ResultSpec {
  pkg: string;
  version: string;
  python?: string;
  /** Outcome of each attempt in order; the run's status is the last one. */
  attempts?: Array<{ status: 'success' | 'failure'; failureClass?: BuildResult['attempts'][number]['failureClass']; hints?: string[]; matchedHint?: string }>;
  /** Start of the run, ms since epoch. */
  start: number;
  runner?: string;
  preset?: string;
}

export function makeResult(s: ResultSpec): BuildResult {
  const python = s.python ?? '3.12';
  const id = `${s.pkg}-${s.version}-cp${python.replace('.', '')}-${s.preset ?? 'manylinux_2_28'}`;
  const specs = s.attempts ?? [{ status: 'success' as const }];
  let t = s.start;
  const attempts = specs.map((a, i) => {
    const startedAt = new Date(t).toISOString();
    t += 60_000 + i * 1000;
    return {
      n: i + 1,
      startedAt,
      finishedAt: new Date(t).toISOString(),
      durationMs: 60_000 + i * 1000,
      status: a.status,
      ...(a.status === 'failure' ? { phase: 'build' as const, failureClass: a.failureClass ?? 'permanent' } : {}),
      ...(a.matchedHint ? { matchedHint: a.matchedHint } : {}),
      hintsApplied: a.hints ?? [],
      killed: false,
      log: `${id}.attempt-${i + 1}.log`,
    };
  });
  const status = specs[specs.length - 1]!.status;
  const filename = `${s.pkg.replace(/-/g, '_')}-${s.version}-cp${python.replace('.', '')}-cp${python.replace('.', '')}-manylinux_2_28_s390x.whl`;
  const wheelBytes = wheelContent(s);
  return {
    schema: 'refinery/result@1',
    unit: { id, package: s.pkg, version: s.version, python, targets: [`cp${python.replace('.', '')}-manylinux_2_28_s390x`] },
    status,
    ...(status === 'success'
      ? {
          wheel: {
            filename,
            sha256: createHash('sha256').update(wheelBytes).digest('hex'),
            size: wheelBytes.length,
            tags: [`cp${python.replace('.', '')}-cp${python.replace('.', '')}-manylinux_2_28_s390x`],
          },
        }
      : {}),
    attempts,
    executor: 'container',
    preset: s.preset ?? 'manylinux_2_28',
    image: 'quay.io/pypa/manylinux_2_28_s390x',
    imageDigest: `sha256:${'ab'.repeat(32)}`,
    runner: s.runner ?? 'ubuntu-24.04',
    runUrl: `https://github.com/acme/wheels/actions/runs/${s.start % 100000}`,
    sdist: { filename: `${s.pkg}-${s.version}.tar.gz`, sha256: createHash('sha256').update(`${s.pkg}-${s.version}`).digest('hex') },
    inputsFingerprint: `sha256:${createHash('sha256')
      .update(`${s.pkg}|${s.version}|${python}|${s.preset ?? ''}`)
      .digest('hex')}`,
    phaseDurationsMs: { build: 60_000 },
    log: `${id}.log`,
  };
}

/** Deterministic stand-in bytes for the wheel of a spec. */
export function wheelContent(s: ResultSpec): Buffer {
  return Buffer.from(`wheel ${s.pkg} ${s.version} ${s.python ?? '3.12'} ${s.start}\n`);
}

/** Each result in its own folder (like downloaded artifacts), its wheel next to it. */
export async function writeResults(dir: string, specs: readonly ResultSpec[], offset = 0): Promise<void> {
  await Promise.all(
    specs.map(async (s, i) => {
      const r = makeResult(s);
      const sub = join(dir, `job-${String(i + offset).padStart(5, '0')}`);
      await mkdir(sub, { recursive: true });
      await writeFile(join(sub, `${r.unit.id}.result.json`), `${JSON.stringify(r, null, 2)}\n`);
      if (r.wheel) await writeFile(join(sub, r.wheel.filename), wheelContent(s));
    }),
  );
}
