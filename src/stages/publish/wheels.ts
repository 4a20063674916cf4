import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { RefineryError } from '../../errors.js';
import { readWheelMetadata } from '../../domain/package-index/dist-contents.js';
import { sha256 } from '../../adapters/blob-cache.js';
import { parseWheelFilename, type WheelFilename } from '../../domain/python/filenames.js';
import { parseCoreMetadata } from '../../domain/python/metadata.js';
import { cmp, cmpTime } from '../../domain/state/canonical.js';
import { packageFile } from '../../domain/state/layout.js';
import type { ManifestEntry } from '../../domain/state/schema.js';
import type { State } from '../../domain/state/types.js';
import { safeHttpUrl } from './html.js';

/** A withdrawn wheel: listed with a PEP 592 yank mark so resolvers skip it unless pinned. */
export interface Withdrawal {
  package: string;
  /** All wheels of this version when no filename is given. */
  version?: string;
  filename?: string;
  reason: string;
}

export interface SiteWheel {
  entry: ManifestEntry;
  parsed: WheelFilename;
  /** Where pip downloads it: relative to the site root (local store, copied into the site) or an absolute https URL. */
  url: string;
  /** The site's copy, relative to its root (local store only). */
  sitePath?: string;
  /** The stored wheel on this machine (local store only). */
  source?: string;
  requiresPython?: string;
  /**
   * PEP 658 metadata file at `<url>.metadata`: local store, read from the wheel (text: the site
   * writes it); release asset, stored beside it by record (sha256 only).
   */
  metadata?: { text?: string; sha256: string };
  yanked?: string;
  /** PEP 740 provenance object, when one was given for this wheel. */
  provenance?: { text: string; sitePath?: string; publisher?: { repository: string; workflow: string } };
}

export interface WheelOptions {
  /** Root of the local wheel store (`record --store local:DIR`). */
  localStore?: string;
  /** Withdrawals besides those the state records (`--yank`). */
  withdrawals?: readonly Withdrawal[];
  /** Folder with `<wheel filename>.provenance` files (PEP 740 provenance objects). */
  provenanceDir?: string;
  /** Where the state lives, for error locations. */
  stateDir?: string;
}

/**
 * The wheels the index lists, per package: for each filename the newest build (a filename names
 * one file on an index; an older build with other bytes is superseded). Wheels in no store that
 * pip could reach are left out, with a warning.
 */
export async function siteWheels(state: State, o: WheelOptions, warn: (line: string) => void): Promise<Map<string, SiteWheel[]>> {
  const out = new Map<string, SiteWheel[]>();
  for (const name of [...state.packages.keys()].sort(cmp)) {
    const pkg = state.packages.get(name)!;
    const file = o.stateDir ? resolve(o.stateDir, packageFile(name)) : packageFile(name);
    const newest = new Map<string, { entry: ManifestEntry; index: number }>();
    pkg.manifest.forEach((entry, index) => {
      const have = newest.get(entry.filename);
      if (!have || cmpTime(entry.builtAt, have.entry.builtAt) > 0 || (entry.builtAt === have.entry.builtAt && cmp(entry.sha256, have.entry.sha256) > 0))
        newest.set(entry.filename, { entry, index });
    });
    // Withdrawals given to publish (--yank) first, then those the state records (refinery yank), oldest first.
    const withdrawals: Withdrawal[] = [
      ...(o.withdrawals ?? []).filter((d) => d.package === name),
      ...(pkg.withdrawals ?? []).map((w) => ({ package: name, version: w.version, filename: w.filename, reason: w.reason })),
    ];
    const list: SiteWheel[] = [];
    for (const { entry, index } of [...newest.values()].sort((a, b) => cmp(a.entry.filename, b.entry.filename))) {
      let parsed: WheelFilename;
      try {
        if (entry.filename.includes('/') || entry.filename.includes('\\')) throw new Error('a path, not a file name');
        parsed = parseWheelFilename(entry.filename);
      } catch (e) {
        throw new RefineryError('state', `not a wheel file name: ${JSON.stringify(entry.filename)} (${(e as Error).message})`, {
          location: { file, field: `manifest.${index}.filename` },
          fix: 'restore the file from git or remove that manifest entry',
        });
      }
      if (parsed.name !== name) {
        throw new RefineryError('state', `wheel ${JSON.stringify(entry.filename)} is not a wheel of ${name}`, {
          location: { file, field: `manifest.${index}.filename` },
          fix: 'restore the file from git or remove that manifest entry',
        });
      }
      const wheel = await locate(entry, parsed, o, file, index, warn);
      if (!wheel) continue;
      const w = withdrawals.find((d) => (d.filename ? d.filename === entry.filename : d.version === undefined || d.version === entry.version));
      if (w) wheel.yanked = w.reason || 'withdrawn';
      // A provenance file given to publish wins over the one the state makes (an attestation made elsewhere).
      const given = o.provenanceDir ? await readFile(resolve(o.provenanceDir, `${entry.filename}.provenance`), 'utf8').catch(() => undefined) : undefined;
      if (given !== undefined) wheel.provenance = { text: checkProvenance(given, entry.filename) };
      else if (entry.attestation?.provenance) {
        const text = provenanceOf(entry);
        if (text) wheel.provenance = { text, publisher: entry.attestation.provenance.publisher };
        else warn(`no provenance for ${entry.filename}: its attestation's statement does not name the wheel's sha256`);
      }
      list.push(wheel);
    }
    if (list.length > 0) out.set(name, list);
  }
  return out;
}

