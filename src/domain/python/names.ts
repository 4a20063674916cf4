/**
 * Project names: PEP 503 normalization and the PEP 508 / core-metadata validity rule.
 * Every comparison of names across indexes, requirements and state goes through normalizeName.
 */

/** PEP 508 `identifier`: ASCII letters/digits, inner `-_.`, starts and ends alphanumeric. */
const VALID_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

/** PEP 503: lowercase, every run of `-`, `_`, `.` becomes one `-` (`Foo.Bar__baz` -> `foo-bar-baz`). */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Whether `name` is a valid distribution name (PEP 508 / core metadata `Name`). */
export function isValidName(name: string): boolean {
  return VALID_NAME.test(name);
}

/** Whether `name` is already in PEP 503 normalized form. */
export function isNormalizedName(name: string): boolean {
  return isValidName(name) && normalizeName(name) === name;
}
