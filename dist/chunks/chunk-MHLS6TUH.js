import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  Inventory,
  PlanUnit
} from "./chunk-J5ZFXILX.js";
import {
  readJson
} from "./chunk-CY6NXZGB.js";

// src/session/inputs.ts
async function readInventory(file) {
  return readJson(Inventory, file, {
    code: "input",
    noun: "the inventory",
    invalid: "not a refinery inventory",
    fix: "write it with `refinery scan -o FILE` from the same refinery version"
  });
}
async function readUnit(file) {
  return readJson(PlanUnit, file, {
    code: "input",
    noun: "the unit",
    invalid: "not a plan unit",
    fix: "pass one entry of plan.matrix.include (refinery plan --json)"
  });
}

export {
  readInventory,
  readUnit
};
