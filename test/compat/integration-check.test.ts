// iSulad CI, image_cases: integration_check.sh, against our daemon and CLI (lcr). daemon.json
// `image-layer-check`: after an unclean stop (kill -9) every image's layers are checked; an
// image whose layer changed on disk is removed with its containers that are not running, the
// other images and their containers stay, a running container keeps working. The script pulls two
// images; here the second is made by commit (busybox plus one layer), and that layer is the one
// damaged (the script damages the top layer of the image it drops).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { ok, skipReason, suiteDaemon } from './compat-fixture.ts';

describe('iSulad CI image_cases: image layer check', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  test('integration_check.sh: a damaged layer drops its image and its stopped containers after an unclean stop, only with image-layer-check', async () => {
    const config = JSON.parse(readFileSync(d.configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(d.configFile, JSON.stringify({ ...config, 'image-layer-check': true }));
    await d.restart();
    // the image to damage: busybox and a layer of its own
    await ok(d, ['run', '--name', 'maker', 'busybox', 'sh', '-c', 'echo checked > /checked-file; mkdir -p /etc && echo x > /etc/extra']);
    await ok(d, ['commit', 'maker', 'damaged:1']);
    await ok(d, ['rm', 'maker']);
    const lid = (await ok(d, ['inspect', '-f', '{{.image.top_layer}}', 'damaged:1'])).stdout.trim();
    assert.match(lid, /^[0-9a-f]{64}$/);
    const cid = (await ok(d, ['create', 'damaged:1'])).stdout.trim();
    const ucid = (await ok(d, ['create', 'busybox'])).stdout.trim();
    await ok(d, ['run', '-tid', '--name', 'checker', 'busybox', 'sh']);

    appendFileSync(join(d.root, 'storage', 'overlay', lid, 'diff', 'etc', 'extra'), 'xxx:11\n');
    // a clean stop: no check at the next start, the image stays
    await d.restart();
    assert.match((await ok(d, ['images'])).stdout, /damaged/);

    // an unclean stop with the key off: no check either
    writeFileSync(d.configFile, JSON.stringify({ ...config, 'image-layer-check': false }));
    await d.kill9();
    await d.restart();
    assert.match((await ok(d, ['images'])).stdout, /damaged/);

    // an unclean stop with the key on (and the list of layers found whole removed, as the script does)
    writeFileSync(d.configFile, JSON.stringify({ ...config, 'image-layer-check': true }));
    await d.kill9();
    rmSync(join(d.state, 'storage', 'checked-layers'), { force: true });
    await d.restart();
    const ps = (await ok(d, ['ps', '-a', '--no-trunc'])).stdout;
    assert.ok(!ps.includes(cid), `container ${cid} of the damaged image is gone:\n${ps}`);
    assert.ok(ps.includes(ucid), `container ${ucid} of a whole image stays:\n${ps}`);
    assert.equal((await ok(d, ['exec', 'checker', 'date'])).code, 0);
    const images = (await ok(d, ['images'])).stdout;
    assert.doesNotMatch(images, /damaged/);
    assert.match(images, /busybox/);
    assert.match(d.log(), /image layer check: the layer is damaged/);
    // busybox's layers were found whole and listed; its container runs and is removed as usual
    assert.ok(readFileSync(join(d.state, 'storage', 'checked-layers'), 'utf8').trim().split('\n').length >= 1);
    await ok(d, ['rm', ucid]);
    const again = (await ok(d, ['run', '-tid', 'busybox', 'sh'])).stdout.trim();
    await ok(d, ['stop', '-t', '0', again]);
    await ok(d, ['rm', again]);
    await ok(d, ['rm', '-f', 'checker']);
    writeFileSync(d.configFile, JSON.stringify(config));
  });
});
