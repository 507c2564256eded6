// iSulad CI, image_cases: image_load_multiplex.sh, against our CLI on one real daemon. Its archive
// (an image on top of busybox saved without busybox's layer) is made here from the repository's
// busybox docker-save fixture: one more layer holding /gao, the base layer left out of the tar.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { fails, inspectField, ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const BASE_TAR = join(import.meta.dirname, `../../rootfs-fixtures/out/busybox-${ARCH}.docker.tar`);

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
}
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** multiplex_busybox:latest = busybox's layer (named in the manifest, absent from the tar) + /gao. */
function multiplexArchive(dir: string): string {
  const base = join(dir, 'base');
  const out = join(dir, 'out');
  mkdirSync(base, { recursive: true });
  mkdirSync(join(out, 'blobs', 'sha256'), { recursive: true });
  run('tar', ['-xf', BASE_TAR, '-C', base]);
  const [baseManifest] = JSON.parse(readFileSync(join(base, 'manifest.json'), 'utf8')) as Array<{ Config: string; Layers: string[] }>;
  assert.ok(baseManifest);
  const files = join(dir, 'layer-files');
  mkdirSync(files);
  writeFileSync(join(files, 'gao'), 'gao\n');
  const layerTar = join(dir, 'layer.tar');
  run('tar', ['-cf', layerTar, '-C', files, 'gao']);
  const layer = readFileSync(layerTar);
  const layerId = sha256(layer);
  writeFileSync(join(out, 'blobs', 'sha256', layerId), layer);
  const config = JSON.parse(readFileSync(join(base, baseManifest.Config), 'utf8')) as { rootfs: { diff_ids: string[] } };
  config.rootfs.diff_ids.push(`sha256:${layerId}`);
  const configBytes = JSON.stringify(config);
  const configId = sha256(configBytes);
  writeFileSync(join(out, 'blobs', 'sha256', configId), configBytes);
  writeFileSync(join(out, 'manifest.json'), JSON.stringify([{ Config: `blobs/sha256/${configId}`, RepoTags: ['multiplex_busybox:latest'], Layers: [...baseManifest.Layers, `blobs/sha256/${layerId}`] }]));
  const archive = join(dir, 'multiplex_busybox.tar');
  run('tar', ['-cf', archive, '-C', out, 'manifest.json', 'blobs']);
  return archive;
}

describe('iSulad CI image_cases: load of an archive lacking its base layers', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  test('image_load_multiplex.sh: refused without its base image, loaded and run with it; both removed by id', async () => {
    const archive = multiplexArchive(join(d.dir, 'multiplex'));
    await ok(d, ['rmi', 'busybox']);
    assert.match((await fails(d, ['load', '-i', archive])).stderr, /not found in archive/);
    assert.doesNotMatch((await ok(d, ['images'])).stdout, /multiplex_busybox/);
    await ok(d, ['load', '-i', BASE_TAR]);
    assert.match((await ok(d, ['images'])).stdout, /^busybox\s/m);
    await ok(d, ['load', '-i', archive]);
    const c = 'multiplex_container';
    await ok(d, ['run', '-tid', '--name', c, 'multiplex_busybox:latest', '/bin/sh']);
    assert.equal((await ok(d, ['exec', c, 'sh', '-c', 'ls /gao && cat /gao'])).stdout, '/gao\ngao\n');
    await ok(d, ['rm', '-f', c]);
    const baseId = await inspectField(d, 'busybox:latest', '{{.image.id}}');
    const multId = await inspectField(d, 'multiplex_busybox:latest', '{{.image.id}}');
    await ok(d, ['rmi', baseId, multId]);
    assert.doesNotMatch((await ok(d, ['images'])).stdout, /busybox/);
    // the shared layer went with the last image that held it: the archive is refused again
    await fails(d, ['load', '-i', archive]);
  });
});
