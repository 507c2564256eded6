// Writes the busybox images the engine embeds and the tests load (run by build.sh, system node):
//   busybox-<arch>.docker.tar   docker-save archive, RepoTags ["busybox:latest"]
//   busybox-<arch>.oci.tar      OCI image layout, index.json ref.name "latest"
//   busybox-multiarch.oci.tar   OCI layout whose "latest" is an image index over all arches
//   busybox-<arch>.rootfs.tar   the uncompressed layer (handy for `isula import` tests)
//
// usage: node make-image.mjs --out DIR --epoch SECONDS --version DEBVERSION --applets FILE
//                            --busybox-amd64 FILE --busybox-arm64 FILE --busybox-arm FILE
//
// Layers are gzip'd in both archive kinds: the archive is embedded in the executable shipped to
// small devices, where 1 MB less flash matters more than the ~10 ms gunzip costs at load time
// (gunzip of the 1 MB amd64 layer: ~15 ms on the dev machine, Node 24).

import { readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseArgs } from 'node:util';
import { tarArchive } from './tar-writer.mjs';
import { dockerSaveArchive, imageConfig, makeLayer, ociIndex, ociLayoutArchive, ociManifest, sha256 } from './image-archive.mjs';

const ARCHES = [
  { arch: 'amd64', platform: { architecture: 'amd64', os: 'linux' } },
  { arch: 'arm64', variant: 'v8', platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
  { arch: 'arm', variant: 'v7', platform: { architecture: 'arm', os: 'linux', variant: 'v7' } },
];

const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'user:x:1000:1000:user:/home/user:/bin/sh',
  'nobody:x:65534:65534:nobody:/nonexistent:/bin/false',
  '',
].join('\n');
const GROUP = ['root:x:0:', 'user:x:1000:', 'nobody:x:65534:', ''].join('\n');

/** Every entry of the busybox rootfs, sorted so that parents precede children. */
function busyboxRootfsEntries({ busybox, applets, mtime }) {
  const dir = (name, mode = 0o755, owner = 0) => ({ name, type: 'dir', mode, uid: owner, gid: owner, mtime });
  const file = (name, data, mode = 0o644) => ({ name, type: 'file', data, mode, mtime });
  const entries = [
    dir('bin'), dir('dev'), dir('etc'), dir('home'), dir('home/user', 0o755, 1000), dir('proc'),
    dir('root', 0o700), dir('sbin'), dir('sys'), dir('tmp', 0o1777), dir('usr'), dir('usr/bin'),
    dir('usr/sbin'), dir('var'),
    file('bin/busybox', busybox, 0o755),
    file('etc/group', GROUP),
    file('etc/hostname', 'busybox\n'),
    file('etc/passwd', PASSWD),
  ];
  // Relative symlinks, so the tree also works when inspected from the host; symlinks rather than
  // hard links keep the layer independent of entry order.
  for (const applet of applets) {
    if (applet === 'bin/busybox') continue;
    const target = posix.relative(posix.dirname(`/${applet}`), '/bin/busybox');
    entries.push({ name: applet, type: 'symlink', linkname: target, mode: 0o777, mtime });
  }
  const seen = new Set();
  for (const e of entries) {
    if (seen.has(e.name)) throw new Error(`duplicate rootfs entry ${e.name}`);
    seen.add(e.name);
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Readers never see a half-written archive, even with two builds racing into one directory. */
function writeAtomic(path, data) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      epoch: { type: 'string' },
      version: { type: 'string' },
      applets: { type: 'string' },
      'busybox-amd64': { type: 'string' },
      'busybox-arm64': { type: 'string' },
      'busybox-arm': { type: 'string' },
    },
  });
  for (const k of ['out', 'epoch', 'version', 'applets', 'busybox-amd64', 'busybox-arm64', 'busybox-arm']) {
    if (!values[k]) throw new Error(`make-image: --${k} is required`);
  }
  const mtime = Number(values.epoch);
  const created = new Date(mtime * 1000).toISOString().replace(/\.000Z$/, 'Z');
  const applets = readFileSync(values.applets, 'utf8').split('\n').filter(Boolean);
  mkdirSync(values.out, { recursive: true });

  const perArch = [];
  for (const a of ARCHES) {
    const busybox = readFileSync(values[`busybox-${a.arch}`]);
    const rootfs = tarArchive(busyboxRootfsEntries({ busybox, applets, mtime }));
    const layer = makeLayer(rootfs, { gzip: true });
    const config = imageConfig({
      arch: a.arch,
      variant: a.variant,
      created,
      diffIds: [layer.diffId],
      history: [{ created_by: `rootfs-fixtures/build.sh: busybox-static ${values.version} (${a.arch})` }],
    });
    const manifest = ociManifest({ config, layers: [layer], platform: a.platform });
    perArch.push({ ...a, layer, config, manifest });

    writeAtomic(join(values.out, `busybox-${a.arch}.rootfs.tar`), rootfs);
    writeAtomic(join(values.out, `busybox-${a.arch}.docker.tar`),
      dockerSaveArchive([{ config, layers: [layer], repoTags: ['busybox:latest'] }], { mtime }));
    const { platform: _omit, ...plain } = manifest.descriptor;
    writeAtomic(join(values.out, `busybox-${a.arch}.oci.tar`),
      ociLayoutArchive({ refs: [{ name: 'latest', descriptor: plain }], blobs: manifest.blobs, mtime }));
    console.log(`busybox ${a.arch}: image id sha256:${sha256(config)} layer ${layer.diffId} (${rootfs.length} B tar, ${layer.blob.length} B gzip)`);
  }
  const index = ociIndex(perArch.map((p) => p.manifest.descriptor));
  writeAtomic(join(values.out, 'busybox-multiarch.oci.tar'), ociLayoutArchive({
    refs: [{ name: 'latest', descriptor: index.descriptor }],
    // Metadata before layers (see image-archive.mjs).
    blobs: [index.bytes, ...perArch.map((p) => p.manifest.bytes), ...perArch.map((p) => p.config), ...perArch.map((p) => p.layer.blob)],
    mtime,
  }));
  console.log(`busybox multiarch: index ${index.descriptor.digest}`);
}

main();
