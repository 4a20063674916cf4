import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RefineryError } from '../errors.js';
import { BuildResult } from '../model/result.js';
import { normalizeName } from '../python/names.js';
import { canonicalLine } from '../state/canonical.js';
import { mapLimit, zodError } from '../state/load.js';
import { HistoryEntry, ManifestEntry, type StorageRef } from '../state/schema.js';
import { emptyPackage, type PackageState, type State } from '../state/types.js';

export const RESULT_SUFFIX = '.result.json';

export interface ResultFile {
  file: string;
  result: BuildResult;
}

/** Every `*.result.json` under `dir` (artifact downloads nest them in folders), parsed and validated. */
export async function readResults(dir: string): Promise<ResultFile[]> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive: true })).map(String);
  } catch (e) {
    throw new RefineryError('input', `cannot read the results folder: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      location: { file: dir },
      fix: 'pass --results with the folder the build jobs wrote (or their downloaded artifacts)',
    });
  }
  const files = entries.filter((f) => f.endsWith(RESULT_SUFFIX)).sort();
  // Read in parallel; report the first bad file in name order so the error is the same every time.
  const parsed = await mapLimit(files, 32, async (rel) => {
    try {
      return await readResult(join(dir, rel));
    } catch (e) {
      return e as Error;
    }
  });
  const bad = parsed.find((p): p is Error => p instanceof Error);
  if (bad) throw bad;
  return parsed as ResultFile[];
}

async function readResult(file: string): Promise<ResultFile> {
  const text = await readFile(file, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RefineryError('input', `not valid JSON (${(e as Error).message}); the result file may be truncated`, {
      location: { file },
      fix: 'rerun the build job or remove the file',
    });
  }
  const parsed = BuildResult.safeParse(raw);
  if (!parsed.success) {
    const e = zodError(parsed.error, file);
    throw new RefineryError('input', e.message, { location: e.location, fix: 'the build job wrote an invalid result; rerun it or remove the file' });
  }
  if (parsed.data.status === 'success' && !parsed.data.wheel) {
    throw new RefineryError('input', 'a successful result without a wheel', { location: { file, field: 'wheel' }, fix: 'rerun the build job' });
  }
  return { file, result: parsed.data };
}

/** Stable id of one build run: the same result recorded twice (or by two writers) is one run. */
export function runId(r: BuildResult): string {
  const key = canonicalLine({ unit: r.unit.id, fp: r.inputsFingerprint, start: r.attempts[0]!.startedAt, runner: r.runner, runUrl: r.runUrl, log: r.log });
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export function wheelPath(rf: ResultFile): string | undefined {
  return rf.result.wheel ? join(dirname(rf.file), rf.result.wheel.filename) : undefined;
}

/** The facts one result adds: one history line per attempt, and a manifest entry when it built a wheel. */
export function resultFacts(rf: ResultFile, storage: StorageRef = { kind: 'none' }): { name: string; history: HistoryEntry[]; manifest?: ManifestEntry } {
  const r = rf.result;
  const name = normalizeName(r.unit.package);
  const run = runId(r);
  const attempts = [...r.attempts].sort((a, b) => a.n - b.n);
  const total = attempts.length;
  const history = attempts.map((a, i) =>
    check(
      HistoryEntry,
      {
        package: name,
        version: r.unit.version,
        unit: r.unit.id,
        variant: r.unit.python,
        targets: [...r.unit.targets].sort(),
        run,
        attempt: a.n,
        attempts: total,
        outcome: r.status,
        status: a.status,
        startedAt: a.startedAt,
        finishedAt: a.finishedAt,
        durationMs: a.durationMs,
        phase: a.phase,
        failureClass: a.failureClass,
        matchedHint: a.matchedHint,
        hintsApplied: [...a.hintsApplied],
        killed: a.killed,
        ...(a.compiler ? { compiler: a.compiler } : {}),
        executor: r.executor,
        preset: r.preset,
        imageDigest: r.imageDigest,
        runner: r.runner,
        runUrl: r.runUrl,
        log: a.log,
        inputsFingerprint: r.inputsFingerprint,
      },
      rf.file,
      `attempts.${i}`,
    ),
  );
  if (r.status !== 'success' || !r.wheel) return { name, history };
  const last = attempts[total - 1]!;
  const manifest = check(
    ManifestEntry,
    {
      name,
      version: r.unit.version,
      filename: r.wheel.filename,
      tags: [...r.wheel.tags].sort(),
      targets: [...r.unit.targets].sort(),
      variant: r.unit.python,
      sha256: r.wheel.sha256,
      size: r.wheel.size,
      preset: r.preset,
      executor: r.executor,
      image: r.image,
      imageDigest: r.imageDigest,
      ...(r.compiler ? { compiler: r.compiler } : {}),
      builtAt: last.finishedAt,
      inputsFingerprint: r.inputsFingerprint,
      unit: r.unit.id,
      run,
      sdist: { filename: r.sdist.filename, sha256: r.sdist.sha256 },
      storage,
    },
    rf.file,
    'wheel',
  );
  return { name, history, manifest };
}

/** Facts of many results as a state (not yet normalized: merge it into the current state). */
export function resultsState(facts: ReadonlyArray<ReturnType<typeof resultFacts>>): State {
  const packages = new Map<string, PackageState>();
  for (const f of facts) {
    const pkg = packages.get(f.name) ?? emptyPackage(f.name);
    pkg.history.push(...f.history);
    if (f.manifest) pkg.manifest.push(f.manifest);
    packages.set(f.name, pkg);
  }
  return { packages };
}

function check<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }, value: unknown, file: string, prefix: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const e = zodError(parsed.error, file);
  throw new RefineryError('input', `${e.message} (in what this result records for ${prefix})`, {
    location: { file, field: e.location.field },
    fix: 'the build wrote a result the state cannot hold; rerun the build with a matching refinery version',
  });
}
