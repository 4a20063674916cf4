/**
 * The one JSON reader (src/adapters/json-file.ts): every fault of a JSON input is one RefineryError
 * with the caller's code and fix, naming the file, the line where it has one and the field path,
 * quoting nothing of the file's text; reading goes through the untrusted reader (no links, no
 * FIFOs, a size cap, strict UTF-8).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type JsonInput, parseJson, readJson, readJsonIfPresent } from '../../src/adapters/json-file.js';
import { loadState } from '../../src/domain/state/index.js';
import { readInventory, readUnit } from '../../src/session/inputs.js';
import { readResults } from '../../src/stages/record/results.js';
import { errorOf } from '../helpers/errors.js';

const Thing = z.strictObject({ name: z.string(), parts: z.array(z.strictObject({ size: z.number().int() })) });
const INPUT: JsonInput = { code: 'input', fix: 'write it again', noun: 'the thing', invalid: 'not a thing' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refinery-json-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, text: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('readJson', () => {
  it('gives the parsed, validated value', async () => {
    const file = await fileWith('good.json', '{"name": "a", "parts": [{"size": 1}]}');
    await expect(readJson(Thing, file, INPUT)).resolves.toEqual({ name: 'a', parts: [{ size: 1 }] });
  });

  it('names the file, the field path and what to do for a schema fault', async () => {
    const file = await fileWith('field.json', '{"name": "a", "parts": [{"size": 1}, {"size": 1.5}]}');
    const e = await errorOf(readJson(Thing, file, INPUT));
    expect(e).toMatchObject({ code: 'input', location: { file, field: 'parts.1.size' }, fix: 'write it again' });
    expect(e.message).toMatch(/^not a thing: /);
  });

  it('names an unknown field escaped, and the top level as such', async () => {
    const hostile = await fileWith('keys.json', '{"name": "a", "parts": [], "\\u001b[31mred": 1}');
    const e = await errorOf(readJson(Thing, hostile, INPUT));
    expect(e.message).toBe('not a thing: unknown field "\\u001b[31mred"');
    expect(e.location.field).not.toContain('\u001b');
    const top = await fileWith('array.json', '[]');
    expect((await errorOf(readJson(Thing, top, INPUT))).location.field).toBe('(top level)');
  });

  it('says where the syntax breaks without quoting the text', async () => {
    const file = await fileWith('syntax.json', '{\n  "name": "a",\n  "token": ghp_s3cretvalue\n}');
    const e = await errorOf(readJson(Thing, file, INPUT));
    expect(e).toMatchObject({ code: 'input', location: { file }, fix: 'write it again' });
    expect(e.message).toBe('not valid JSON (unexpected character "g"); the file may be truncated or hand-edited');
    const cut = await fileWith('cut.json', '{\n  "name": "a",\n  "parts": [');
    expect(await errorOf(readJson(Thing, cut, INPUT))).toMatchObject({ message: /unexpected end of input/, location: { file: cut, line: 3 } });
  });

  it('refuses a link, a FIFO, an oversized file and invalid UTF-8 through the untrusted reader', async () => {
    const good = await fileWith('target.json', '{"name": "a", "parts": []}');
    const link = join(dir, 'link.json');
    await symlink(good, link);
    expect((await errorOf(readJson(Thing, link, INPUT))).message).toBe('the thing is a symbolic link, not a regular file');
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    expect((await errorOf(readJson(Thing, fifo, INPUT))).message).toBe('the thing is a FIFO, not a regular file');
    const big = await fileWith('big.json', `{"name": "${'x'.repeat(100)}", "parts": []}`);
    expect((await errorOf(readJson(Thing, big, { ...INPUT, maxBytes: 64 }))).message).toMatch(/^the thing holds \d+ bytes, over the cap of 64$/);
    const latin1 = await fileWith('latin1.json', Buffer.concat([Buffer.from('{\n"name": "'), Buffer.from([0xe9]), Buffer.from('", "parts": []}')]));
    const e = await errorOf(readJson(Thing, latin1, { ...INPUT, refusedFix: (reason) => `refused: ${reason}` }));
    expect(e).toMatchObject({ message: 'the thing is not valid UTF-8', location: { line: 2 }, fix: 'refused: utf8' });
  });

  it('a missing file is one error, or undefined through readJsonIfPresent', async () => {
    const missing = join(dir, 'nope', 'missing.json');
    expect((await errorOf(readJson(Thing, missing, INPUT))).message).toBe('cannot read the thing: ENOENT');
    await expect(readJsonIfPresent(Thing, missing, INPUT)).resolves.toBeUndefined();
    const broken = await fileWith('broken.json', '{');
    await expect(readJsonIfPresent(Thing, broken, INPUT)).rejects.toMatchObject({ code: 'input', location: { file: broken } });
  });
});

describe('parseJson', () => {
  it("keeps a JSON Lines line's own line number", () => {
    let e: unknown;
    try {
      parseJson(Thing, '{"name": 1, "parts": []}', { file: 'h.jsonl', line: 7 }, { code: 'state', fix: 'restore it' });
    } catch (x) {
      e = x;
    }
    expect(e).toMatchObject({ code: 'state', location: { file: 'h.jsonl', line: 7, field: 'name' }, fix: 'restore it' });
  });
});

describe('its users', () => {
  it('an inventory or a plan unit that does not validate names the file, the field and the command that writes it', async () => {
    const inv = await fileWith('inventory.json', '{"schema": "refinery/inventory@1"}');
    const e = await errorOf(readInventory(inv));
    expect(e).toMatchObject({ code: 'input', location: { file: inv }, fix: expect.stringContaining('refinery scan -o FILE') });
    expect(e.message).toMatch(/^not a refinery inventory: /);
    expect(e.location.field).toMatch(/^[a-z]/);
    const unit = join(dir, 'unit.json');
    await symlink(inv, unit);
    expect(await errorOf(readUnit(unit))).toMatchObject({
      message: 'the unit is a symbolic link, not a regular file',
      fix: expect.stringContaining('plan.matrix.include'),
    });
  });

  it('a result and a state file report through it with their own codes', async () => {
    const results = await mkdtemp(join(dir, 'results-'));
    await writeFile(join(results, 'x.result.json'), '{"schema": "refinery/result@1"}');
    expect(await errorOf(readResults(results))).toMatchObject({ code: 'input', location: { file: join(results, 'x.result.json') } });
    const state = await mkdtemp(join(dir, 'state-'));
    await writeFile(join(state, 'state.json'), '{"schema": "refinery/state@1", "extra": true}\n');
    expect(await errorOf(loadState(state))).toMatchObject({ code: 'state', message: "unknown field 'extra'", location: { field: 'extra' } });
  });
});
