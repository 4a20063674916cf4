import { RefineryError } from '../../errors.js';

/** Turns a file of version N into version N+1. Keyed by the schema id it reads, e.g. `refinery/package@1`. */
export type Migration = (raw: Record<string, unknown>) => Record<string, unknown>;
export type Migrations = Readonly<Record<string, Migration>>;

/**
 * State written by an older refinery is upgraded in memory on load and rewritten in the current
 * format by the next write; nothing is dropped. Add an entry here whenever a schema id changes.
 */
export const MIGRATIONS: Migrations = {};

/** Bring `raw` (whose `schema` field names its version) up to `current`, or explain why not. */
export function upgrade(raw: unknown, current: string, file: string, migrations: Migrations = MIGRATIONS): Record<string, unknown> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RefineryError('state', 'expected a JSON object', { location: { file }, fix: restoreFix });
  }
  let obj = raw as Record<string, unknown>;
  const [kind, wantText] = current.split('@') as [string, string];
  const want = Number(wantText);
  for (;;) {
    const schema = obj.schema;
    if (schema === current) return obj;
    const m = typeof schema === 'string' ? /^(refinery\/[a-z]+)@(\d+)$/.exec(schema) : null;
    if (!m || m[1] !== kind) {
      throw new RefineryError('state', `the schema field is ${JSON.stringify(schema)}, expected "${current}"`, {
        location: { file, field: 'schema' },
        fix: restoreFix,
      });
    }
    const have = Number(m[2]);
    if (have > want) {
      throw new RefineryError('state', `written by a newer refinery (${String(schema)}); this one reads up to ${current}`, {
        location: { file, field: 'schema' },
        fix: 'upgrade refinery before recording into this state',
      });
    }
    const step = migrations[schema as string];
    if (!step) {
      throw new RefineryError('state', `no migration from ${String(schema)} to ${current}`, { location: { file, field: 'schema' }, fix: restoreFix });
    }
    obj = step(obj);
  }
}

export const restoreFix = 'restore the file from git (git checkout -- <file>) or fix the named field by hand';
