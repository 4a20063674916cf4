/**
 * pip requirements files (`requirements.txt`, lock files, constraints), read with pip's own
 * preprocessing: backslash continuations, `#` comments (whole line or after whitespace),
 * `${VAR}` expansion, then one requirement or option per line. Includes (-r/-c) are resolved
 * relative to the including file. Problems are collected, each naming file:line, so a user sees
 * all of them at once.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import path from 'node:path';
import { RefineryError } from '../../errors.js';
import { parseRequirement, type Requirement } from './requirement.js';

export interface RequirementEntry {
  req: Requirement;
  /** 1-based line where the (possibly continued) line starts. */
  line: number;
  /** The file as the user would name it: the top path, or includes joined to it. */
  file: string;
  /** `--hash` values as `algorithm:hexdigest`, lowercase. */
  hashes: string[];
}

export interface RequirementsFile {
  requirements: RequirementEntry[];
  constraints: RequirementEntry[];
  indexUrl?: string;
  extraIndexUrls: string[];
  findLinks: string[];
  noIndex: boolean;
  /** pip options scan does not act on (`--find-links`, `--no-index`, `--pre`, ...), for a warning. */
  ignoredOptions: { option: string; file: string; line: number }[];
  /** Every file read, top first. */
  files: string[];
  /** Every problem found; the parse goes on past each one. Empty when the file set is clean. */
  errors: RefineryError[];
}

export interface ParseRequirementsOptions {
  /** Values for `${VAR}` expansion; pass the process environment from the face. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reads a file; defaults to the local file system. */
  readFile?: (file: string) => Promise<string>;
}

const STRONG_HASHES: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
const HARMLESS_OPTIONS = new Set([
  '--pre',
  '--prefer-binary',
  '--require-hashes',
  '--trusted-host',
  '--only-binary',
  '--no-binary',
  '--use-feature',
  '--config-settings',
  '--global-option',
  '--no-build-isolation',
]);
/** Options that take a value (so `--opt value` consumes the next token). */
const VALUE_OPTIONS = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-e',
  '--editable',
  '--hash',
  '--trusted-host',
  '--only-binary',
  '--no-binary',
  '--use-feature',
  '--config-settings',
  '--global-option',
]);
const SHORT_ALIASES: Readonly<Record<string, string>> = {
  '-r': '--requirement',
  '-c': '--constraint',
  '-i': '--index-url',
  '-f': '--find-links',
  '-e': '--editable',
};

/** Parse a requirements file and everything it includes. Never throws for content problems. */
export async function parseRequirementsFile(file: string, opts: ParseRequirementsOptions = {}): Promise<RequirementsFile> {
  const out: RequirementsFile = {
    requirements: [],
    constraints: [],
    extraIndexUrls: [],
    findLinks: [],
    noIndex: false,
    ignoredOptions: [],
    files: [],
    errors: [],
  };
  const ctx: Context = { out, env: opts.env ?? {}, readFile: opts.readFile ?? ((f) => fsReadFile(f, 'utf8')), stack: [], done: new Set() };
  await parseOne(ctx, file, false, undefined);
  return out;
}

/** Parse requirement lines given as text (e.g. from an action input), named `source` in errors. */
export async function parseRequirementsText(text: string, source: string, opts: ParseRequirementsOptions = {}): Promise<RequirementsFile> {
  const readFile = opts.readFile ?? ((f: string) => fsReadFile(f, 'utf8'));
  return parseRequirementsFile(source, { ...opts, readFile: (f) => (f === source ? Promise.resolve(text) : readFile(f)) });
}

interface Context {
  out: RequirementsFile;
  env: Readonly<Record<string, string | undefined>>;
  readFile: (file: string) => Promise<string>;
  /** The files being read right now (include chain), to catch cycles. */
  stack: { abs: string; name: string }[];
  /** Files read completely, with the mode they were read in: a second include is skipped. */
  done: Set<string>;
}

async function parseOne(ctx: Context, file: string, constraint: boolean, from: { file: string; line: number } | undefined): Promise<void> {
  const abs = path.resolve(file);
  const fail = (msg: string, fix?: string) => ctx.out.errors.push(new RefineryError('input', msg, { location: from ?? { file }, ...(fix ? { fix } : {}) }));
  if (ctx.stack.some((s) => s.abs === abs)) {
    fail(`include cycle: ${[...ctx.stack.map((s) => s.name), file].join(' -> ')}`, 'remove one of the -r/-c lines');
    return;
  }
  const key = `${constraint ? 'c' : 'r'}:${abs}`;
  if (ctx.done.has(key)) return;
  let text: string;
  try {
    text = await ctx.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    fail(`cannot read requirements file ${file}${code ? ` (${code})` : ''}`, 'check the path; includes are relative to the including file');
    return;
  }
  ctx.out.files.push(file);
  ctx.stack.push({ abs, name: file });
  for (const { line, text: content } of preprocess(text, ctx.env)) {
    // Synchronous but for the files a line includes: a lock file is thousands of lines.
    for (const include of parseLine(ctx, file, line, content, constraint)) {
      await parseOne(ctx, include.file, include.constraint, include.from);
    }
  }
  ctx.stack.pop();
  ctx.done.add(key);
}

