// Writes pause-<arch>.docker.tar: image pause:3.9 holding only /pause (built by build.sh from
// pause/pause.c), run as 65535:65535 like the Kubernetes pause image, for CRI pod sandboxes.
//
// usage: node make-pause-image.mjs --out DIR --epoch SECONDS --pause-amd64 FILE --pause-arm64 FILE

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PATH, dockerSaveArchive, imageConfig, makeLayer, sha256 } from './image-archive.mjs';
import { tarArchive } from './tar-writer.mjs';

const ARCHES = [{ arch: 'amd64' }, { arch: 'arm64', variant: 'v8' }];

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    epoch: { type: 'string' },
    'pause-amd64': { type: 'string' },
    'pause-arm64': { type: 'string' },
  },
});
for (const k of ['out', 'epoch', 'pause-amd64', 'pause-arm64']) {
  if (!values[k]) throw new Error(`make-pause-image: --${k} is required`);
}
const mtime = Number(values.epoch);
const created = new Date(mtime * 1000).toISOString().replace(/\.000Z$/, 'Z');

for (const a of ARCHES) {
  const pause = readFileSync(values[`pause-${a.arch}`]);
  // Plain layer: gzip would save a few hundred bytes on a binary this small.
  const layer = makeLayer(tarArchive([{ name: 'pause', type: 'file', mode: 0o755, data: pause, mtime }]));
  const config = imageConfig({
    arch: a.arch,
    variant: a.variant,
    created,
    diffIds: [layer.diffId],
    env: [DEFAULT_PATH],
    cmd: null,
    extra: { Entrypoint: ['/pause'], WorkingDir: '/', User: '65535:65535' },
    history: [{ created_by: 'rootfs-fixtures/build.sh: pause/pause.c, gcc -Os -static -nostdlib' }],
  });
  const path = join(values.out, `pause-${a.arch}.docker.tar`);
  writeFileSync(`${path}.${process.pid}.tmp`, dockerSaveArchive([{ config, layers: [layer], repoTags: ['pause:3.9'] }], { mtime }));
  renameSync(`${path}.${process.pid}.tmp`, path);
  console.log(`pause ${a.arch}: image id sha256:${sha256(config)} (/pause ${pause.length} B)`);
}
