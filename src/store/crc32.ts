// CRC-32 (the IEEE/zlib polynomial) for frame checksums. Node's zlib.crc32 is native but only exists
// from Node 20.15/22.2; the armv7 build runs on Node 20.11, so a table-driven fallback computes the
// very same values there. The choice is made on first use, not at import.
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, previous?: number) => number;

let impl: Crc32 | undefined;
let table: Uint32Array | undefined;

export function crc32(data: Uint8Array, previous = 0): number {
  impl ??= typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (zlib.crc32 as Crc32) : crc32Portable;
  return impl(data, previous);
}

/** The same function in plain JS: reflected polynomial 0xEDB88320, init and final xor ~0. */
export function crc32Portable(data: Uint8Array, previous = 0): number {
  table ??= makeTable();
  let c = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function makeTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
