import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Attempt } from '../../src/domain/model/result.js';
import { HistoryEntry } from '../../src/domain/state/schema.js';
import { stateJsonSchemas } from '../../src/domain/state/json-schema.js';

describe('shipped JSON Schemas of the state files', () => {
  it('match the zod schemas (regenerate with npx tsx scripts/gen-state-schema.ts)', async () => {
    for (const [file, schema] of Object.entries(stateJsonSchemas())) {
      const committed = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'schema', file), 'utf8'));
      expect(committed, file).toEqual(schema);
    }
  });

  it('forbid unknown fields, as the loader does', () => {
    const pkg = stateJsonSchemas()['state-package.schema.json'] as { additionalProperties?: unknown };
    expect(pkg.additionalProperties).toBe(false);
  });
});

describe('a history line is derived from the result attempt it records', () => {
  const own = Object.keys(Attempt.shape).filter((k) => k !== 'n');
  // Where the state is stricter on purpose: timestamps it sorts by, and `killed` always written.
  const stricter = new Set(['startedAt', 'finishedAt', 'killed']);
  const json = (s: z.ZodType) => z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' });

  it('has a place for every field of an attempt, n as attempt', () => {
    expect(own.filter((k) => !(k in HistoryEntry.shape))).toEqual([]);
    expect(json(HistoryEntry.shape.attempt)).toEqual(json(Attempt.shape.n));
  });

  it('accepts exactly what a result accepts in the shared fields', () => {
    const differ = own.filter(
      (k) =>
        !stricter.has(k) &&
        JSON.stringify(json(HistoryEntry.shape[k as keyof typeof HistoryEntry.shape])) !== JSON.stringify(json(Attempt.shape[k as keyof typeof Attempt.shape])),
    );
    expect(differ).toEqual([]);
  });
});
