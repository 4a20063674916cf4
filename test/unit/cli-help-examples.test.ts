/**
 * `--help` teaches by example, so every example must run as written: each `refinery ...` line of
 * a command's help names a real command and only options that command accepts. (`refinery yield
 * --help` showed `--preset`, which no pipeline command has.)
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/faces/cli/main.js';
import { runCli } from '../helpers/cli.js';

const program = await buildProgram({ cwd: process.cwd(), env: {}, stdout: process.stdout, stderr: process.stderr, interactive: false });

function walk(cmd: Command, path: string[] = []): { path: string[]; cmd: Command }[] {
  return cmd.commands.flatMap((c) => [{ path: [...path, c.name()], cmd: c }, ...walk(c, [...path, c.name()])]);
}

/** The command an example line names, and the options it passes. */
function resolveExample(line: string): { cmd?: Command; words: string[]; flags: string[] } {
  const words = line.trim().split(/\s+/).slice(1);
  let cmd: Command = program;
  const used: string[] = [];
  for (const w of words) {
    const sub = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (!sub) break;
    cmd = sub;
    used.push(w);
  }
  const flags = words.filter((w) => /^--?[a-z]/i.test(w)).map((w) => w.replace(/=.*$/, ''));
  return { cmd: used.length > 0 ? cmd : undefined, words: used, flags };
}

const commands = walk(program);

describe('--help examples', () => {
  it('every command with examples is found (the walk sees the command tree)', () => {
    expect(commands.map((c) => c.path.join(' '))).toEqual(expect.arrayContaining(['scan', 'plan', 'build', 'record', 'publish', 'run', 'yield', 'queue list']));
  });

  it.each(commands.map((c) => [c.path.join(' '), c.path] as const))('refinery %s --help: each example runs as written', async (_name, path) => {
    const r = await runCli([...path, '--help']);
    expect(r.code).toBe(0);
    // A line may chain commands (`refinery scan ... && refinery plan ...`): each is checked.
    const examples = r.stdout
      .split('\n')
      .filter((l) => /^\s+refinery\s/.test(l) && !l.includes('[options]'))
      .flatMap((l) => l.split(/&&|\|/).map((part) => part.trim()))
      .filter((part) => part.startsWith('refinery '));
    for (const line of examples) {
      const { cmd, flags } = resolveExample(line);
      expect(cmd, `"${line.trim()}" names no refinery command`).toBeDefined();
      const known = new Set(['--help', '-h', ...cmd!.options.flatMap((o) => [o.long, o.short].filter((x): x is string => !!x))]);
      for (const f of flags) expect(known.has(f), `"${line.trim()}": ${f} is not an option of refinery ${cmd!.name()}`).toBe(true);
    }
  });
});
