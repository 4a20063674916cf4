import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { archiveFormat, extractSafely, readArchiveMember } from '../../src/adapters/archive.js';
import { RefineryError } from '../../src/errors.js';
import { run } from '../../src/adapters/process.js';
import { type TarMember, writeTarGz } from '../fixtures/sdists/crafted.js';
import { walkNoFollow } from '../helpers/tree.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-archive-test-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Write a tarball (gzip unless the name ends in .tar) with exactly these members. */
function makeTar(name: string, members: TarMember[]): Promise<string> {
  return writeTarGz(join(work, name), members);
}

/** A zip written by Python's zipfile (members: name, content, optional unix mode incl. type bits). */
async function makeZip(name: string, members: { name: string; content?: string; mode?: number; zeros?: number }[]): Promise<string> {
  const path = join(work, name);
  const script = [
    'import json, sys, zipfile',
    'members = json.loads(sys.argv[2])',
    "with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:",
    '    for m in members:',
    "        info = zipfile.ZipInfo(m['name'])",
    "        info.external_attr = (m.get('mode') or 0o100644) << 16",
    '        info.compress_type = zipfile.ZIP_DEFLATED',
    "        z.writestr(info, bytes(m['zeros']) if 'zeros' in m else m.get('content', ''))",
  ].join('\n');
  const r = await run('python3', ['-c', script, path, JSON.stringify(members)]);
  if (r.exitCode !== 0) throw new Error(r.all);
  return path;
}

async function refused(p: Promise<unknown>, pattern: RegExp): Promise<RefineryError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RefineryError);
  expect((e as RefineryError).code).toBe('input');
  expect((e as RefineryError).message).toMatch(pattern);
  return e as RefineryError;
}

const dest = () => join(work, 'out');

describe('extractSafely: ordinary sdists', () => {
  it('extracts files, directories, inner symlinks and hardlinks', async () => {
    const a = await makeTar('ok-1.0.tar.gz', [
      { name: 'ok-1.0/', type: 'directory' },
      { name: 'ok-1.0/PKG-INFO', content: 'Metadata-Version: 2.1\n' },
      { name: './ok-1.0/src/ok/__init__.py', content: 'x = 1\n' },
      { name: 'ok-1.0/run.sh', content: '#!/bin/sh\n', mode: 0o4755 },
      { name: 'ok-1.0/link', type: 'symlink', linkname: 'src/ok/__init__.py' },
      { name: 'ok-1.0/hard', type: 'link', linkname: 'ok-1.0/PKG-INFO' },
    ]);
    const r = await extractSafely(a, dest());
    expect(r.files).toBe(4);
    expect(await readFile(join(dest(), 'ok-1.0/src/ok/__init__.py'), 'utf8')).toBe('x = 1\n');
    expect(await readlink(join(dest(), 'ok-1.0/link'))).toBe('src/ok/__init__.py');
    expect(await readFile(join(dest(), 'ok-1.0/hard'), 'utf8')).toBe('Metadata-Version: 2.1\n');
    // Executable bit kept, setuid dropped.
    expect((await lstat(join(dest(), 'ok-1.0/run.sh'))).mode & 0o7777).toBe(0o755);
  });

  it('extracts plain .tar and .zip archives', async () => {
    await extractSafely(await makeTar('p-1.0.tar', [{ name: 'p-1.0/a.txt', content: 'a' }]), dest());
    await extractSafely(await makeZip('z-1.0.zip', [{ name: 'z-1.0/b.txt', content: 'b' }]), dest());
    expect(await readFile(join(dest(), 'p-1.0/a.txt'), 'utf8')).toBe('a');
    expect(await readFile(join(dest(), 'z-1.0/b.txt'), 'utf8')).toBe('b');
  });
});

