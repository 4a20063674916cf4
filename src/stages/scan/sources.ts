import { relative, resolve, sep } from 'node:path';
import type { RefineryConfig } from '../../domain/config/schema.js';
import { RefineryError } from '../../errors.js';
import type { InventoryWarning } from '../../domain/model/inventory.js';
import { formatMarker } from '../../domain/python/marker-ast.js';
import { parseRequirement, type Requirement } from '../../domain/python/requirement.js';
import { exactPin, parseRequirementsFile, type RequirementEntry, unpinnedRequirements } from '../../domain/python/requirements-file.js';
import { TOP, type ResolvedLine } from './resolve.js';

/** Everything the config's requirement sources ask for, ready to resolve. */
export interface RequirementSet {
  /** Top-level PEP 508 requirement strings. */
  requirements: string[];
  constraints: string[];
  /** Set when every source is a lock: pins used as they are, no resolution. */
  locked?: ResolvedLine[];
  /** Index options found in requirements files (flags and config win over them). */
  indexUrl?: string;
  extraIndexUrls: string[];
  /** pip options the requirements files use that scan does not act on, with why. */
  warnings: InventoryWarning[];
}

/** Why scan ignores an option pip would act on: said to the user, never silently dropped. */
function ignoredBecause(option: string): string {
  switch (option) {
    case '--find-links':
      return '--find-links is not searched by scan: packages are looked up on the configured indexes only (publish them to an index, or add one with extra-index-url)';
    case '--no-index':
      return '--no-index is ignored: scan always asks the configured indexes';
    case '--pre':
      return '--pre is ignored: resolution takes pre-releases only where a requirement names one';
    default:
      return `${option} has no effect on scan and is ignored`;
  }
}

/**
 * Read every requirement source of the config. Relative paths resolve against `baseDir` (the
 * config file's folder). A lock file must pin every line (`==`): it is used without resolution.
 */
export async function loadRequirementSet(config: RefineryConfig, baseDir: string, env: Readonly<Record<string, string | undefined>>): Promise<RequirementSet> {
  if (config.requirements.length === 0) {
    throw new RefineryError('input', 'no requirements to scan', {
      fix: 'pass -r requirements.txt, or add `requirements:` (file, lock or packages) to refinery.yml',
    });
  }
  const set: RequirementSet = { requirements: [], constraints: [], extraIndexUrls: [], warnings: [] };
  const locked: ResolvedLine[] = [];
  let allLocks = true;

  for (const [i, source] of config.requirements.entries()) {
    if ('packages' in source) {
      allLocks = false;
      for (const [j, text] of source.packages.entries()) {
        const req = parseOrExplain(text, { field: `requirements.${i}.packages.${j}` });
        rejectUrl(req, { field: `requirements.${i}.packages.${j}` });
        set.requirements.push(req.source);
      }
      continue;
    }
    const file = resolve(baseDir, 'file' in source ? source.file : source.lock);
    const parsed = await parseRequirementsFile(file, { env });
    if (parsed.errors.length > 0) {
      const [first, ...rest] = parsed.errors;
      if (rest.length === 0) throw first!;
      throw new RefineryError('input', `${parsed.errors.length} problems in requirements:\n  ${parsed.errors.map((e) => e.describe()).join('\n  ')}`, {
        location: first!.location,
        fix: 'fix each line named above',
      });
    }
    for (const e of [...parsed.requirements, ...parsed.constraints]) rejectUrl(e.req, { file: e.file, line: e.line });
    for (const o of parsed.ignoredOptions) {
      set.warnings.push({ message: ignoredBecause(o.option), file: relative(baseDir, o.file).split(sep).join('/'), line: o.line });
    }
    if (parsed.indexUrl && !set.indexUrl) set.indexUrl = parsed.indexUrl;
    set.extraIndexUrls.push(...parsed.extraIndexUrls);
    set.constraints.push(...parsed.constraints.map((e) => e.req.source));
    if ('lock' in source) {
      const loose = unpinnedRequirements(parsed.requirements);
      if (loose.length > 0) {
        const e = loose[0]!;
        throw new RefineryError('input', `a lock file must pin every requirement with ==, but '${e.req.source}' does not`, {
          location: { file: e.file, line: e.line },
          fix: 'pin it (name==version), or list the file under `file:` so it gets resolved',
        });
      }
      locked.push(...parsed.requirements.map(lockedLine));
    } else {
      allLocks = false;
      set.requirements.push(...parsed.requirements.map((e) => e.req.source));
    }
  }
  if (allLocks) set.locked = dedupe(locked);
  else set.requirements.push(...locked.map((l) => `${l.name}==${l.version}${l.marker ? ` ; ${l.marker}` : ''}`));
  set.extraIndexUrls = [...new Set(set.extraIndexUrls)];
  return set;
}

function lockedLine(e: RequirementEntry): ResolvedLine {
  return {
    name: e.req.normalizedName,
    version: exactPin(e.req)!,
    ...(e.req.marker ? { marker: formatMarker(e.req.marker) } : {}),
    via: [TOP],
  };
}

function dedupe(lines: ResolvedLine[]): ResolvedLine[] {
  const seen = new Map<string, ResolvedLine>();
  for (const l of lines) seen.set(`${l.name}\u0000${l.version}\u0000${l.marker ?? ''}`, l);
  return [...seen.values()];
}

function parseOrExplain(text: string, location: { field: string }): Requirement {
  try {
    return parseRequirement(text);
  } catch (e) {
    if (e instanceof RefineryError)
      throw new RefineryError('input', e.message, {
        location: { file: 'refinery.yml', ...location },
        fix: e.fix ?? 'write a PEP 508 requirement such as "lxml>=5"',
      });
    throw e;
  }
}

function rejectUrl(req: Requirement, location: { file?: string; line?: number; field?: string }): void {
  if (req.url) {
    throw new RefineryError('input', `direct URL requirement '${req.source}' is not supported`, {
      location,
      fix: 'name a released version on an index instead (name==version)',
    });
  }
}
