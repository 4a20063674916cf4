import { readFile } from 'node:fs/promises';
import { Inventory } from '../domain/model/inventory.js';
import { PlanUnit } from '../domain/model/plan.js';
import { RefineryError } from '../errors.js';

/** An inventory written by `refinery scan -o` (plan --inventory, the plan action's input). */
export async function readInventory(file: string): Promise<Inventory> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new RefineryError('input', `cannot read the inventory: ${(e as Error).message}`, {
      location: { file },
      fix: 'write it with `refinery scan -o FILE`',
    });
  }
  const parsed = Inventory.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RefineryError('input', `not a refinery inventory: ${issue.message}`, {
      location: { file, field: issue.path.join('.') },
      fix: 'write it with `refinery scan -o FILE` from the same refinery version',
    });
  }
  return parsed.data;
}

/** One plan unit (an entry of plan.matrix.include) from a file: `refinery build --unit`. */
export async function readUnit(file: string): Promise<PlanUnit> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new RefineryError('input', `cannot read the unit: ${(e as Error).message}`, {
      location: { file },
      fix: 'pass one entry of plan.matrix.include as JSON',
    });
  }
  const parsed = PlanUnit.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RefineryError('input', `not a plan unit: ${issue.message}`, {
      location: { file, field: issue.path.join('.') },
      fix: 'pass one entry of plan.matrix.include (refinery plan --json)',
    });
  }
  return parsed.data;
}
