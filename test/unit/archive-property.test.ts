/**
 * Property: whatever a hostile archive holds (random trees of files, directories, symlinks with
 * relative and absolute targets, hardlinks, chains of links, duplicate members; tar and zip),
 * extraction ends in success or one RefineryError, and afterwards nothing outside the target folder
 * has changed, no link in the tree leads outside it, and no file in it shares an inode with a file
 * outside (a hardlink a build could rewrite).
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSafely } from '../../src/adapters/archive.js';
import { RefineryError } from '../../src/errors.js';
import { type TarMember, writeTarGz } from '../fixtures/sdists/crafted.js';
import { walkNoFollow } from '../helpers/tree.js';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'refinery-archive-prop-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

/** `@OUT` in a generated name or target stands for the sandbox's outside folder (known per run). */
const OUT = '@OUT';

type Spec =
  | { kind: 'file'; name: string; content: string }
  | { kind: 'dir'; name: string }
  | { kind: 'symlink'; name: string; target: string }
  | { kind: 'hardlink'; name: string; target: string }
  /** The classic climb, `d/a/b -> ../..`, `d/c0 -> a/b/..`, `d/cN -> cN-1/..`, then a hardlink or write through its top. */
  | { kind: 'chain'; dir: string; depth: number; through: 'hardlink' | 'write' | 'none' };

