/**
 * Safe reading of distribution archives (sdists as .tar.gz/.tgz/.tar or .zip, wheels as .zip).
 *
 * readArchiveMember streams to the first member that matches and stops; nothing touches the disk.
 * extractSafely writes a whole archive under `dest` and refuses, with a RefineryError code 'input',
 * anything that could write outside it or exhaust the machine: absolute or `..` member paths,
 * symlinks leaving the tree, hardlinks to anything but a regular member extracted before them,
 * writes through symlinks, device files and FIFOs, and decompression bombs (total bytes, member
 * count, expansion ratio). On refusal `dest` may hold a partial tree: the caller discards it.
 *
 * Symlinks are judged by where they lead in the tree extracted so far, not by their text: a chain
 * like `a/b -> ../..`, `c0 -> a/b/..`, `c1 -> c0/..` reads as in-tree link by link and climbs to `/`
 * when followed. Each link's target is walked component by component on disk (lstat, readlink),
 * following the links already there, and refused when a `..` would leave `dest`, when it passes an
 * absolute link, or when a `..` follows a component that does not exist yet (a later member could
 * make that component a link). Once every member is written, every link is walked again against the
 * final tree, so a later member cannot change where an earlier link leads.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { link, lstat, mkdir, readlink, rm, stat, symlink } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import { RefineryError } from '../errors.js';

export type ArchiveFormat = 'tar.gz' | 'tar' | 'zip';

export interface ArchiveLimits {
  /** Total uncompressed bytes (default 2 GiB). */
  maxTotalBytes: number;
  /** Number of members (default 100,000). */
  maxMembers: number;
  /** Uncompressed/compressed ratio allowed beyond `ratioFreeBytes` (default 200). */
  maxRatio: number;
  /** Output below this size is never a bomb, whatever the ratio (default 64 MiB). */
  ratioFreeBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxTotalBytes: 2 * 1024 ** 3,
  maxMembers: 100_000,
  maxRatio: 200,
  ratioFreeBytes: 64 * 1024 ** 2,
};

export interface ArchiveMember {
  /** Member path inside the archive, without a leading `./`. */
  path: string;
  data: Buffer;
}

export interface ExtractResult {
  files: number;
  bytes: number;
}

/** Format from the file name; .tar.bz2/.tar.xz are refused with an actionable error. */
export function archiveFormat(filename: string): ArchiveFormat {
  const name = basename(filename).toLowerCase();
  if (name.endsWith('.tar.gz') || name.endsWith('.tgz')) return 'tar.gz';
  if (name.endsWith('.zip') || name.endsWith('.whl')) return 'zip';
  if (name.endsWith('.tar')) return 'tar';
  throw new RefineryError('input', `${basename(filename)}: unsupported archive format`, {
    fix: 'only .tar.gz, .tgz, .tar, .zip sdists and .whl wheels are read (PEP 625 sdists are .tar.gz)',
  });
}

export interface ArchiveNameOption {
  /**
   * The distribution's file name, when the path does not end with it (a content-addressed cache
   * blob): it gives the format and names the archive in errors.
   */
  filename?: string;
}

/**
 * The first member whose path matches (`./` stripped), or undefined. Members larger than
 * `maxBytes` (default 64 MiB) are refused rather than buffered.
 */
export async function readArchiveMember(
  archivePath: string,
  match: RegExp | ((path: string) => boolean),
  opts: { maxBytes?: number } & ArchiveNameOption = {},
): Promise<ArchiveMember | undefined> {
  const test = typeof match === 'function' ? match : (p: string) => match.test(p);
  const maxBytes = opts.maxBytes ?? 64 * 1024 ** 2;
  const name = opts.filename ?? basename(archivePath);
  const format = archiveFormat(name);
  return format === 'zip' ? readZipMember(archivePath, name, test, maxBytes) : readTarMember(archivePath, name, format, test, maxBytes);
}

