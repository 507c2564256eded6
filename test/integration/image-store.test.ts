// The image service against real overlayfs and a real state store (no daemon): load of every
// fixture archive, whiteouts seen through a mounted container layer, save → load with identical
// IDs, hostile archives refused with nothing written outside storage, and layer GC.
// Needs root (overlay mounts, device nodes, trusted.* xattrs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openStore } from '../../src/store/index.ts';
import type { LogStateStore } from '../../src/store/index.ts';
import { ImageService } from '../../src/services/images/image-service.ts';
import { openImageStorage } from '../../src/daemon/storage.ts';
import type { ImageStorage } from '../../src/daemon/storage.ts';
import {
  busyboxBase, dockerArchive, hostileCases, multiImageArchive, ociArchive, treeMismatches, WHITEOUT_EXPECTED, whiteoutImage,
} from '../fixtures/images/make.ts';
import type { FixtureImage } from '../fixtures/images/make.ts';
import { tarArchive } from '../../rootfs-fixtures/tar-writer.mjs';

let tmp: string;
let store: LogStateStore;
let svc: ImageService;
let storage: ImageStorage;
let base: FixtureImage;
const events: string[] = [];

async function open(root: string): Promise<void> {
  store = await openStore(join(root, 'store'));
  storage = await openImageStorage(root, store);
  svc = new ImageService({
    store,
    ...storage,
    embeddedImage: () => undefined,
    events: { publish: (e: { action: string; id: string }) => void events.push(`${e.action} ${e.id}`) } as never,
  });
  await svc.start();
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'image-store-'));
  base = await busyboxBase();
  await open(join(tmp, 'root'));
});