async function locate(
  entry: ManifestEntry,
  parsed: WheelFilename,
  o: WheelOptions,
  file: string,
  index: number,
  warn: (line: string) => void,
): Promise<SiteWheel | undefined> {
  const s = entry.storage;
  if (s.kind === 'local') {
    if (!o.localStore) {
      throw new RefineryError('usage', `${entry.filename} is in a local wheel store, and no store was given`, {
        fix: 'pass --store local:DIR, the folder record stored the wheels in',
      });
    }
    if (!s.location || s.location.split(/[\\/]/).includes('..') || s.location.startsWith('/')) {
      throw new RefineryError('state', `local storage location ${JSON.stringify(s.location)} leaves the store`, {
        location: { file, field: `manifest.${index}.storage.location` },
        fix: 'restore the file from git',
      });
    }
    const source = resolve(o.localStore, s.location);
    const bytes = await readFile(source).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw new RefineryError('input', `cannot read the stored wheel: ${e.code ?? String(e)}`, { location: { file: source } });
    });
    if (!bytes) {
      warn(`left out ${entry.filename}: not in the local store ${o.localStore}`);
      return undefined;
    }
    // The index must list only the bytes the manifest vouches for.
    if (bytes.length !== entry.size || sha256(bytes) !== entry.sha256) {
      warn(`left out ${entry.filename}: the stored file does not match its sha256 in the manifest`);
      return undefined;
    }
    const text = await readWheelMetadata(source, entry.filename);
    const meta = parseCoreMetadata(text, `${entry.filename}/METADATA`);
    const sitePath = `files/${entry.sha256.slice(0, 16)}/${entry.filename}`;
    return { entry, parsed, url: sitePath, sitePath, source, requiresPython: meta.requiresPython, metadata: { text, sha256: sha256(text) } };
  }
  if (s.kind === 'github-release') {
    const url = safeHttpUrl(s.location);
    const last = url ? decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') : '';
    if (!url || last !== entry.filename) {
      // pip takes the file name from the URL: an asset stored as <sha16>-<filename> cannot be installed by that name.
      warn(`left out ${entry.filename}: its release asset URL ${url ? 'does not end in the wheel file name' : 'is not an http(s) URL'}`);
      return undefined;
    }
    // PEP 658 for a release asset: record stored `<asset>.metadata` beside it and kept its hash.
    const m = s.metadata;
    return { entry, parsed, url, ...(m ? { metadata: { sha256: m.sha256 }, requiresPython: m.requiresPython } : {}) };
  }
  warn(`left out ${entry.filename}: stored in ${s.kind === 'none' ? 'no store' : s.kind}, which pip cannot download from`);
  return undefined;
}

/**
 * The PEP 740 provenance object of a wheel from its recorded attestation: one bundle, the
 * publisher and the attestation object. The state is hand-editable, so the statement must still
 * name this wheel's sha256 (record matched it; an edit could have moved it to another wheel).
 */
function provenanceOf(entry: ManifestEntry): string | undefined {
  const p = entry.attestation!.provenance!;
  let subjects: unknown;
  try {
    subjects = (JSON.parse(Buffer.from(p.attestation.envelope.statement, 'base64').toString('utf8')) as { subject?: unknown }).subject;
  } catch {
    return undefined;
  }
  const names =
    Array.isArray(subjects) &&
    subjects.some((x) => typeof x === 'object' && x !== null && (x as { digest?: { sha256?: unknown } }).digest?.sha256 === entry.sha256);
  if (!names) return undefined;
  return `${JSON.stringify({ version: 1, attestation_bundles: [{ publisher: p.publisher, attestations: [p.attestation] }] })}\n`;
}

/** A PEP 740 provenance object: `{version: 1, attestation_bundles: [...]}`; re-serialized so nothing else passes through. */
function checkProvenance(text: string, filename: string): string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new RefineryError('input', `${filename}.provenance is not JSON`, { fix: 'give PEP 740 provenance objects' });
  }
  const ok =
    v && typeof v === 'object' && (v as { version?: unknown }).version === 1 && Array.isArray((v as { attestation_bundles?: unknown }).attestation_bundles);
  if (!ok)
    throw new RefineryError('input', `${filename}.provenance is not a PEP 740 provenance object (version 1 with attestation_bundles)`, {
      fix: 'give PEP 740 provenance objects',
    });
  return `${JSON.stringify(v)}\n`;
}