/** pip's join_lines + ignore_comments + expand_env_variables. */
export function preprocess(text: string, env: Readonly<Record<string, string | undefined>>): { line: number; text: string }[] {
  const COMMENT = /(^|\s+)#.*$/;
  // pip tests for a comment *line* with re.match, i.e. anchored at the start. A trailing comment
  // that ends in a backslash therefore continues onto the next line (and swallows it).
  const COMMENT_LINE = /^\s*#/;
  const joined: { line: number; text: string }[] = [];
  let pending: string[] = [];
  let start = 0;
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const n = i + 1;
    if (!raw.endsWith('\\') || COMMENT_LINE.test(raw)) {
      // A comment line ends a continuation (pip prefixes a space so the comment still matches).
      const line = COMMENT_LINE.test(raw) ? ` ${raw}` : raw;
      if (pending.length > 0) {
        joined.push({ line: start, text: pending.join('') + line });
        pending = [];
      } else joined.push({ line: n, text: line });
    } else {
      if (pending.length === 0) start = n;
      pending.push(raw.replace(/^\\+|\\+$/g, ''));
    }
  });
  if (pending.length > 0) joined.push({ line: start, text: pending.join('') });
  const out: { line: number; text: string }[] = [];
  for (const entry of joined) {
    let t = entry.text.replace(COMMENT, '').trim();
    if (t === '') continue;
    // Only the ${UPPER_CASE} form; unset or empty variables stay as written (pip does the same).
    if (t.includes('${')) t = t.replace(/\$\{([A-Z0-9_]+)\}/g, (whole, name: string) => env[name] || whole);
    entry.text = t;
    out.push(entry);
  }
  return out;
}

/** A file a line includes (-r/-c), read right after the line. */
interface Include {
  file: string;
  constraint: boolean;
  from: { file: string; line: number };
}

/** One logical line into ctx.out; returns the files it includes. */
function parseLine(ctx: Context, file: string, line: number, content: string, constraint: boolean): Include[] {
  const includes: Include[] = [];
  const at = { file, line };
  const error = (msg: string, fix?: string) => ctx.out.errors.push(new RefineryError('input', msg, { location: at, ...(fix ? { fix } : {}) }));
  // A plain requirement (most of a lock file: no option, no space) skips the token work below.
  if (!content.includes(' ') && !content.startsWith('-')) {
    addRequirement(ctx, at, content, [], constraint, error);
    return includes;
  }
  // pip: everything before the first token starting with '-' is the requirement.
  const tokens = content.split(' ');
  const firstOption = tokens.findIndex((t) => t.startsWith('-'));
  const args = (firstOption < 0 ? tokens : tokens.slice(0, firstOption)).join(' ').trim();
  let options: { name: string; value?: string }[];
  try {
    options = parseOptions(firstOption < 0 ? [] : shellSplit(tokens.slice(firstOption).join(' ')));
  } catch (e) {
    error((e as Error).message);
    return includes;
  }

  if (args) {
    const hashes: string[] = [];
    for (const o of options) {
      if (o.name === '--hash') {
        const h = (o.value ?? '').toLowerCase();
        const [algo, digest] = h.split(':', 2);
        const length = algo ? STRONG_HASHES[algo] : undefined;
        if (!length || !digest || !new RegExp(`^[0-9a-f]{${length}}$`).test(digest)) {
          error(`invalid --hash ${JSON.stringify(o.value ?? '')}`, 'use --hash=sha256:<64 hex digits> (sha384 and sha512 also work)');
          return includes;
        }
        hashes.push(`${algo}:${digest}`);
      } else if (o.name === '--config-settings' || o.name === '--global-option') {
        ctx.out.ignoredOptions.push({ option: o.name, file, line });
      } else {
        error(`option ${o.name} cannot follow a requirement on the same line`, 'put file-wide options on their own line');
        return includes;
      }
    }
    addRequirement(ctx, at, args, hashes, constraint, error);
    return includes;
  }

  for (const o of options) {
    const value = o.value ?? '';
    switch (o.name) {
      case '--requirement':
      case '--constraint': {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
          error(`remote requirements file ${value} is not supported`, 'download it into the repository and include it by path');
          break;
        }
        const target = path.isAbsolute(value) ? value : path.join(path.dirname(file), value);
        includes.push({ file: target, constraint: o.name === '--constraint', from: at });
        break;
      }
      case '--index-url':
        ctx.out.indexUrl = value;
        break;
      case '--extra-index-url':
        ctx.out.extraIndexUrls.push(value);
        break;
      case '--find-links':
        ctx.out.findLinks.push(value);
        ctx.out.ignoredOptions.push({ option: o.name, file, line });
        break;
      case '--no-index':
        ctx.out.noIndex = true;
        ctx.out.ignoredOptions.push({ option: o.name, file, line });
        break;
      case '--editable':
        error(`editable requirement ${JSON.stringify(value)} cannot be built as a wheel for s390x here`, 'pin a released version (name==version) instead');
        break;
      case '--hash':
        error('--hash must follow a requirement on the same line');
        break;
      default:
        if (HARMLESS_OPTIONS.has(o.name)) ctx.out.ignoredOptions.push({ option: o.name, file, line });
        else
          error(
            `unknown or unsupported option ${o.name}`,
            'see pip requirements-file format; supported: -r, -c, -i, --extra-index-url, -f, --no-index, --hash',
          );
    }
  }
  return includes;
}

