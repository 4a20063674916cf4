import { z } from 'zod';
import { isPlainName, PlainName } from '../model/files.js';
import { Attempt, BuildPhase, FailureClass, LibraryName, RuntimePackages, wheelMismatch } from '../model/result.js';
import { Compiler } from '../model/compiler.js';

/**
 * The refinery's memory, as files in the user's repo (layout in src/domain/state/layout.ts):
 *   state.json                 format marker
 *   packages/<name>.json       per package: manifest, learned hints, known-failing marks, queue
 *   history/<name>.jsonl       per package: one attempt per line, append-only, a header line first
 * Strict objects everywhere: a hand-added field is an error, never silently dropped on rewrite.
 * Names that are or may become paths (versions, unit ids, wheel and log names, store locations)
 * are plain names (`PlainName`): a state file from a hostile pull request cannot point anywhere.
 */

export const STATE_SCHEMA = 'refinery/state@1';
export const PACKAGE_SCHEMA = 'refinery/package@1';
export const HISTORY_SCHEMA = 'refinery/history@1';

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');
const Timestamp = z.iso.datetime({ offset: true }).describe('ISO 8601 time, e.g. 2026-01-01T12:00:00.000Z');
const PackageName = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a PEP 503 normalized name');

export const StateMarker = z.strictObject({
  schema: z.literal(STATE_SCHEMA),
  /** Free text pointing readers at the docs; not interpreted. */
  about: z.string().optional(),
});
export type StateMarker = z.infer<typeof StateMarker>;

/** Where a built wheel lives so a later run can fetch it instead of rebuilding. */
export const StorageRef = z
  .strictObject({
    kind: z.enum(['none', 'local', 'github-release', 'actions-cache']),
    /** local: `<sha16>/<wheel filename>` under the store root; github-release: asset download URL; actions-cache: key. */
    location: z.string().optional(),
    /** github-release: asset id, to download through the API. */
    assetId: z.number().int().optional(),
    /**
     * github-release: the wheel's METADATA is stored beside it as `<location>.metadata` (PEP 658),
     * with this sha256 and the Requires-Python it declares, so the index can point pip at it.
     */
    metadata: z.strictObject({ sha256: Sha256Hex, requiresPython: z.string().max(200).optional() }).optional(),
  })
  .refine((r) => r.kind !== 'local' || r.location === undefined || (/^[0-9a-f]{16}\//.test(r.location) && isPlainName(r.location.slice(17))), {
    path: ['location'],
    message: 'a local store location: <first 16 hex of sha256>/<plain wheel filename>',
  });
export type StorageRef = z.infer<typeof StorageRef>;

const Base64 = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');
const Digits = z.string().regex(/^[0-9]{1,20}$/, 'digits');

/** A Rekor transparency log entry, in the Sigstore bundle's JSON form, which PEP 740 carries as is. */
export const TransparencyEntry = z.strictObject({
  logIndex: Digits,
  logId: z.strictObject({ keyId: Base64(200) }),
  kindVersion: z.strictObject({ kind: z.string().regex(/^[a-z0-9-]{1,40}$/), version: z.string().regex(/^[0-9.]{1,20}$/) }),
  integratedTime: Digits,
  inclusionPromise: z.strictObject({ signedEntryTimestamp: Base64(2048) }).optional(),
  inclusionProof: z
    .strictObject({
      logIndex: Digits,
      rootHash: Base64(200),
      treeSize: Digits,
      hashes: z.array(Base64(200)).max(64),
      checkpoint: z.strictObject({ envelope: z.string().max(4096) }),
    })
    .optional(),
  canonicalizedBody: Base64(32 * 1024),
});

/** The largest in-toto statement kept (base64): about 300 wheels attested at once. */
export const MAX_STATEMENT_CHARS = 64 * 1024;

/**
 * PEP 740 provenance of one wheel: who signed (the GitHub workflow the statement names) and the
 * attestation object made from the Sigstore bundle, field for field. Bounded: the state is read by
 * every publish, and a bundle comes from a job others could influence.
 */
export const Provenance = z.strictObject({
  publisher: z.strictObject({
    kind: z.literal('GitHub'),
    repository: z.string().regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, 'a GitHub owner/name'),
    workflow: z.string().regex(/^[A-Za-z0-9_.-]{1,100}\.ya?ml$/, 'a workflow file name'),
  }),
  attestation: z.strictObject({
    version: z.literal(1),
    verification_material: z.strictObject({
      certificate: Base64(8192),
      transparency_entries: z.array(TransparencyEntry).min(1).max(4),
    }),
    envelope: z.strictObject({ statement: Base64(MAX_STATEMENT_CHARS), signature: Base64(1024) }),
  }),
});
export type Provenance = z.infer<typeof Provenance>;

