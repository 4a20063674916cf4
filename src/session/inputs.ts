import { readJson } from '../adapters/json-file.js';
import { Inventory } from '../domain/model/inventory.js';
import { PlanUnit } from '../domain/model/plan.js';

/** An inventory written by `refinery scan -o` (plan --inventory, the plan action's input). */
export async function readInventory(file: string): Promise<Inventory> {
  return readJson(Inventory, file, {
    code: 'input',
    noun: 'the inventory',
    invalid: 'not a refinery inventory',
    fix: 'write it with `refinery scan -o FILE` from the same refinery version',
  });
}

/** One plan unit (an entry of plan.matrix.include) from a file: `refinery build --unit`. */
export async function readUnit(file: string): Promise<PlanUnit> {
  return readJson(PlanUnit, file, {
    code: 'input',
    noun: 'the unit',
    invalid: 'not a plan unit',
    fix: 'pass one entry of plan.matrix.include (refinery plan --json)',
  });
}

/** Build results under a folder, read as record reads them (untrusted: capped, validated, links refused). */
export { readResults, wheelPath, type ResultFile } from '../stages/record/results.js';
