/**
 * The one reader of JSON inputs: build results, state files, inventories, plan units, the turbo
 * toolchain manifest. The file is read through untrusted.ts (a regular file, no link followed, a
 * size cap, strict UTF-8), parsed without quoting its text, and validated by a zod schema; each
 * fault is one RefineryError with the caller's code, naming the file (and line), the field path
 * and what to do.
 */
import type { z } from 'zod';
import { type ErrorCode, excerpt, printablePath, RefineryError } from '../errors.js';
import { FileRefusedError, parseJsonText, readTextFile } from './untrusted.js';

/** What kind of input a file is: how its faults are reported. */
export interface JsonInput {
  /** The error code of every fault: `input`, `state`, `environment`, ... */
  code: ErrorCode;
  /** What to do about a file that does not parse or validate. */
  fix: string;
  /** How the file is named in front of a refusal, e.g. `the result` -> "the result is a FIFO, ...". */
  noun?: string;
  /** In front of a schema issue, e.g. `not a plan unit` -> "not a plan unit: Required". */
  invalid?: string;
  /** What to do about a file that is not a regular file, or not UTF-8 (default: `fix`). */
  refusedFix?: (reason: FileRefusedError['reason']) => string;
  /** Largest file read (default 64 MiB: no JSON input of ours is near it). */
  maxBytes?: number;
}

/** Where a text came from: a file, or a line of it (JSON Lines). */
export interface JsonSource {
  file: string;
  line?: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024 ** 2;

/** Read, parse and validate a JSON file. */
export async function readJson<S extends z.ZodType>(schema: S, file: string, input: JsonInput): Promise<z.output<S>> {
  return parseJson(schema, await readJsonText(file, input), { file }, input);
}

/** Like readJson, but undefined when the file (or its folder) does not exist. */
export async function readJsonIfPresent<S extends z.ZodType>(schema: S, file: string, input: JsonInput): Promise<z.output<S> | undefined> {
  try {
    return await readJson(schema, file, input);
  } catch (e) {
    const code = (e as { cause?: NodeJS.ErrnoException }).cause?.code;
    if (e instanceof RefineryError && (code === 'ENOENT' || code === 'ENOTDIR')) return undefined;
    throw e;
  }
}

/** A file's text through the untrusted reader, its refusals and read errors as RefineryErrors. */
export async function readJsonText(file: string, input: JsonInput): Promise<string> {
  const where = printablePath(file);
  const noun = input.noun ? `${input.noun} ` : '';
  try {
    return await readTextFile(file, { maxBytes: input.maxBytes ?? DEFAULT_MAX_BYTES });
  } catch (e) {
    if (e instanceof FileRefusedError) {
      throw new RefineryError(input.code, `${noun}${e.message}`, {
        location: { file: where, ...(e.line ? { line: e.line } : {}) },
        fix: input.refusedFix?.(e.reason) ?? input.fix,
      });
    }
    throw new RefineryError(input.code, `cannot read ${input.noun ?? 'the file'}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      location: { file: where },
      fix: input.fix,
      cause: e,
    });
  }
}

/** Parse and validate a text already read (a state file from git, one line of a history). */
export function parseJson<S extends z.ZodType>(schema: S, text: string, at: JsonSource, input: JsonInput): z.output<S> {
  return validateJson(schema, jsonValue(text, at, input), at, input);
}

/** The JSON value of a text, or one error saying what and where without quoting it. */
export function jsonValue(text: string, at: JsonSource, input: JsonInput): unknown {
  const json = parseJsonText(text);
  if (json.ok) return json.value;
  // A line of JSON Lines is parsed alone: its line in the file is the caller's.
  const line = at.line ?? json.error.line;
  throw new RefineryError(input.code, `not valid JSON (${json.error.message}); the file may be truncated or hand-edited`, {
    location: { file: printablePath(at.file), ...(line ? { line } : {}) },
    fix: input.fix,
  });
}

/** A value checked against `schema`; the first issue is the error. */
export function validateJson<S extends z.ZodType>(schema: S, value: unknown, at: JsonSource, input: JsonInput): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw schemaError(parsed.error, at, input);
}

const tame = (key: string): boolean => /^[\w.-]{1,64}$/.test(key);

/** The first issue of a failed validation as a RefineryError naming the field path. */
export function schemaError(error: z.ZodError, at: JsonSource, input: JsonInput): RefineryError {
  const issue = error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  // Field names come from the file: escaped and short, like every quote of untrusted text.
  const what =
    issue.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys
          .slice(0, 3)
          .map((k) => (tame(k) ? `'${k}'` : excerpt(k, 40)))
          .join(', ')}`
      : issue.message;
  const field = path.map((p) => (typeof p !== 'string' || tame(p) ? String(p) : excerpt(p, 40))).join('.');
  return new RefineryError(input.code, input.invalid ? `${input.invalid}: ${what}` : what, {
    location: { file: printablePath(at.file), ...(at.line ? { line: at.line } : {}), field: field || '(top level)' },
    fix: input.fix,
  });
}