const segment = fc.constantFrom('a', 'b', 'c', 'p', '..', '.', '');
const relPath = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
/** Names without '.' or '..', so that links can name each other. */
const plainPath = fc.array(fc.constantFrom('a', 'b', 'c', 'p'), { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
const memberName = fc.oneof(
  { weight: 5, arbitrary: plainPath },
  { weight: 4, arbitrary: relPath },
  { weight: 1, arbitrary: relPath.map((p) => `/${p}`) },
  { weight: 1, arbitrary: fc.constant(`${OUT}/canary`) },
);
const linkTarget = fc.oneof(
  { weight: 6, arbitrary: relPath },
  // through another link, then up from wherever it leads
  { weight: 4, arbitrary: fc.tuple(plainPath, fc.integer({ min: 1, max: 3 })).map(([p, n]) => `${p}${'/..'.repeat(n)}`) },
  // chains climb with repeated '..'
  { weight: 3, arbitrary: fc.tuple(relPath, fc.integer({ min: 1, max: 12 })).map(([p, n]) => `${p}/${'../'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.constantFrom('/', '/etc', `${OUT}`, `${OUT}/canary`, `${OUT}/dir`) },
);
const spec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('file' as const), name: memberName, content: fc.string({ maxLength: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('dir' as const), name: memberName }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('symlink' as const), name: memberName, target: linkTarget }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hardlink' as const), name: memberName, target: fc.oneof(relPath, memberName, linkTarget) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('chain' as const),
      dir: plainPath,
      depth: fc.integer({ min: 0, max: 14 }),
      through: fc.constantFrom('hardlink' as const, 'write' as const, 'none' as const),
    }),
  },
);
// Duplicates come from the small name alphabet; replaying members makes more of them.
const archive = fc.array(spec, { minLength: 1, maxLength: 14 }).chain((members) => fc.subarray(members).map((again) => [...members, ...again]));

interface Sandbox {
  root: string;
  outside: string;
  dest: string;
  archiveDir: string;
}

/** A fresh sandbox: a folder outside the target with files to protect, the target deep below. */
async function sandbox(): Promise<Sandbox> {
  const root = await mkdtemp(join(base, 'run-'));
  const outside = join(root, 'outside');
  await mkdir(join(outside, 'dir'), { recursive: true });
  await writeFile(join(outside, 'canary'), 'secret');
  await writeFile(join(outside, 'dir', 'inner'), 'inner');
  const dest = join(root, 'deep', 'x', 'y', 'dest');
  await mkdir(dest, { recursive: true });
  const archiveDir = join(root, 'in');
  await mkdir(archiveDir);
  return { root, outside, dest, archiveDir };
}

/** Everything under the sandbox except the target folder: type, mode, size, content, link text, inode. */
async function snapshot(s: Sandbox): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const rel of walkNoFollow(s.root)) {
    const p = join(s.root, rel);
    if (p === s.dest || p.startsWith(s.dest + sep)) continue;
    const st = await lstat(p);
    let what = `${st.mode}:${st.ino}`;
    if (st.isFile())
      what += `:${createHash('sha256')
        .update(await readFile(p))
        .digest('hex')}`;
    else if (st.isSymbolicLink()) what += `:-> ${await readlink(p)}`;
    out.set(rel, what);
  }
  return out;
}

const fill = (text: string, s: Sandbox) => text.replaceAll(OUT, s.outside);

/** A chain spec as the members it stands for; other specs as they are. */
function expand(specs: Spec[]): Exclude<Spec, { kind: 'chain' }>[] {
  return specs.flatMap((m) => {
    if (m.kind !== 'chain') return [m];
    const d = m.dir;
    const out: Exclude<Spec, { kind: 'chain' }>[] = [
      { kind: 'dir', name: `${d}/a/` },
      { kind: 'symlink', name: `${d}/a/b`, target: '../..' },
      { kind: 'symlink', name: `${d}/c0`, target: 'a/b/..' },
    ];
    for (let i = 1; i <= m.depth; i++) out.push({ kind: 'symlink', name: `${d}/c${i}`, target: `c${i - 1}/..` });
    // The top of the chain is / when it is deep enough: OUT is absolute, so top + OUT names the canary.
    const top = `${d}/c${m.depth}`;
    if (m.through === 'hardlink') out.push({ kind: 'hardlink', name: `${d}/h`, target: `${top}${OUT}/canary` });
    if (m.through === 'write') out.push({ kind: 'file', name: `${top}${OUT}/canary`, content: 'pwned' });
    return out;
  });
}

function tarMembers(specs: Spec[], s: Sandbox): TarMember[] {
  return expand(specs).map((m) => {
    const name = fill(m.name, s);
    if (m.kind === 'file') return { name, content: m.content };
    if (m.kind === 'dir') return { name, type: 'directory' };
    return { name, type: m.kind === 'symlink' ? 'symlink' : 'link', linkname: fill(m.target, s) };
  });
}

/**
 * Zips are written by Python's zipfile, as real wheels and zip sdists are: one process for the whole
 * property (a Python start per run cost more than the runs), fed one JSON line per archive.
 */
class ZipWriter {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly replies: ((line: string) => void)[] = [];
  constructor() {
    const script = [
      'import json, sys, zipfile',
      'for line in sys.stdin:',
      '    job = json.loads(line)',
      '    try:',
      "        with zipfile.ZipFile(job['path'], 'w') as z:",
      "            for m in job['members']:",
      "                info = zipfile.ZipInfo(m['name'])",
      "                info.external_attr = m['mode'] << 16",
      "                z.writestr(info, m['content'])",
      "        print('ok', flush=True)",
      '    except Exception as e:',
      "        print(repr(e).replace('\\n', ' '), flush=True)",
    ].join('\n');
    // -W ignore: zipfile warns on every duplicate name, and an unread stderr would fill and block.
    this.child = spawn('python3', ['-W', 'ignore', '-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.replies.shift()?.(line));
    this.child.once('exit', (code) => {
      for (const reply of this.replies.splice(0)) reply(`python exited with ${code}`);
    });
  }
  write(path: string, members: unknown[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.replies.push((line) => (line === 'ok' ? resolve() : reject(new Error(line))));
      this.child.stdin.write(`${JSON.stringify({ path, members })}\n`);
    });
  }
  close(): void {
    this.child.stdin.end();
  }
}

/** A zip of these members; symlinks by their unix mode, as zipfile and Info-ZIP store them. */
async function writeZip(zips: ZipWriter, path: string, specs: Spec[], s: Sandbox): Promise<void> {
  const members = expand(specs).map((m) => {
    const name = fill(m.name, s);
    if (m.kind === 'file') return { name, content: m.content, mode: 0o100644 };
    if (m.kind === 'dir') return { name: name.endsWith('/') ? name : `${name}/`, content: '', mode: 0o040755 };
    // zip has no hardlinks: a member that claims to be one by its mode (unknown type bits)
    return { name, content: fill(m.target, s), mode: m.kind === 'symlink' ? 0o120777 : 0o010644 };
  });
  await zips.write(path, members);
}

/** The checks after one extraction (successful or refused). */
async function checkConfined(s: Sandbox, before: Map<string, string>, outcome: unknown): Promise<void> {
  if (outcome !== undefined) {
    expect(outcome).toBeInstanceOf(RefineryError);
    expect((outcome as RefineryError).code).toBe('input');
  }
  expect(await snapshot(s)).toEqual(before);
  const outsideInodes = new Set([...before.values()].map((v) => v.split(':')[1]));
  const destReal = await realpath(s.dest);
  for (const rel of walkNoFollow(s.dest)) {
    const p = join(s.dest, rel);
    const st = await lstat(p);
    if (st.isSymbolicLink()) {
      const real = await realpath(p).catch(() => undefined); // dangling, looping or through a file
      if (real !== undefined) expect(relative(destReal, real).split(sep)[0], `${rel} -> ${real}`).not.toBe('..');
    } else {
      expect(outsideInodes.has(String(st.ino)), `${rel} shares an inode with a file outside`).toBe(false);
    }
  }
}

async function attempt(path: string, s: Sandbox): Promise<unknown> {
  return extractSafely(path, s.dest).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('extractSafely over generated hostile archives', () => {
  it('tar: success or an input error, never a change outside the target folder', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(archive, async (specs) => {
        const s = await sandbox();
        try {
          const path = await writeTarGz(join(s.archiveDir, 'gen-1.0.tar.gz'), tarMembers(specs, s));
          const before = await snapshot(s);
          await checkConfined(s, before, await attempt(path, s));
        } finally {
          await rm(s.root, { recursive: true, force: true });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('zip: success or an input error, never a change outside the target folder', { timeout: 120_000 }, async () => {
    const zips = new ZipWriter();
    try {
      await fc.assert(
        fc.asyncProperty(archive, async (specs) => {
          const s = await sandbox();
          try {
            const path = join(s.archiveDir, 'gen-1.0.zip');
            await writeZip(zips, path, specs, s);
            const before = await snapshot(s);
            await checkConfined(s, before, await attempt(path, s));
          } finally {
            await rm(s.root, { recursive: true, force: true });
          }
        }),
        { numRuns: 200 },
      );
    } finally {
      zips.close();
    }
  });
});