/**
 * Every member path of a zip (a wheel) and the data of those `want` picks, read in place: each
 * picked member at most `maxBytes`, all of them together at most `maxTotalBytes`.
 */
export async function readZipMembers(
  archivePath: string,
  want: (path: string) => boolean,
  opts: { maxBytes?: number; maxTotalBytes?: number } & ArchiveNameOption = {},
): Promise<{ paths: string[]; members: ArchiveMember[] }> {
  const name = opts.filename ?? basename(archivePath);
  const maxBytes = opts.maxBytes ?? 256 * 1024 ** 2;
  let budget = opts.maxTotalBytes ?? 1024 ** 3;
  let zip: yauzl.ZipFile | undefined;
  const paths: string[] = [];
  const members: ArchiveMember[] = [];
  try {
    zip = await openZip(archivePath);
    const z = zip;
    await eachZipEntry(z, async (entry) => {
      const path = entry.fileName.replace(/^(\.\/)+/, '');
      if (paths.length >= DEFAULT_ARCHIVE_LIMITS.maxMembers) throw refuse(name, `more than ${DEFAULT_ARCHIVE_LIMITS.maxMembers} members`);
      paths.push(path);
      if (path.endsWith('/') || !want(path)) return true;
      if (entry.uncompressedSize > maxBytes || entry.uncompressedSize > budget) {
        throw refuse(name, `member ${JSON.stringify(path)} is larger than ${Math.min(maxBytes, budget)} bytes`);
      }
      budget -= entry.uncompressedSize;
      const chunks: Buffer[] = [];
      for await (const chunk of await zipEntryStream(z, entry)) chunks.push(chunk as Buffer);
      members.push({ path, data: Buffer.concat(chunks) });
      return true;
    });
    return { paths, members };
  } catch (e) {
    throw asArchiveError(name, e);
  } finally {
    zip?.close();
  }
}

/**
 * Path and size of every regular file, from the member headers alone (nothing is written; a tar
 * stream is read through, file bodies skipped). At most `maxMembers` are listed.
 */
export async function listArchiveFiles(
  archivePath: string,
  opts: ArchiveNameOption & { maxMembers?: number } = {},
): Promise<Array<{ path: string; size: number }>> {
  const name = opts.filename ?? basename(archivePath);
  const max = opts.maxMembers ?? DEFAULT_ARCHIVE_LIMITS.maxMembers;
  const out: Array<{ path: string; size: number }> = [];
  if (archiveFormat(name) === 'zip') {
    const zip = await openZip(archivePath).catch((e: unknown) => {
      throw asArchiveError(name, e);
    });
    try {
      await eachZipEntry(zip, async (entry) => {
        if (!entry.fileName.endsWith('/')) out.push({ path: entry.fileName.replace(/^(\.\/)+/, ''), size: entry.uncompressedSize });
        return out.length < max;
      });
    } catch (e) {
      throw asArchiveError(name, e);
    } finally {
      zip.close();
    }
    return out;
  }
  const extract = tarStream(archivePath, archiveFormat(name));
  try {
    for await (const entry of extract) {
      const h = entry.header;
      if (h.type === 'file' || h.type === 'contiguous-file') out.push({ path: h.name.replace(/^(\.\/)+/, ''), size: h.size ?? 0 });
      entry.resume();
      if (out.length >= max) break;
    }
    return out;
  } catch (e) {
    throw asArchiveError(name, e);
  } finally {
    extract.destroy();
  }
}

/** Extract every member under `dest` (created when missing), refusing anything unsafe. */
export async function extractSafely(archivePath: string, dest: string, opts: Partial<ArchiveLimits> & ArchiveNameOption = {}): Promise<ExtractResult> {
  const { filename, ...limits } = opts;
  const lim = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  const root = resolve(dest);
  await mkdir(root, { recursive: true });
  const compressed = (await stat(archivePath)).size;
  const budget = bombBudget(lim, compressed);
  const name = filename ?? basename(archivePath);
  const format = archiveFormat(name);
  const ctx: ExtractContext = { archive: name, root, lim, budget, files: 0, bytes: 0, members: 0, links: new Set(), regular: new Map() };
  if (format === 'zip') await extractZip(archivePath, ctx);
  else await extractTar(archivePath, format, ctx);
  await recheckLinks(ctx);
  return { files: ctx.files, bytes: ctx.bytes };
}

