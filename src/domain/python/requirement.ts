/** PEP 508 requirements (`name[extras] specifier ; marker` or `name @ url ; marker`). */
import { RefineryError } from '../../errors.js';
import { formatMarker, type MarkerExpression } from './marker-ast.js';
import { normalizeName } from './names.js';
import { parseMarkerExpression, parsePep508 } from './pep508.js';
import { normalizeSpecifierSet } from './specifier.js';

export interface Requirement {
  /** The name as written. */
  name: string;
  /** PEP 503 normalized name: use this to compare and look up. */
  normalizedName: string;
  /** Normalized, de-duplicated, sorted. */
  extras: string[];
  /** Normalized specifier set (`str(SpecifierSet)`: clauses sorted, no spaces); '' when none. */
  specifier: string;
  url?: string;
  marker?: MarkerExpression;
  /** The requirement as given, trimmed. */
  source: string;
}

const SIMPLE_PIN = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*==\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)\s*$/;

/**
 * Parse one PEP 508 requirement. Throws RefineryError 'input' with the column of the problem.
 * The accepted language is packaging's (see pep508.ts), so pip and uv agree with what passes here.
 */
export function parseRequirement(line: string): Requirement {
  // Lock files are thousands of `name==version` lines: those skip the full grammar (same result).
  const pin = SIMPLE_PIN.exec(line);
  if (pin) {
    const specifier = normalizeSpecifierSet(`==${pin[2]!}`);
    if (specifier !== null) return { name: pin[1]!, normalizedName: normalizeName(pin[1]!), extras: [], specifier, source: line.trim() };
  }
  const parsed = parsePep508(line);
  const specifier = normalizeSpecifierSet(parsed.specifier);
  if (specifier === null) {
    throw new RefineryError('input', `invalid version specifier ${JSON.stringify(parsed.specifier)} in ${JSON.stringify(line.trim())}`);
  }
  return {
    name: parsed.name,
    normalizedName: normalizeName(parsed.name),
    extras: [...new Set(parsed.extras.map(normalizeName))].sort(),
    specifier,
    ...(parsed.url ? { url: parsed.url } : {}),
    ...(parsed.marker ? { marker: parsed.marker } : {}),
    source: line.trim(),
  };
}

/** Parse a standalone marker expression (`python_version >= "3.9" and platform_machine == "s390x"`). */
export function parseMarker(marker: string): MarkerExpression {
  return parseMarkerExpression(marker);
}

/** The canonical requirement string, like `str(packaging.requirements.Requirement(...))` (name kept as written). */
export function formatRequirement(req: Requirement): string {
  let out = req.name;
  if (req.extras.length > 0) out += `[${req.extras.join(',')}]`;
  out += req.specifier;
  if (req.url) out += ` @ ${req.url}${req.marker ? ' ' : ''}`;
  if (req.marker) out += `; ${formatMarker(req.marker)}`;
  return out;
}
