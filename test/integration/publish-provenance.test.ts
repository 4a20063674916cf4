/**
 * PEP 740 provenance from the state, end to end with a real attestation: a wheel that
 * actions/attest-build-provenance really attested (its Sigstore bundle, logged in Rekor; see
 * test/fixtures/attestations/README.md) goes through the reusable workflow's own attest step script,
 * `refinery record`, and `refinery publish` with no --provenance. pypi-attestations, PEP 740's
 * reference implementation, then verifies the published `<wheel>.provenance` against the wheel:
 * signature, certificate chain and log inclusion (offline, with the trust root it ships) and the
 * GitHub publisher the refinery derived. A state edited to claim another publisher or to move the
 * provenance onto another wheel does not pass.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadState, saveState } from '../../src/domain/state/index.js';
import { publishSite } from '../../src/stages/publish/index.js';
import { record } from '../../src/stages/record/index.js';
import { runCli } from '../helpers/cli.js';
import { pytoolsBin, repoRoot } from '../helpers/pytools.js';
import { makeResult } from '../helpers/state-results.js';

const exec = promisify(execFile);
const FIXTURES = join(repoRoot, 'test/fixtures/attestations');
const WHEEL = 'github_provenance_demo-0.0.0-py3-none-any.whl';
const SHA = '49a3aa6075e0f49f82843e74b5baa614ad2a588e6675612bf108a0a008c5ac25';
const SHA16 = SHA.slice(0, 16);
let work: string;

/** The attest job's step that writes the attestation record, run from the reusable workflow itself. */
async function attestStep(env: { ID: string; URL: string; BUNDLE: string; OUT: string }): Promise<void> {
  const wf = parse(await readFile(join(repoRoot, '.github/workflows/refinery.yml'), 'utf8')) as {
    jobs: Record<string, { steps: { name?: string; run?: string }[] }>;
  };
  const step = wf.jobs.attest!.steps.find((s) => s.name === 'The attestation, for the record job')!;
  execFileSync('bash', ['-eo', 'pipefail', '-c', step.run!], { env: { PATH: process.env.PATH, ...env } });
}

