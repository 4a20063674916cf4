import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { RefineryError } from '../../errors.js';
import { Preset, type PresetOverride } from '../model/preset.js';

const PresetFile = z.strictObject({
  version: z.literal(1),
  presets: z.record(z.string(), Preset.omit({ name: true })),
});

export type PresetMap = ReadonlyMap<string, Preset>;

/** Parse seeds/presets.yml (or a file of the same shape). */
export function parsePresets(text: string, file: string): Map<string, Preset> {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new RefineryError('config', `not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, { location: { file } });
  }
  const parsed = PresetFile.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RefineryError('config', `invalid preset: ${issue.message}`, {
      location: { file, field: issue.path.map(String).join('.') },
      fix: 'see docs/build.md for the preset fields',
    });
  }
  const out = new Map<string, Preset>();
  for (const [name, p] of Object.entries(parsed.data.presets)) out.set(name, Preset.parse({ ...p, name }));
  return out;
}

export async function loadPresets(file: string): Promise<Map<string, Preset>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new RefineryError('config', `cannot read presets: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { location: { file } });
  }
  return parsePresets(text, file);
}

/**
 * Shipped presets plus the user's (`presets:` in refinery.yml). A user entry with the name of a
 * shipped preset, or with `extends`, overrides fields of that base; otherwise it must be complete.
 */
export function withUserPresets(shipped: PresetMap, user: Readonly<Record<string, PresetOverride>>, configFile = 'refinery.yml'): Map<string, Preset> {
  const out = new Map(shipped);
  for (const [name, o] of Object.entries(user)) {
    const { extends: baseName, ...fields } = o;
    const base = baseName !== undefined ? out.get(baseName) : out.get(name);
    if (baseName !== undefined && !base) {
      throw new RefineryError('config', `preset '${name}' extends unknown preset '${baseName}'`, {
        location: { file: configFile, field: `presets.${name}.extends` },
        fix: `use one of: ${[...out.keys()].join(', ')}`,
      });
    }
    const merged = { ...(base ?? {}), ...definedOnly(fields), name };
    const parsed = Preset.safeParse(merged);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RefineryError('config', `preset '${name}': ${issue.message}`, {
        location: { file: configFile, field: `presets.${name}.${issue.path.map(String).join('.')}` },
        fix: 'a new preset needs image, packageManager, platform and python (or `extends: <shipped preset>`)',
      });
    }
    out.set(name, parsed.data);
  }
  return out;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function getPreset(presets: PresetMap, name: string): Preset {
  const p = presets.get(name);
  if (!p) {
    throw new RefineryError('config', `unknown preset '${name}'`, {
      fix: `use one of: ${[...presets.keys()].join(', ')}, or define it under presets: in refinery.yml`,
    });
  }
  return p;
}

/** The interpreter path for a Python minor version, or a clear error naming what the preset has. */
export function interpreterFor(preset: Preset, python: string): string {
  const path = preset.python[python];
  if (!path) {
    throw new RefineryError('config', `preset '${preset.name}' has no Python ${python}`, {
      fix: `it has ${Object.keys(preset.python).join(', ')}; pick another preset or add the interpreter path under presets.${preset.name}.python`,
    });
  }
  return path;
}
