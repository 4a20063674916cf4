import type { z } from 'zod';
import { COMPILERS } from '../model/compiler.js';
import { isPlainName } from '../model/files.js';
import { BUILD_PHASES, FAILURE_CLASSES, wheelMismatch } from '../model/result.js';
import { HistoryEntry, ManifestEntry } from './schema.js';

/**
 * Hand-written checks of the two shapes a state holds by the ten thousand (history lines and
 * manifest entries), run before zod: zod cost 1.5 s of a 2.8 s load of 100,000 attempts. A check
 * vouches for a value only when every field is known and passes a test at least as strict as the
 * schema's; anything else (an unknown field, a bad value, a shape the check does not know) goes to
 * zod, which gives the verdict and names the field. So the checks can only make loading faster,
 * never accept more. `Record<keyof T, ...>` makes tsc name a field added to the schema, and a
 * check whose fields differ from its schema's at run time is switched off (zod decides alone).
 */

type Check = (v: unknown) => boolean;

const isString: Check = (v) => typeof v === 'string';
const plain: Check = (v) => typeof v === 'string' && isPlainName(v);
const oneOf = (values: readonly string[]): Check => {
  const set = new Set(values);
  return (v) => typeof v === 'string' && set.has(v);
};
const strings: Check = (v) => Array.isArray(v) && v.every(isString);
const positiveInt: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const regex =
  (re: RegExp): Check =>
  (v) =>
    typeof v === 'string' && re.test(v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

const PACKAGE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SHA256 = /^[0-9a-f]{64}$/;
const RUN_ID = /^[0-9a-f]{16}$/;
const ATTESTATION_ID = /^[0-9]{1,20}$/;
const ATTESTATION_URL = /^https:\/\/[A-Za-z0-9.-]+\/[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]*$/;

/** The timestamp schema's own pattern (zod's ISO date-time with offset), so both agree by construction. */
function timestampCheck(schema: z.ZodType): Check {
  const pattern = (schema as unknown as { _zod: { def: { pattern?: unknown } } })._zod.def.pattern;
  if (!(pattern instanceof RegExp)) return () => false;
  return regex(pattern);
}

interface ObjectCheck<T> {
  (v: unknown): v is T;
  /** False when the check's fields differ from the schema's: it then vouches for nothing. */
  readonly active: boolean;
}

function objectCheck<T>(schema: z.ZodObject, checks: { [K in keyof Required<T>]: Check }, whole?: (v: T) => boolean): ObjectCheck<T> {
  const shape = schema.shape as Record<string, z.ZodType>;
  const names = Object.keys(checks);
  const active = names.length === Object.keys(shape).length && names.every((k) => k in shape);
  const fields = names.map((k) => ({ k, check: (checks as Record<string, Check>)[k]!, required: active && !shape[k]!.safeParse(undefined).success }));
  const known = new Set(names);
  const fn = (v: unknown): v is T => {
    if (!active || !isObject(v)) return false;
    for (const k of Object.keys(v)) if (!known.has(k)) return false;
    for (const f of fields) {
      const x = v[f.k];
      if (x === undefined ? f.required : !f.check(x)) return false;
    }
    return whole ? whole(v as T) : true;
  };
  return Object.assign(fn, { active });
}

const historyTime = timestampCheck(HistoryEntry.shape.startedAt);

export const quickHistoryEntry = objectCheck<HistoryEntry>(HistoryEntry, {
  package: regex(PACKAGE_NAME),
  version: plain,
  unit: plain,
  variant: isString,
  targets: strings,
  run: regex(RUN_ID),
  attempt: positiveInt,
  attempts: positiveInt,
  outcome: oneOf(['success', 'failure']),
  status: oneOf(['success', 'failure']),
  startedAt: historyTime,
  finishedAt: historyTime,
  durationMs: (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0,
  phase: oneOf(BUILD_PHASES),
  failureClass: oneOf(FAILURE_CLASSES),
  matchedHint: isString,
  matchedLine: (v) => typeof v === 'string' && v.length <= 300,
  hintsApplied: strings,
  hintsPredicted: strings,
  evidence: (v) => Array.isArray(v) && v.length <= 20 && v.every((s) => typeof s === 'string' && s.length <= 400),
  killed: (v) => typeof v === 'boolean',
  compiler: oneOf(COMPILERS),
  executor: oneOf(['container', 'native', 'host']),
  preset: isString,
  imageDigest: isString,
  runner: isString,
  runUrl: isString,
  log: plain,
  inputsFingerprint: (v) => typeof v === 'string' && v.length >= 1,
});

const storedMetadata: Check = (v) =>
  isObject(v) &&
  Object.keys(v).every((k) => k === 'sha256' || k === 'requiresPython') &&
  regex(SHA256)(v.sha256) &&
  (v.requiresPython === undefined || (typeof v.requiresPython === 'string' && v.requiresPython.length <= 200));

// The common stored wheel: a local store location as the schema refines it, or a release asset.
const storage: Check = (v) => {
  if (!isObject(v)) return false;
  for (const k of Object.keys(v)) if (k !== 'kind' && k !== 'location' && k !== 'assetId' && k !== 'metadata') return false;
  if (v.location !== undefined && typeof v.location !== 'string') return false;
  if (v.metadata !== undefined && !storedMetadata(v.metadata)) return false;
  if (v.assetId !== undefined && !(typeof v.assetId === 'number' && Number.isSafeInteger(v.assetId))) return false;
  switch (v.kind) {
    case 'local':
      return v.location === undefined || (/^[0-9a-f]{16}\//.test(v.location as string) && isPlainName((v.location as string).slice(17)));
    case 'none':
    case 'github-release':
    case 'actions-cache':
      return true;
    default:
      return false;
  }
};

const manifestTime = timestampCheck(ManifestEntry.shape.builtAt);
// One filename is recorded once per build of it: the verdict for a (filename, name, version) is reused.
const wheelOk = new Map<string, boolean>();

export const quickManifestEntry = objectCheck<ManifestEntry>(
  ManifestEntry,
  {
    name: regex(PACKAGE_NAME),
    version: plain,
    filename: plain,
    tags: strings,
    targets: strings,
    variant: isString,
    sha256: regex(SHA256),
    size: (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0,
    preset: isString,
    executor: oneOf(['container', 'native', 'host']),
    image: isString,
    imageDigest: isString,
    compiler: oneOf(COMPILERS),
    builtAt: manifestTime,
    inputsFingerprint: (v) => typeof v === 'string' && v.length >= 1,
    unit: isString,
    run: isString,
    sdist: (v) => isObject(v) && Object.keys(v).length === 2 && plain(v.filename) && isString(v.sha256),
    storage,
    attestation: (v) =>
      isObject(v) &&
      Object.keys(v).every((k) => k === 'id' || k === 'url') &&
      regex(ATTESTATION_ID)(v.id) &&
      (v.url === undefined || (typeof v.url === 'string' && v.url.length <= 500 && ATTESTATION_URL.test(v.url))),
    // Rare (wheels the smoke test could not prove): zod decides those entries.
    unverified: () => false,
    externalLibraries: () => false,
    runtimePackages: () => false,
  },
  (m) => {
    const key = `${m.filename}\u0000${m.name}\u0000${m.version}`;
    let ok = wheelOk.get(key);
    if (ok === undefined) {
      ok = wheelMismatch(m.filename, m.name, m.version) === undefined;
      if (wheelOk.size > 100_000) wheelOk.clear();
      wheelOk.set(key, ok);
    }
    return ok;
  },
);