interface ExtractContext {
  archive: string;
  root: string;
  lim: ArchiveLimits;
  /** Bytes of output allowed, from the total limit and the ratio. */
  budget: number;
  files: number;
  bytes: number;
  members: number;
  /** Member paths (segments joined by '/') created as symlinks, walked again at the end. */
  links: Set<string>;
  /** Regular files written, by member path: the only things a hardlink may name. */
  regular: Map<string, { dev: number; ino: number }>;
}

function bombBudget(lim: ArchiveLimits, compressedBytes: number): number {
  return Math.min(lim.maxTotalBytes, Math.max(lim.ratioFreeBytes, compressedBytes * lim.maxRatio));
}

function refuse(archive: string, why: string): RefineryError {
  return new RefineryError('input', `${archive}: refused to extract: ${why}`, {
    fix: 'the archive is malformed or malicious; get it again from a trusted source',
  });
}

function bombError(ctx: { archive: string; lim: ArchiveLimits; budget: number }): RefineryError {
  return refuse(
    ctx.archive,
    `it expands beyond ${ctx.budget} bytes (limits: ${ctx.lim.maxTotalBytes} bytes total, ratio ${ctx.lim.maxRatio}:1), a likely decompression bomb`,
  );
}

/** Member name -> safe path segments, or a refusal. */
function memberSegments(archive: string, name: string): string[] {
  if (name.includes('\0')) throw refuse(archive, `member name ${JSON.stringify(name)} contains a NUL byte`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\')) {
    throw refuse(archive, `member ${JSON.stringify(name)} has an absolute or Windows path`);
  }
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw refuse(archive, `member ${JSON.stringify(name)} climbs out of the tree with '..'`);
  return segments;
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/** Create parent directories, refusing to pass through a symlink (the classic write-through attack). */
async function safeParent(ctx: ExtractContext, segments: readonly string[], member: string): Promise<void> {
  let dir = ctx.root;
  for (const seg of segments) {
    dir = join(dir, seg);
    const st = await lstat(dir).catch(() => undefined);
    if (!st) await mkdir(dir);
    else if (st.isSymbolicLink()) throw refuse(ctx.archive, `member ${JSON.stringify(member)} would be written through the symlink ${JSON.stringify(seg)}`);
    else if (!st.isDirectory()) throw refuse(ctx.archive, `member ${JSON.stringify(member)} needs ${JSON.stringify(seg)} to be a directory`);
  }
}

/** Remove whatever is at `path` (a file or link from an earlier duplicate member), never following links. */
async function clearTarget(ctx: ExtractContext, path: string, member: string): Promise<void> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return;
  if (st.isDirectory()) throw refuse(ctx.archive, `member ${JSON.stringify(member)} replaces a directory`);
  await rm(path, { force: true });
}

/** Symlinks followed in one walk before it counts as a loop (Linux's own limit). */
const MAX_LINK_HOPS = 40;

/**
 * Why the symlink target `to`, of a link in the directory `dirSegments` (real directories under
 * the root), is not plainly inside the tree; undefined when it is. The walk follows the tree as it
 * is on disk, links included, and never looks outside the root.
 */
