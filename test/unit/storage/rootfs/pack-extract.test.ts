// packTree → extractInto round trip on a temporary tree: content, modes, symlinks kept as links,
// hard links, fifos, docker's top-entry renaming, and an entry under a tar-made link to "/"
// landing inside the root. Owners need root and are covered by test/integration/container-cp.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import * as tarStream from 'tar-stream';
import { packTree } from '../../../../src/storage/rootfs/pack-tree.ts';
import { extractInto } from '../../../../src/storage/rootfs/extract-into.ts';

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'pack-extract-'));
  const src = join(work, 'src', 'tree');
  mkdirSync(join(src, 'sub'), { recursive: true, mode: 0o750 });
  writeFileSync(join(src, 'sub', 'f'), 'data\n', { mode: 0o640 });
  linkSync(join(src, 'sub', 'f'), join(src, 'hard'));
  symlinkSync('/etc/passwd', join(src, 'link'));
  execFileSync('mkfifo', ['-m', '0600', join(src, 'pipe')]);
});
after(() => rmSync(work, { recursive: true, force: true }));

async function tarOf(path: string, top: string): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  (pack as unknown as Readable).pipe(out);
  await packTree(pack, path, await lstat(path), { top });
  await new Promise((r) => out.on('end', r));
  return Buffer.concat(chunks);
}

test('a tree round-trips with a new top name', { timeout: 60_000 }, async () => {
  const root = join(work, 'root1');
  mkdirSync(root);
  const tar = await tarOf(join(work, 'src', 'tree'), 'tree');
  await extractInto(Readable.from([tar]), { root, dir: '/', rename: 'copy', keepOwners: false });
  assert.equal(readFileSync(join(root, 'copy', 'sub', 'f'), 'utf8'), 'data\n');
  assert.equal(statSync(join(root, 'copy', 'sub', 'f')).mode & 0o777, 0o640);
  assert.equal(statSync(join(root, 'copy', 'sub')).mode & 0o777, 0o750);
  assert.equal(readlinkSync(join(root, 'copy', 'link')), '/etc/passwd', 'a link stays a link');
  assert.equal(statSync(join(root, 'copy', 'hard')).ino, statSync(join(root, 'copy', 'sub', 'f')).ino, 'hard link kept');
  assert.ok(lstatSync(join(root, 'copy', 'pipe')).isFIFO());
});

test('contents mode merges into an existing dir and replaces an existing file', { timeout: 60_000 }, async () => {
  const root = join(work, 'root2');
  mkdirSync(join(root, 'dest', 'sub'), { recursive: true });
  writeFileSync(join(root, 'dest', 'sub', 'f'), 'old');
  writeFileSync(join(root, 'dest', 'keep'), 'keep');
  const tar = await tarOf(join(work, 'src', 'tree'), 'tree');
  await extractInto(Readable.from([tar]), { root, dir: '/dest', rename: '', keepOwners: false });
  assert.equal(readFileSync(join(root, 'dest', 'sub', 'f'), 'utf8'), 'data\n');
  assert.equal(readFileSync(join(root, 'dest', 'keep'), 'utf8'), 'keep');
});

test('an entry under a link the tar made to "/" lands inside the root', { timeout: 60_000 }, async () => {
  const root = join(work, 'root3');
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const name = `escape-${process.pid}-${Date.now()}`;
  const pack = tarStream.pack();
  pack.entry({ name: 'top/', type: 'directory', mode: 0o755 });
  pack.entry({ name: 'top/up', type: 'symlink', linkname: '/' });
  pack.entry({ name: `top/up/tmp/${name}`, type: 'file', mode: 0o644 }, 'x');
  pack.finalize();
  await extractInto(pack as unknown as Readable, { root, dir: '/', rename: 'top', keepOwners: false });
  assert.equal(readFileSync(join(root, 'tmp', name), 'utf8'), 'x');
  assert.ok(!existsSync(join('/tmp', name)));
});

test('".." in an entry name is refused', { timeout: 60_000 }, async () => {
  const root = join(work, 'root4');
  mkdirSync(root);
  const pack = tarStream.pack();
  pack.entry({ name: 'top/../../evil', type: 'file', mode: 0o644 }, 'x');
  pack.finalize();
  await assert.rejects(extractInto(pack as unknown as Readable, { root, dir: '/', rename: 'top', keepOwners: false }));
});