describe('extractSafely: refuses malicious archives', () => {
  it('refuses ../ path traversal and writes nothing outside', async () => {
    const a = await makeTar('evil.tar.gz', [{ name: 'evil-1.0/../../escaped.txt', content: 'pwned' }]);
    await refused(extractSafely(a, dest()), /climbs out of the tree/);
    expect(existsSync(join(work, 'escaped.txt'))).toBe(false);
  });

  it('refuses absolute member paths', async () => {
    const a = await makeTar('abs.tar.gz', [{ name: '/tmp/refinery-absolute-escape.txt', content: 'pwned' }]);
    await refused(extractSafely(a, dest()), /absolute/);
    expect(existsSync('/tmp/refinery-absolute-escape.txt')).toBe(false);
  });

  it('refuses symlinks pointing outside the tree, relative or absolute', async () => {
    await refused(extractSafely(await makeTar('s1.tar.gz', [{ name: 'p/link', type: 'symlink', linkname: '../../outside' }]), dest()), /symlink .* outside/);
    await refused(extractSafely(await makeTar('s2.tar.gz', [{ name: 'p/link', type: 'symlink', linkname: '/etc/passwd' }]), dest()), /symlink .* outside/);
  });

  it('refuses to write through a symlink, even one that points inside', async () => {
    const a = await makeTar('through.tar.gz', [
      { name: 'p/sub/', type: 'directory' },
      { name: 'p/d', type: 'symlink', linkname: 'sub' },
      { name: 'p/d/file.txt', content: 'x' },
    ]);
    await refused(extractSafely(a, dest()), /through the symlink/);
  });

  it('replaces a symlink with a later file of the same name instead of writing through it', async () => {
    await writeFile(join(work, 'secret'), 'keep');
    const a = await makeTar('swap.tar.gz', [
      { name: 'p/x', type: 'symlink', linkname: 'y' },
      { name: 'p/x', content: 'overwrite' },
    ]);
    await extractSafely(a, dest());
    // The duplicate member replaced the link itself; nothing was written through it.
    expect((await lstat(join(dest(), 'p/x'))).isFile()).toBe(true);
    expect(await readFile(join(work, 'secret'), 'utf8')).toBe('keep');
  });

  it('refuses hardlinks to files outside the tree', async () => {
    await refused(extractSafely(await makeTar('h1.tar.gz', [{ name: 'p/h', type: 'link', linkname: '../outside' }]), dest()), /climbs out/);
    await refused(extractSafely(await makeTar('h2.tar.gz', [{ name: 'p/h', type: 'link', linkname: '/etc/passwd' }]), dest()), /absolute/);
    await refused(extractSafely(await makeTar('h3.tar.gz', [{ name: 'p/h', type: 'link', linkname: 'p/not-extracted' }]), dest()), /hardlink/);
  });

  it('refuses device files and FIFOs', async () => {
    await refused(extractSafely(await makeTar('dev.tar.gz', [{ name: 'p/null', type: 'character-device' }]), dest()), /character-device/);
    await refused(extractSafely(await makeTar('blk.tar.gz', [{ name: 'p/sda', type: 'block-device' }]), dest()), /block-device/);
    await refused(extractSafely(await makeTar('fifo.tar.gz', [{ name: 'p/pipe', type: 'fifo' }]), dest()), /fifo/);
  });

  it('refuses a decompression bomb under the default limits', async () => {
    const a = await makeTar('bomb.tar.gz', [{ name: 'p/zeros', zeros: 100 * 1024 * 1024 }]);
    await refused(extractSafely(a, dest()), /decompression bomb/);
  });

  it('refuses by expansion ratio, total size and member count when limits are tightened', async () => {
    const a = await makeTar('ratio.tar.gz', [{ name: 'p/zeros', zeros: 4 * 1024 * 1024 }]);
    await refused(extractSafely(a, dest(), { ratioFreeBytes: 1024 * 1024, maxRatio: 10 }), /ratio 10:1/);
    await refused(extractSafely(a, join(work, 'o2'), { maxTotalBytes: 1024 * 1024 }), /decompression bomb/);
    const many = await makeTar(
      'many.tar.gz',
      Array.from({ length: 20 }, (_, i) => ({ name: `p/f${i}`, content: '' })),
    );
    await refused(extractSafely(many, join(work, 'o3'), { maxMembers: 10 }), /more than 10 members/);
  });

  it('refuses zip traversal, symlinks and declared bombs', async () => {
    await refused(extractSafely(await makeZip('t.zip', [{ name: '../escape.txt', content: 'x' }]), dest()), /escape\.txt/);
    await refused(extractSafely(await makeZip('l.zip', [{ name: 'p/link', content: '/etc/passwd', mode: 0o120777 }]), dest()), /not a regular file/);
    const big = await makeZip('b.zip', [{ name: 'p/zeros', zeros: 2 * 1024 * 1024 }]);
    await refused(extractSafely(big, join(work, 'o4'), { ratioFreeBytes: 1024, maxRatio: 10 }), /decompression bomb/);
  });

  it('reports a damaged archive as one input error', async () => {
    const path = join(work, 'broken-1.0.tar.gz');
    await writeFile(path, Buffer.from('this is not gzip at all'));
    await refused(extractSafely(path, dest()), /cannot read the archive/);
  });
});

