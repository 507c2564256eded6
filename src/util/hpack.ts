// A small HPACK (RFC 7541) decoder, plus an encoder that writes only literals that never touch
// the dynamic table. It exists for one job: reading (and, when needed, rewriting) the header
// blocks a client sends before Node's HTTP/2 server sees them (see api/uds-authority.ts). Strings
// are latin1 (one char per octet), as on the wire.

/** The static table (RFC 7541 Appendix A), index 1..61. */
const STATIC: ReadonlyArray<readonly [string, string]> = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'],
  [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''],
  ['access-control-allow-origin', ''], ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''],
  ['content-disposition', ''], ['content-encoding', ''], ['content-language', ''], ['content-length', ''],
  ['content-location', ''], ['content-range', ''], ['content-type', ''], ['cookie', ''], ['date', ''], ['etag', ''],
  ['expect', ''], ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''], ['if-modified-since', ''],
  ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''], ['last-modified', ''], ['link', ''],
  ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''], ['proxy-authorization', ''], ['range', ''],
  ['referer', ''], ['refresh', ''], ['retry-after', ''], ['server', ''], ['set-cookie', ''],
  ['strict-transport-security', ''], ['transfer-encoding', ''], ['user-agent', ''], ['vary', ''], ['via', ''],
  ['www-authenticate', ''],
];

/**
 * The Huffman code of RFC 7541 Appendix B is canonical: codes are handed out in order of length,
 * and within one length in order of symbol. So the symbols of each length are the whole table.
 * (EOS, 256, is the one 30-bit code after 10, 13 and 22: all ones.)
 */
const HUFFMAN_BY_LENGTH: Record<number, readonly number[]> = {
  5: [48, 49, 50, 97, 99, 101, 105, 111, 115, 116],
  6: [32, 37, 45, 46, 47, 51, 52, 53, 54, 55, 56, 57, 61, 65, 95, 98, 100, 102, 103, 104, 108, 109, 110, 112, 114, 117],
  7: [58, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 89, 106, 107, 113, 118, 119, 120, 121, 122],
  8: [38, 42, 44, 59, 88, 90],
  10: [33, 34, 40, 41, 63],
  11: [39, 43, 124],
  12: [35, 62],
  13: [0, 36, 64, 91, 93, 126],
  14: [94, 125],
  15: [60, 96, 123],
  19: [92, 195, 208],
  20: [128, 130, 131, 162, 184, 194, 224, 226],
  21: [153, 161, 167, 172, 176, 177, 179, 209, 216, 217, 227, 229, 230],
  22: [129, 132, 133, 134, 136, 146, 154, 156, 160, 163, 164, 169, 170, 173, 178, 181, 185, 186, 187, 189, 190, 196, 198, 228, 232, 233],
  23: [1, 135, 137, 138, 139, 140, 141, 143, 147, 149, 150, 151, 152, 155, 157, 158, 165, 166, 168, 174, 175, 180, 182, 183, 188, 191, 197, 231, 239],
  24: [9, 142, 144, 145, 148, 159, 171, 206, 215, 225, 236, 237],
  25: [199, 207, 234, 235],
  26: [192, 193, 200, 201, 202, 205, 210, 213, 218, 219, 238, 240, 242, 243, 255],
  27: [203, 204, 211, 212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250, 251, 252, 253, 254],
  28: [2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127, 220, 249],
  30: [10, 13, 22, 256],
};

/** first code and symbols of each length, for canonical decoding */
const CANON: Array<{ first: number; syms: readonly number[] } | undefined> = (() => {
  const out: Array<{ first: number; syms: readonly number[] } | undefined> = [];
  let code = 0;
  let prev = 0;
  for (let len = 1; len <= 30; len++) {
    code <<= len - prev;
    prev = len;
    const syms = HUFFMAN_BY_LENGTH[len];
    if (!syms) continue;
    out[len] = { first: code, syms };
    code += syms.length;
  }
  return out;
})();

export class HpackError extends Error {}

