import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { AutoDecompress } from '../../../src/storage/decompress.ts';

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
