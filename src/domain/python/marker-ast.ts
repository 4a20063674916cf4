/**
 * PEP 508 environment markers: the parsed form, its canonical string, and evaluation with the
 * semantics of packaging.markers (version comparison for the version-valued variables, string
 * comparison otherwise, `in`/`not in` substring tests, PEP 685 extra normalization).
 */
import { RefineryError } from '../../errors.js';
import { normalizeName } from './names.js';
import { clauseContains, isValidSpecifierClause } from './specifier.js';

export type MarkerVariable =
  | 'python_version'
  | 'python_full_version'
  | 'os_name'
  | 'sys_platform'
  | 'platform_release'
  | 'platform_system'
  | 'platform_version'
  | 'platform_machine'
  | 'platform_python_implementation'
  | 'implementation_name'
  | 'implementation_version'
  | 'extra'
  | 'extras'
  | 'dependency_groups';

export type MarkerOp = '===' | '==' | '~=' | '!=' | '<=' | '>=' | '<' | '>' | 'in' | 'not in';

export type MarkerOperand = { variable: MarkerVariable } | { value: string };

export interface MarkerItem {
  left: MarkerOperand;
  op: MarkerOp;
  right: MarkerOperand;
}

/**
 * An expression as packaging parses it: atoms separated by `and`/`or`, in source order, with a
 * nested array for each parenthesized group. `and` binds tighter than `or` at evaluation.
 */
export type MarkerExpression = Array<MarkerItem | MarkerExpression | 'and' | 'or'>;

/** Values for every marker variable; `extras`/`dependency_groups` only exist for lock files. */
export interface MarkerEnvironment {
  implementation_name: string;
  implementation_version: string;
  os_name: string;
  platform_machine: string;
  platform_release: string;
  platform_system: string;
  platform_version: string;
  python_full_version: string;
  platform_python_implementation: string;
  python_version: string;
  sys_platform: string;
  extras?: readonly string[];
  dependency_groups?: readonly string[];
}

const VERSION_VARIABLES = new Set<MarkerVariable>(['implementation_version', 'platform_release', 'python_full_version', 'python_version']);
const SET_VARIABLES = new Set<MarkerVariable>(['extras', 'dependency_groups']);

/** The canonical marker string, identical to `str(packaging.markers.Marker(...))`. */
export function formatMarker(marker: MarkerExpression): string {
  return formatNode(marker, true);
}

function formatNode(node: MarkerExpression | MarkerItem | 'and' | 'or', first: boolean): string {
  if (typeof node === 'string') return node;
  if (!Array.isArray(node)) {
    const operand = (o: MarkerOperand) => ('variable' in o ? o.variable : `"${o.value}"`);
    return `${operand(node.left)} ${node.op} ${operand(node.right)}`;
  }
  // A group of one prints without its own parentheses, as in packaging. Unlike packaging (which
  // drops them, turning `a and ((b or c))` into `a and b or c`), a nested group keeps its own.
  if (node.length === 1 && node[0] !== undefined) return formatNode(node[0], Array.isArray(node[0]) ? first : true);
  const inner = node.map((n) => formatNode(n, false)).join(' ');
  return first ? inner : `(${inner})`;
}

/** All `extra == "..."` names a marker mentions, normalized (for reporting which extras matter). */
export function markerExtras(marker: MarkerExpression): string[] {
  const found = new Set<string>();
  const walk = (node: MarkerExpression | MarkerItem | 'and' | 'or') => {
    if (typeof node === 'string') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if ('variable' in node.left && node.left.variable === 'extra' && 'value' in node.right) found.add(normalizeName(node.right.value));
    if ('variable' in node.right && node.right.variable === 'extra' && 'value' in node.left) found.add(normalizeName(node.left.value));
  };
  walk(marker);
  return [...found].sort();
}

/**
 * Evaluate a marker for an environment. With `extras`, the marker holds when it holds for no
 * extra (`extra == ""`) or for any one of the requested extras, which is how pip and uv decide
 * whether a dependency of `pkg[a,b]` applies. Extra names compare PEP 503-normalized (PEP 685),
 * also inside parentheses. Throws RefineryError 'input' on comparisons packaging calls undefined.
 */
export function evaluateMarker(marker: MarkerExpression, env: MarkerEnvironment, extras: readonly string[] = []): boolean {
  const contexts = ['', ...extras.map(normalizeName)];
  return contexts.some((extra) => evaluateExpression(marker, env, extra));
}

function evaluateExpression(marker: MarkerExpression, env: MarkerEnvironment, extra: string): boolean {
  // Groups of and-ed results separated by `or`: true when any group is all true.
  const groups: boolean[][] = [[]];
  for (const node of marker) {
    if (node === 'or') groups.push([]);
    else if (node === 'and') continue;
    else if (Array.isArray(node)) groups[groups.length - 1]?.push(evaluateExpression(node, env, extra));
    else groups[groups.length - 1]?.push(evaluateItem(node, env, extra));
  }
  return groups.some((g) => g.every(Boolean));
}

function evaluateItem(item: MarkerItem, env: MarkerEnvironment, extra: string): boolean {
  const variable = 'variable' in item.left ? item.left.variable : 'variable' in item.right ? item.right.variable : undefined;
  if (variable === undefined) {
    throw new RefineryError('input', `marker compares two literals (${formatNode(item, true)}); one side must be a variable`);
  }
  const lookup = (o: MarkerOperand): string | readonly string[] => ('value' in o ? o.value : variableValue(o.variable, env, extra));
  let lhs = lookup(item.left);
  let rhs = lookup(item.right);
  if (variable === 'extra') {
    // PEP 685: the env side is normalized already; normalize the literal side too.
    if ('value' in item.left) lhs = normalizeName(lhs as string);
    if ('value' in item.right) rhs = normalizeName(rhs as string);
  } else if (SET_VARIABLES.has(variable)) {
    lhs = typeof lhs === 'string' ? normalizeName(lhs) : lhs.map(normalizeName);
    rhs = typeof rhs === 'string' ? normalizeName(rhs) : rhs.map(normalizeName);
  }
  if (typeof lhs !== 'string') {
    throw new RefineryError('input', `marker ${formatNode(item, true)}: the set-valued \`${variable}\` must be on the right of in / not in`);
  }
  if (VERSION_VARIABLES.has(variable) && typeof rhs === 'string' && isValidSpecifierClause(`${item.op}${rhs}`)) {
    return clauseContains(`${item.op}${rhs}`, lhs);
  }
  switch (item.op) {
    case 'in':
      return typeof rhs === 'string' ? rhs.includes(lhs) : rhs.includes(lhs);
    case 'not in':
      return typeof rhs === 'string' ? !rhs.includes(lhs) : !rhs.includes(lhs);
    case '==':
    case '<=':
    case '>=':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
    case '<':
    case '>':
      return false;
    default:
      throw new RefineryError('input', `marker ${formatNode(item, true)}: operator ${item.op} is undefined for these values`, {
        fix: 'use ==, != or in for non-version variables',
      });
  }
}

function variableValue(variable: MarkerVariable, env: MarkerEnvironment, extra: string): string | readonly string[] {
  if (variable === 'extra') return extra;
  const value = env[variable];
  if (value === undefined) {
    throw new RefineryError('input', `marker uses \`${variable}\`, which is only defined when evaluating lock files`);
  }
  return value;
}
