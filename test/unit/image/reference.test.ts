import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseTagName, parseReference, parseIdPrefix, parseFullId, splitTaggedName } from '../../../src/image/reference.ts';

const D = 'sha256:' + 'ab'.repeat(32);

const ok: Array<{ in: string; want: ReturnType<typeof parseReference> }> = [
  { in: 'busybox', want: { repo: 'busybox', tag: 'latest' } },
  { in: 'busybox:1.36', want: { repo: 'busybox', tag: '1.36' } },
  { in: 'docker.io/library/busybox', want: { repo: 'busybox', tag: 'latest' } },
  { in: 'docker.io/busybox:x', want: { repo: 'busybox', tag: 'x' } },
  { in: 'library/busybox', want: { repo: 'busybox', tag: 'latest' } },
  { in: 'index.docker.io/foo/bar', want: { repo: 'foo/bar', tag: 'latest' } },
  { in: 'docker.io/foo/bar:v1', want: { repo: 'foo/bar', tag: 'v1' } },
  { in: 'localhost/app', want: { repo: 'localhost/app', tag: 'latest' } },
  { in: 'localhost:5000/app:dev', want: { repo: 'localhost:5000/app', tag: 'dev' } },
  { in: 'reg.example.com/a/b/c:1', want: { repo: 'reg.example.com/a/b/c', tag: '1' } },
  { in: 'reg.example.com/library/x', want: { repo: 'reg.example.com/library/x', tag: 'latest' } },
  { in: `busybox@${D}`, want: { repo: 'busybox', digest: D } },
  { in: `busybox:1@${D}`, want: { repo: 'busybox', tag: '1', digest: D } },
  { in: 'my_repo/sub__y.x-z', want: { repo: 'my_repo/sub__y.x-z', tag: 'latest' } },
];
for (const c of ok) test(`parse ${c.in}`, () => assert.deepEqual(parseReference(c.in), c.want));

const bad = ['', 'Busybox', 'busybox:', 'busybox:-x', 'a//b', '/busybox', 'busybox@sha256:12', 'bad host!/x', 'a'.repeat(300), 'x:y:z'];
for (const s of bad) test(`refuse ${JSON.stringify(s)}`, () => assert.throws(() => parseReference(s), { kind: 'invalid-argument' }));

test('normaliseTagName refuses reserved names and digests', () => {
  assert.equal(normaliseTagName('docker.io/library/alpine:3'), 'alpine:3');
  assert.throws(() => normaliseTagName('none'), /reserved/);
  assert.throws(() => normaliseTagName('none:latest'), /reserved/);
  assert.throws(() => normaliseTagName(`busybox@${D}`), /digest/);
});

test('ids and tagged-name splitting', () => {
  assert.equal(parseFullId(D), 'ab'.repeat(32));
  assert.equal(parseFullId('ab'.repeat(32)), 'ab'.repeat(32));
  assert.equal(parseFullId('abc'), undefined);
  assert.equal(parseIdPrefix('abc'), 'abc');
  assert.equal(parseIdPrefix('ab'), undefined);
  assert.equal(parseIdPrefix('busybox'), undefined);
  assert.deepEqual(splitTaggedName('localhost:5000/app:dev'), { repo: 'localhost:5000/app', tag: 'dev' });
  assert.deepEqual(splitTaggedName('busybox:latest'), { repo: 'busybox', tag: 'latest' });
});
