/**
 * PEP 508 dependency specifier parser: a port of packaging's `_tokenizer.py` / `_parser.py`
 * (context-sensitive tokenizer, recursive descent), so that what we accept, reject and how we
 * split a requirement is what pip and uv see. Errors carry the column and a caret line.
 */
import { RefineryError } from '../../errors.js';
import type { MarkerExpression, MarkerItem, MarkerOperand, MarkerOp, MarkerVariable } from './marker-ast.js';
import { normalizeName } from './names.js';
import { SPECIFIER_SOURCE } from './specifier.js';

export interface ParsedPep508 {
  name: string;
  url: string;
  extras: string[];
  specifier: string;
  marker: MarkerExpression | undefined;
}

const RULES = {
  LEFT_PARENTHESIS: /\(/y,
  RIGHT_PARENTHESIS: /\)/y,
  LEFT_BRACKET: /\[/y,
  RIGHT_BRACKET: /\]/y,
  SEMICOLON: /;/y,
  COMMA: /,/y,
  QUOTED_STRING: /(?:'[^']*')|(?:"[^"]*")/y,
  OP: /(?:===|==|~=|!=|<=|>=|<|>)/y,
  BOOLOP: /\b(?:or|and)\b/y,
  IN: /\bin\b/y,
  NOT: /\bnot\b/y,
  VARIABLE:
    /\b(?:python_version|python_full_version|os[._]name|sys[._]platform|platform_(?:release|system)|platform[._](?:version|machine|python_implementation)|python_implementation|implementation_(?:name|version)|extras?|dependency_groups)\b/y,
  SPECIFIER: new RegExp(`(?:${SPECIFIER_SOURCE})`, 'iy'),
  AT: /@/y,
  URL: /[^ \t]+/y,
  IDENTIFIER: /\b[a-zA-Z0-9][a-zA-Z0-9._-]*\b/y,
  VERSION_PREFIX_TRAIL: /\.\*/y,
  VERSION_LOCAL_LABEL_TRAIL: /\+[a-z0-9]+(?:[-_.][a-z0-9]+)*/y,
  WS: /[ \t]+/y,
  // Python's `$` also matches before one trailing newline.
  END: /(?=\n?$)/y,
} as const;
type TokenName = keyof typeof RULES;

interface Token {
  name: TokenName;
  text: string;
  position: number;
}

/** A syntax error with the offending span, formatted like packaging's ParserSyntaxError. */
export class Pep508SyntaxError extends RefineryError {
  constructor(
    readonly detail: string,
    readonly source: string,
    readonly span: [number, number],
  ) {
    const caret = `${' '.repeat(span[0]) + '~'.repeat(Math.max(0, span[1] - span[0]))}^`;
    super('input', `${detail}\n    ${source}\n    ${caret}`, { fix: 'see https://packaging.python.org/specifications/dependency-specifiers/' });
    this.name = 'Pep508SyntaxError';
  }
}

class Tokenizer {
  position = 0;
  private next: Token | undefined;

  constructor(readonly source: string) {}

  consume(name: TokenName): void {
    if (this.check(name)) this.read();
  }

  check(name: TokenName, peek = false): boolean {
    const re = RULES[name];
    re.lastIndex = this.position;
    const m = re.exec(this.source);
    if (!m) return false;
    if (!peek) this.next = { name, text: m[0], position: this.position };
    return true;
  }

  expect(name: TokenName, expected: string): Token {
    if (!this.check(name)) this.fail(`Expected ${expected}`);
    return this.read();
  }

  read(): Token {
    const token = this.next;
    if (!token) throw new Error('tokenizer: read() without a successful check()');
    this.position += token.text.length;
    this.next = undefined;
    return token;
  }

  fail(message: string, spanStart?: number, spanEnd?: number): never {
    throw new Pep508SyntaxError(message, this.source, [spanStart ?? this.position, spanEnd ?? this.position]);
  }

  /** Parse `inner` optionally wrapped in open/close tokens; an unclosed open is an error. */
  enclosing<T>(open: TokenName, close: TokenName, around: string, inner: () => T): T {
    let openPosition: number | undefined;
    if (this.check(open)) {
      openPosition = this.position;
      this.read();
    }
    const value = inner();
    if (openPosition === undefined) return value;
    if (!this.check(close)) {
      this.fail(`Expected matching ${close} for ${open}, after ${around}`, openPosition);
    }
    this.read();
    return value;
  }
}

export function parsePep508(source: string): ParsedPep508 {
  const t = new Tokenizer(source);
  t.consume('WS');
  const name = t.expect('IDENTIFIER', 'package name at the start of dependency specifier').text;
  t.consume('WS');
  const extras = parseExtras(t);
  t.consume('WS');
  const { url, specifier, marker } = parseDetails(t);
  t.expect('END', 'end of dependency specifier');
  return { name, url, extras, specifier, marker };
}

export function parseMarkerExpression(source: string): MarkerExpression {
  const t = new Tokenizer(source);
  const marker = parseMarker(t);
  t.expect('END', 'end of marker expression');
  return marker;
}

function parseDetails(t: Tokenizer): { url: string; specifier: string; marker: MarkerExpression | undefined } {
  if (t.check('AT')) {
    t.read();
    t.consume('WS');
    const urlStart = t.position;
    const url = t.expect('URL', 'URL after @').text;
    if (t.check('END', true)) return { url, specifier: '', marker: undefined };
    t.expect('WS', 'whitespace after URL');
    if (t.check('END', true)) return { url, specifier: '', marker: undefined };
    const marker = parseRequirementMarker(t, urlStart, 'semicolon (after URL and whitespace)');
    return { url, specifier: '', marker };
  }
  const specStart = t.position;
  const specifier = parseSpecifier(t);
  t.consume('WS');
  if (t.check('END', true)) return { url: '', specifier, marker: undefined };
  const marker = parseRequirementMarker(
    t,
    specStart,
    specifier ? 'comma (within version specifier), semicolon (after version specifier)' : 'semicolon (after name with no version specifier)',
  );
  return { url: '', specifier, marker };
}

