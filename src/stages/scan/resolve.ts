import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../adapters/process.js';
import { RefineryError } from '../../errors.js';
import { normalizeName } from '../../domain/python/names.js';

/**
 * Resolution is delegated to uv, the reference for what an installer would pick. uv has no s390x
 * `--python-platform`, so we ask for a universal resolution at the target's Python version: every
 * line comes with the environment markers under which it applies, and the caller keeps the lines
 * whose markers hold on s390x (see expand.ts). That is exactly the s390x answer, because a
 * universal resolution is the union of the per-environment ones.
 */
export interface ResolveRequest {
  /** PEP 508 requirement strings (top level). */
  requirements: readonly string[];
  constraints: readonly string[];
  python: string;
  /** Index URLs with credentials already applied; first is the primary. */
  indexUrl: string;
  extraIndexUrls: readonly string[];
  /** Path to the uv binary. */
  uv: string;
  cacheDir?: string;
  timeoutMs?: number;
  /** Ignore files uploaded after this instant (ISO 8601): reproducible scans, like uv's flag. */
  excludeNewer?: string;
}

export interface ResolvedLine {
  name: string;
  version: string;
  /** Marker string under which this pin applies; undefined = always. */
  marker?: string;
  /** Normalized names of the packages that required it; `TOP` marks a top-level requirement. */
  via: string[];
}

export const TOP = '<top>';

export async function resolveUniversal(req: ResolveRequest): Promise<ResolvedLine[]> {
  const dir = await mkdtemp(join(tmpdir(), 'refinery-resolve-'));
  try {
    const input = join(dir, 'requirements.in');
    await writeFile(input, `${req.requirements.join('\n')}\n`);
    const args = [
      'pip',
      'compile',
      input,
      '--universal',
      '--python-version',
      req.python,
      '--no-header',
      '--annotation-style',
      'line',
      // pip merges files from every index; uv's default stops at the first index that has a name.
      '--index-strategy',
      'unsafe-best-match',
      '--no-config',
      '--no-python-downloads',
      '--quiet',
    ];
    if (req.constraints.length > 0) {
      const constraints = join(dir, 'constraints.txt');
      await writeFile(constraints, `${req.constraints.join('\n')}\n`);
      args.push('--constraint', constraints);
    }
    if (req.cacheDir) args.push('--cache-dir', req.cacheDir);
    if (req.excludeNewer) args.push('--exclude-newer', req.excludeNewer);
    // Index URLs go through the environment so credentials never show in a process listing.
    const env: Record<string, string> = {
      UV_INDEX_URL: req.indexUrl,
      UV_NO_PROGRESS: '1',
    };
    if (req.extraIndexUrls.length > 0) env.UV_EXTRA_INDEX_URL = req.extraIndexUrls.join(' ');
    const r = await run(req.uv, args, { env, timeoutMs: req.timeoutMs ?? 600_000 });
    if (r.timedOut) {
      throw new RefineryError('resolution', `uv did not finish resolving for Python ${req.python} in time`, {
        fix: 'check the index is reachable, or narrow the requirements',
      });
    }
    if (r.exitCode !== 0) {
      const why = r.stderr.trim().split('\n').slice(0, 12).join('\n  ');
      throw new RefineryError('resolution', `no resolution for Python ${req.python}:\n  ${why}`, {
        fix: 'relax the conflicting requirements, or check the package names and index URL',
      });
    }
    return parseCompileOutput(r.stdout, input);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Parse `name==version ; marker  # via a, b` lines (uv's `--annotation-style line`). */
export function parseCompileOutput(text: string, inputFile: string): ResolvedLine[] {
  const out: ResolvedLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('-')) continue;
    const hash = line.indexOf('  #');
    const spec = (hash >= 0 ? line.slice(0, hash) : line).trim();
    const comment = hash >= 0 ? line.slice(hash + 3).trim() : '';
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)\s*(?:;\s*(.+))?$/.exec(spec);
    if (!m) {
      throw new RefineryError('resolution', `unexpected line in uv's output: ${line}`, {
        fix: 'direct URL and editable requirements are not supported; pin a released version instead',
      });
    }
    const via: string[] = [];
    const viaText = comment.replace(/^via\s+/, '');
    if (comment.startsWith('via')) {
      for (const part of viaText.split(',')) {
        const p = part.trim();
        if (!p) continue;
        if (p.startsWith('-r ') || p === inputFile) via.push(TOP);
        else if (p.startsWith('-c '))
          continue; // a constraint pins, it does not require
        else via.push(normalizeName(p.split(/[\s[]/)[0]!));
      }
    }
    out.push({ name: normalizeName(m[1]!), version: m[2]!, ...(m[3] ? { marker: m[3].trim() } : {}), via });
  }
  return out;
}
