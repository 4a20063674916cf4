/**
 * Core metadata (METADATA in wheels, PKG-INFO in sdists, PEP 658 `.metadata` files): RFC 822
 * headers read the way packaging.metadata.parse_email reads them (email `compat32` policy: folded
 * lines kept as written, header names case-insensitive, body = description).
 */
import { RefineryError } from '../../errors.js';
import { normalizeName } from './names.js';
import { isValidVersion, versionCompare } from './version.js';

export interface CoreMetadata {
  name: string;
  version: string;
  metadataVersion: string;
  requiresDist: string[];
  requiresPython?: string;
  /** Field names declared dynamic (Metadata-Version 2.2+), as written. */
  dynamic: string[];
  providesExtra: string[];
  summary?: string;
  /** Every header, by lowercase name, every occurrence in order, values as parse_email keeps them. */
  headers: Record<string, string[]>;
  description?: string;
}

/** The header name rule of Python's email feed parser: printable ASCII except ':' and space. */
const HEADER_LINE = /^([\x21-\x39\x3b-\x7e]+):/;

/** Split into header fields and body, as the email module does with the compat32 policy. */
export function parseEmailHeaders(text: string): { headers: [string, string][]; body: string } {
  const lines = text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
  const headers: [string, string][] = [];
  let current: string[] | undefined;
  const flush = () => {
    if (!current) return;
    const first = current[0]!;
    const colon = first.indexOf(':');
    const value = (first.slice(colon + 1).replace(/^[ \t]+/, '') + current.slice(1).join('')).replace(/[\r\n]+$/, '');
    headers.push([first.slice(0, colon), value]);
    current = undefined;
  };
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^(\r\n|\r|\n)$/.test(line)) {
      i++; // the blank separator line is not part of the body
      break;
    }
    if (/^[ \t]/.test(line)) {
      if (current) current.push(line);
      continue; // a continuation with nothing to continue is a defect the parser drops
    }
    if (line.startsWith(':')) {
      flush(); // an empty header name: the email parser records a defect and drops the line
      continue;
    }
    if (HEADER_LINE.test(line)) {
      flush();
      current = [line];
      continue;
    }
    break; // not a header: the body starts here (missing separator)
  }
  flush();
  return { headers, body: lines.slice(i).join('') };
}

/**
 * Parse METADATA / PKG-INFO text. Throws RefineryError 'input' when Metadata-Version, Name or
 * Version is missing or given twice, or Name/Version is invalid: such metadata cannot be trusted
 * for anything. `source` names the file in errors.
 */
export function parseCoreMetadata(text: string, source = 'METADATA'): CoreMetadata {
  const { headers: pairs, body } = parseEmailHeaders(text);
  const headers: Record<string, string[]> = {};
  for (const [name, value] of pairs) (headers[name.toLowerCase()] ??= []).push(value);

  const single = (field: string): string => {
    const values = headers[field.toLowerCase()] ?? [];
    if (values.length !== 1) {
      throw new RefineryError('input', `${source}: ${values.length === 0 ? 'missing' : 'repeated'} ${field} field`, {
        location: { file: source, field },
        fix: 'the distribution has broken core metadata; report it upstream or pin another version',
      });
    }
    return values[0]!.trim();
  };
  const metadataVersion = single('Metadata-Version');
  const name = single('Name');
  const version = single('Version');
  if (!/^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i.test(name)) {
    throw new RefineryError('input', `${source}: invalid Name ${JSON.stringify(name)}`, { location: { file: source, field: 'Name' } });
  }
  if (!isValidVersion(version)) {
    throw new RefineryError('input', `${source}: invalid Version ${JSON.stringify(version)} (not PEP 440)`, { location: { file: source, field: 'Version' } });
  }
  const requiresPython = headers['requires-python'];
  const summary = headers.summary;
  const description = headers.description?.[0] ?? (body !== '' ? body : undefined);
  return {
    name,
    version,
    metadataVersion,
    requiresDist: headers['requires-dist'] ?? [],
    ...(requiresPython?.length === 1 ? { requiresPython: requiresPython[0]! } : {}),
    dynamic: headers.dynamic ?? [],
    providesExtra: headers['provides-extra'] ?? [],
    ...(summary?.length === 1 ? { summary: summary[0]! } : {}),
    headers,
    ...(description !== undefined ? { description } : {}),
  };
}

/**
 * Whether the Requires-Dist of this metadata is the truth. Wheel metadata always is. For sdists
 * (PKG-INFO) it is only when Metadata-Version is 2.2+ (PEP 643) and Requires-Dist is not
 * declared Dynamic; otherwise the dependencies are only known after a build.
 */
export function staticRequiresDist(meta: Pick<CoreMetadata, 'metadataVersion' | 'dynamic'>, kind: 'wheel' | 'sdist' = 'sdist'): boolean {
  if (kind === 'wheel') return true;
  if (!isValidVersion(meta.metadataVersion) || versionCompare(meta.metadataVersion, '2.2') < 0) return false;
  return !meta.dynamic.some((d) => d.trim().toLowerCase() === 'requires-dist');
}

/** Provides-Extra names, PEP 685-normalized. */
export function providedExtras(meta: Pick<CoreMetadata, 'providesExtra'>): string[] {
  return [...new Set(meta.providesExtra.map((e) => normalizeName(e.trim())))].sort();
}
