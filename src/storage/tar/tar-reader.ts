// A streaming tar reader (ustar, GNU long names, PAX with xattrs) written for layer extraction.
// We read tar ourselves instead of through tar-stream because the layer store needs the raw
// header bytes of every entry (see tar-split.ts: `save` rebuilds each layer tar byte for byte from
// those headers plus the extracted files, so loaded images round-trip with identical IDs), and
// because every field of a hostile archive passes through code we control.
//
// Every byte that is not a payload consumed through payload() goes to the `raw` hook, in order.
import { ByteSource } from './byte-source.ts';
import { invalidArgument } from '../../util/errors.ts';

export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

export interface TarEntry {
  type: TarEntryType;
  name: string;
  linkname: string;
  mode: number; // permission and setuid/setgid/sticky bits only
  uid: number;
  gid: number;
  size: number;
  mtime: number; // seconds, may be fractional (PAX)
  devmajor: number;
  devminor: number;
  xattrs: Map<string, Buffer>;
}

export interface TarReaderHooks {
  /** bytes that are not a consumed payload: headers, PAX/long-name data, padding, skipped payloads, trailer */
  raw?(chunk: Buffer): void | Promise<void>;
}

const BLOCK = 512;
const MAX_META_BYTES = 1 << 20; // PAX and GNU long-name payloads: names and xattrs, never megabytes

const typeOfFlag: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  '6': 'fifo',
};

function cstring(b: Buffer, off: number, len: number): string {
  const end = b.indexOf(0, off);
  return b.toString('utf8', off, end < 0 || end > off + len ? off + len : end);
}

/** Octal (NUL/space terminated) or GNU base-256 (high bit set) numeric field. */
export function parseNumeric(b: Buffer, off: number, len: number): number {
  const first = b[off] as number;
  if (first & 0x80) {
    if (first === 0xff) throw invalidArgument('negative numeric field in tar header');
    let v = first & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + (b[off + i] as number);
    if (!Number.isSafeInteger(v)) throw invalidArgument('numeric field in tar header is too large');
    return v;
  }
  const s = b.toString('latin1', off, off + len).replace(/[\0 ]+$/, '').replace(/^[ \0]+/, '');
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw invalidArgument(`invalid octal field ${JSON.stringify(s)} in tar header`);
  return parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  let stored: number;
  try {
    stored = parseNumeric(h, 148, 8);
  } catch {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] as number);
  return sum === stored;
}

/** PAX extended header records: "<len> <key>=<value>\n"; values stay bytes (xattrs are binary). */
export function parsePax(data: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let off = 0;
  while (off < data.length) {
    const sp = data.indexOf(0x20, off);
    if (sp < 0) throw invalidArgument('malformed PAX header');
    const len = Number(data.toString('latin1', off, sp));
    if (!Number.isInteger(len) || len <= sp - off + 1 || off + len > data.length || data[off + len - 1] !== 0x0a) {
      throw invalidArgument('malformed PAX record');
    }
    const rec = data.subarray(sp + 1, off + len - 1);
    const eq = rec.indexOf(0x3d);
    if (eq < 0) throw invalidArgument('malformed PAX record');
    out.set(rec.toString('utf8', 0, eq), Buffer.from(rec.subarray(eq + 1)));
    off += len;
  }
  return out;
}

function paxNumber(v: Buffer, key: string): number {
  const n = Number(v.toString('latin1'));
  if (!Number.isFinite(n) || n < 0) throw invalidArgument(`invalid PAX ${key}`);
  return n;
}

const pad = (n: number) => (BLOCK - (n % BLOCK)) % BLOCK;

export class TarReader {
  readonly #src: ByteSource;
  readonly #raw: (c: Buffer) => void | Promise<void>;
  #pending = 0; // payload bytes of the current entry not yet read
  #pendingPad = 0;
  #ended = false;
  #global = new Map<string, Buffer>();

  constructor(source: AsyncIterable<Buffer | Uint8Array | string>, hooks: TarReaderHooks = {}) {
    this.#src = new ByteSource(source);
    this.#raw = hooks.raw ?? (() => {});
  }