/** A GitHub artifact attestation: its id, the page that shows it, and what PEP 740 needs of it. */
export const Attestation = z.strictObject({
  id: z.string().regex(/^[0-9]{1,20}$/, 'a GitHub attestation id (digits)'),
  url: z
    .string()
    .max(500)
    .regex(/^https:\/\/[A-Za-z0-9.-]+\/[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]*$/, 'an https URL')
    .optional(),
  /** Absent when the bundle has no transparency log entry (GitHub's private-repository Sigstore) or is too large. */
  provenance: Provenance.optional(),
});
export type Attestation = z.infer<typeof Attestation>;

/** One built wheel. Key: filename + inputsFingerprint. */

export const ManifestEntry = z
  .strictObject({
    name: PackageName,
    version: PlainName,
    /** A wheel of `name` and `version`. */
    filename: PlainName,
    tags: z.array(z.string()),
    targets: z.array(z.string()),
    /** The unit's python: "3.12", "abi3" or "py3". */
    variant: z.string(),
    sha256: Sha256Hex,
    size: z.number().int().nonnegative(),
    preset: z.string(),
    executor: z.enum(['container', 'native', 'host']),
    image: z.string().optional(),
    imageDigest: z.string().optional(),
    /** Compilers that built it: `turbo` or `emulated` (absent: recorded before turbo builds, emulated). */
    compiler: Compiler.optional(),
    builtAt: Timestamp,
    inputsFingerprint: z.string().min(1),
    unit: z.string(),
    /** History run that produced it. */
    run: z.string(),
    sdist: z.strictObject({ filename: PlainName, sha256: z.string() }),
    storage: StorageRef,
    /** The build provenance attestation that names this wheel (actions/attest-build-provenance). */
    attestation: Attestation.optional(),
    /** Why nothing proved the wheel works in a bare container (kept and offered, flagged); absent: it passed. */
    unverified: z.string().max(500).optional(),
    /** System libraries the wheel needs that the preset's bare image lacks (`libjpeg.so.62`). */
    externalLibraries: z.array(LibraryName).max(200).optional(),
    /**
     * The system packages that provide `externalLibraries` (owners in the build container). Without
     * `unverified`: the wheel passed the smoke test once they were installed, and users need them too.
     */
    runtimePackages: RuntimePackages.optional(),
  })
  .superRefine((m, ctx) => {
    const why = wheelMismatch(m.filename, m.name, m.version);
    if (why) ctx.addIssue({ code: 'custom', path: ['filename'], message: why });
  });
export type ManifestEntry = z.infer<typeof ManifestEntry>;

/** One build attempt (a line of history/<name>.jsonl). Key: run + attempt. */
/** An attempt's own fields, as the build result (model/result.ts) defines them; the history line is derived from them. */
const attempt = Attempt.shape;

