// Provenance in the record: the reusable workflow's attest job writes `*.attestation.json` (its
// own step script, run here as the runner would) from actions/attest-build-provenance's outputs,
// and the real record() keeps the attestation's id and URL beside each wheel its statement names.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadState } from '../../src/domain/state/load.js';
import { RefineryError } from '../../src/errors.js';
import { record } from '../../src/stages/record/index.js';
import { repoRoot } from '../helpers/pytools.js';
import { makeResult, type ResultSpec, wheelContent, writeResults } from '../helpers/state-results.js';

const T0 = Date.parse('2026-07-01T00:00:00Z');
const attested: ResultSpec = { pkg: 'numpy', version: '2.0', start: T0 };
const other: ResultSpec = { pkg: 'pillow', version: '11.0', start: T0 + 1000 };
const failed: ResultSpec = { pkg: 'lxml', version: '5.3', start: T0 + 2000, attempts: [{ status: 'failure' }] };
let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'refinery-attestation-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

/** A Sigstore bundle as actions/attest writes it (one JSON line): a DSSE envelope over an in-toto statement. */
function bundle(subjects: { name: string; sha256: string }[], payloadType = 'application/vnd.in-toto+json'): string {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: subjects.map((s) => ({ name: s.name, digest: { sha256: s.sha256 } })),
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1' }, runDetails: {} },
  };
  return `${JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { certificate: { rawBytes: 'MIIB' }, tlogEntries: [] },
    dsseEnvelope: { payload: Buffer.from(JSON.stringify(statement)).toString('base64'), payloadType, signatures: [{ sig: 'MEUC', keyid: '' }] },
  })}\n`;
}

/** The attest job's step that writes the attestation file, from the reusable workflow itself. */
async function attestStep(env: { ID: string; URL: string; BUNDLE: string; OUT: string }): Promise<void> {
  const wf = parse(await readFile(join(repoRoot, '.github/workflows/refinery.yml'), 'utf8')) as {
    jobs: Record<string, { steps: { name?: string; run?: string; env?: Record<string, string> }[] }>;
  };
  const step = wf.jobs.attest!.steps.find((s) => s.name === 'The attestation, for the record job')!;
  expect(Object.keys(step.env!).sort()).toEqual(Object.keys(env).sort());
  execFileSync('bash', ['-eo', 'pipefail', '-c', step.run!], { env: { PATH: process.env.PATH, ...env } });
}

async function caseDir(): Promise<{ results: string; state: string; bundleFile: string; out: string }> {
  const base = join(root, `c${n++}`);
  const results = join(base, 'results');
  await writeResults(results, [attested, other, failed]);
  return { results, state: join(base, 'state'), bundleFile: join(base, 'attestation.jsonl'), out: join(results, 'refinery-result-attestation') };
}

const sha = (s: ResultSpec) => createHash('sha256').update(wheelContent(s)).digest('hex');
const filename = (s: ResultSpec) => makeResult(s).wheel!.filename;

describe('record keeps the build provenance attestation beside the wheel', () => {
  it('the attestation id and URL land on the manifest entry of the wheel the statement names, and only there', async () => {
    const c = await caseDir();
    await writeFile(c.bundleFile, bundle([{ name: filename(attested), sha256: sha(attested) }]));
    const url = 'https://github.com/acme/wheels/attestations/4242';
    await attestStep({ ID: '4242', URL: url, BUNDLE: c.bundleFile, OUT: c.out });
    const outcome = await record(c.results, c.state);
    expect(outcome.built).toBe(2);
    const state = await loadState(c.state);
    expect(state.packages.get('numpy')!.manifest[0]!.attestation).toEqual({ id: '4242', url });
    expect(state.packages.get('pillow')!.manifest[0]!.attestation).toBeUndefined();
    // On disk, in the package file a reader (publish, a person) opens.
    const text = await readFile(join(c.state, 'packages', 'numpy.json'), 'utf8');
    expect(JSON.parse(text).manifest[0].attestation).toEqual({ id: '4242', url });
  });

  it('matches by sha256: a statement naming the file but other bytes attests nothing', async () => {
    const c = await caseDir();
    await writeFile(c.bundleFile, bundle([{ name: filename(attested), sha256: 'f'.repeat(64) }]));
    await attestStep({ ID: '7', URL: '', BUNDLE: c.bundleFile, OUT: c.out });
    await record(c.results, c.state);
    expect((await loadState(c.state)).packages.get('numpy')!.manifest[0]!.attestation).toBeUndefined();
  });

  it('a wheel recorded first without and then with its attestation keeps it, as one manifest entry', async () => {
    const c = await caseDir();
    await record(c.results, c.state);
    await writeFile(c.bundleFile, bundle([{ name: filename(other), sha256: sha(other) }]));
    await attestStep({ ID: '99', URL: '', BUNDLE: c.bundleFile, OUT: c.out });
    await record(c.results, c.state);
    const manifest = (await loadState(c.state)).packages.get('pillow')!.manifest;
    expect(manifest).toHaveLength(1);
    expect(manifest[0]!.attestation).toEqual({ id: '99' });
  });

  it.each([
    ['an id that is not digits', { ID: '12"x', URL: '' }, 'not valid JSON'],
    ['an id that is not a GitHub id', { ID: '../../x', URL: '' }, 'a GitHub attestation id'],
    ['a URL that is not https', { ID: '5', URL: 'javascript:alert(1)' }, 'an https URL'],
  ])('refuses %s as one input error and writes nothing', async (_what, bad, said) => {
    const c = await caseDir();
    await writeFile(c.bundleFile, bundle([{ name: filename(attested), sha256: sha(attested) }]));
    await attestStep({ ...bad, BUNDLE: c.bundleFile, OUT: c.out });
    const e = await record(c.results, c.state).then(
      () => undefined,
      (x: unknown) => x as RefineryError,
    );
    expect(e).toBeInstanceOf(RefineryError);
    expect(e!.code).toBe('input');
    expect(e!.message).toContain(said);
    expect(e!.location.file).toContain('run.attestation.json');
    await expect(readFile(join(c.state, 'packages', 'numpy.json'))).rejects.toThrow();
  });

  it('refuses a bundle whose envelope is not an in-toto statement', async () => {
    const c = await caseDir();
    await mkdir(c.out, { recursive: true });
    await writeFile(c.bundleFile, bundle([{ name: 'x', sha256: sha(attested) }], 'text/plain'));
    await attestStep({ ID: '5', URL: '', BUNDLE: c.bundleFile, OUT: c.out });
    await expect(record(c.results, c.state)).rejects.toMatchObject({ code: 'input', location: { field: 'bundle.dsseEnvelope.payloadType' } });
    const garbage = JSON.parse(bundle([{ name: 'x', sha256: sha(attested) }]));
    garbage.dsseEnvelope.payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1","subject":[]}').toString('base64');
    await writeFile(join(c.out, 'run.attestation.json'), JSON.stringify({ schema: 'refinery/attestation@1', id: '5', bundle: garbage }));
    await expect(record(c.results, c.state)).rejects.toThrow(/in-toto statement/);
  });
});