async function linkEscape(root: string, dirSegments: readonly string[], to: string): Promise<string | undefined> {
  if (to === '') return 'its target is empty';
  if (to.startsWith('/')) return 'its target is absolute';
  const pos = [...dirSegments];
  const pending = to.split('/').reverse(); // a stack: the next component is last
  let hops = 0;
  while (pending.length > 0) {
    const c = pending.pop()!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (pos.length === 0) return 'following it climbs above the tree';
      pos.pop();
      continue;
    }
    const st = await lstat(join(root, ...pos, c)).catch(() => undefined);
    if (st?.isDirectory()) {
      pos.push(c);
    } else if (st?.isSymbolicLink()) {
      if (++hops > MAX_LINK_HOPS) return `following it takes more than ${MAX_LINK_HOPS} links (a loop)`;
      const next = await readlink(join(root, ...pos, c));
      if (next.startsWith('/')) return 'it leads through a link with an absolute target';
      pending.push(...next.split('/').reverse());
    } else {
      // Missing, or a file: the walk ends here today, but a later member (or the build) could make
      // this component a link, and a '..' after it would then climb from wherever that leads.
      if (pending.includes('..')) return `'..' follows ${JSON.stringify([...pos, c].join('/'))}, which is not a directory of the tree`;
      return undefined;
    }
  }
  return undefined;
}

/** Refuse a symlink member whose target, walked through the tree extracted so far, leaves it. */
async function checkLink(ctx: ExtractContext, segments: readonly string[], member: string, to: string): Promise<void> {
  const why = await linkEscape(ctx.root, segments.slice(0, -1), to);
  if (why) throw refuse(ctx.archive, `symlink ${JSON.stringify(member)} points outside the tree (${JSON.stringify(to)}): ${why}`);
}

/** Every link walked again in the finished tree: later members may have changed where it leads. */
async function recheckLinks(ctx: ExtractContext): Promise<void> {
  for (const key of ctx.links) {
    const segments = key.split('/');
    const path = join(ctx.root, ...segments);
    const st = await lstat(path).catch(() => undefined);
    if (!st?.isSymbolicLink()) continue; // replaced by a later member
    await checkLink(ctx, segments, key, await readlink(path));
  }
}

function countMember(ctx: ExtractContext): void {
  ctx.members++;
  if (ctx.members > ctx.lim.maxMembers) throw refuse(ctx.archive, `more than ${ctx.lim.maxMembers} members`);
}

/** Counts decompressed bytes through the stream and stops it past the budget. */
function byteGuard(ctx: { archive: string; lim: ArchiveLimits; budget: number }): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > ctx.budget) done(bombError(ctx));
      else done(null, chunk);
    },
  });
}

async function writeFile(ctx: ExtractContext, segments: readonly string[], member: string, source: Readable, executable: boolean): Promise<void> {
  const target = join(ctx.root, ...segments);
  const key = segments.join('/');
  await clearTarget(ctx, target, member);
  ctx.regular.delete(key);
  // 'wx' fails rather than follow a link planted between the check and the open.
  await pipeline(source, createWriteStream(target, { flags: 'wx', mode: executable ? 0o755 : 0o644 }));
  const st = await lstat(target);
  ctx.regular.set(key, { dev: st.dev, ino: st.ino });
  ctx.files++;
}

/**
 * A hardlink member: its source must be a regular member this extraction wrote (same inode still
 * there), never whatever a path through links reaches.
 */
async function writeHardlink(ctx: ExtractContext, segments: readonly string[], member: string, to: string): Promise<void> {
  const fromSegments = memberSegments(ctx.archive, to);
  const key = fromSegments.join('/');
  if (key === segments.join('/')) throw refuse(ctx.archive, `hardlink ${JSON.stringify(member)} names itself`);
  const written = ctx.regular.get(key);
  const source = join(ctx.root, ...fromSegments);
  const st = written && (await lstat(source).catch(() => undefined));
  if (!written || !st?.isFile() || st.ino !== written.ino || st.dev !== written.dev) {
    throw refuse(
      ctx.archive,
      `hardlink ${JSON.stringify(member)} points outside the tree or to no extracted file (${JSON.stringify(to)}): it may only name a regular member extracted before it`,
    );
  }
  const target = join(ctx.root, ...segments);
  await safeParent(ctx, segments.slice(0, -1), member);
  await clearTarget(ctx, target, member);
  ctx.links.delete(segments.join('/'));
  await link(source, target);
  ctx.regular.set(segments.join('/'), written);
  ctx.files++;
}

