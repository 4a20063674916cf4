import { RefineryError } from '../../errors.js';
import { PlanUnit } from '../../domain/model/plan.js';

/**
 * The build action's `unit` input: one matrix entry as JSON (`${{ toJSON(matrix) }}`), either one
 * plan unit or a batch of them (`{ "units": [unit, ...], ... }`, built one after another). It
 * comes from a workflow file or a plan output, so it is checked like any untrusted input.
 */
export function parseUnitInput(text: string): PlanUnit[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RefineryError('input', `the unit input is not JSON: ${(e as Error).message}`, { fix: 'pass the matrix entry: unit: ${{ toJSON(matrix) }}' });
  }
  const batch = raw !== null && typeof raw === 'object' && 'units' in raw ? (raw as { units: unknown }).units : undefined;
  const entries = batch === undefined ? [raw] : batch;
  if (!Array.isArray(entries) || entries.length === 0)
    throw new RefineryError('input', 'the unit input has no units', { fix: 'a batch entry holds its units as a non-empty array: {"units": [unit, ...]}' });
  const units = entries.map((e, i) => {
    const parsed = PlanUnit.safeParse(e);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = [...(batch === undefined ? [] : ['units', String(i)]), ...issue.path.map(String)].join('.');
      throw new RefineryError('input', `the unit input is not a plan unit${where ? ` at ${where}` : ''}: ${issue.message}`, {
        fix: 'pass one entry of the plan action\'s matrix (a unit, or a batch {"units": [unit, ...]})',
      });
    }
    return parsed.data;
  });
  const ids = new Set<string>();
  for (const u of units) {
    if (ids.has(u.id)) throw new RefineryError('input', `unit ${u.id} is in the batch twice`);
    ids.add(u.id);
  }
  return units;
}
