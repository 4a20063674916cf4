import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { RefineryError } from '../../errors.js';
import { type Hint, HintCatalog } from './schema.js';

/** Parse a hint catalog (seeds/hints.yml or a user file); errors name the file and the field. */
export function parseHintCatalog(text: string, file: string): HintCatalog {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    throw new RefineryError('config', `not valid YAML: ${err.message.split('\n')[0]}`, {
      location: { file, ...(err.linePos?.[0] ? { line: err.linePos[0].line } : {}) },
      fix: 'fix the YAML syntax at that line',
    });
  }
  const parsed = HintCatalog.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RefineryError('config', `invalid hint catalog: ${issue.message}`, {
      location: { file, field: issue.path.map(String).join('.') || '(top level)' },
      fix: 'see docs/hints.md for the hint format',
    });
  }
  const seen = new Set<string>();
  parsed.data.hints.forEach((h, i) => {
    if (seen.has(h.id)) {
      throw new RefineryError('config', `duplicate hint id '${h.id}'`, { location: { file, field: `hints.${i}.id` }, fix: 'give every hint a unique id' });
    }
    seen.add(h.id);
  });
  return parsed.data;
}

export async function loadHintCatalog(file: string): Promise<HintCatalog> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new RefineryError('config', `cannot read hint catalog: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      location: { file },
      fix: 'pass an existing hints file',
    });
  }
  return parseHintCatalog(text, file);
}

/** Later catalogs override earlier hints with the same id (user > learned > seed). */
export function mergeCatalogs(...catalogs: HintCatalog[]): HintCatalog {
  const byId = new Map<string, Hint>();
  for (const c of catalogs) for (const h of c.hints) byId.set(h.id, h);
  return { version: 1, hints: [...byId.values()] };
}

export function hintById(catalog: HintCatalog, id: string): Hint | undefined {
  return catalog.hints.find((h) => h.id === id);
}

/**
 * What a failure this hint names asks of the user, for a class no remedy fixes (`permanent`: a
 * proxy's CA bundle): its description, with `{command}` naming the refinery command that ran
 * (`refinery run`), or the commands it could be when none is given (hints list, explain).
 */
export function hintAdvice(h: Hint, command?: string): string {
  return h.description.replaceAll('{command}', command ? `refinery ${command}` : 'refinery build, run or worker');
}