// ---------------------------------------------------------------- tar

function tarStream(archivePath: string, format: ArchiveFormat, guard?: Transform): tar.Extract {
  const extract = tar.extract();
  const stages: NodeJS.ReadWriteStream[] = [];
  if (format === 'tar.gz') stages.push(createGunzip());
  if (guard) stages.push(guard);
  // The pipeline's failure surfaces through the extract stream's iteration.
  pipeline(createReadStream(archivePath), ...(stages as [NodeJS.ReadWriteStream]), extract).catch((e: unknown) => extract.destroy(e as Error));
  return extract;
}

async function readTarMember(
  archivePath: string,
  archive: string,
  format: ArchiveFormat,
  test: (p: string) => boolean,
  maxBytes: number,
): Promise<ArchiveMember | undefined> {
  const extract = tarStream(archivePath, format);
  try {
    for await (const entry of extract) {
      const path = entry.header.name.replace(/^(\.\/)+/, '');
      if ((entry.header.type === 'file' || entry.header.type === 'contiguous-file') && test(path)) {
        if ((entry.header.size ?? 0) > maxBytes) throw refuse(archive, `member ${JSON.stringify(path)} is larger than ${maxBytes} bytes`);
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        return { path, data: Buffer.concat(chunks) };
      }
      entry.resume();
    }
    return undefined;
  } catch (e) {
    throw asArchiveError(archive, e);
  } finally {
    extract.destroy();
  }
}

async function extractTar(archivePath: string, format: ArchiveFormat, ctx: ExtractContext): Promise<void> {
  const extract = tarStream(archivePath, format, byteGuard(ctx));
  try {
    for await (const entry of extract) {
      const h = entry.header;
      countMember(ctx);
      const segments = memberSegments(ctx.archive, h.name);
      if (segments.length === 0) {
        entry.resume();
        continue;
      }
      const target = join(ctx.root, ...segments);
      if (!inside(ctx.root, target)) throw refuse(ctx.archive, `member ${JSON.stringify(h.name)} resolves outside the tree`);
      switch (h.type) {
        case 'directory':
          await safeParent(ctx, segments, h.name);
          entry.resume();
          break;
        case 'file':
        case 'contiguous-file':
          await safeParent(ctx, segments.slice(0, -1), h.name);
          ctx.bytes += h.size ?? 0;
          await writeFile(ctx, segments, h.name, entry as unknown as Readable, ((h.mode ?? 0) & 0o111) !== 0);
          break;
        case 'symlink': {
          const to = h.linkname ?? '';
          await safeParent(ctx, segments.slice(0, -1), h.name);
          await checkLink(ctx, segments, h.name, to);
          await clearTarget(ctx, target, h.name);
          ctx.regular.delete(segments.join('/'));
          await symlink(to, target);
          ctx.links.add(segments.join('/'));
          entry.resume();
          break;
        }
        case 'link':
          // Hardlink names are archive-root relative.
          await writeHardlink(ctx, segments, h.name, h.linkname ?? '');
          entry.resume();
          break;
        case 'character-device':
        case 'block-device':
        case 'fifo':
          throw refuse(ctx.archive, `member ${JSON.stringify(h.name)} is a ${h.type}`);
        default:
          // pax/GNU extension headers are consumed by tar-stream; anything else carries no file.
          entry.resume();
      }
    }
  } catch (e) {
    throw asArchiveError(ctx.archive, e);
  } finally {
    extract.destroy();
  }
}

// ---------------------------------------------------------------- zip

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolvePromise, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true }, (err, zip) =>
      err || !zip ? reject(err ?? new Error('cannot open zip')) : resolvePromise(zip),
    );
  });
}