describe('what record keeps of a real bundle for PEP 740 (bounded, known fields only)', () => {
  const real = async () =>
    JSON.parse(await readFile(join(repoRoot, 'test/fixtures/attestations/attest-build-provenance.sigstore.jsonl'), 'utf8')) as {
      verificationMaterial: { tlogEntries: Record<string, unknown>[] };
      dsseEnvelope: { payload: string; signatures: unknown[] };
    };
  /** The real bundle with its statement re-pointed at this case's wheel (the signature no longer holds: record does not check it). */
  async function recordWith(edit: (b: Awaited<ReturnType<typeof real>>) => void) {
    const c = await caseDir();
    const b = await real();
    const st = JSON.parse(Buffer.from(b.dsseEnvelope.payload, 'base64').toString('utf8'));
    st.subject = [{ name: filename(attested), digest: { sha256: sha(attested) } }];
    b.dsseEnvelope.payload = Buffer.from(JSON.stringify(st)).toString('base64');
    edit(b);
    await writeFile(c.bundleFile, `${JSON.stringify(b)}\n`);
    await attestStep({ ID: '8', URL: '', BUNDLE: c.bundleFile, OUT: c.out });
    await record(c.results, c.state);
    return (await loadState(c.state)).packages.get('numpy')!.manifest[0]!.attestation!;
  }

  it('keeps the certificate, log entry, statement and signature; a field a future bundle adds to the log entry is not kept', async () => {
    const a = await recordWith((b) => {
      b.verificationMaterial.tlogEntries[0]!.futureField = 'x';
    });
    expect(a.provenance!.publisher).toEqual({ kind: 'GitHub', repository: 'malancas/attest-demo', workflow: 'shared.yml' });
    expect(a.provenance!.attestation.verification_material.transparency_entries[0]).not.toHaveProperty('futureField');
    expect(a.provenance!.attestation.verification_material.transparency_entries[0]!.logIndex).toMatch(/^\d+$/);
  });

  it.each([
    [
      'a statement past the size bound',
      (b: Awaited<ReturnType<typeof real>>) => {
        const st = JSON.parse(Buffer.from(b.dsseEnvelope.payload, 'base64').toString('utf8'));
        st.predicate.padding = 'x'.repeat(70_000);
        b.dsseEnvelope.payload = Buffer.from(JSON.stringify(st)).toString('base64');
      },
    ],
    [
      'two signatures',
      (b: Awaited<ReturnType<typeof real>>) => {
        b.dsseEnvelope.signatures.push(b.dsseEnvelope.signatures[0]);
      },
    ],
    [
      'a log entry whose body is not base64',
      (b: Awaited<ReturnType<typeof real>>) => {
        b.verificationMaterial.tlogEntries[0]!.canonicalizedBody = '<script>';
      },
    ],
  ])('%s: the attestation is linked (id), with no PEP 740 provenance', async (_what, edit) => {
    expect(await recordWith(edit)).toEqual({ id: '8' });
  });
});