/** Where each symlink under dir really leads (realpath), for those that resolve at all. */
async function linkDestinations(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const rel of walkNoFollow(dir)) {
    const p = join(dir, rel);
    if ((await lstat(p)).isSymbolicLink()) {
      const real = await realpath(p).catch(() => undefined);
      if (real) out.push(real);
    }
  }
  return out;
}

describe('extractSafely: links are judged by where they lead, not by their text', () => {
  /** `p/a/b -> ../..`, `p/c0 -> a/b/..`, `p/cN -> cN-1/..`: each reads as in-tree, together they climb to /. */
  function chain(depth: number) {
    const members: TarMember[] = [
      { name: 'p/a/', type: 'directory' },
      { name: 'p/a/b', type: 'symlink', linkname: '../..' },
      { name: 'p/c0', type: 'symlink', linkname: 'a/b/..' },
    ];
    for (let i = 1; i <= depth; i++) members.push({ name: `p/c${i}`, type: 'symlink', linkname: `c${i - 1}/..` });
    return { members, top: `p/c${depth}` };
  }

  it('refuses the chain a/b -> ../.., c0 -> a/b/.., cN -> cN-1/.. that climbs to /', async () => {
    const { members } = chain(dest().split('/').length + 2);
    await refused(extractSafely(await makeTar('chain.tar.gz', members), dest()), /symlink "p\/c0" points outside the tree .*climbs above the tree/);
    for (const real of await linkDestinations(dest())) expect(real.startsWith(`${dest()}/`) || real === dest()).toBe(true);
  });

  it('refuses a hardlink through that chain to a file outside, which stays untouched', async () => {
    const canary = join(work, 'canary');
    await writeFile(canary, 'secret');
    const { members, top } = chain(dest().split('/').length + 2);
    members.push({ name: 'p/h', type: 'link', linkname: `${top}${canary}` });
    await refused(extractSafely(await makeTar('chain-hard.tar.gz', members), dest()), /points outside the tree/);
    // Nothing in the tree shares the canary's inode (a hardlink to it would let a build rewrite it).
    const { ino } = await lstat(canary);
    for (const rel of walkNoFollow(dest())) {
      expect((await lstat(join(dest(), rel))).ino).not.toBe(ino);
    }
    expect(await readFile(canary, 'utf8')).toBe('secret');
  });

  it('refuses a hardlink that reaches a member through a symlink: only members themselves may be named', async () => {
    const a = await makeTar('hard-via-link.tar.gz', [
      { name: 'p/sub/f', content: 'x' },
      { name: 'p/d', type: 'symlink', linkname: 'sub' },
      { name: 'p/h', type: 'link', linkname: 'p/d/f' },
    ]);
    await refused(extractSafely(a, dest()), /hardlink "p\/h" .*regular member extracted before it/);
    const self = await makeTar('hard-self.tar.gz', [
      { name: 'p/f', content: 'x' },
      { name: 'p/f', type: 'link', linkname: 'p/f' },
    ]);
    await refused(extractSafely(self, join(work, 'o-self')), /hardlink "p\/f" names itself/);
  });

  it('refuses a link that a later member turns into an escape (the finished tree is checked again)', async () => {
    const a = await makeTar('late.tar.gz', [
      { name: 'p/sub/', type: 'directory' },
      { name: 'p/x', type: 'symlink', linkname: 'sub' },
      { name: 'p/l', type: 'symlink', linkname: 'x/../..' }, // x -> sub: p/sub/../.. is the root
      { name: 'p/x', type: 'symlink', linkname: '..' }, // now x is the root and l its parent
    ]);
    await refused(extractSafely(a, dest()), /symlink "p\/l" points outside the tree/);
  });

  it("refuses '..' after a component that does not exist yet (a later member could make it a link)", async () => {
    const a = await makeTar('pending.tar.gz', [
      { name: 'p/l', type: 'symlink', linkname: 'm/../..' },
      { name: 'p/m', type: 'symlink', linkname: '..' },
    ]);
    await refused(extractSafely(a, dest()), /symlink "p\/l" .*'\.\.' follows "p\/m"/);
  });

  it('refuses link loops and absolute links met on the way', async () => {
    await refused(
      extractSafely(
        await makeTar('loop.tar.gz', [
          { name: 'p/x', type: 'symlink', linkname: 'y' },
          { name: 'p/y', type: 'symlink', linkname: 'x' },
        ]),
        dest(),
      ),
      /more than 40 links/,
    );
  });

  it('keeps the links real sdists have: up within the tree, to the root, dangling, later members', async () => {
    await mkdir(dest(), { recursive: true });
    const a = await makeTar('fine-1.0.tar.gz', [
      { name: 'fine-1.0/docs/LICENSE', type: 'symlink', linkname: '../LICENSE' },
      { name: 'fine-1.0/LICENSE', content: 'MIT' },
      { name: 'fine-1.0/a/b', type: 'symlink', linkname: '../..' },
      { name: 'fine-1.0/dangling', type: 'symlink', linkname: 'build/lib/x.so' },
      { name: 'fine-1.0/hard', type: 'link', linkname: 'fine-1.0/LICENSE' },
    ]);
    await extractSafely(a, dest());
    expect(await readFile(join(dest(), 'fine-1.0/docs/LICENSE'), 'utf8')).toBe('MIT');
    expect(await realpath(join(dest(), 'fine-1.0/a/b'))).toBe(await realpath(dest()));
    expect(await readlink(join(dest(), 'fine-1.0/dangling'))).toBe('build/lib/x.so');
    expect(await readFile(join(dest(), 'fine-1.0/hard'), 'utf8')).toBe('MIT');
  });
});