  async #skipPending(): Promise<void> {
    if (this.#pending > 0) await this.#src.stream(this.#pending, this.#raw);
    this.#pending = 0;
    // The stream may end right after the last payload with neither padding nor trailer (umoci
    // writes such layers); Go's archive/tar reads that as the end, and so do we.
    if (this.#pendingPad > 0) {
      if (await this.#src.atEnd()) this.#ended = true;
      else await this.#src.stream(this.#pendingPad, this.#raw);
    }
    this.#pendingPad = 0;
  }

  async #readMeta(size: number): Promise<Buffer> {
    if (size > MAX_META_BYTES) throw invalidArgument(`tar metadata entry of ${size} bytes is too large`);
    const parts: Buffer[] = [];
    await this.#src.stream(size + pad(size), async (c) => {
      parts.push(c);
      await this.#raw(c);
    });
    return Buffer.concat(parts).subarray(0, size);
  }

  /** The next entry, or undefined after the end-of-archive marker (the trailer is drained to `raw`). */
  async next(): Promise<TarEntry | undefined> {
    if (this.#ended) return undefined;
    await this.#skipPending();
    if (this.#ended) return undefined;
    let pax = new Map<string, Buffer>();
    let longName: string | undefined;
    let longLink: string | undefined;
    for (;;) {
      const h = await this.#src.read(BLOCK);
      if (h === undefined) {
        // A clean end between entries without the two zero blocks: Go's archive/tar (and with it
        // containerd and docker) reads it as the end, and some image builders write such layers.
        // The layer digest still covers every byte. Inside an entry's PAX/long-name chain it is
        // a truncation.
        if (pax.size > 0 || longName !== undefined || longLink !== undefined) throw invalidArgument('tar stream ended without an end-of-archive marker');
        this.#ended = true;
        return undefined;
      }
      await this.#raw(h);
      if (h.every((x) => x === 0)) {
        // End of archive: the rest (second zero block, record padding) is part of the layer's bytes.
        this.#ended = true;
        await this.#src.rest(this.#raw);
        return undefined;
      }
      if (!checksumOk(h)) throw invalidArgument('invalid tar header checksum (not a tar archive, or corrupt)');
      const flag = String.fromCharCode(h[156] as number);
      const size = parseNumeric(h, 124, 12);
      if (flag === 'x' || flag === 'g') {
        const records = parsePax(await this.#readMeta(size));
        if (flag === 'g') for (const [k, v] of records) this.#global.set(k, v);
        else pax = records;
        continue;
      }
      if (flag === 'L' || flag === 'K') {
        const s = (await this.#readMeta(size)).toString('utf8').replace(/\0+$/, '');
        if (flag === 'L') longName = s;
        else longLink = s;
        continue;
      }
      const type = typeOfFlag[flag];
      if (type === undefined) throw invalidArgument(`unsupported tar entry type ${JSON.stringify(flag)}`);
      const all = new Map([...this.#global, ...pax]);
      const magic = h.toString('latin1', 257, 263);
      const prefix = magic === 'ustar\0' ? cstring(h, 345, 155) : '';
      let name = cstring(h, 0, 100);
      if (prefix !== '') name = `${prefix}/${name}`;
      const e: TarEntry = {
        type,
        name: all.get('path')?.toString('utf8') ?? longName ?? name,
        linkname: all.get('linkpath')?.toString('utf8') ?? longLink ?? cstring(h, 157, 100),
        mode: parseNumeric(h, 100, 8) & 0o7777,
        uid: all.has('uid') ? paxNumber(all.get('uid') as Buffer, 'uid') : parseNumeric(h, 108, 8),
        gid: all.has('gid') ? paxNumber(all.get('gid') as Buffer, 'gid') : parseNumeric(h, 116, 8),
        size: all.has('size') ? paxNumber(all.get('size') as Buffer, 'size') : size,
        mtime: all.has('mtime') ? paxNumber(all.get('mtime') as Buffer, 'mtime') : parseNumeric(h, 136, 12),
        devmajor: type === 'char' || type === 'block' ? parseNumeric(h, 329, 8) : 0,
        devminor: type === 'char' || type === 'block' ? parseNumeric(h, 337, 8) : 0,
        xattrs: new Map(),
      };
      for (const [k, v] of all) {
        if (k.startsWith('SCHILY.xattr.')) e.xattrs.set(k.slice(13), v);
        else if (k.startsWith('LIBARCHIVE.xattr.')) e.xattrs.set(decodeURIComponent(k.slice(17)), Buffer.from(v.toString('latin1'), 'base64'));
      }
      // Only regular files carry data: like Go's archive/tar, a size on a header-only type is ignored.
      const dataSize = e.type === 'file' ? e.size : 0;
      if (e.type !== 'file') e.size = 0;
      this.#pending = dataSize;
      this.#pendingPad = pad(dataSize);
      return e;
    }
  }

  /** Streams the current entry's payload to fn; those bytes do not go to `raw`. */
  async payload(fn: (chunk: Buffer) => void | Promise<void>): Promise<void> {
    const n = this.#pending;
    this.#pending = 0;
    if (n > 0) await this.#src.stream(n, fn);
    // The stream may end right after the last payload with neither padding nor trailer (umoci
    // writes such layers); Go's archive/tar reads that as the end, and so do we.
    if (this.#pendingPad > 0) {
      if (await this.#src.atEnd()) this.#ended = true;
      else await this.#src.stream(this.#pendingPad, this.#raw);
    }
    this.#pendingPad = 0;
  }
}
