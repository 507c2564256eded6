// tar-split: what a layer keeps so its tar can be rebuilt byte for byte from the extracted files.
// `save` needs the exact bytes: an image config lists its layers' diff IDs (sha256 of each tar), so
// a rebuilt tar that differs by one byte would change the image ID. Keeping the tars themselves
// would double disk use; keeping headers only costs ~1 KiB per entry before gzip.
//
// File format (gzip'd): records of
//   'R' u32be length, bytes       raw tar bytes (headers, PAX data, padding, trailer)
//   'F' u16be length, path, u64   the next <size> bytes are the content of <layer>/<path>
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { ByteSource } from './byte-source.ts';
import { dataLoss } from '../../util/errors.ts';

const RAW = 0x52;
const FILE = 0x46;

/**
 * Records are gathered and handed to gzip in batches of this size: one deflate call (a thread-pool
 * round trip) per file record and header run cost ~40 ms of a 100 MB pull's main thread.
 */
const WRITE_BATCH = 256 << 10;

export class TarSplitWriter {
  readonly #out = new PassThrough();
  readonly #done: Promise<void>;
  #raw: Buffer[] = [];
  #rawBytes = 0;
  /** whole records not yet handed to gzip */
  #records: Buffer[] = [];
  #recordBytes = 0;
  /** total bytes of the tar described so far */
  tarSize = 0;

  constructor(path: string) {
    this.#done = pipeline(this.#out, createGzip({ level: 6 }), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    this.#done.catch(() => {}); // observed in finish()
  }

  #record(b: Buffer): void {
    this.#records.push(b);
    this.#recordBytes += b.length;
  }

  async #write(all: boolean): Promise<void> {
    if (this.#recordBytes === 0 || (!all && this.#recordBytes < WRITE_BATCH)) return;
    const b = Buffer.concat(this.#records);
    this.#records = [];
    this.#recordBytes = 0;
    if (!this.#out.write(b)) await new Promise<void>((r) => this.#out.once('drain', r));
  }

  #flushRaw(): void {
    if (this.#rawBytes === 0) return;
    const h = Buffer.alloc(5);
    h[0] = RAW;
    h.writeUInt32BE(this.#rawBytes, 1);
    this.#record(Buffer.concat([h, ...this.#raw]));
    this.#raw = [];
    this.#rawBytes = 0;
  }

  async raw(chunk: Buffer): Promise<void> {
    this.tarSize += chunk.length;
    this.#raw.push(Buffer.from(chunk)); // copy: the reader's buffers are reused views
    this.#rawBytes += chunk.length;
    if (this.#rawBytes >= 1 << 20) {
      this.#flushRaw();
      await this.#write(false);
    }
  }

  async file(path: string, size: number): Promise<void> {
    this.#flushRaw();
    this.tarSize += size;
    const p = Buffer.from(path, 'utf8');
    const b = Buffer.alloc(1 + 2 + p.length + 8);
    b[0] = FILE;
    b.writeUInt16BE(p.length, 1);
    p.copy(b, 3);
    b.writeBigUInt64BE(BigInt(size), 3 + p.length);
    this.#record(b);
    await this.#write(false);
  }

  async finish(): Promise<void> {
    this.#flushRaw();
    await this.#write(true);
    this.#out.end();
    await this.#done;
  }

  abort(): void {
    this.#out.destroy();
  }
}

/** Rebuilds the layer tar from its tar-split file and the extracted files under root. */
export async function* reassembleTar(splitPath: string, root: string): AsyncGenerator<Buffer> {
  const src = new ByteSource(createReadStream(splitPath).pipe(createGunzip()));
  for (;;) {
    const t = await src.read(1);
    if (t === undefined) return;
    if (t[0] === RAW) {
      const n = (await src.read(4))!.readUInt32BE(0);
      const parts: Buffer[] = [];
      await src.stream(n, (c) => void parts.push(Buffer.from(c)));
      yield* parts;
    } else if (t[0] === FILE) {
      const n = (await src.read(2))!.readUInt16BE(0);
      const path = (await src.read(n))!.toString('utf8');
      const size = Number((await src.read(8))!.readBigUInt64BE(0));
      yield* fileBytes(join(root, path), size, path);
    } else {
      throw dataLoss(`tar-split ${splitPath}: bad record type ${t[0]}`);
    }
  }
}

async function* fileBytes(abs: string, size: number, rel: string): AsyncGenerator<Buffer> {
  const fh = await open(abs, 'r');
  try {
    let left = size;
    while (left > 0) {
      const buf = Buffer.allocUnsafe(Math.min(left, 1 << 20));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) throw dataLoss(`layer file ${JSON.stringify(rel)} is shorter than when it was extracted`);
      left -= bytesRead;
      yield buf.subarray(0, bytesRead);
    }
    const probe = Buffer.alloc(1);
    if ((await fh.read(probe, 0, 1, null)).bytesRead !== 0) throw dataLoss(`layer file ${JSON.stringify(rel)} is longer than when it was extracted`);
  } finally {
    await fh.close();
  }
}
