// Writes schema/refinery.schema.json from the zod schema, so editors complete refinery.yml through
// `# yaml-language-server: $schema=...`. `--check` fails when the committed file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { RefineryConfig } from '../src/domain/config/schema.js';

const out = 'schema/refinery.schema.json';
const schema = {
  ...z.toJSONSchema(RefineryConfig, { io: 'input', unrepresentable: 'any' }),
  $id: 'https://github.com/s390x-wheel-refinery/refinery/schema/refinery.schema.json',
  title: 'refinery.yml',
};
const text = `${JSON.stringify(schema, null, 2)}\n`;
if (process.argv.includes('--check')) {
  const current = await readFile(out, 'utf8').catch(() => '');
  if (current !== text) {
    console.error(`${out} is stale: run npm run schema`);
    process.exit(1);
  }
} else {
  await writeFile(out, text);
  console.log(`wrote ${out}`);
}
