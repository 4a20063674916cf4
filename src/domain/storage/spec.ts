import { resolve } from 'node:path';
import { excerpt, RefineryError } from '../../errors.js';

/** Where wheels are kept, as a store spec names it: `none`, `local:DIR` or `release:TAG`. */
export type StoreLocation = { kind: 'none' } | { kind: 'local'; dir: string } | { kind: 'release'; tag: string };

const FORMS: Record<StoreLocation['kind'], string> = { none: 'none', local: 'local:DIR', release: 'release:TAG' };

/**
 * The one grammar of store specs (record, run, publish, the actions' inputs). `kinds` are the
 * ones the caller can use; `fix` says what to do instead. A local DIR is resolved against `cwd`.
 */
export function parseStoreSpec(
  spec: string,
  cwd: string,
  kinds: ReadonlyArray<StoreLocation['kind']> = ['none', 'local', 'release'],
  fix = 'e.g. --store local:wheels, or --store release:s390x-wheels in a workflow with contents: write',
): StoreLocation {
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const value = colon < 0 ? '' : spec.slice(colon + 1);
  const parsed: StoreLocation | undefined =
    kind === 'none' && colon < 0
      ? { kind: 'none' }
      : kind === 'local' && value
        ? { kind: 'local', dir: resolve(cwd, value) }
        : kind === 'release' && value
          ? { kind: 'release', tag: value }
          : undefined;
  if (parsed && kinds.includes(parsed.kind)) return parsed;
  const forms = kinds.map((k) => FORMS[k]);
  const expected = forms.length > 1 ? `${forms.slice(0, -1).join(', ')} or ${forms.at(-1)}` : forms[0];
  // Shown as typed when it is a plain spec, escaped and cut when it is anything else.
  const shown = /^[\w.:/@+~-]{0,200}$/.test(spec) ? spec : excerpt(spec, 80);
  throw new RefineryError('usage', `store ${shown}: expected ${expected}`, { fix });
}