/** The requirement part of a line into ctx.out, or an error when it is none pip would build here. */
function addRequirement(
  ctx: Context,
  at: { file: string; line: number },
  args: string,
  hashes: string[],
  constraint: boolean,
  error: (msg: string, fix?: string) => void,
): void {
  const local = localReason(args);
  if (local) {
    error(`${local}: ${JSON.stringify(args)}`, 'name the package from an index (name==version) or give name @ https://... for a remote archive');
    return;
  }
  let req: Requirement;
  try {
    req = parseRequirement(args);
  } catch (e) {
    error(`invalid requirement ${JSON.stringify(args)}: ${(e as Error).message}`);
    return;
  }
  if (req.url?.startsWith('file:')) {
    error(`local file requirement ${JSON.stringify(args)} cannot be resolved for an s390x target`, 'publish the archive to an index or use an https:// URL');
    return;
  }
  (constraint ? ctx.out.constraints : ctx.out.requirements).push({ req, line: at.line, file: at.file, hashes });
}

/** Why `args` is a local path, a bare URL or an archive name rather than a requirement. */
function localReason(args: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(args) || args.startsWith('file:')) return 'a bare URL needs a name: write name @ URL';
  if (/^(\.|\/|~|[A-Za-z]:[\\/])/.test(args) || /^[^\s;@[]*[\\/]/.test(args)) return 'local path requirements are not supported';
  if (/\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar\.xz|tar)$/i.test(args.split(';')[0]!.trim()) && !args.includes('@')) {
    return 'archive file requirements are not supported';
  }
  return undefined;
}

function parseOptions(tokens: string[]): { name: string; value?: string }[] {
  const out: { name: string; value?: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (!tok.startsWith('-')) throw new Error(`unexpected ${JSON.stringify(tok)}; one requirement or option per line`);
    let name = tok;
    let value: string | undefined;
    const eq = tok.indexOf('=');
    if (tok.startsWith('--') && eq > 0) {
      name = tok.slice(0, eq);
      value = tok.slice(eq + 1);
    } else if (!tok.startsWith('--') && tok.length > 2) {
      name = tok.slice(0, 2);
      value = tok.slice(2);
    }
    name = SHORT_ALIASES[name] ?? name;
    if (VALUE_OPTIONS.has(name)) {
      if (value === undefined) {
        value = tokens[++i];
        if (value === undefined) throw new Error(`option ${name} needs a value`);
      }
    } else if (value !== undefined) {
      throw new Error(`option ${name} takes no value`);
    }
    out.push(value === undefined ? { name } : { name, value });
  }
  return out;
}

/** POSIX-shell-like word split (quotes and backslashes), as pip's shlex.split of option text. */
function shellSplit(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'" || c === '"') {
      const end = s.indexOf(c, i + 1);
      if (end < 0) throw new Error('unterminated quote in options');
      cur += s.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** Entries that are not pinned to one exact version (`==X`, no wildcard, or `===X`), or are URLs. */
export function unpinnedRequirements(entries: readonly RequirementEntry[]): RequirementEntry[] {
  return entries.filter((e) => exactPin(e.req) === undefined);
}

/** Whether every entry pins one exact version: what a lock file must look like. */
export function isFullyPinned(entries: readonly RequirementEntry[]): boolean {
  return unpinnedRequirements(entries).length === 0;
}

/** The exact version a requirement pins (`foo==1.2` -> `1.2`), or undefined. */
export function exactPin(req: Requirement): string | undefined {
  if (req.url) return undefined;
  const m = /^(===?)(.+)$/.exec(req.specifier);
  if (!m || m[2]!.includes(',') || m[2]!.endsWith('.*')) return undefined;
  return m[2];
}