/** A build result for the attested wheel, as a wave job leaves it, with the wheel beside it. */
async function results(dir: string): Promise<void> {
  const r = makeResult({ pkg: 'github-provenance-demo', version: '0.0.0', python: 'py3', start: Date.parse('2026-07-01T00:00:00Z') });
  const data = await readFile(join(FIXTURES, WHEEL));
  r.wheel = { filename: WHEEL, sha256: SHA, size: data.length, tags: ['py3-none-any'] };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${r.unit.id}.result.json`), `${JSON.stringify(r)}\n`);
  await copyFile(join(FIXTURES, WHEEL), join(dir, WHEEL));
}

/** pypi-attestations verifies every attestation of a provenance file against the wheel and its publisher. */
async function verify(provenance: string, wheel: string): Promise<{ code: number; out: string }> {
  const script = `
import sys
from pathlib import Path
from pypi_attestations import Distribution, Provenance
prov = Provenance.model_validate_json(Path(sys.argv[1]).read_bytes())
dist = Distribution.from_file(Path(sys.argv[2]))
for bundle in prov.attestation_bundles:
    for a in bundle.attestations:
        kind, _ = a.verify(bundle.publisher, dist, offline=True)
        print("verified", kind, bundle.publisher.kind, bundle.publisher.repository, bundle.publisher.workflow)
`;
  return exec(pytoolsBin('python'), ['-c', script, provenance, wheel]).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
  );
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-provenance-'));
  await results(join(work, 'results'));
  await attestStep({
    ID: '1234567',
    URL: 'https://github.com/acme/wheels/attestations/1234567',
    BUNDLE: join(FIXTURES, 'attest-build-provenance.sigstore.jsonl'),
    OUT: join(work, 'results', 'refinery-result-attestation'),
  });
  const rec = await runCli(['record', '--results', 'results', '--store', 'local:store', '--json'], { cwd: work });
  expect(rec.code, rec.stderr).toBe(0);
  const pub = await runCli(['publish', '--out', 'site', '--store', 'local:store', '--json'], { cwd: work });
  expect(pub.code, pub.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('PEP 740 provenance from the recorded attestation', () => {
  it('record keeps the attestation object and the publisher the signed statement names', async () => {
    const entry = (await loadState(join(work, '.refinery'))).packages.get('github-provenance-demo')!.manifest[0]!;
    const bundle = JSON.parse(await readFile(join(FIXTURES, 'attest-build-provenance.sigstore.jsonl'), 'utf8'));
    expect(entry.attestation).toMatchObject({ id: '1234567', url: 'https://github.com/acme/wheels/attestations/1234567' });
    expect(entry.attestation!.provenance).toEqual({
      publisher: { kind: 'GitHub', repository: 'malancas/attest-demo', workflow: 'shared.yml' },
      attestation: {
        version: 1,
        verification_material: { certificate: bundle.verificationMaterial.certificate.rawBytes, transparency_entries: bundle.verificationMaterial.tlogEntries },
        envelope: { statement: bundle.dsseEnvelope.payload, signature: bundle.dsseEnvelope.signatures[0].sig },
      },
    });
  });

  it('publish writes <wheel>.provenance, data-provenance and the PEP 691 provenance key by itself', async () => {
    const rel = `files/${SHA16}/${WHEEL}.provenance`;
    const html = await readFile(join(work, 'site/simple/github-provenance-demo/index.html'), 'utf8');
    expect(html).toContain(`data-provenance="../../${rel}"`);
    const json = JSON.parse(await readFile(join(work, 'site/simple/github-provenance-demo/index.json'), 'utf8'));
    expect(json.meta['api-version']).toBe('1.3');
    expect(json.files[0].provenance).toBe(`../../${rel}`);
    const api = JSON.parse(await readFile(join(work, 'site/api/packages/github-provenance-demo.json'), 'utf8'));
    expect(api.versions[0].wheels[0]).toMatchObject({
      attestation: { id: '1234567', url: 'https://github.com/acme/wheels/attestations/1234567' },
      provenance: rel,
    });
    expect(api.versions[0].wheels[0].attestation).not.toHaveProperty('provenance');
    const prov = JSON.parse(await readFile(join(work, 'site', rel), 'utf8'));
    expect(prov.version).toBe(1);
    expect(prov.attestation_bundles).toHaveLength(1);
  });

  it("PEP 740's reference implementation verifies the published provenance against the wheel", async () => {
    const r = await verify(join(work, 'site', `files/${SHA16}/${WHEEL}.provenance`), join(work, 'site', `files/${SHA16}/${WHEEL}`));
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('verified https://slsa.dev/provenance/v1 GitHub malancas/attest-demo shared.yml');
  }, 60_000);

  it('the package page shows the attestation: its https link, the provenance file and who signed', async () => {
    const page = await readFile(join(work, 'site/packages/github-provenance-demo.html'), 'utf8');
    expect(page).toContain('<a href="https://github.com/acme/wheels/attestations/1234567" rel="noopener noreferrer">attestation 1234567</a>');
    expect(page).toContain(`<a href="../files/${SHA16}/${WHEEL}.provenance">PEP 740 provenance</a>`);
    expect(page).toContain('signed by malancas/attest-demo (shared.yml)');
  });

  it('a state edited to name another publisher publishes provenance that does not verify', async () => {
    const state = await loadState(join(work, '.refinery'));
    const entry = state.packages.get('github-provenance-demo')!.manifest[0]!;
    entry.attestation!.provenance!.publisher.repository = 'mallory/attest-demo';
    const out = join(work, 'site-edited');
    await publishSite(state, out, { localStore: join(work, 'store') });
    const r = await verify(join(out, `files/${SHA16}/${WHEEL}.provenance`), join(out, `files/${SHA16}/${WHEEL}`));
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/VerificationError: Verification failed: Certificate's OIDCSourceRepositoryURI does not match/);
  }, 60_000);

  it("provenance moved onto another wheel in the state is not published for it (the statement names the other's sha256)", async () => {
    const state = await loadState(join(work, '.refinery'));
    const pkg = state.packages.get('github-provenance-demo')!;
    const [entry] = pkg.manifest;
    const other = {
      ...entry!,
      filename: 'github_provenance_demo-0.0.0-py2-none-any.whl',
      sha256: 'f'.repeat(64),
      inputsFingerprint: 'sha256:other',
      storage: {
        kind: 'github-release' as const,
        location: 'https://github.com/acme/wheels/releases/download/w/github_provenance_demo-0.0.0-py2-none-any.whl',
      },
    };
    pkg.manifest = [other];
    const dir = join(work, 'state-moved');
    await saveState(dir, state);
    const warnings: string[] = [];
    const out = join(work, 'site-moved');
    const outcome = await publishSite(await loadState(dir), out, { warn: (l) => warnings.push(l) });
    expect(outcome.wheels).toBe(1);
    expect(warnings.join('\n')).toContain(
      "no provenance for github_provenance_demo-0.0.0-py2-none-any.whl: its attestation's statement does not name the wheel's sha256",
    );
    const json = JSON.parse(await readFile(join(out, 'simple/github-provenance-demo/index.json'), 'utf8'));
    expect(json.files[0].provenance).toBeNull();
  });

  it('a bundle without a transparency log entry (GitHub Sigstore for private repositories) links the attestation, with no PEP 740 file', async () => {
    const dir = join(work, 'private');
    await results(join(dir, 'results'));
    const bundle = JSON.parse(await readFile(join(FIXTURES, 'attest-build-provenance.sigstore.jsonl'), 'utf8'));
    delete bundle.verificationMaterial.tlogEntries;
    await writeFile(join(dir, 'bundle.jsonl'), `${JSON.stringify(bundle)}\n`);
    await attestStep({ ID: '77', URL: '', BUNDLE: join(dir, 'bundle.jsonl'), OUT: join(dir, 'results', 'att') });
    const outcome = await record(join(dir, 'results'), join(dir, 'state'));
    expect(outcome.built).toBe(1);
    const entry = (await loadState(join(dir, 'state'))).packages.get('github-provenance-demo')!.manifest[0]!;
    expect(entry.attestation).toEqual({ id: '77' });
  });
});
