// docs/cli.md must stay true to the code: it names every command and every flag the CLI has.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');

async function helpFlags(command: string[]): Promise<string[]> {
  const r = await runCli([...command, '--help']);
  expect(r.code, `refinery ${command.join(' ')} --help: ${r.stderr}`).toBe(0);
  return [...r.stdout.matchAll(/^\s+(?:-[A-Za-z], )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!);
}

describe('docs/cli.md', () => {
  const doc = readFileSync(join(root, 'docs', 'cli.md'), 'utf8');

  /** Every command and subcommand `refinery --help` lists, e.g. ['scan'], ['queue', 'add']. */
  async function allCommands(): Promise<string[][]> {
    const listed = async (prefix: string[]) => {
      const r = await runCli([...prefix, '--help']);
      const section = r.stdout.split(/^Commands:$/m)[1] ?? '';
      return [...section.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    };
    const out: string[][] = [];
    for (const c of await listed([])) {
      const subs = await listed([c]);
      if (subs.length === 0) out.push([c]);
      else for (const sub of subs) out.push([c, sub]);
    }
    return out;
  }

  it('names every command and every flag the CLI has', async () => {
    const commands = await allCommands();
    expect(commands.map((c) => c[0])).toEqual(expect.arrayContaining(['scan', 'plan', 'build', 'record', 'hints', 'queue']));
    for (const command of commands) {
      const name = command.join(' ');
      expect(doc, `document refinery ${name} in docs/cli.md`).toMatch(
        new RegExp(command.length === 1 ? `refinery ${name}\\b` : `${command[0]} ${command[1]}\\b`),
      );
      for (const flag of await helpFlags(command)) {
        if (flag === '--help') continue;
        expect(doc, `document ${flag} of refinery ${name} in docs/cli.md`).toMatch(new RegExp(`${flag}(?![a-z-])`));
      }
    }
  });
});
