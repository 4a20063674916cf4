import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { RefineryError } from '../../errors.js';
import { RefineryConfig } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'refinery.yml';

/** Parse refinery.yml text. Errors name the file, the line and the field. */
export function parseConfig(text: string, file: string): RefineryConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = err.linePos?.[0]?.line;
    throw new RefineryError('config', `not valid YAML: ${err.message.split('\n')[0]}`, {
      location: { file, ...(line ? { line } : {}) },
      fix: 'fix the YAML syntax at that line',
    });
  }
  const raw = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RefineryError('config', 'the top level must be a mapping of keys (requirements, targets, ...)', {
      location: { file, line: 1 },
    });
  }
  // Parsed once per process: zod's generated fast path would cost more to compile than it saves
  // (jitless halved this parse, `npm run bench:scan` warm).
  const parsed = RefineryConfig.safeParse(raw, { jitless: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // Point at the unknown key itself rather than at its parent mapping.
  const issuePath = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const path = issuePath.map(String);
  const line = lineOf(doc.contents as Node | null, issuePath, lineCounter);
  throw new RefineryError('config', describeIssue(issue), {
    location: { file, ...(line ? { line } : {}), field: path.join('.') || '(top level)' },
    fix: 'see schema/refinery.schema.json or docs/config.md for the allowed fields',
  });
}

export async function loadConfigFile(file: string): Promise<RefineryConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new RefineryError('config', `cannot read config: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      location: { file },
      fix: 'pass --config with an existing file, or run without --config to use defaults',
    });
  }
  return parseConfig(text, file);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (issue.code === 'invalid_union') return 'not one of the allowed forms (for requirements: {file}, {lock} or {packages})';
  return issue.message;
}

/** Walk the YAML AST along a zod issue path to the deepest node that exists; return its line. */
function lineOf(root: Node | null, path: PropertyKey[], lc: LineCounter): number | undefined {
  let node: Node | null | undefined = root;
  let best: number | undefined = node?.range ? lc.linePos(node.range[0]).line : undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      const keyNode = pair.key as Node | null;
      if (keyNode?.range) best = lc.linePos(keyNode.range[0]).line;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key] as Node | null;
    } else break;
    if (node?.range) best = lc.linePos(node.range[0]).line;
  }
  return best;
}