/** Entries one at a time; `visit` returns false to stop early. */
async function eachZipEntry(zip: yauzl.ZipFile, visit: (entry: yauzl.Entry) => Promise<boolean>): Promise<void> {
  await new Promise<void>((resolvePromise, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolvePromise());
    zip.on('entry', (entry: yauzl.Entry) => {
      visit(entry).then(
        (more) => (more ? zip.readEntry() : resolvePromise()),
        (e: unknown) => reject(e),
      );
    });
    zip.readEntry();
  });
}

function zipEntryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolvePromise, reject) => {
    zip.openReadStream(entry, (err, stream) => (err || !stream ? reject(err ?? new Error('cannot read entry')) : resolvePromise(stream)));
  });
}

function zipMode(entry: yauzl.Entry): number {
  return (entry.externalFileAttributes >>> 16) & 0o170000;
}

async function readZipMember(archivePath: string, archive: string, test: (p: string) => boolean, maxBytes: number): Promise<ArchiveMember | undefined> {
  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await openZip(archivePath);
    let found: ArchiveMember | undefined;
    const z = zip;
    await eachZipEntry(z, async (entry) => {
      const path = entry.fileName.replace(/^(\.\/)+/, '');
      if (path.endsWith('/') || !test(path)) return true;
      if (entry.uncompressedSize > maxBytes) throw refuse(archive, `member ${JSON.stringify(path)} is larger than ${maxBytes} bytes`);
      const chunks: Buffer[] = [];
      for await (const chunk of await zipEntryStream(z, entry)) chunks.push(chunk as Buffer);
      found = { path, data: Buffer.concat(chunks) };
      return false;
    });
    return found;
  } catch (e) {
    throw asArchiveError(archive, e);
  } finally {
    zip?.close();
  }
}

async function extractZip(archivePath: string, ctx: ExtractContext): Promise<void> {
  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await openZip(archivePath);
    const z = zip;
    // Declared sizes are checked up front; yauzl verifies the actual sizes match while reading.
    if (z.entryCount > ctx.lim.maxMembers) throw refuse(ctx.archive, `more than ${ctx.lim.maxMembers} members`);
    let declared = 0;
    await eachZipEntry(z, async (entry) => {
      countMember(ctx);
      declared += entry.uncompressedSize;
      if (declared > ctx.budget) throw bombError(ctx);
      const segments = memberSegments(ctx.archive, entry.fileName);
      if (segments.length === 0) return true;
      const target = join(ctx.root, ...segments);
      if (!inside(ctx.root, target)) throw refuse(ctx.archive, `member ${JSON.stringify(entry.fileName)} resolves outside the tree`);
      const mode = zipMode(entry);
      if (entry.fileName.endsWith('/') || mode === 0o040000) {
        await safeParent(ctx, segments, entry.fileName);
        return true;
      }
      if (mode !== 0 && mode !== 0o100000) {
        throw refuse(ctx.archive, `member ${JSON.stringify(entry.fileName)} is not a regular file (symlinks and devices are not extracted from zip files)`);
      }
      await safeParent(ctx, segments.slice(0, -1), entry.fileName);
      ctx.bytes += entry.uncompressedSize;
      await writeFile(ctx, segments, entry.fileName, await zipEntryStream(z, entry), ((entry.externalFileAttributes >>> 16) & 0o111) !== 0);
      return true;
    });
  } catch (e) {
    throw asArchiveError(ctx.archive, e);
  } finally {
    zip?.close();
  }
}

/** Library errors (bad gzip, truncated tar, invalid zip paths) become one 'input' error. */
function asArchiveError(archive: string, e: unknown): RefineryError {
  if (e instanceof RefineryError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new RefineryError('input', `${archive}: cannot read the archive: ${message}`, {
    fix: 'the file is damaged or not the archive its name says; download it again',
    cause: e,
  });
}
