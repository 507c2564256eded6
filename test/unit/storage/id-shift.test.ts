// Owners between a user-namespaced container's view and the host's (id-shift.ts), and packTree /
// extractInto applying them: a tree's entries leave with the container's ids, a tar's owners land
// shifted. Owners on disk need root; the packing side uses the current user as the base.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import * as tarStream from 'tar-stream';
import { OVERFLOW_ID, ownerToContainer, ownerToHost } from '../../../src/storage/id-shift.ts';
import { packTree } from '../../../src/storage/rootfs/pack-tree.ts';
import { extractInto } from '../../../src/storage/rootfs/extract-into.ts';

const S = { uid: 100000, gid: 200000, size: 65535 };
const isRoot = process.getuid?.() === 0;

test('ownerToContainer: the range maps down, both edges; outside it is nobody (65534)', () => {
  assert.deepEqual(ownerToContainer(100000, 200000, S), { uid: 0, gid: 0 });
  assert.deepEqual(ownerToContainer(100005, 200006, S), { uid: 5, gid: 6 });
  assert.deepEqual(ownerToContainer(165534, 265534, S), { uid: 65534, gid: 65534 });
  assert.deepEqual(ownerToContainer(165535, 199999, S), { uid: OVERFLOW_ID, gid: OVERFLOW_ID });
  assert.deepEqual(ownerToContainer(0, 0, S), { uid: OVERFLOW_ID, gid: OVERFLOW_ID });
});

test('ownerToHost: the container\'s ids map up; an id at or past the size has no host id', () => {
  assert.deepEqual(ownerToHost(0, 0, S), { uid: 100000, gid: 200000 });
  assert.deepEqual(ownerToHost(65534, 1, S), { uid: 165534, gid: 200001 });
  assert.equal(ownerToHost(65535, 0, S), undefined);
  assert.equal(ownerToHost(0, 70000, S), undefined);
});

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'id-shift-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

async function headersOf(path: string, idShift?: typeof S): Promise<Map<string, { uid: number; gid: number }>> {
  const pack = tarStream.pack();
  const extract = tarStream.extract();
  const out = new Map<string, { uid: number; gid: number }>();
  extract.on('entry', (h, stream, next) => {
    out.set(h.name, { uid: h.uid ?? -1, gid: h.gid ?? -1 });
    stream.on('end', next);
    stream.resume();
  });
  const done = new Promise<void>((r) => extract.on('finish', () => r()));
  (pack as unknown as Readable).pipe(new PassThrough()).pipe(extract);
  await packTree(pack, path, await lstat(path), { top: 't', ...(idShift ? { idShift } : {}) });
  await done;
  return out;
}

test('packTree with idShift: headers carry owner minus the base (the current user as container root); without it, host ids', async () => {
  const src = join(work, 'pack');
  mkdirSync(src);
  writeFileSync(join(src, 'f'), 'x');
  const st = statSync(src);
  const shift = { uid: st.uid, gid: st.gid, size: 10 };
  const shifted = await headersOf(src, shift);
  assert.deepEqual(shifted.get('t/'), { uid: 0, gid: 0 });
  assert.deepEqual(shifted.get('t/f'), { uid: 0, gid: 0 });
  const plain = await headersOf(src);
  assert.deepEqual(plain.get('t/f'), { uid: st.uid, gid: st.gid });
  // a base above the owner: the owner is outside the range → nobody
  const outside = await headersOf(src, { uid: st.uid + 1, gid: st.gid + 1, size: 10 });
  assert.deepEqual(outside.get('t/f'), { uid: OVERFLOW_ID, gid: OVERFLOW_ID });
});

function tarOf(entries: Array<{ name: string; uid: number; gid: number; type?: 'directory' | 'file' }>): Promise<Buffer> {
  const pack = tarStream.pack();
  for (const e of entries) pack.entry({ name: e.name, uid: e.uid, gid: e.gid, type: e.type ?? 'file', mode: e.type === 'directory' ? 0o755 : 0o644 }, e.type === 'directory' ? '' : 'x');
  pack.finalize();
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    (pack as unknown as Readable).on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
  });
}

test('extractInto with idShift: a fixed owner and kept owners land shifted, made parents are the mapped root\'s, an unmapped id is refused', { skip: isRoot ? false : 'chown needs root' }, async () => {
  const root = join(work, 'into');
  mkdirSync(root);
  const tar = await tarOf([{ name: 'top/', uid: 3, gid: 4, type: 'directory' }, { name: 'top/a/b', uid: 3, gid: 4 }]);
  await extractInto(Readable.from([tar]), { root, dir: '/', rename: 'fixed', keepOwners: false, owner: { uid: 0, gid: 0 }, idShift: S });
  assert.equal(statSync(join(root, 'fixed', 'a', 'b')).uid, 100000);
  assert.equal(statSync(join(root, 'fixed', 'a', 'b')).gid, 200000);
  assert.equal(statSync(join(root, 'fixed', 'a')).uid, 100000, 'a parent made on the way is the mapped root\'s');
  await extractInto(Readable.from([tar]), { root, dir: '/', rename: 'kept', keepOwners: true, idShift: S });
  assert.equal(statSync(join(root, 'kept', 'a', 'b')).uid, 100003);
  assert.equal(statSync(join(root, 'kept', 'a', 'b')).gid, 200004);
  const far = await tarOf([{ name: 'top', uid: 70000, gid: 0 }]);
  await assert.rejects(extractInto(Readable.from([far]), { root, dir: '/', rename: 'far', keepOwners: true, idShift: S }), /outside the container's user namespace mapping/);
});
