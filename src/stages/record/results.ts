import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { type JsonInput, readJson, validateJson } from '../../adapters/json-file.js';
import { excerpt, printablePath, RefineryError } from '../../errors.js';
import { BuildResult } from '../../domain/model/result.js';
import { normalizeName } from '../../domain/python/names.js';
import { canonicalLine } from '../../domain/state/canonical.js';
import { mapLimit } from '../../domain/state/load.js';
import { type Attestation, HistoryEntry, ManifestEntry, type StorageRef } from '../../domain/state/schema.js';
import { DEFAULT_MAX_WHEEL_BYTES } from '../../domain/storage/store.js';
import { emptyPackage, type PackageState, type State } from '../../domain/state/types.js';

export const RESULT_SUFFIX = '.result.json';
/** Attestation files the workflow's attest job writes beside the results (see attestations.ts). */
export const ATTESTATION_SUFFIX = '.attestation.json';

export interface ResultFile {
  file: string;
  result: BuildResult;
}

/** Caps on what a build job can hand to record. */
export interface ResultLimits {
  /** Largest result file read, in bytes (a real one is a few KB). */
  resultBytes: number;
  /** Largest wheel read, in bytes. */
  wheelBytes: number;
}
export const DEFAULT_RESULT_LIMITS: ResultLimits = { resultBytes: 1024 * 1024, wheelBytes: DEFAULT_MAX_WHEEL_BYTES };

/**
 * Every `*.result.json` under `dir` (artifact downloads nest them in folders), parsed and validated.
 * The folder is walked without following links; a result that is not a regular file, is over
 * the cap, is not UTF-8 JSON or does not validate is one RefineryError('input') naming it, and two
 * results of one build run with different content are refused rather than one picked.
 */
export async function readResults(dir: string, limits: ResultLimits = DEFAULT_RESULT_LIMITS): Promise<ResultFile[]> {
  const files = (await filesNamed(dir, RESULT_SUFFIX)).sort();
  // Read in parallel; report the first bad file in name order so the error is the same every time.
  const parsed = await mapLimit(files, 32, async (file) => {
    try {
      return await readResult(file, limits);
    } catch (e) {
      return e as Error;
    }
  });
  const bad = parsed.find((p): p is Error => p instanceof Error);
  if (bad) throw bad;
  const results = parsed as ResultFile[];
  checkConflicts(results);
  return results;
}

