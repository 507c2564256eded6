// Layer extraction without root: hostile layers are refused or contained, nothing appears outside
// the layer directory, and the tar-split record rebuilds the exact layer bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, mkdirSync, readFileSync, lstatSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { extractTar } from '../../../src/storage/extract.ts';
import { TarSplitWriter, reassembleTar } from '../../../src/storage/tar/tar-split.ts';
import { hostileCases, miniBase } from '../../fixtures/images/make.ts';
import { tarArchive } from '../../../rootfs-fixtures/tar-writer.mjs';

function walk(dir: string, base = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const rel = base ? `${base}/${name}` : name;
    out.push(rel);
    const st = lstatSync(join(dir, name));
    if (st.isDirectory()) out.push(...walk(join(dir, name), rel));
  }
  return out;
}

const sha = (b: Buffer) => 'sha256:' + createHash('sha256').update(b).digest('hex');

for (const c of hostileCases({ outside: '/nonexistent-outside' })) {
  if (!c.layer) continue;
  test(`hostile layer ${c.name}: ${c.expect}`, async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'extract-hostile-'));
    try {
      const outside = join(tmp, 'outside');
      const layer = hostileCases({ outside }).find((h) => h.name === c.name)!.layer!;
      const root = join(tmp, 'a', 'b', 'layer');
      mkdirSync(root, { recursive: true });
      let failed: unknown;
      try {
        await extractTar(Readable.from([layer]), { root, preserveOwners: false });
      } catch (err) {
        failed = err;
      }
      if (c.expect === 'refuse') assert.ok(failed, 'extraction must fail');
      assert.deepEqual(walk(tmp).filter((p) => !p.startsWith('a/b/layer')), ['a', 'a/b']);
      assert.equal(existsSync(outside), false);
      assert.equal(existsSync('/etc/evil'), false);
      assert.equal(existsSync('/nonexistent-outside'), false);
      assert.equal(existsSync(join(tmp, 'a', 'escaped-dotdot.txt')), false);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}

test('symlink then file: the file replaces the link, the target is untouched', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'extract-'));
  try {
    const layer = tarArchive([
      { name: 'f', type: 'symlink', linkname: join(tmp, 'target'), mode: 0o777, mtime: 0 },
      { name: 'f', type: 'file', data: 'new\n', mode: 0o644, mtime: 0 },
    ]);
    const root = join(tmp, 'root');
    mkdirSync(root);
    await extractTar(Readable.from([layer]), { root, preserveOwners: false });
    assert.equal(readFileSync(join(root, 'f'), 'utf8'), 'new\n');
    assert.equal(existsSync(join(tmp, 'target')), false);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('regular content, symlinks, hard links, modes and mtimes', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'extract-'));
  try {
    const layer = tarArchive([
      { name: 'bin', type: 'dir', mode: 0o755, mtime: 1000 },
      { name: 'bin/tool', type: 'file', data: 'x'.repeat(5000), mode: 0o4755, mtime: 2000 },
      { name: 'bin/alias', type: 'link', linkname: 'bin/tool', mode: 0o644, mtime: 2000 },
      { name: 'bin/sym', type: 'symlink', linkname: 'tool', mode: 0o777, mtime: 3000 },
      { name: 'deep/er/file', type: 'file', data: 'd', mode: 0o600, mtime: 4000 },
    ]);
    const root = join(tmp, 'root');
    mkdirSync(root);
    const r = await extractTar(Readable.from([layer]), { root, preserveOwners: false });
    assert.equal(r.size, 5001);
    const st = lstatSync(join(root, 'bin/tool'));
    assert.equal(st.mode & 0o7777, 0o4755);
    assert.equal(st.mtimeMs, 2000_000);
    assert.equal(st.nlink, 2);
    assert.equal(lstatSync(join(root, 'bin/alias')).ino, st.ino);
    assert.equal(readlinkSync(join(root, 'bin/sym')), 'tool');
    assert.equal(lstatSync(join(root, 'bin')).mtimeMs, 1000_000);
    assert.equal(readFileSync(join(root, 'deep/er/file'), 'utf8'), 'd');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('every file mode comes out exact, whether created with it or chmod-ed after (umask 077 too)', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'extract-modes-'));
  const old = process.umask(0o077);
  try {
    const modes = [0o644, 0o444, 0o600, 0o755, 0o777, 0o4755, 0o2755, 0o1644, 0o000];
    const layer = tarArchive([
      { name: 'd', type: 'dir', mode: 0o2775, mtime: 1 },
      ...modes.map((m) => ({ name: `d/f${m.toString(8)}`, type: 'file' as const, data: 'x', mode: m, mtime: 2 })),
    ]);
    const root = join(tmp, 'root');
    mkdirSync(root);
    await extractTar(Readable.from([layer]), { root, preserveOwners: false });
    for (const m of modes) {
      const st = lstatSync(join(root, `d/f${m.toString(8)}`));
      assert.equal((st.mode & 0o7777).toString(8), m.toString(8), `mode of f${m.toString(8)}`);
      assert.equal(st.mtimeMs, 2000);
      assert.equal(readFileSync(join(root, `d/f${m.toString(8)}`), 'utf8'), 'x');
    }
    assert.equal((lstatSync(join(root, 'd')).mode & 0o7777).toString(8), '2775');
  } finally {
    process.umask(old);
    rmSync(tmp, { recursive: true, force: true });
  }
});

