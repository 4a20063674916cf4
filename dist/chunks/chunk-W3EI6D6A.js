import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  Inventory,
  PlanUnit
} from "./chunk-33MZ4LWP.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";

// src/session/inputs.ts
import { readFile } from "node:fs/promises";
async function readInventory(file) {
  let raw;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new RefineryError("input", `cannot read the inventory: ${e.message}`, {
      location: { file },
      fix: "write it with `refinery scan -o FILE`"
    });
  }
  const parsed = Inventory.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RefineryError("input", `not a refinery inventory: ${issue.message}`, {
      location: { file, field: issue.path.join(".") },
      fix: "write it with `refinery scan -o FILE` from the same refinery version"
    });
  }
  return parsed.data;
}
async function readUnit(file) {
  let raw;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new RefineryError("input", `cannot read the unit: ${e.message}`, {
      location: { file },
      fix: "pass one entry of plan.matrix.include as JSON"
    });
  }
  const parsed = PlanUnit.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RefineryError("input", `not a plan unit: ${issue.message}`, {
      location: { file, field: issue.path.join(".") },
      fix: "pass one entry of plan.matrix.include (refinery plan --json)"
    });
  }
  return parsed.data;
}

export {
  readInventory,
  readUnit
};
