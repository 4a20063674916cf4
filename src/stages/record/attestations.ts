/**
 * Build provenance attestations handed to record: the reusable workflow's attest job runs
 * actions/attest-build-provenance over every wheel of the run and writes `*.attestation.json`
 * beside the results: the attestation's id and URL, and the Sigstore bundle it signed. The
 * bundle's in-toto statement names each wheel by sha256, so record keeps the attestation on the
 * manifest entries of exactly those wheels. The signature is not verified here (`gh attestation
 * verify` does that against GitHub); record only links what the attest job said it signed.
 */
import { z } from 'zod';
import { type JsonInput, parseJson, readJson } from '../../adapters/json-file.js';
import { printablePath, RefineryError } from '../../errors.js';
import { Attestation, Sha256Hex } from '../../domain/state/schema.js';
import { ATTESTATION_SUFFIX, filesNamed, type ResultLimits } from './results.js';

export const ATTESTATION_SCHEMA = 'refinery/attestation@1';

const AttestationFile = z.strictObject({
  schema: z.literal(ATTESTATION_SCHEMA),
  id: Attestation.shape.id,
  // The attest action's URL output; an empty one (older GitHub servers) is no URL.
  url: z.union([z.literal(''), Attestation.shape.url.unwrap()]).optional(),
  bundle: z.looseObject({
    dsseEnvelope: z.looseObject({
      payloadType: z.literal('application/vnd.in-toto+json'),
      payload: z.string().regex(/^[A-Za-z0-9+/=]+$/, 'base64'),
    }),
  }),
});

/** The in-toto statement inside the envelope: what was attested, by digest. */
const Statement = z.looseObject({
  _type: z.string().startsWith('https://in-toto.io/Statement/'),
  subject: z
    .array(z.looseObject({ name: z.string().max(300), digest: z.looseObject({ sha256: Sha256Hex }) }))
    .min(1)
    .max(1024),
});

/** Attestations by the sha256 of the wheel they name. */
export type Attestations = Map<string, Attestation>;

/** Every `*.attestation.json` under `dir`, parsed and validated; a bad one is one input error naming it. */
export async function readAttestations(dir: string, limits: ResultLimits): Promise<Attestations> {
  const out: Attestations = new Map();
  for (const file of (await filesNamed(dir, ATTESTATION_SUFFIX)).sort()) {
    const where = printablePath(file);
    const { id, url, bundle } = await readJson(AttestationFile, file, { ...ATTESTATION_INPUT, maxBytes: limits.resultBytes });
    let statement: z.infer<typeof Statement>;
    try {
      const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8');
      statement = parseJson(Statement, payload, { file }, ATTESTATION_INPUT);
    } catch (e) {
      if (!(e instanceof RefineryError)) throw e;
      throw new RefineryError('input', `${e.message} (in the in-toto statement of bundle.dsseEnvelope.payload)`, {
        location: { ...e.location, file: where },
        fix: ATTESTATION_INPUT.fix,
      });
    }
    const attestation: Attestation = { id, ...(url ? { url } : {}) };
    for (const subject of statement.subject) {
      const have = out.get(subject.digest.sha256);
      // One wheel attested twice (a re-run attest job): the newer attestation, the larger id, wins.
      if (!have || BigInt(have.id) < BigInt(id)) out.set(subject.digest.sha256, attestation);
    }
  }
  return out;
}

/** Attestation records are written by the attest job: untrusted input, read like results. */
const ATTESTATION_INPUT: JsonInput = {
  code: 'input',
  noun: 'the attestation',
  fix: 'the attest job wrote an attestation record cannot read; rerun it, or remove the file to record without it',
  refusedFix: (reason) => (reason === 'kind' ? 'attestations are regular files written by the attest job; remove it' : ATTESTATION_INPUT.fix),
};