// The unit suite runs as root on the build machine and in CI; owners can only be set by root.
test('owners: entries of our own uid/gid and of others, in and under a setgid directory of another group', { skip: process.getuid?.() === 0 ? false : 'chown needs root' }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'extract-owners-'));
  try {
    const layer = tarArchive([
      { name: 'mine', type: 'dir', mode: 0o755, mtime: 1 },
      { name: 'mine/root-file', type: 'file', data: 'r', mode: 0o644, mtime: 1 },
      { name: 'mine/user-file', type: 'file', data: 'u', mode: 0o644, mtime: 1, uid: 1000, gid: 1001 },
      { name: 'mine/user-dir', type: 'dir', mode: 0o755, mtime: 1, uid: 1000, gid: 1001 },
      { name: 'mine/user-dir/root-file', type: 'file', data: 'r', mode: 0o600, mtime: 1 },
      // files made in a setgid directory take its group: root:root entries there need the chown
      { name: 'sg', type: 'dir', mode: 0o2775, mtime: 1, uid: 0, gid: 50 },
      { name: 'sg/root-file', type: 'file', data: 'r', mode: 0o644, mtime: 1 },
      { name: 'sg/root-dir', type: 'dir', mode: 0o755, mtime: 1 },
      { name: 'sg/root-dir/inner', type: 'file', data: 'i', mode: 0o644, mtime: 1 },
      { name: 'sg/setuid', type: 'file', data: 's', mode: 0o4755, mtime: 1, uid: 1000, gid: 1000 },
    ]);
    const root = join(tmp, 'root');
    mkdirSync(root);
    await extractTar(Readable.from([layer]), { root, preserveOwners: true });
    const own = (p: string) => {
      const st = lstatSync(join(root, p));
      return `${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)}`;
    };
    assert.equal(own('mine'), '0:0 755');
    assert.equal(own('mine/root-file'), '0:0 644');
    assert.equal(own('mine/user-file'), '1000:1001 644');
    assert.equal(own('mine/user-dir'), '1000:1001 755');
    assert.equal(own('mine/user-dir/root-file'), '0:0 600');
    assert.equal(own('sg'), '0:50 2775');
    assert.equal(own('sg/root-file'), '0:0 644');
    assert.equal(own('sg/root-dir'), '0:0 755');
    assert.equal(own('sg/root-dir/inner'), '0:0 644');
    assert.equal(own('sg/setuid'), '1000:1000 4755');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('idShift (--userns-remap): owners below SIZE shifted by HOSTUID/HOSTGID, the root and implied parents the mapped root\'s, an owner outside the range refused', { skip: process.getuid?.() === 0 ? false : 'chown needs root' }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'extract-shift-'));
  try {
    const layer = tarArchive([
      { name: 'etc', type: 'dir', mode: 0o755, mtime: 1 },
      { name: 'etc/root-file', type: 'file', data: 'r', mode: 0o644, mtime: 1 },
      { name: 'home/user/file', type: 'file', data: 'u', mode: 0o600, mtime: 1, uid: 1000, gid: 1001 },
      { name: 'bin/sh', type: 'symlink', linkname: 'busybox', mode: 0o777, mtime: 1 },
      { name: 'bin/setuid', type: 'file', data: 's', mode: 0o4755, mtime: 1, uid: 5, gid: 6 },
    ]);
    const root = join(tmp, 'root');
    mkdirSync(root);
    const idShift = { uid: 100000, gid: 200000, size: 65535 };
    await extractTar(Readable.from([layer]), { root, preserveOwners: true, idShift });
    const own = (p: string) => {
      const st = lstatSync(join(root, p));
      return `${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)}`;
    };
    assert.equal(own(''), '100000:200000 755');
    assert.equal(own('etc'), '100000:200000 755');
    assert.equal(own('etc/root-file'), '100000:200000 644');
    assert.equal(own('home'), '100000:200000 755', 'a parent the tar does not list');
    assert.equal(own('home/user/file'), '101000:201001 600');
    assert.equal(own('bin/sh').split(' ')[0], '100000:200000');
    assert.equal(own('bin/setuid'), '100005:200006 4755');
    const outside = join(tmp, 'outside');
    mkdirSync(outside);
    const big = tarArchive([{ name: 'f', type: 'file', data: 'x', mode: 0o644, mtime: 1, uid: 70000, gid: 0 }]);
    await assert.rejects(extractTar(Readable.from([big]), { root: outside, preserveOwners: true, idShift }), /owner 70000:0 is outside the remapped range of 65535 ids/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('tar-split rebuilds the layer byte for byte (diff ID preserved)', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'extract-split-'));
  try {
    const base = miniBase();
    const layerTar = base.layers[0]!.blob[0] === 0x1f ? (await import('node:zlib')).gunzipSync(base.layers[0]!.blob) : base.layers[0]!.blob;
    const long = tarArchive([
      { name: 'a'.repeat(150) + '/' + 'b'.repeat(120), type: 'file', data: 'long name\n', mode: 0o644, mtime: 7 },
      { name: 'ünïcode/файл', type: 'file', data: Buffer.alloc(70000, 7), mode: 0o644, mtime: 7 },
    ]);
    for (const original of [layerTar, long]) {
      const root = join(tmp, 'root-' + original.length);
      mkdirSync(root);
      const split = new TarSplitWriter(join(tmp, `split-${original.length}.gz`));
      await extractTar(Readable.from([original.subarray(0, 1000), original.subarray(1000)]), { root, split, preserveOwners: false });
      await split.finish();
      assert.equal(split.tarSize, original.length);
      const parts: Buffer[] = [];
      for await (const c of reassembleTar(join(tmp, `split-${original.length}.gz`), root)) parts.push(c);
      assert.equal(sha(Buffer.concat(parts)), sha(original));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('garbage is not a tar', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'extract-'));
  try {
    await assert.rejects(extractTar(Readable.from([Buffer.alloc(1024, 0x41)]), { root: tmp, preserveOwners: false }), /checksum/);
    await assert.rejects(extractTar(Readable.from([Buffer.alloc(100, 0x41)]), { root: tmp, preserveOwners: false }), /end of tar/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a layer without the end-of-archive blocks and with a "/" entry (umoci) extracts and rebuilds byte for byte', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'extract-noeof-'));
  try {
    const full = tarArchive([
      { name: '/', type: 'dir', mode: 0o755, mtime: 7 },
      { name: 'bin/', type: 'dir', mode: 0o755, mtime: 7 },
      { name: 'bin/x', type: 'file', data: 'x\n', mode: 0o755, mtime: 7 },
    ]);
    // the writer's trailer is the zero blocks after the last entry: cut them all
    let end = full.length;
    while (end >= 512 && full.subarray(end - 512, end).every((b) => b === 0)) end -= 512;
    const layer = full.subarray(0, end);
    const root = join(tmp, 'root');
    mkdirSync(root);
    const split = new TarSplitWriter(join(tmp, 'split.gz'));
    await extractTar(Readable.from([layer]), { root, split, preserveOwners: false });
    await split.finish();
    assert.equal(readFileSync(join(root, 'bin', 'x'), 'utf8'), 'x\n');
    const parts: Buffer[] = [];
    for await (const c of reassembleTar(join(tmp, 'split.gz'), root)) parts.push(c);
    assert.equal(sha(Buffer.concat(parts)), sha(layer));
    // cut right after the last payload (no padding either, as umoci writes): the end, as in Go
    const unpadded = layer.subarray(0, layer.length - (512 - 2));
    const r3 = join(tmp, 'r3');
    mkdirSync(r3);
    const split3 = new TarSplitWriter(join(tmp, 'split3.gz'));
    await extractTar(Readable.from([unpadded]), { root: r3, split: split3, preserveOwners: false });
    await split3.finish();
    assert.equal(readFileSync(join(r3, 'bin', 'x'), 'utf8'), 'x\n');
    const parts3: Buffer[] = [];
    for await (const c of reassembleTar(join(tmp, 'split3.gz'), r3)) parts3.push(c);
    assert.equal(sha(Buffer.concat(parts3)), sha(unpadded));
    // cut inside an entry's payload or padding: still refused
    mkdirSync(join(tmp, 'r2'));
    await assert.rejects(extractTar(Readable.from([layer.subarray(0, layer.length - 511)]), { root: join(tmp, 'r2'), preserveOwners: false }));
    await assert.rejects(extractTar(Readable.from([layer.subarray(0, layer.length - 100)]), { root: join(tmp, 'r2'), preserveOwners: false }));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
