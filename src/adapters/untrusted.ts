/**
 * Reading files someone else wrote (build job results and their wheels, hand-edited state): regular
 * files only, opened without following a link and without waiting on a FIFO, a size cap checked on
 * the open descriptor before anything is read, UTF-8 decoded strictly, JSON syntax errors reported
 * by position with no quote of the content. Callers turn a FileRefusedError into a RefineryError
 * with their own code (input for results, state for the state folder).
 */
import { closeSync, constants, fstatSync, openSync, read, readSync, type Dirent, type Stats } from 'node:fs';
import { promisify } from 'node:util';
import { excerpt } from '../errors.js';

export type FileKind = 'regular file' | 'folder' | 'symbolic link' | 'FIFO' | 'socket' | 'character device' | 'block device' | 'unknown kind of file';

export function kindOf(st: Stats | Dirent): FileKind {
  if (st.isFile()) return 'regular file';
  if (st.isDirectory()) return 'folder';
  if (st.isSymbolicLink()) return 'symbolic link';
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return 'unknown kind of file';
}

/** A file that was not read: not a regular file, over its cap, of an unexpected size, or not UTF-8. */
export class FileRefusedError extends Error {
  constructor(
    readonly path: string,
    readonly reason: 'kind' | 'size' | 'utf8',
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'FileRefusedError';
  }
}

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export interface ReadLimits {
  /** Refuse a file larger than this many bytes (checked with fstat before reading). */
  maxBytes?: number;
  /** Refuse a file that does not hold exactly this many bytes. */
  expectBytes?: number;
}

/**
 * The bytes of a regular file. A symbolic link (even to a regular file), a folder, a FIFO, a socket
 * or a device is refused without reading it; O_NONBLOCK means opening a FIFO never waits for a
 * writer, and the fstat on the opened descriptor is what is read, so nothing can be swapped in
 * between the check and the read.
 */
export async function readRegularFile(path: string, limits: ReadLimits = {}): Promise<Buffer> {
  // Plain descriptors and synchronous open/fstat/close: for the many small files record reads
  // (results, state files) a FileHandle and its thread-pool round trips cost more CPU than the
  // read itself. O_NONBLOCK keeps the open from waiting on a FIFO; large files are read async.
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new FileRefusedError(path, 'kind', 'is a symbolic link, not a regular file');
    if (code === 'ENXIO') throw new FileRefusedError(path, 'kind', 'is a socket, not a regular file');
    if (code === 'EISDIR') throw new FileRefusedError(path, 'kind', 'is a folder, not a regular file');
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileRefusedError(path, 'kind', `is a ${kindOf(st)}, not a regular file`);
    if (limits.maxBytes !== undefined && st.size > limits.maxBytes) {
      throw new FileRefusedError(path, 'size', `holds ${st.size} bytes, over the cap of ${limits.maxBytes}`);
    }
    if (limits.expectBytes !== undefined && st.size !== limits.expectBytes) {
      throw new FileRefusedError(path, 'size', `holds ${st.size} bytes, expected ${limits.expectBytes}`);
    }
    // Read what fstat reported and no more: a file that grows meanwhile cannot push past the cap.
    const buf = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const n = st.size - got <= SYNC_READ_BYTES ? readSync(fd, buf, got, st.size - got, got) : (await readAsync(fd, buf, got, st.size - got, got)).bytesRead;
      if (n === 0) break;
      got += n;
    }
    if (limits.expectBytes !== undefined && got !== limits.expectBytes) {
      throw new FileRefusedError(path, 'size', `holds ${got} bytes, expected ${limits.expectBytes}`);
    }
    return got === st.size ? buf : buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Reads up to this size block the event loop for less time than a thread-pool round trip costs. */
const SYNC_READ_BYTES = 1024 * 1024;
const readAsync = promisify(read);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Strict UTF-8: invalid bytes are an error naming the line, never replaced with U+FFFD. */
export function decodeUtf8(data: Uint8Array, path: string): string {
  try {
    return utf8.decode(data);
  } catch {
    let line = 1;
    let start = 0;
    for (let i = 0; i <= data.length; i++) {
      if (i === data.length || data[i] === 0x0a) {
        try {
          utf8.decode(data.subarray(start, i));
        } catch {
          break;
        }
        line++;
        start = i + 1;
      }
    }
    throw new FileRefusedError(path, 'utf8', 'is not valid UTF-8', line);
  }
}

/** A regular file's text, strictly UTF-8 (see readRegularFile and decodeUtf8). */
export async function readTextFile(path: string, limits: ReadLimits = {}): Promise<string> {
  return decodeUtf8(await readRegularFile(path, limits), path);
}

export interface JsonSyntax {
  /** What is wrong, without any of the text around it. */
  message: string;
  /** 1-based, within the parsed text, when the parser said where. */
  line?: number;
  column?: number;
}

/**
 * JSON.parse whose failure says what and where but quotes at most one escaped character:
 * V8's own messages repeat the start of the text, which may be someone's secret.
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; error: JsonSyntax } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: jsonSyntax((e as Error).message, text) };
  }
}

function jsonSyntax(msg: string, text: string): JsonSyntax {
  const at = /^(.*?) in JSON at position (\d+)/s.exec(msg);
  if (at) {
    const pos = Number(at[2]);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    return { message: lower(at[1]!), line, column: pos - before.lastIndexOf('\n') };
  }
  const token = /^Unexpected token '(.+?)', /su.exec(msg);
  if (token) return { message: `unexpected character ${excerpt(token[1]!, 4)}` };
  if (/^Unexpected end of JSON input/.test(msg)) return { message: 'unexpected end of input', line: text.split('\n').length };
  return { message: 'invalid syntax' };
}

function lower(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
