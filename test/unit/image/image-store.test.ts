// The image store over a real state store and a counting fake of the layer store (the overlay
// store itself is exercised by test/integration/image-store.test.ts).
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../../src/store/index.ts';
import type { LogStateStore } from '../../../src/store/index.ts';
import { ImageStore } from '../../../src/image/image-store.ts';
import type { ImageLayerAccess } from '../../../src/image/image-store.ts';
import type { LayerInfo } from '../../../src/storage/types.ts';

const diff = (s: string) => 'sha256:' + createHash('sha256').update(s).digest('hex');

class FakeLayers implements ImageLayerAccess {
  refs = new Map<string, number>();
  has = (id: string) => this.refs.has(id);
  stat = (id: string): LayerInfo | undefined => (this.refs.has(id) ? { chainId: id, diffId: id, parent: null, size: 1 } : undefined);
  hold = (id: string) => void this.refs.set(id, (this.refs.get(id) ?? 0) + 1);
  release = async (id: string) => {
    const n = (this.refs.get(id) ?? 0) - 1;
    if (n <= 0) this.refs.delete(id);
    else this.refs.set(id, n);
  };
  /** what apply() would return: a layer with one reference for the caller */
  applied(d: string): LayerInfo {
    this.hold(d);
    return { chainId: d, diffId: d, parent: null, size: 100 };
  }
}

function config(d: string, created = '2024-01-01T00:00:00Z'): Buffer {
  return Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created, config: {}, rootfs: { type: 'layers', diff_ids: [d] } }));
}

let tmp: string;
let store: LogStateStore;
let layers: FakeLayers;
let images: ImageStore;

beforeEach(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'image-store-unit-'));
  store = await openStore(join(tmp, 'store'));
  layers = new FakeLayers();
  images = await ImageStore.open(store, layers, join(tmp, 'images'));
});

afterEach(async () => {
  await store.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('add keeps the config bytes, holds the top layer once and consumes the caller references', async () => {
  const d = diff('a');
  const cfg = config(d);
  const id = createHash('sha256').update(cfg).digest('hex');
  const r = await images.add({ configBytes: cfg, layers: [layers.applied(d)], names: ['a:1'] });
  assert.equal(r.id, id);
  assert.equal(layers.refs.get(d), 1, 'the image holds it; the caller reference was released');
  assert.deepEqual(readFileSync(join(tmp, 'images', id, 'config.json')), cfg);
  // Same image again with another name: names merge, no second hold.
  await images.add({ configBytes: cfg, layers: [layers.applied(d)], names: ['a:2'] });
  assert.deepEqual(images.get(id)?.names, ['a:1', 'a:2']);
  assert.equal(layers.refs.get(d), 1);
});

test('a config that does not match its layers is refused and the references are still released', async () => {
  const d = diff('b');
  await assert.rejects(images.add({ configBytes: config(diff('other')), layers: [layers.applied(d)], names: [] }), /do not match/);
  assert.equal(layers.refs.has(d), false);
});

test('tags move between images; resolve by name, digest-less ID and prefix', async () => {
  const a = await images.add({ configBytes: config(diff('1')), layers: [layers.applied(diff('1'))], names: ['x:latest'] });
  const b = await images.add({ configBytes: config(diff('2')), layers: [layers.applied(diff('2'))], names: [] });
  await images.tag(b.id, 'x:latest');
  assert.deepEqual(images.get(a.id)?.names, []);
  assert.equal(images.resolve('x')?.id, b.id);
  assert.equal(images.resolve('docker.io/library/x:latest')?.id, b.id);
  assert.equal(images.resolve(`sha256:${a.id}`)?.id, a.id);
  assert.equal(images.resolve(a.id.slice(0, 12))?.id, a.id);
  assert.equal(images.resolve('nothing'), undefined);
  assert.throws(() => images.mustResolve('nothing'), { kind: 'not-found' });
  await assert.rejects(images.tag(a.id, 'none:latest'), /reserved/);
});

test('delete removes the record and files, then releases the top layer; open cleans leftovers', async () => {
  const d = diff('c');
  const r = await images.add({ configBytes: config(d), layers: [layers.applied(d)], names: ['c:1'] });
  await images.delete(r.id);
  assert.equal(images.get(r.id), undefined);
  assert.equal(existsSync(join(tmp, 'images', r.id)), false);
  assert.equal(layers.refs.has(d), false);
  mkdirSync(join(tmp, 'images', 'f'.repeat(64)));
  const fresh = new FakeLayers();
  fresh.hold(diff('kept'));
  await ImageStore.open(store, fresh, join(tmp, 'images'));
  assert.equal(existsSync(join(tmp, 'images', 'f'.repeat(64))), false, 'a dir without a record is removed at open');
});

test('open holds the top layer of every image', async () => {
  const d = diff('d');
  await images.add({ configBytes: config(d), layers: [layers.applied(d)], names: ['d:1'] });
  const again = new FakeLayers();
  again.hold(d); // exists in the layer store (its own count starts from children/containers)
  await ImageStore.open(store, again, join(tmp, 'images'));
  assert.equal(again.refs.get(d), 2);
});
