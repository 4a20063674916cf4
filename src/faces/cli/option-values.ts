import { resolve } from 'node:path';
import { RefineryError } from '../../errors.js';

/** commander's argParser for a repeatable option: every value, in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Where wheels are kept, as `--store` names it: `none`, `local:DIR` or `release:TAG`. */
export type StoreSpec = { kind: 'none' } | { kind: 'local'; dir: string } | { kind: 'release'; tag: string };

/**
 * `--store` of record, run and publish, one grammar for all three; `kinds` are the ones the
 * command can use, and `why` says what to do instead of another (e.g. that release stores are
 * for record). A local DIR is resolved against `cwd`.
 */
export function parseStoreSpec(spec: string, cwd: string, kinds: ReadonlyArray<StoreSpec['kind']>, why?: string): StoreSpec {
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const value = colon < 0 ? '' : spec.slice(colon + 1);
  const parsed: StoreSpec | undefined =
    kind === 'none' && colon < 0
      ? { kind: 'none' }
      : kind === 'local' && value
        ? { kind: 'local', dir: resolve(cwd, value) }
        : kind === 'release' && value
          ? { kind: 'release', tag: value }
          : undefined;
  if (parsed && kinds.includes(parsed.kind)) return parsed;
  const forms = kinds.map((k) => ({ none: 'none', local: 'local:DIR', release: 'release:TAG' })[k]);
  throw new RefineryError('usage', `--store ${spec}: expected ${forms.slice(0, -1).join(', ')}${forms.length > 1 ? ' or ' : ''}${forms.at(-1)}`, {
    ...(why ? { fix: why } : {}),
  });
}
