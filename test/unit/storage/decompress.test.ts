import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { AutoDecompress, decompressInline, type Compression } from '../../../src/storage/decompress.ts';

async function through(chunks: Buffer[]): Promise<{ out: Buffer; kind: string | undefined }> {
  const d = new AutoDecompress();
  const parts: Buffer[] = [];
  for await (const c of Readable.from(chunks).pipe(d)) parts.push(c as Buffer);
  return { out: Buffer.concat(parts), kind: d.compression };
}

const data = Buffer.concat([Buffer.from('ustar-ish '), randomBytes(300_000)]);
const split = (b: Buffer, sizes: number[]) => {
  const out: Buffer[] = [];
  let off = 0;
  for (const s of sizes) if (off < b.length) out.push(b.subarray(off, (off += s)));
  if (off < b.length) out.push(b.subarray(off));
  return out;
};

for (const [name, blob, kind] of [
  ['plain', data, 'none'],
  ['gzip', gzipSync(data), 'gzip'],
  ['zstd', zstdCompressSync(data), 'zstd'],
] as const) {
  test(`${name}: whole, and split at awkward places`, async () => {
    for (const chunks of [[blob], split(blob, [1, 1, 1, 1, 7]), split(blob, [3, 65536, 2])]) {
      const r = await through(chunks);
      assert.equal(r.kind, kind);
      assert.ok(r.out.equals(data));
    }
  });
}

test('tiny and empty inputs', async () => {
  assert.deepEqual((await through([Buffer.from('ab')])).out, Buffer.from('ab'));
  assert.equal((await through([])).out.length, 0);
});

test('gzip followed by tape padding (zeros, as tar -b or dd leave): the data, the padding ignored, no hang', async () => {
  const gz = gzipSync(data);
  for (const padding of [[Buffer.alloc(512)], Array.from({ length: 8 }, () => Buffer.alloc(64 << 10)), [Buffer.alloc(1 << 20)]]) {
    const r = await through([gz, ...padding]);
    assert.equal(r.kind, 'gzip');
    assert.ok(r.out.equals(data));
  }
});

test('corrupt gzip fails', async () => {
  const bad = gzipSync(data);
  bad[bad.length - 5] = (bad[bad.length - 5] as number) ^ 0xff;
  await assert.rejects(through([bad]));
});

test('xz (import of a .tar.xz): whole and split, through xz-utils; a corrupt stream fails', async () => {
  const { spawnSync } = await import('node:child_process');
  const xz = spawnSync('xz', ['-c', '-0'], { input: data, maxBuffer: 8 << 20 });
  assert.equal(xz.status, 0, String(xz.stderr));
  const blob = xz.stdout;
  for (const chunks of [[blob], split(blob, [1, 1, 1, 1, 1, 1, 7]), split(blob, [5, 65536, 2])]) {
    const r = await through(chunks);
    assert.equal(r.kind, 'xz');
    assert.ok(r.out.equals(data));
  }
  const bad = Buffer.from(blob);
  bad[bad.length >> 1] = (bad[bad.length >> 1] as number) ^ 0xff;
  await assert.rejects(through([bad]), /xz:/);
});

// decompressInline: the same bytes out as the stream, gzip and zstd inflated on the calling thread
async function inline(chunks: Buffer[]): Promise<{ out: Buffer; kind: string | undefined; sizes: number[] }> {
  const info: { compression?: Compression } = {};
  const parts: Buffer[] = [];
  async function* src() {
    for (const c of chunks) yield c;
  }
  for await (const c of decompressInline(src(), info)) parts.push(Buffer.from(c));
  return { out: Buffer.concat(parts), kind: info.compression, sizes: parts.map((p) => p.length) };
}

const xzBlob = async () => {
  const { spawnSync } = await import('node:child_process');
  return spawnSync('xz', ['-c', '-0'], { input: data, maxBuffer: 8 << 20 }).stdout;
};

