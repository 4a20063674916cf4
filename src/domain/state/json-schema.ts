import { z } from 'zod';
import { HistoryEntry, HistoryHeader, PackageFile, StateMarker } from './schema.js';

const BASE = 'https://github.com/s390x-wheel-refinery/refinery/schema';

/** JSON Schemas of the state files, generated from the zod schemas: file name -> schema. */
export function stateJsonSchemas(): Record<string, unknown> {
  const gen = (schema: z.ZodType, file: string, title: string, description: string) => ({
    ...z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }),
    $id: `${BASE}/${file}`,
    title,
    description,
  });
  return {
    'state.schema.json': gen(StateMarker, 'state.schema.json', '.refinery/state.json', 'Marks a refinery state folder and its format version.'),
    'state-package.schema.json': gen(
      PackageFile,
      'state-package.schema.json',
      '.refinery/packages/<name>.json',
      'Per package: built wheels (manifest), queue requests and drops (facts), learned hints, known-failing marks and the retry queue (views recomputed from the facts and history).',
    ),
    'state-history.schema.json': gen(
      z.union([HistoryHeader, HistoryEntry]),
      'state-history.schema.json',
      'a line of .refinery/history/<name>.jsonl',
      'History files are JSON Lines: the first line is the header ({schema, package}), every further line one build attempt.',
    ),
  };
}
