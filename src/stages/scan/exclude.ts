import type { ExcludeRule } from '../../domain/config/schema.js';

/**
 * include/exclude rules: a glob on the normalized name (`*` and `?`), optionally `==version`.
 * Returns the rule that excludes the package, or undefined.
 */
export function excludedBy(name: string, version: string, include: readonly string[], exclude: readonly ExcludeRule[]): string | undefined {
  for (const rule of exclude) {
    const pattern = typeof rule === 'string' ? rule : rule.pattern;
    if (matches(pattern, name, version)) {
      const why = typeof rule === 'string' ? '' : rule.reason ? `: ${rule.reason}` : '';
      return `exclude '${pattern}'${why}`;
    }
  }
  if (include.length > 0 && !include.some((p) => matches(p, name, version))) {
    return `not matched by include (${include.join(', ')})`;
  }
  return undefined;
}

function matches(pattern: string, name: string, version: string): boolean {
  const [namePart, versionPart] = pattern.split('==', 2) as [string, string | undefined];
  if (versionPart !== undefined && versionPart.trim() !== version) return false;
  const normalized = namePart
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
  const re = new RegExp(
    `^${normalized
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(name);
}
