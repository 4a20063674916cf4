import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record, resultsToState } from '../../src/stages/record/record.js';
import { readResults, type ResultFile } from '../../src/stages/record/results.js';
import {
  DEFAULT_RETRY_POLICY,
  dropQueued,
  dueQueueEntries,
  durationEstimate,
  durationEvidence,
  emptyState,
  knownFailing,
  learnedHints,
  loadState,
  manifestFor,
  mergeState,
  requestBuild,
  saveState,
  stateFiles,
  type State,
} from '../../src/domain/state/index.js';
import { writeResults, type ResultSpec } from '../helpers/state-results.js';

const T0 = Date.parse('2026-02-01T00:00:00Z');
const HOUR = 3600_000;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-state-merge-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let seq = 0;
async function resultsOf(specs: ResultSpec[]): Promise<ResultFile[]> {
  const dir = join(root, `r${seq++}`);
  await writeResults(dir, specs);
  return readResults(dir);
}

async function merged(chunks: ResultFile[][]): Promise<State> {
  let state = emptyState();
  for (const c of chunks) state = mergeState(state, await resultsToState(c), DEFAULT_RETRY_POLICY).state;
  return state;
}

const bytes = (s: State) => Object.fromEntries(stateFiles(s));

const specArb: fc.Arbitrary<ResultSpec> = fc.record({
  pkg: fc.constantFrom('numpy', 'scipy', 'lxml'),
  version: fc.constantFrom('1.0', '1.1'),
  python: fc.constantFrom('3.11', '3.12'),
  start: fc.integer({ min: 0, max: 200 }).map((m) => T0 + m * HOUR),
  runner: fc.constantFrom('a', 'b'),
  attempts: fc.array(
    fc.record({
      status: fc.constantFrom('success' as const, 'failure' as const),
      failureClass: fc.constantFrom('transient' as const, 'permanent' as const, 'missing-system-lib' as const),
      hints: fc.subarray(['openblas', 'libffi']),
      matchedHint: fc.constantFrom(undefined, 'openblas', 'libffi'),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

describe('merging results is order-independent', () => {
  it('any order and any split into record runs gives byte-identical state', async () => {
    await fc.assert(
      // Results of one run (same unit, start and runner) are unique: two that differ are refused by record.
      fc.asyncProperty(
        fc.uniqueArray(specArb, { minLength: 1, maxLength: 12, selector: (s) => `${s.pkg} ${s.version} ${s.python} ${s.start} ${s.runner}` }),
        fc.integer({ min: 0, max: 1e9 }),
        async (specs, seed) => {
          const results = await resultsOf(specs);
          const reference = bytes(await merged([results]));
          // A seeded shuffle and a split into up to four chunks; one result may be recorded twice.
          const rand = fc.sample(fc.shuffledSubarray(results, { minLength: results.length, maxLength: results.length }), { seed, numRuns: 1 })[0]!;
          const cut = [0, ...[1, 2, 3].map((k) => (seed >> k) % (rand.length + 1)).sort((a, b) => a - b), rand.length];
          const chunks = cut.slice(1).map((end, i) => rand.slice(cut[i], end));
          chunks.push(rand.slice(0, 1));
          expect(bytes(await merged(chunks))).toEqual(reference);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('merging two states is commutative', async () => {
    const a = await merged([
      await resultsOf([
        { pkg: 'numpy', version: '1.0', start: T0 },
        { pkg: 'lxml', version: '5', start: T0 + 5 },
      ]),
    ]);
    const b = await merged([await resultsOf([{ pkg: 'numpy', version: '1.1', start: T0 + 1, attempts: [{ status: 'failure', failureClass: 'transient' }] }])]);
    expect(bytes(mergeState(a, b).state)).toEqual(bytes(mergeState(b, a).state));
  });

  it('recording the same results folder twice changes nothing the second time', async () => {
    const dir = join(root, 'twice');
    await writeResults(dir, [{ pkg: 'numpy', version: '1.0', start: T0 }]);
    const state = join(root, 'twice-state');
    expect((await record(dir, state)).written.length).toBeGreaterThan(0);
    expect((await record(dir, state)).written).toEqual([]);
  });
});

describe('history, manifest and views', () => {
  it('a hint that turned a failure into a success is learned, with its evidence', async () => {
    const s = await merged([
      await resultsOf([
        {
          pkg: 'numpy',
          version: '2.0',
          start: T0,
          attempts: [
            { status: 'failure', failureClass: 'missing-system-lib', matchedHint: 'openblas' },
            { status: 'success', hints: ['openblas'] },
          ],
        },
      ]),
    ]);
    const [hint] = learnedHints(s, 'numpy');
    expect(hint).toMatchObject({ hint: 'openblas', evidence: [{ version: '2.0', failedAttempt: 1, succeededAttempt: 2, failureClass: 'missing-system-lib' }] });
    expect(manifestFor(s, 'numpy', '2.0')).toHaveLength(1);
    expect(manifestFor(s, 'numpy', '9.9')).toEqual([]);
  });

  it('a permanent failure is known-failing with its fingerprint and is not queued', async () => {
    const s = await merged([await resultsOf([{ pkg: 'lxml', version: '5.0', start: T0, attempts: [{ status: 'failure', failureClass: 'permanent' }] }])]);
    const [k] = knownFailing(s, 'lxml', '5.0');
    expect(k).toMatchObject({ retry: 'none', failureClass: 'permanent', attempt: 1, preset: 'manylinux_2_28', hintsApplied: [] });
    expect(k!.inputsFingerprint).toMatch(/^sha256:/);
    expect(dueQueueEntries(s, new Date(T0 + 1000 * HOUR))).toEqual([]);
  });

  it('transient failures wait exponentially longer, then are given up on', async () => {
    const fail = (h: number): ResultSpec => ({
      pkg: 'scipy',
      version: '1.0',
      start: T0 + h * HOUR,
      attempts: [{ status: 'failure', failureClass: 'transient' }],
    });
    const finished = (h: number) => T0 + h * HOUR + 60_000;
    let s = await merged([await resultsOf([fail(0)])]);
    let [q] = s.packages.get('scipy')!.queue;
    expect(q).toMatchObject({ reason: 'transient', failures: 1, status: 'waiting' });
    expect(Date.parse(q!.nextEligibleAt)).toBe(finished(0) + HOUR);
    expect(dueQueueEntries(s, new Date(finished(0) + HOUR - 1))).toEqual([]);
    expect(dueQueueEntries(s, new Date(finished(0) + HOUR))).toHaveLength(1);

    s = await merged([await resultsOf([fail(0), fail(2), fail(5)])]);
    [q] = s.packages.get('scipy')!.queue;
    expect(q).toMatchObject({ failures: 3 });
    expect(Date.parse(q!.nextEligibleAt)).toBe(finished(5) + 4 * HOUR);

    s = await merged([await resultsOf([fail(0), fail(2), fail(5), fail(10)])]);
    [q] = s.packages.get('scipy')!.queue;
    expect(q).toMatchObject({ failures: 4, status: 'gave-up' });
    expect(knownFailing(s, 'scipy', '1.0')[0]!.retry).toBe('gave-up');
    expect(dueQueueEntries(s, new Date(T0 + 10_000 * HOUR))).toEqual([]);

    // A success clears the queue and the known-failing mark; later facts win by time, not by arrival.
    s = await merged([await resultsOf([{ pkg: 'scipy', version: '1.0', start: T0 + 20 * HOUR }]), await resultsOf([fail(0), fail(2)])]);
    expect(s.packages.get('scipy')!.queue).toEqual([]);
    expect(knownFailing(s, 'scipy', '1.0')).toEqual([]);
  });

  it('a later success of the same version and variant under another preset clears the failure', async () => {
    const s = await merged([
      await resultsOf([
        { pkg: 'lxml', version: '5.0', start: T0, attempts: [{ status: 'failure', failureClass: 'transient' }] },
        { pkg: 'lxml', version: '5.0', start: T0 + HOUR, preset: 'manylinux_2_34' },
      ]),
    ]);
    expect(knownFailing(s, 'lxml', '5.0')).toEqual([]);
    expect(s.packages.get('lxml')!.queue).toEqual([]);
  });

  it('a failure whose matched hint was not tried yet is queued at once with that hint', async () => {
    const s = await merged([
      await resultsOf([
        { pkg: 'cffi', version: '1.17', start: T0, attempts: [{ status: 'failure', failureClass: 'missing-system-lib', matchedHint: 'libffi' }] },
      ]),
    ]);
    const [q] = s.packages.get('cffi')!.queue;
    expect(q).toMatchObject({ reason: 'new-hint', hints: ['libffi'], status: 'waiting' });
    expect(dueQueueEntries(s, new Date(T0 + 61_000))).toHaveLength(1);
  });

  it('a hint the build loop could not apply gets one more run, not an endless queue', async () => {
    // The proxy-CA hint has no remedy for any package manager: the loop matches it, never applies it.
    const failing = (start: number) => ({
      pkg: 'six',
      version: '1.16.0',
      start,
      attempts: [{ status: 'failure' as const, failureClass: 'permanent' as const, matchedHint: 'tls-certificate-untrusted' }],
    });
    const once = await merged([await resultsOf([failing(T0)])]);
    expect(once.packages.get('six')!.queue.map((q) => q.reason)).toEqual(['new-hint']);
    const twice = await merged([await resultsOf([failing(T0), failing(T0 + HOUR)])]);
    expect(twice.packages.get('six')!.queue).toEqual([]);
    expect(knownFailing(twice, 'six', '1.16.0')[0]!.retry).toBe('none');
  });

  it('requests and drops are facts: a request waits until a run after it; a drop hides older failures', async () => {
    let s = await merged([await resultsOf([{ pkg: 'scipy', version: '1.0', start: T0, attempts: [{ status: 'failure', failureClass: 'transient' }] }])]);
    s = requestBuild(s, 'pillow', { version: '11.0', at: new Date(T0).toISOString(), note: 'asked by ops' });
    expect(dueQueueEntries(s, new Date(T0)).map((q) => [q.package, q.reason])).toEqual([['pillow', 'requested']]);
    s = dropQueued(s, 'scipy', { version: '1.0', at: new Date(T0 + 2 * HOUR).toISOString() });
    expect(s.packages.get('scipy')!.queue).toEqual([]);
    expect(knownFailing(s, 'scipy', '1.0')[0]!.retry).toBe('none');
    const after = mergeState(s, await resultsToState(await resultsOf([{ pkg: 'pillow', version: '11.0', start: T0 + HOUR }]))).state;
    expect(after.packages.get('pillow')!.queue).toEqual([]);
    expect(after.packages.get('pillow')!.requests).toHaveLength(1);
  });

  it('estimates durations from successful runs of the version, else of the package', async () => {
    const s = await merged([
      await resultsOf([
        { pkg: 'numpy', version: '1.0', start: T0 },
        { pkg: 'numpy', version: '1.0', start: T0 + HOUR, runner: 'x', attempts: [{ status: 'failure' }, { status: 'success' }] },
      ]),
    ]);
    expect(durationEstimate(s, 'numpy', '1.0')).toBe((60 + 121) / 2);
    expect(durationEstimate(s, 'numpy', '2.0')).toBe((60 + 121) / 2);
    expect(durationEstimate(s, 'nothing')).toBeUndefined();
  });

  it('estimates from runs of the same preset and compiler only, when asked (turbo and emulated are not one population)', async () => {
    const s = await merged([
      await resultsOf([
        { pkg: 'lxml', version: '6.1.2', start: T0, preset: 'debian-local' },
        { pkg: 'lxml', version: '6.1.2', start: T0 + HOUR, preset: 'manylinux_2_28', attempts: [{ status: 'failure' }, { status: 'success' }] },
      ]),
    ]);
    // Results from before turbo builds carry no compiler: emulated.
    expect(durationEvidence(s, 'lxml', '6.1.3', { preset: 'debian-local', compiler: 'emulated' })).toEqual({ seconds: 60, runs: 1 });
    expect(durationEvidence(s, 'lxml', '6.1.3', { preset: 'manylinux_2_28', compiler: 'emulated' })).toEqual({ seconds: 121, runs: 1 });
    expect(durationEvidence(s, 'lxml', '6.1.3', { preset: 'debian-local', compiler: 'turbo' })).toBeUndefined();
  });
});

describe('the on-disk layout', () => {
  it('writes one package file and one history file per package, sorted keys, trailing newline', async () => {
    const dir = join(root, 'layout');
    const s = await merged([
      await resultsOf([
        { pkg: 'numpy', version: '1.0', start: T0 },
        { pkg: 'lxml', version: '5', start: T0, attempts: [{ status: 'failure' }] },
      ]),
    ]);
    await saveState(dir, s);
    expect((await readdir(dir)).sort()).toEqual(['.gitignore', 'history', 'packages', 'state.json']);
    expect((await readdir(join(dir, 'packages'))).sort()).toEqual(['lxml.json', 'numpy.json']);
    const text = await readFile(join(dir, 'packages', 'numpy.json'), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual([...Object.keys(JSON.parse(text))].sort());
    const history = (await readFile(join(dir, 'history', 'numpy.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(JSON.parse(history[0]!)).toEqual({ package: 'numpy', schema: 'refinery/history@1' });
    expect(history).toHaveLength(2);
    expect(bytes(await loadState(dir))).toEqual(bytes(s));
  });
});