export const HistoryEntry = z.strictObject({
  package: PackageName,
  version: PlainName,
  unit: PlainName,
  variant: z.string(),
  targets: z.array(z.string()),
  /** Stable id of the build result this attempt came from (same result recorded twice: same id). */
  run: z.string().regex(/^[0-9a-f]{16}$/),
  /** The attempt's `n`. */
  attempt: attempt.n,
  /** Number of attempts in the run; attempt === attempts is the run's last one. */
  attempts: z.number().int().positive(),
  /** Outcome of the whole run. */
  outcome: z.enum(['success', 'failure']),
  status: attempt.status,
  // Stricter than a result's: what the state keeps sorts and compares as a timestamp.
  startedAt: Timestamp,
  finishedAt: Timestamp,
  durationMs: attempt.durationMs,
  phase: attempt.phase,
  failureClass: attempt.failureClass,
  matchedHint: attempt.matchedHint,
  matchedLine: attempt.matchedLine,
  hintsApplied: attempt.hintsApplied,
  hintsPredicted: attempt.hintsPredicted,
  evidence: attempt.evidence,
  // Always written: a result's default (false) is applied when it is read.
  killed: z.boolean(),
  compiler: attempt.compiler,
  executor: z.enum(['container', 'native', 'host']),
  preset: z.string(),
  imageDigest: z.string().optional(),
  runner: z.string().optional(),
  runUrl: z.string().optional(),
  log: attempt.log,
  inputsFingerprint: z.string().min(1),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const HistoryHeader = z.strictObject({ schema: z.literal(HISTORY_SCHEMA), package: PackageName });

/** A remedy that made a build of this package succeed after it had failed without it. */
export const LearnedHint = z.strictObject({
  hint: z.string(),
  evidence: z.array(
    z.strictObject({
      run: z.string(),
      unit: PlainName,
      version: PlainName,
      /** The attempt that failed before the hint was applied. */
      failedAttempt: z.number().int().positive(),
      failureClass: FailureClass.optional(),
      /** The attempt that succeeded with the hint. */
      succeededAttempt: z.number().int().positive(),
      at: Timestamp,
    }),
  ),
});
export type LearnedHint = z.infer<typeof LearnedHint>;

/** The last run of a unit failed: do not rebuild it until its inputs fingerprint changes. */
export const KnownFailing = z.strictObject({
  version: PlainName,
  unit: PlainName,
  variant: z.string(),
  run: z.string(),
  /** The final (failing) attempt of that run. */
  attempt: z.number().int().positive(),
  failureClass: FailureClass.optional(),
  phase: BuildPhase.optional(),
  matchedHint: z.string().optional(),
  preset: z.string(),
  /** Hints in force at the failing attempt: a plan with other hints has changed inputs. */
  hintsApplied: z.array(z.string()),
  inputsFingerprint: z.string(),
  at: Timestamp,
  /** queued: a retry is waiting in the queue; gave-up: retries exhausted; none: not worth retrying. */
  retry: z.enum(['queued', 'gave-up', 'none']),
});
export type KnownFailing = z.infer<typeof KnownFailing>;

export const QueueEntry = z.strictObject({
  package: PackageName,
  version: PlainName,
  /** Absent for a request made by hand before any unit existed; plan picks the units. */
  unit: PlainName.optional(),
  variant: z.string().optional(),
  targets: z.array(z.string()).optional(),
  preset: z.string().optional(),
  reason: z.enum(['transient', 'new-hint', 'requested']),
  failureClass: FailureClass.optional(),
  /** Consecutive failed runs since the last success. */
  failures: z.number().int().nonnegative(),
  lastRun: z.string().optional(),
  lastFailedAt: Timestamp.optional(),
  nextEligibleAt: Timestamp,
  status: z.enum(['waiting', 'gave-up']),
  /** Hints not yet tried that the retry should apply. */
  hints: z.array(z.string()),
  note: z.string().optional(),
});
export type QueueEntry = z.infer<typeof QueueEntry>;

/** `refinery queue add`: a fact; satisfied once a run of that version finishes after `at`. */
export const QueueRequest = z.strictObject({
  version: PlainName,
  variant: z.string().optional(),
  at: Timestamp,
  note: z.string().optional(),
});
export type QueueRequest = z.infer<typeof QueueRequest>;

/** `refinery queue drop`: a fact; hides queue entries of that version caused at or before `at`. */
export const QueueDrop = z.strictObject({
  version: PlainName,
  unit: PlainName.optional(),
  at: Timestamp,
});
export type QueueDrop = z.infer<typeof QueueDrop>;

/**
 * `refinery yank`: a fact; the published index marks these wheels yanked (PEP 592), so resolvers
 * skip them unless a requirement pins the version. The wheels stay in the manifest and the store.
 */
export const WheelWithdrawal = z.strictObject({
  version: PlainName,
  /** One wheel of the version; absent: all of them. */
  filename: PlainName.optional(),
  /** Shown by pip when the yanked wheel is installed anyway. */
  reason: z.string().max(400),
  at: Timestamp,
});
export type WheelWithdrawal = z.infer<typeof WheelWithdrawal>;

/**
 * packages/<name>.json. `manifest`, `requests`, `drops` and `withdrawals` are facts (merged as sets);
 * `hints`, `knownFailing` and `queue` are views recomputed from the facts and history on every write.
 */
export const PackageFile = z.strictObject({
  schema: z.literal(PACKAGE_SCHEMA),
  name: PackageName,
  manifest: z.array(ManifestEntry),
  requests: z.array(QueueRequest),
  drops: z.array(QueueDrop),
  /** Absent in files written before yanks were recorded, and whenever there are none. */
  withdrawals: z.array(WheelWithdrawal).optional(),
  hints: z.array(LearnedHint),
  knownFailing: z.array(KnownFailing),
  queue: z.array(QueueEntry),
});
export type PackageFile = z.infer<typeof PackageFile>;

/** Pending multi-file write: temp file -> target renames; its atomic appearance is the commit point (src/domain/state/write.ts). */
export const Journal = z.strictObject({
  schema: z.literal('refinery/journal@2'),
  renames: z.array(
    z
      .tuple([z.string(), z.string()])
      .refine(
        ([tmp, rel]) =>
          /^(state\.json|\.gitignore|packages\/[a-z0-9-]+\.json|history\/[a-z0-9-]+\.jsonl)$/.test(rel) &&
          tmp.startsWith(`${rel}.`) &&
          tmp.endsWith('.tmp') &&
          !tmp.includes('/..'),
        'a rename of a temp file onto a state file',
      ),
  ),
});
