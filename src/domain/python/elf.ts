/**
 * The part of an ELF shared object the smoke test needs: its machine and the libraries its
 * dynamic section names (DT_NEEDED), as `readelf -d` shows them. Parsed here, not with binutils:
 * the wheel's objects are s390x (big-endian) and the host may have no s390x readelf. The bytes
 * come from a built wheel, so every offset is checked against the buffer; a malformed object is
 * one clear error, never a read past its end.
 */

export interface ElfInfo {
  /** e_machine: 22 is s390 (s390x), 62 x86-64, 183 aarch64. */
  machine: number;
  bits: 32 | 64;
  littleEndian: boolean;
  /** DT_NEEDED names in the order the object lists them. */
  needed: string[];
  soname?: string;
}

export class ElfError extends Error {}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const DT_NULL = 0n;
const DT_NEEDED = 1n;
const DT_STRTAB = 5n;
const DT_SONAME = 14n;
/** A dynamic section longer than this is not a real one (real objects have tens of entries). */
const MAX_DYN_ENTRIES = 100_000;

export function isElf(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x7f && buf[1] === 0x45 && buf[2] === 0x4c && buf[3] === 0x46;
}

export function parseElf(data: Uint8Array): ElfInfo {
  if (!isElf(data)) throw new ElfError('not an ELF file (no \\x7fELF magic)');
  if (data.length < 52) throw new ElfError('truncated ELF header');
  const cls = data[4];
  const enc = data[5];
  if (cls !== 1 && cls !== 2) throw new ElfError(`unknown ELF class ${cls}`);
  if (enc !== 1 && enc !== 2) throw new ElfError(`unknown ELF data encoding ${enc}`);
  const bits = cls === 2 ? 64 : 32;
  const le = enc === 1;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const need = (off: number, len: number, what: string) => {
    if (!Number.isSafeInteger(off) || off < 0 || off + len > data.length) throw new ElfError(`${what} lies outside the file`);
  };
  const u16 = (off: number) => {
    need(off, 2, 'a field');
    return view.getUint16(off, le);
  };
  const u32 = (off: number) => {
    need(off, 4, 'a field');
    return view.getUint32(off, le);
  };
  const word = (off: number): bigint => {
    if (bits === 32) return BigInt(u32(off));
    need(off, 8, 'a field');
    return view.getBigUint64(off, le);
  };
  const num = (v: bigint, what: string): number => {
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`${what} is out of range`);
    return Number(v);
  };
  if (bits === 64 && data.length < 64) throw new ElfError('truncated ELF header');
  const machine = u16(18);
  const phoff = num(word(bits === 64 ? 32 : 28), 'e_phoff');
  const phentsize = u16(bits === 64 ? 54 : 42);
  const phnum = u16(bits === 64 ? 56 : 44);
  const segments: { type: number; offset: number; vaddr: bigint; filesz: number }[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    need(p, bits === 64 ? 56 : 32, `program header ${i}`);
    const type = u32(p);
    if (bits === 64) segments.push({ type, offset: num(word(p + 8), 'p_offset'), vaddr: word(p + 16), filesz: num(word(p + 32), 'p_filesz') });
    else segments.push({ type, offset: u32(p + 4), vaddr: BigInt(u32(p + 8)), filesz: u32(p + 16) });
  }
  const dyn = segments.find((s) => s.type === PT_DYNAMIC);
  if (!dyn) return { machine, bits, littleEndian: le, needed: [] };
  need(dyn.offset, dyn.filesz, 'the dynamic section');
  const entSize = bits === 64 ? 16 : 8;
  const tags: { tag: bigint; val: bigint }[] = [];
  for (let i = 0; i < Math.min(dyn.filesz / entSize, MAX_DYN_ENTRIES); i++) {
    const e = dyn.offset + i * entSize;
    const tag = word(e);
    if (tag === DT_NULL) break;
    tags.push({ tag, val: word(e + entSize / 2) });
  }
  const strtabAddr = tags.find((t) => t.tag === DT_STRTAB)?.val;
  if (strtabAddr === undefined) throw new ElfError('dynamic section without a string table (DT_STRTAB)');
  // DT_STRTAB is an address: the loadable segment holding it says where it is in the file.
  const load = segments.find((s) => s.type === PT_LOAD && strtabAddr >= s.vaddr && strtabAddr < s.vaddr + BigInt(s.filesz));
  if (!load) throw new ElfError('the string table (DT_STRTAB) is in no loadable segment');
  const strtab = load.offset + num(strtabAddr - load.vaddr, 'DT_STRTAB');
  const str = (off: bigint): string => {
    const start = strtab + num(off, 'a string offset');
    need(start, 1, 'a dynamic string');
    let end = start;
    while (end < data.length && data[end] !== 0 && end - start < 4096) end++;
    if (end >= data.length || data[end] !== 0) throw new ElfError('an unterminated dynamic string');
    return new TextDecoder('utf-8', { fatal: false }).decode(data.subarray(start, end));
  };
  const needed = tags.filter((t) => t.tag === DT_NEEDED).map((t) => str(t.val));
  const sonameTag = tags.find((t) => t.tag === DT_SONAME);
  return { machine, bits, littleEndian: le, needed, ...(sonameTag ? { soname: str(sonameTag.val) } : {}) };
}

/**
 * Shared objects a wheel member name denotes: `*.so`, `*.so.N...` (auditwheel's vendored
 * `pkg.libs/libfoo-1a2b3c.so.1.2`), never directories.
 */
export function isSharedObjectName(member: string): boolean {
  return !member.endsWith('/') && /\.so(\.\d+)*$/.test(member.split('/').at(-1) ?? '');
}