function parseRequirementMarker(t: Tokenizer, spanStart: number, expected: string): MarkerExpression {
  if (!t.check('SEMICOLON')) t.fail(`Expected ${expected} or end`, spanStart);
  t.read();
  const marker = parseMarker(t);
  t.consume('WS');
  return marker;
}

function parseExtras(t: Tokenizer): string[] {
  if (!t.check('LEFT_BRACKET', true)) return [];
  return t.enclosing('LEFT_BRACKET', 'RIGHT_BRACKET', 'extras', () => {
    t.consume('WS');
    const extras = parseExtrasList(t);
    t.consume('WS');
    return extras;
  });
}

function parseExtrasList(t: Tokenizer): string[] {
  const extras: string[] = [];
  if (!t.check('IDENTIFIER')) return extras;
  extras.push(t.read().text);
  for (;;) {
    t.consume('WS');
    if (t.check('IDENTIFIER', true)) t.fail('Expected comma between extra names');
    else if (!t.check('COMMA')) break;
    t.read();
    t.consume('WS');
    extras.push(t.expect('IDENTIFIER', 'extra name after comma').text);
  }
  return extras;
}

function parseSpecifier(t: Tokenizer): string {
  return t.enclosing('LEFT_PARENTHESIS', 'RIGHT_PARENTHESIS', 'version specifier', () => {
    t.consume('WS');
    const parsed = parseVersionMany(t);
    t.consume('WS');
    return parsed;
  });
}

function parseVersionMany(t: Tokenizer): string {
  let parsed = '';
  while (t.check('SPECIFIER')) {
    const spanStart = t.position;
    parsed += t.read().text;
    if (t.check('VERSION_PREFIX_TRAIL', true)) {
      t.fail('.* suffix can only be used with `==` or `!=` operators', spanStart, t.position + 1);
    }
    if (t.check('VERSION_LOCAL_LABEL_TRAIL', true)) {
      t.fail('Local version label can only be used with `==` or `!=` operators', spanStart, t.position);
    }
    t.consume('WS');
    if (!t.check('COMMA')) break;
    parsed += t.read().text;
    t.consume('WS');
  }
  return parsed;
}

function parseMarker(t: Tokenizer): MarkerExpression {
  const items: MarkerExpression = [parseMarkerAtom(t)];
  while (t.check('BOOLOP')) {
    const op = t.read().text as 'and' | 'or';
    items.push(op, parseMarkerAtom(t));
  }
  return items;
}

function parseMarkerAtom(t: Tokenizer): MarkerExpression | MarkerItem {
  t.consume('WS');
  let marker: MarkerExpression | MarkerItem;
  if (t.check('LEFT_PARENTHESIS', true)) {
    marker = t.enclosing('LEFT_PARENTHESIS', 'RIGHT_PARENTHESIS', 'marker expression', () => {
      t.consume('WS');
      const inner = parseMarker(t);
      t.consume('WS');
      return inner;
    });
  } else {
    marker = parseMarkerItem(t);
  }
  t.consume('WS');
  return marker;
}

function parseMarkerItem(t: Tokenizer): MarkerItem {
  t.consume('WS');
  let left = parseMarkerVar(t);
  t.consume('WS');
  const op = parseMarkerOp(t);
  t.consume('WS');
  let right = parseMarkerVar(t);
  t.consume('WS');
  // PEP 685: extra names compare normalized, so store the literal side normalized (at any depth;
  // packaging only does this outside parentheses).
  if ('variable' in left && left.variable === 'extra' && 'value' in right) right = { value: normalizeName(right.value) };
  if ('variable' in right && right.variable === 'extra' && 'value' in left) left = { value: normalizeName(left.value) };
  return { left, op, right };
}

function parseMarkerVar(t: Tokenizer): MarkerOperand {
  if (t.check('VARIABLE')) {
    const name = t.read().text.replace('.', '_');
    const variable = (name === 'python_implementation' ? 'platform_python_implementation' : name) as MarkerVariable;
    return { variable };
  }
  if (t.check('QUOTED_STRING')) {
    const start = t.position;
    const token = t.read();
    const value = decodePythonString(token.text.slice(1, -1));
    if (value === undefined) t.fail('Invalid escape sequence in quoted string', start, t.position);
    return { value };
  }
  return t.fail('Expected a marker variable or quoted string');
}

function parseMarkerOp(t: Tokenizer): MarkerOp {
  if (t.check('IN')) {
    t.read();
    return 'in';
  }
  if (t.check('NOT')) {
    t.read();
    t.expect('WS', "whitespace after 'not'");
    t.expect('IN', "'in' after 'not'");
    return 'not in';
  }
  if (t.check('OP')) return t.read().text as MarkerOp;
  return t.fail('Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in');
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

/**
 * packaging reads quoted strings with `ast.literal_eval`, so backslash escapes are Python's.
 * Returns undefined where Python would raise (a truncated `\x`, a trailing backslash).
 */
function decodePythonString(body: string): string | undefined {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = body.slice(i + 2, i + 2 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) return undefined;
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) return undefined;
      out += String.fromCodePoint(cp);
      i += 1 + hexLength;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1));
    if (octal) {
      out += String.fromCodePoint(parseInt(octal[0], 8));
      i += octal[0].length;
      continue;
    }
    if (e === 'N') return undefined; // named escapes: not worth a Unicode name table
    out += `\\${e}`; // unknown escapes keep the backslash, as in Python
    i++;
  }
  return out;
}
