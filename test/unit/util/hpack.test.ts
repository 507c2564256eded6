// The HPACK decoder against the RFC's own examples and against what Node's HTTP/2 client
// (nghttp2: Huffman strings, dynamic table) really sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { createServer, type Socket } from 'node:net';
import { HpackDecoder, HpackError, encodeLiterals, huffmanDecode } from '../../../src/util/hpack.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('Huffman strings of RFC 7541 C.4', () => {
  assert.equal(huffmanDecode(hex('f1e3 c2e5 f23a 6ba0 ab90 f4ff')), 'www.example.com');
  assert.equal(huffmanDecode(hex('a8eb 1064 9cbf')), 'no-cache');
  assert.equal(huffmanDecode(hex('25a8 49e9 5ba9 7d7f')), 'custom-key');
  assert.equal(huffmanDecode(hex('25a8 49e9 5bb8 e8b4 bf')), 'custom-value');
  assert.throws(() => huffmanDecode(hex('f1e3 c2e5 f23a 6ba0 ab90 f400')), HpackError); // padding not ones
});

test('requests of RFC 7541 C.3 share one dynamic table', () => {
  const d = new HpackDecoder();
  const names = (b: Buffer) => d.decode(b).map((f) => `${f.name}=${f.value}`);
  assert.deepEqual(names(hex('8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d')),
    [':method=GET', ':scheme=http', ':path=/', ':authority=www.example.com']);
  assert.deepEqual(names(hex('8286 84be 5808 6e6f 2d63 6163 6865')),
    [':method=GET', ':scheme=http', ':path=/', ':authority=www.example.com', 'cache-control=no-cache']);
  assert.deepEqual(names(hex('8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65')),
    [':method=GET', ':scheme=https', ':path=/index.html', ':authority=www.example.com', 'custom-key=custom-value']);
});

test('our literals decode to the same fields, long values included', () => {
  const fields = [{ name: ':authority', value: 'localhost' }, { name: 'x-long', value: 'v'.repeat(300) }];
  assert.deepEqual(new HpackDecoder().decode(encodeLiterals(fields)), fields);
});

test("what Node's HTTP/2 client sends (Huffman, indexing) decodes to what it was given", async (t) => {
  const blocks: Buffer[] = [];
  let conn: Socket | undefined;
  const server = createServer((s) => {
    conn = s;
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.subarray(0, 3).toString() === 'PRI') buf = buf.subarray(24);
      while (buf.length >= 9 && buf.length >= 9 + buf.readUIntBE(0, 3)) {
        const len = buf.readUIntBE(0, 3);
        if (buf[3] === 1) blocks.push(buf.subarray(9, 9 + len));
        buf = buf.subarray(9 + len);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => { conn?.destroy(); server.close(); });
  const port = (server.address() as { port: number }).port;
  const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
  const sent = [
    { ':path': '/runtime.v1.RuntimeService/Version', 'x-all': printable, 'x-tab': 'a\tb', 'user-agent': 'test/1' },
    { ':path': '/runtime.v1.RuntimeService/Status', 'x-all': printable, 'x-other': 'zzz'.repeat(50) },
  ];
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on('error', () => undefined);
  t.after(() => session.destroy());
  for (const h of sent) session.request({ ':method': 'POST', ...h }, { endStream: true }).on('error', () => undefined);
  for (let i = 0; i < 100 && blocks.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(blocks.length, 2);
  const d = new HpackDecoder();
  for (const [i, block] of blocks.entries()) {
    const got = Object.fromEntries(d.decode(block).map((f) => [f.name, f.value]));
    for (const [k, v] of Object.entries(sent[i]!)) assert.equal(got[k], v, k);
    assert.equal(got[':authority'], `127.0.0.1:${port}`);
  }
});
