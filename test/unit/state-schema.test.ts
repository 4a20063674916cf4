import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
