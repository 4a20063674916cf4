/**
 * Build provenance attestations handed to record: the reusable workflow's attest job runs
 * actions/attest-build-provenance over every wheel of the run and writes `*.attestation.json`
 * beside the results: the attestation's id and URL, and the Sigstore bundle it signed. The
 * bundle's in-toto statement names each wheel by sha256, so record keeps the attestation on the
 * manifest entries of exactly those wheels, with the bundle's parts a PEP 740 attestation object
 * is made of (certificate, log entries, statement, signature) and the workflow the statement
 * names, so publish can serve `<wheel>.provenance` from the state alone. The signature is not
 * verified here (`gh attestation verify` or a PEP 740 verifier does that); record only keeps what
 * the attest job said it signed, checked for shape and size.
 */
import { z } from 'zod';
import { type JsonInput, parseJson, readJson } from '../../adapters/json-file.js';
import { printablePath, RefineryError } from '../../errors.js';
import { Attestation, Provenance, Sha256Hex, TransparencyEntry } from '../../domain/state/schema.js';
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
      signatures: z
        .array(z.looseObject({ sig: z.string() }))
        .max(16)
        .optional(),
    }),
    // Checked when made into PEP 740 provenance (below); a bundle without them still links the attestation.
    verificationMaterial: z.unknown().optional(),
  }),
});

/** What PEP 740 takes from a bundle: v0.3 has `certificate`, v0.1 and v0.2 a chain whose first is the signer's. */
const Material = z.looseObject({
  certificate: z.looseObject({ rawBytes: z.string() }).optional(),
  x509CertificateChain: z
    .looseObject({
      certificates: z
        .array(z.looseObject({ rawBytes: z.string() }))
        .min(1)
        .max(8),
    })
    .optional(),
  tlogEntries: z.array(z.looseObject({})).max(4).optional(),
});

/** The in-toto statement inside the envelope: what was attested, by digest. */
const Statement = z.looseObject({
  _type: z.string().startsWith('https://in-toto.io/Statement/'),
  subject: z
    .array(z.looseObject({ name: z.string().max(300), digest: z.looseObject({ sha256: Sha256Hex }) }))
    .min(1)
    .max(1024),
  // SLSA provenance as actions/attest-build-provenance writes it: the workflow run that built.
  predicate: z
    .looseObject({
      buildDefinition: z
        .looseObject({
          externalParameters: z.looseObject({ workflow: z.looseObject({ repository: z.string().max(300), path: z.string().max(300) }).optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
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
    const provenance = pep740(bundle, statement);
    const attestation: Attestation = { id, ...(url ? { url } : {}), ...(provenance ? { provenance } : {}) };
    for (const subject of statement.subject) {
      const have = out.get(subject.digest.sha256);
      // One wheel attested twice (a re-run attest job): the newer attestation, the larger id, wins.
      if (!have || BigInt(have.id) < BigInt(id)) out.set(subject.digest.sha256, attestation);
    }
  }
  return out;
}

/**
 * The bundle as PEP 740 provenance: the attestation object (`version: 1`, the signing certificate
 * and transparency log entries, the statement and its one signature, as pypi-attestations'
 * `Attestation.from_bundle` makes it) and the GitHub publisher (the repository and workflow file
 * the signed statement names, which the certificate also carries as its build config). Undefined
 * when the bundle cannot be one: no log entry (GitHub's Sigstore for private repositories
 * timestamps instead), not one signature, no workflow, or past the size bounds.
 */
function pep740(bundle: z.infer<typeof AttestationFile>['bundle'], statement: z.infer<typeof Statement>): Provenance | undefined {
  const material = Material.safeParse(bundle.verificationMaterial);
  const signatures = bundle.dsseEnvelope.signatures ?? [];
  const workflow = statement.predicate?.buildDefinition?.externalParameters?.workflow;
  const repo = workflow ? /^https:\/\/github\.com\/([^/]+\/[^/]+)$/.exec(workflow.repository)?.[1] : undefined;
  if (!material.success || signatures.length !== 1 || !workflow || !repo) return undefined;
  const m = material.data;
  const certificate = m.certificate?.rawBytes ?? m.x509CertificateChain?.certificates[0]?.rawBytes;
  // Only the fields a log entry has: a bundle's future additions do not reach the state.
  const entries = (m.tlogEntries ?? []).map((e) =>
    Object.fromEntries(Object.keys(TransparencyEntry.shape).flatMap((k) => (k in e ? [[k, (e as Record<string, unknown>)[k]]] : []))),
  );
  const parsed = Provenance.safeParse({
    publisher: { kind: 'GitHub', repository: repo, workflow: workflow.path.split('/').pop() },
    attestation: {
      version: 1,
      verification_material: { certificate, transparency_entries: entries },
      envelope: { statement: bundle.dsseEnvelope.payload, signature: signatures[0]!.sig },
    },
  });
  return parsed.success ? parsed.data : undefined;
}

/** Attestation records are written by the attest job: untrusted input, read like results. */
const ATTESTATION_INPUT: JsonInput = {
  code: 'input',
  noun: 'the attestation',
  fix: 'the attest job wrote an attestation record cannot read; rerun it, or remove the file to record without it',
  refusedFix: (reason) => (reason === 'kind' ? 'attestations are regular files written by the attest job; remove it' : ATTESTATION_INPUT.fix),
};