/** `data` as a blob of each format decompressInline knows, with the kind it should detect */
const everyFormat = async () =>
  [
    [data, 'none'],
    [gzipSync(data), 'gzip'],
    [zstdCompressSync(data), 'zstd'],
    [await xzBlob(), 'xz'],
  ] as const;

test('decompressInline: plain, gzip, zstd, xz, whole and split at awkward places', async () => {
  for (const [blob, kind] of await everyFormat()) {
    for (const chunks of [[blob], split(blob, [1, 1, 1, 1, 1, 1, 7]), split(blob, [3, 65536, 2])]) {
      const r = await inline(chunks);
      assert.equal(r.kind, kind);
      assert.ok(r.out.equals(data), `${kind}: same bytes`);
    }
  }
  assert.deepEqual((await inline([Buffer.from('ab')])).out, Buffer.from('ab'));
  assert.equal((await inline([])).out.length, 0);
});

test('decompressInline: hands inflated input back for reuse, only once inflated, never plain or xz input', async () => {
  for (const [blob, kind] of await everyFormat()) {
    const chunks = split(Buffer.from(blob), [3, 4096, 65536, 100]);
    const recycled: Buffer[] = [];
    const info: { compression?: Compression } = {};
    const parts: Buffer[] = [];
    async function* src() {
      for (const c of chunks) yield Buffer.from(c);
    }
    // A producer reuses a recycled buffer at once: scribbled over here, so a chunk handed back
    // while the decoder (or anything downstream) still needs it corrupts the output.
    const recycle = (c: Buffer) => {
      recycled.push(Buffer.from(c));
      c.fill(0xaa);
    };
    for await (const c of decompressInline(src(), info, recycle)) parts.push(Buffer.from(c));
    assert.equal(info.compression, kind);
    assert.ok(Buffer.concat(parts).equals(data), `${kind}: same bytes with reuse`);
    if (kind === 'gzip' || kind === 'zstd') {
      // all but the two chunks read to sniff the format (3 + 4096 bytes, copied into one), in order
      assert.equal(recycled.length, chunks.length - 2, kind);
      recycled.forEach((r, i) => assert.ok(r.equals(chunks[i + 2] as Buffer), `${kind}: chunk ${i + 2} handed back`));
    } else assert.equal(recycled.length, 0, `${kind}: its chunks travel on, never handed back`);
  }
});

test('decompressInline: a gzip of two members (pigz, concatenated layers) gives both', async () => {
  const a = randomBytes(70_000);
  const b = Buffer.from('second member');
  const r = await inline(split(Buffer.concat([gzipSync(a), gzipSync(b)]), [4096, 4096]));
  assert.ok(r.out.equals(Buffer.concat([a, b])));
  // zero padding after the last member (as gunzip reads it): ignored, not an error
  const padded = await inline(split(Buffer.concat([gzipSync(a), Buffer.alloc(1024)]), [50_000]));
  assert.ok(padded.out.equals(a));
});

test('decompressInline: corrupt or truncated gzip and zstd fail', async () => {
  const bad = gzipSync(data);
  bad[bad.length - 5] = (bad[bad.length - 5] as number) ^ 0xff;
  await assert.rejects(inline([bad]));
  const gz = gzipSync(data);
  await assert.rejects(inline([gz.subarray(0, gz.length >> 1)]), /unexpected end of file/);
  // (a flipped byte inside a zstd raw block has no check of its own: the blob digest catches it)
  const zs = zstdCompressSync(data);
  await assert.rejects(inline([zs.subarray(0, zs.length >> 1)]), /unexpected end of file/);
});

test('decompressInline: a decompression bomb comes out in chunks of at most 256 KiB', async () => {
  const bomb = gzipSync(Buffer.alloc(64 << 20), { level: 9 }); // ~64 KiB in, 64 MiB out
  const r = await inline([bomb]);
  assert.equal(r.out.length, 64 << 20);
  assert.ok(Math.max(...r.sizes) <= 256 << 10, `largest chunk ${Math.max(...r.sizes)}`);
});