/** Paths of the entries named `*<suffix>` under `dir`; links are listed, never followed. */
export async function filesNamed(dir: string, suffix: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string, top: boolean): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (e) {
      throw new RefineryError('input', `cannot read the results folder: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
        location: { file: printablePath(folder) },
        fix: top ? 'pass --results with the folder the build jobs wrote (or their downloaded artifacts)' : 'make the results folder readable',
      });
    }
    const folders: string[] = [];
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.name.endsWith(suffix)) out.push(path);
      else if (entry.isDirectory()) folders.push(path);
    }
    // Artifact downloads are one folder per job: list them side by side.
    await mapLimit(folders, 16, (f) => walk(f, false));
  };
  await walk(dir, true);
  return out;
}

async function readResult(file: string, limits: ResultLimits): Promise<ResultFile> {
  const result = await readJson(BuildResult, file, { ...RESULT_INPUT, maxBytes: limits.resultBytes });
  if (result.status === 'success' && !result.wheel) {
    throw new RefineryError('input', 'a successful result without a wheel', {
      location: { file: printablePath(file), field: 'wheel' },
      fix: 'rerun the build job',
    });
  }
  return { file, result };
}

/** Results are written by build jobs, which run package code: untrusted input. */
const RESULT_INPUT: JsonInput = {
  code: 'input',
  noun: 'the result',
  fix: 'the build job wrote an invalid result; rerun it or remove the file',
  refusedFix: (reason) => (reason === 'kind' ? 'results are regular files written by refinery build; remove it' : RESULT_INPUT.fix),
};

/** Two results of one run (same unit, inputs, start, runner, logs) must say the same thing. */
function checkConflicts(results: readonly ResultFile[]): void {
  const seen = new Map<string, ResultFile>();
  for (const rf of results) {
    const id = runId(rf.result);
    const prev = seen.get(id);
    if (!prev) seen.set(id, rf);
    else if (canonicalLine(prev.result) !== canonicalLine(rf.result)) {
      throw new RefineryError(
        'input',
        `two results of the same build run of ${rf.result.unit.id} (started ${excerpt(rf.result.attempts[0]!.startedAt, 40)}) differ; the other is ${printablePath(prev.file)}`,
        {
          location: { file: printablePath(rf.file) },
          fix: 'keep the result of the job that really ran (artifacts of two jobs were mixed, or one was edited) and remove the other',
        },
      );
    }
  }
}

/** Stable id of one build run: the same result recorded twice (or by two writers) is one run. */
export function runId(r: BuildResult): string {
  const key = canonicalLine({ unit: r.unit.id, fp: r.inputsFingerprint, start: r.attempts[0]!.startedAt, runner: r.runner, runUrl: r.runUrl, log: r.log });
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** The wheel of a result: its plain filename in the result file's folder (never anywhere else). */
export function wheelPath(rf: ResultFile): string | undefined {
  if (!rf.result.wheel) return undefined;
  const folder = dirname(rf.file);
  const path = resolve(folder, rf.result.wheel.filename);
  if (dirname(path) !== resolve(folder)) {
    throw new RefineryError('input', `the wheel ${excerpt(rf.result.wheel.filename)} is not a file in the result's folder`, {
      location: { file: printablePath(rf.file), field: 'wheel.filename' },
      fix: 'rerun the build job',
    });
  }
  return path;
}

/** The facts one result adds: one history line per attempt, and a manifest entry when it built a wheel. */
export function resultFacts(
  rf: ResultFile,
  storage: StorageRef = { kind: 'none' },
  attestation?: Attestation,
): { name: string; history: HistoryEntry[]; manifest?: ManifestEntry } {
  const r = rf.result;
  const name = normalizeName(r.unit.package);
  const run = runId(r);
  const attempts = [...r.attempts].sort((a, b) => a.n - b.n);
  const total = attempts.length;
  // A history line is the attempt's own fields (renamed n -> attempt) plus the run's.
  const history = attempts.map(({ n, ...own }, i) =>
    check(
      HistoryEntry,
      {
        package: name,
        version: r.unit.version,
        unit: r.unit.id,
        variant: r.unit.python,
        targets: [...r.unit.targets].sort(),
        run,
        attempt: n,
        attempts: total,
        outcome: r.status,
        ...own,
        hintsApplied: [...own.hintsApplied],
        ...(own.evidence ? { evidence: [...own.evidence] } : {}),
        executor: r.executor,
        preset: r.preset,
        imageDigest: r.imageDigest,
        runner: r.runner,
        runUrl: r.runUrl,
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
      ...(attestation ? { attestation } : {}),
      ...(r.smoke?.verdict === 'unverified' ? { unverified: r.smoke.reason ?? 'unverified' } : {}),
      ...(r.smoke && r.smoke.externalLibraries.length > 0 ? { externalLibraries: [...r.smoke.externalLibraries].sort() } : {}),
      ...(r.smoke?.runtimePackages
        ? { runtimePackages: { manager: r.smoke.runtimePackages.manager, packages: [...r.smoke.runtimePackages.packages].sort() } }
        : {}),
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

/** A fact derived from a result that the state schema refuses: the result's fault, named for the part it came from. */
function check<S extends z.ZodType>(schema: S, value: unknown, file: string, prefix: string): z.output<S> {
  try {
    return validateJson(schema, value, { file }, { code: 'input', fix: FACT_FIX });
  } catch (e) {
    if (!(e instanceof RefineryError)) throw e;
    throw new RefineryError('input', `${e.message} (in what this result records for ${prefix})`, { location: e.location, fix: FACT_FIX });
  }
}

const FACT_FIX = 'the build wrote a result the state cannot hold; rerun the build with a matching refinery version';
