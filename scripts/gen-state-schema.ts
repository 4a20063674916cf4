// Writes schema/state*.json from the state's zod schemas. `--check` fails when a committed file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stateJsonSchemas } from '../src/domain/state/json-schema.js';

let stale = false;
for (const [file, schema] of Object.entries(stateJsonSchemas())) {
  const out = join('schema', file);
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (process.argv.includes('--check')) {
    if ((await readFile(out, 'utf8').catch(() => '')) !== text) {
      console.error(`${out} is stale: run npx tsx scripts/gen-state-schema.ts`);
      stale = true;
    }
  } else {
    await writeFile(out, text);
    console.log(`wrote ${out}`);
  }
}
if (stale) process.exit(1);