export function huffmanDecode(buf: Uint8Array): string {
  let out = '';
  let code = 0;
  let len = 0;
  for (const byte of buf) {
    for (let bit = 7; bit >= 0; bit--) {
      code = (code << 1) | ((byte >> bit) & 1);
      len++;
      const c = CANON[len];
      if (c && code - c.first < c.syms.length && code >= c.first) {
        const sym = c.syms[code - c.first]!;
        if (sym === 256) throw new HpackError('EOS in a Huffman string');
        out += String.fromCharCode(sym);
        code = 0;
        len = 0;
      } else if (len >= 30) {
        throw new HpackError('bad Huffman code');
      }
    }
  }
  // what is left must be a prefix of EOS (all ones), shorter than 8 bits
  if (len > 7 || code !== (1 << len) - 1) throw new HpackError('bad Huffman padding');
  return out;
}

export interface HeaderField {
  name: string;
  value: string;
}

/** Decodes header blocks of one connection, keeping its dynamic table. */
export class HpackDecoder {
  readonly #table: Array<readonly [string, string]> = []; // newest first
  #size = 0;
  #max: number;
  readonly #limit: number;

  /** `maxTableSize`: the SETTINGS_HEADER_TABLE_SIZE the server announced (4096 by default). */
  constructor(maxTableSize = 4096) {
    this.#max = maxTableSize;
    this.#limit = maxTableSize;
  }

  decode(block: Uint8Array): HeaderField[] {
    const fields: HeaderField[] = [];
    let pos = 0;
    const int = (prefixBits: number): number => {
      const mask = (1 << prefixBits) - 1;
      if (pos >= block.length) throw new HpackError('truncated integer');
      let v = block[pos++]! & mask;
      if (v < mask) return v;
      let shift = 0;
      for (;;) {
        if (pos >= block.length) throw new HpackError('truncated integer');
        const b = block[pos++]!;
        v += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (!(b & 0x80)) return v;
        if (shift > 28) throw new HpackError('integer too large');
      }
    };
    const str = (): string => {
      if (pos >= block.length) throw new HpackError('truncated string');
      const huffman = (block[pos]! & 0x80) !== 0;
      const n = int(7);
      if (pos + n > block.length) throw new HpackError('truncated string');
      const raw = block.subarray(pos, pos + n);
      pos += n;
      return huffman ? huffmanDecode(raw) : Buffer.from(raw).toString('latin1');
    };
    while (pos < block.length) {
      const b = block[pos]!;
      if (b & 0x80) {
        const [name, value] = this.#entry(int(7));
        fields.push({ name, value });
      } else if (b & 0x40) {
        const idx = int(6);
        const name = idx ? this.#entry(idx)[0] : str();
        const value = str();
        this.#insert(name, value);
        fields.push({ name, value });
      } else if (b & 0x20) {
        const size = int(5);
        if (size > this.#limit) throw new HpackError(`table size ${size} above ${this.#limit}`);
        this.#max = size;
        this.#evict(0);
      } else {
        // literal without indexing (0000) or never indexed (0001)
        const idx = int(4);
        const name = idx ? this.#entry(idx)[0] : str();
        fields.push({ name, value: str() });
      }
    }
    return fields;
  }

  #entry(idx: number): readonly [string, string] {
    if (idx >= 1 && idx <= STATIC.length) return STATIC[idx - 1]!;
    const e = this.#table[idx - STATIC.length - 1];
    if (!e) throw new HpackError(`index ${idx} out of range`);
    return e;
  }

  #insert(name: string, value: string): void {
    const size = name.length + value.length + 32;
    this.#evict(size);
    if (size <= this.#max) {
      this.#table.unshift([name, value]);
      this.#size += size;
    }
  }

  #evict(room: number): void {
    while (this.#table.length && this.#size + room > this.#max) {
      const [n, v] = this.#table.pop()!;
      this.#size -= n.length + v.length + 32;
    }
  }
}

/**
 * Encodes fields as "literal without indexing, new name" with plain strings: the decoder on the
 * other side never adds to its dynamic table, so this encoder needs none.
 */
export function encodeLiterals(fields: readonly HeaderField[]): Buffer {
  const parts: Buffer[] = [];
  const int = (v: number, prefixBits: number, first: number) => {
    const mask = (1 << prefixBits) - 1;
    if (v < mask) return parts.push(Buffer.from([first | v]));
    const bytes = [first | mask];
    v -= mask;
    while (v >= 0x80) {
      bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
    return parts.push(Buffer.from(bytes));
  };
  const str = (s: string) => {
    int(s.length, 7, 0);
    parts.push(Buffer.from(s, 'latin1'));
  };
  for (const f of fields) {
    parts.push(Buffer.from([0]));
    str(f.name);
    str(f.value);
  }
  return Buffer.concat(parts);
}