describe('readArchiveMember', () => {
  it('reads one member by pattern without extracting', async () => {
    const a = await makeTar('pkg-1.0.tar.gz', [
      { name: 'pkg-1.0/pkg.egg-info/PKG-INFO', content: 'wrong one' },
      { name: 'pkg-1.0/PKG-INFO', content: 'Metadata-Version: 2.2\n' },
    ]);
    const m = await readArchiveMember(a, /^[^/]+\/PKG-INFO$/);
    expect(m).toEqual({ path: 'pkg-1.0/PKG-INFO', data: Buffer.from('Metadata-Version: 2.2\n') });
    expect(await readArchiveMember(a, /pyproject\.toml$/)).toBeUndefined();
    expect(existsSync(join(work, 'pkg-1.0'))).toBe(false);
  });

  it('reads zip members', async () => {
    const z = await makeZip('w-1.0-py3-none-any.whl', [{ name: 'w-1.0.dist-info/METADATA', content: 'Name: w\n' }]);
    expect((await readArchiveMember(z, /\.dist-info\/METADATA$/))?.data.toString()).toBe('Name: w\n');
  });

  it('refuses oversized members instead of buffering them', async () => {
    const a = await makeTar('big-1.0.tar.gz', [{ name: 'big-1.0/PKG-INFO', zeros: 2048 }]);
    await refused(readArchiveMember(a, /PKG-INFO$/, { maxBytes: 1024 }), /larger than 1024 bytes/);
  });

  it('says clearly that .tar.bz2 and .tar.xz are not supported', () => {
    expect(() => archiveFormat('legacy-1.0.tar.bz2')).toThrow(/unsupported archive format/);
    expect(archiveFormat('x-1.0.tgz')).toBe('tar.gz');
    expect(archiveFormat('x-1.0-py3-none-any.whl')).toBe('zip');
  });
});