after(async () => {
  await store?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const hex = (id: string) => id.replace(/^sha256:/, '');

for (const arch of ['amd64', 'arm64'] as const) {
  for (const kind of ['docker', 'oci'] as const) {
    test(`busybox ${arch} ${kind} archive loads with its config digest as ID`, async () => {
      const img = await busyboxBase(arch);
      const file = join(import.meta.dirname, `../../rootfs-fixtures/out/busybox-${arch}.${kind}.tar`);
      const [rec] = await svc.load(createReadStream(file), { tag: `bb-${arch}-${kind}:1` });
      assert.equal(rec?.id, hex(img.id));
      assert.ok(rec?.names.includes(`bb-${arch}-${kind}:1`));
      assert.equal(svc.inspect(`bb-${arch}-${kind}:1`).image.Spec.architecture, arch);
    });
  }
}

test('multi-arch OCI archive loads the host platform image', async () => {
  const file = join(import.meta.dirname, '../../rootfs-fixtures/out/busybox-multiarch.oci.tar');
  const [rec] = await svc.load(createReadStream(file), { tag: 'bb-multi:1' });
  assert.equal(rec?.id, hex((await busyboxBase()).id));
  assert.equal(rec?.config.architecture, process.arch === 'arm64' ? 'arm64' : 'amd64');
});

test('whiteout image: a container layer shows deleted files gone and opaque dirs hiding lower entries', async () => {
  const wo = whiteoutImage(base);
  const [rec] = await svc.load(Readable.from([dockerArchive(wo)]));
  assert.equal(rec?.id, hex(wo.id));
  assert.deepEqual(rec?.names, [wo.repoTag]);
  const layers = storage.layers;
  await layers.createContainerLayer('c-whiteout', rec!.topLayer);
  const merged = await layers.mountContainerLayer('c-whiteout');
  try {
    assert.deepEqual(treeMismatches(merged, WHITEOUT_EXPECTED), []);
  } finally {
    await layers.unmountContainerLayer('c-whiteout');
    await layers.removeContainerLayer('c-whiteout');
  }
});

test('whiteout image from an OCI layout gets the same ID', async () => {
  const wo = whiteoutImage(base);
  const [rec] = await svc.load(Readable.from([ociArchive(wo)]));
  assert.equal(rec?.id, hex(wo.id));
});

test('multi-image archive: both images, shared base layer stored once', async () => {
  const wo = whiteoutImage(base);
  const recs = await svc.load(Readable.from([multiImageArchive(base)]));
  assert.deepEqual(recs.map((r) => r.id).sort(), [hex(base.id), hex(wo.id)].sort());
  const baseChain = storage.images.get(hex(base.id))!.layers[0];
  assert.equal(storage.images.get(hex(wo.id))!.layers[0], baseChain);
  assert.equal(storage.layers.list().filter((l) => l.chainId === baseChain).length, 1);
});

test('save → rmi → load round-trips with identical IDs and names', async () => {
  const wo = whiteoutImage(base);
  const out = join(tmp, 'saved.tar');
  await svc.tag(hex(base.id), 'roundtrip:base');
  await svc.save(['roundtrip:base', wo.repoTag], createWriteStream(out));
  const before = svc.list().map((i) => i.id).sort();
  for (const id of before) await svc.remove(id, true);
  assert.equal(svc.list().length, 0);
  assert.equal(storage.layers.list().length, 0, 'layers go with the last image');
  const recs = await svc.load(createReadStream(out));
  assert.deepEqual(recs.map((r) => r.id).sort(), [hex(base.id), hex(wo.id)].sort());
  assert.ok(storage.images.get(hex(base.id))!.names.includes('roundtrip:base'));
  assert.ok(storage.images.get(hex(wo.id))!.names.includes(wo.repoTag));
  assert.ok(events.some((e) => e.startsWith('load ')) && events.some((e) => e.startsWith('remove ')) && events.includes('tag roundtrip:base'));
});

test('hostile archives are refused and nothing is written outside storage', async () => {
  const outside = join(tmp, 'outside');
  for (const c of hostileCases({ outside })) {
    const imagesBefore = svc.list().length;
    const tmpBefore = readdirSync(tmp).sort();
    let failed = false;
    try {
      await svc.load(Readable.from([c.docker]));
    } catch {
      failed = true;
    }
    if (c.expect === 'refuse') assert.ok(failed, `${c.name} must be refused`);
    assert.deepEqual(readdirSync(tmp).sort(), tmpBefore, `${c.name}: nothing new beside the root`);
    assert.equal(existsSync(outside), false, `${c.name}: ${outside} must not exist`);
    assert.equal(existsSync('/etc/evil'), false);
    assert.equal(existsSync(join(tmp, 'root', 'escaped-dotdot.txt')), false);
    if (failed) assert.equal(svc.list().length, imagesBefore, `${c.name}: no image listed`);
    assert.deepEqual(readdirSync(join(tmp, 'root', 'storage', 'overlay', 'tmp')), [], `${c.name}: no staging left`);
  }
});

test('layers nobody holds are collected at the next start', async () => {
  // A committed layer whose image was never committed: what a kill -9 between the two leaves.
  const tar = tarArchive([{ name: 'gc-me.txt', type: 'file', data: 'orphan\n', mode: 0o644, mtime: 0 }]);
  const info = await storage.layers.apply(null, Readable.from([tar]), {});
  assert.ok(storage.layers.has(info.chainId));
  const dir = storage.layers.layout.layerDir(info.chainId);
  assert.ok(statSync(dir).isDirectory());
  await store.close();
  await open(join(tmp, 'root'));
  assert.equal(storage.layers.has(info.chainId), false);
  assert.equal(existsSync(dir), false);
  const held = new Set(svc.list().flatMap((i) => i.layers));
  for (const l of storage.layers.list()) assert.ok(held.has(l.chainId), `layer ${l.chainId} is held by an image`);
  assert.ok(svc.list().length > 0, 'images survive the restart');
});

test('concurrent loads of one image: one record, and its layers go with it', async () => {
  const archive = dockerArchive(base);
  await Promise.all([svc.load(Readable.from([archive]), { tag: 'twice:1' }), svc.load(Readable.from([archive]), { tag: 'twice:1' })]);
  const ids = svc.list().filter((i) => i.names.includes('twice:1'));
  assert.equal(ids.length, 1);
  for (const r of svc.list()) await svc.remove(r.id, true);
  assert.deepEqual(storage.layers.list(), [], 'no layer outlives the images');
  assert.deepEqual(readdirSync(storage.layers.layout.root).filter((n) => /^[0-9a-f]{64}$/.test(n)), []);
});

test('128 layers mount (short links keep lowerdir under a page); the 129th is refused', async () => {
  const layers = storage.layers;
  const held: string[] = [];
  let parent: string | null = null;
  try {
    for (let i = 0; i < 128; i++) {
      const tar = tarArchive([{ name: `depth/${String(i).padStart(3, '0')}`, type: 'file', data: `${i}\n`, mode: 0o644, mtime: 0 }]);
      const info: { chainId: string } = await layers.apply(parent, Readable.from([tar]), {});
      held.push(info.chainId);
      parent = info.chainId;
    }
    const extra = tarArchive([{ name: 'too-deep', type: 'file', data: 'x', mode: 0o644, mtime: 0 }]);
    await assert.rejects(layers.apply(parent, Readable.from([extra]), {}), /more than 128 layers/);
    await layers.createContainerLayer('c-deep', parent);
    try {
      const merged = await layers.mountContainerLayer('c-deep');
      assert.equal(readdirSync(join(merged, 'depth')).length, 128);
      await layers.unmountContainerLayer('c-deep');
    } finally {
      await layers.removeContainerLayer('c-deep');
    }
  } finally {
    for (const id of held.reverse()) await layers.release(id);
  }
  assert.equal(layers.list().filter((l) => held.includes(l.chainId)).length, 0, 'released layers are deleted');
});

test('apply with a known diff ID of a stored chain returns it without reading the stream', async () => {
  const tar = tarArchive([{ name: 'once.txt', type: 'file', data: 'once\n', mode: 0o644, mtime: 0 }]);
  const first = await storage.layers.apply(null, Readable.from([tar]), {});
  let read = false;
  const again = await storage.layers.apply(null, new Readable({ read() { read = true; this.push(null); } }), { expectedDiffId: first.diffId });
  assert.equal(again.chainId, first.chainId);
  assert.equal(read, false);
  assert.equal(storage.layers.refCount(first.chainId), 2);
  await storage.layers.release(first.chainId);
  await storage.layers.release(first.chainId);
  assert.equal(storage.layers.has(first.chainId), false);
});

test('one blob at two positions of an image (a repeated layer) loads as two chains', async () => {
  const { makeLayer, dockerSaveArchive } = await import('../../rootfs-fixtures/image-archive.mjs');
  const { makeImage, hostArch } = await import('../fixtures/images/common.ts');
  const a = makeLayer(tarArchive([
    { name: 'shared', type: 'dir', mode: 0o755, mtime: 0 },
    { name: 'shared/a.txt', type: 'file', data: 'a\n', mode: 0o640, uid: 7, gid: 8, mtime: 0 },
  ]));
  const b = makeLayer(tarArchive([{ name: 'shared/.wh.a.txt', type: 'file', data: '', mode: 0o644, mtime: 0 }]));
  const img = makeImage('repeat:1', [a, b, a], hostArch(), ['a', 'b', 'a again']);
  const [rec] = await svc.load(Readable.from([dockerSaveArchive([{ config: img.config, layers: [a, b, a], repoTags: [img.repoTag] }])]));
  assert.equal(rec?.id, hex(img.id));
  assert.equal(new Set(rec?.layers).size, 3);
  await storage.layers.createContainerLayer('c-repeat', rec!.topLayer);
  try {
    const merged = await storage.layers.mountContainerLayer('c-repeat');
    const st = statSync(join(merged, 'shared/a.txt'));
    assert.equal(st.uid, 7);
    assert.equal(st.mode & 0o777, 0o640);
    await storage.layers.unmountContainerLayer('c-repeat');
  } finally {
    await storage.layers.removeContainerLayer('c-repeat');
  }
  const out = join(tmp, 'repeat.tar');
  await svc.save(['repeat:1'], createWriteStream(out));
  await svc.remove('repeat:1');
  const [again] = await svc.load(createReadStream(out));
  assert.equal(again?.id, hex(img.id));
  await svc.remove('repeat:1');
});

test('a whiteout followed by a new directory of that name hides the lower directory', async () => {
  const lower = tarArchive([
    { name: 'd', type: 'dir', mode: 0o755, mtime: 0 },
    { name: 'd/old.txt', type: 'file', data: 'old\n', mode: 0o644, mtime: 0 },
  ]);
  const upper = tarArchive([
    { name: '.wh.d', type: 'file', data: '', mode: 0o644, mtime: 0 },
    { name: 'd', type: 'dir', mode: 0o755, mtime: 0 },
    { name: 'd/new.txt', type: 'file', data: 'new\n', mode: 0o644, mtime: 0 },
  ]);
  const l1 = await storage.layers.apply(null, Readable.from([lower]), {});
  const l2 = await storage.layers.apply(l1.chainId, Readable.from([upper]), {});
  await storage.layers.createContainerLayer('c-replace', l2.chainId);
  try {
    const merged = await storage.layers.mountContainerLayer('c-replace');
    assert.deepEqual(readdirSync(join(merged, 'd')), ['new.txt']);
    await storage.layers.unmountContainerLayer('c-replace');
  } finally {
    await storage.layers.removeContainerLayer('c-replace');
    await storage.layers.release(l2.chainId);
    await storage.layers.release(l1.chainId);
  }
});

test('an external container rootfs: a record only; mount returns the directory, remove leaves it', async () => {
  const layers = storage.layers;
  const dir = join(tmp, 'external-rootfs');
  mkdirSync(join(dir, 'etc'), { recursive: true });
  writeFileSync(join(dir, 'etc', 'marker'), 'kept');
  await assert.rejects(layers.createContainerLayer('c-ext-rel', null, 'relative/dir'), /an absolute path/);
  await layers.createContainerLayer('c-ext', null, dir);
  assert.equal(await layers.mountContainerLayer('c-ext'), dir);
  assert.deepEqual(layers.containerLayerPaths('c-ext'), { lowerDir: '', upperDir: '', workDir: '', mergedDir: dir, external: true });
  assert.equal(existsSync(join(layers.layout.root, 'c-ext')), false, 'no overlay dirs');
  await assert.rejects(layers.containerChanges('c-ext'), /external rootfs/);
  await layers.unmountContainerLayer('c-ext');
  await layers.removeContainerLayer('c-ext');
  assert.equal(layers.containerLayerPaths('c-ext'), undefined);
  assert.equal(readFileSync(join(dir, 'etc', 'marker'), 'utf8'), 'kept');
});
