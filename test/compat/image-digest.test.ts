// iSulad CI, image_cases: image_digest.sh, against our CLI on one real daemon and a local registry
// (test/helpers/registry.ts: docker-registry on loopback, the busybox fixture pushed with skopeo)
// instead of docker.io: pull by digest, tag it, inspect id/repo_digests/repo_tags, run by digest
// and by tag, rmi both; then a digest read from inspect names the image.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rootfsFixture } from '../fixtures/images/make.ts';
import type { Daemon } from '../helpers/daemon.ts';
import { skopeoCopy, startRegistry, type Registry } from '../helpers/registry.ts';
import { fails, inspectField, ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const skip = skipReason || (existsSync('/usr/bin/docker-registry') && existsSync('/usr/bin/skopeo') ? false : 'needs docker-registry and skopeo');

describe('iSulad CI image_cases: image digests', { skip }, () => {
  let reg: Registry | undefined;
  let d: Daemon;
  // the registry must be up before the daemon that trusts it starts
  before(async () => {
    reg = await startRegistry();
    await skopeoCopy(`oci-archive:${rootfsFixture(`busybox-${ARCH}.oci.tar`)}`, `docker://${reg.host}/library/busybox:latest`);
    await skopeoCopy(`oci-archive:${rootfsFixture(`busybox-${ARCH}.oci.tar`)}`, `docker://${reg.host}/library/busybox2:latest`);
  });
  after(async () => reg?.stop());
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  test('image_digest.sh: pull by digest, tag, inspect, run by digest and by tag, rmi; a digest from inspect names the image', async () => {
    const host = (reg as Registry).host;
    // the registry's port is known only now: trust it (plain HTTP on loopback) and boot again
    const config = JSON.parse(readFileSync(d.configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(d.configFile, JSON.stringify({ ...config, 'insecure-registries': [host] }));
    await d.restart();
    const res = await fetch(`http://${host}/v2/library/busybox/manifests/latest`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
    });
    const digest = res.headers.get('docker-content-digest') ?? '';
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    // the fixture pushed is the daemon's own busybox: without it the pulled image has only the names given here
    await ok(d, ['rmi', 'busybox']);
    const image = `${host}/library/busybox`;
    const byDigest = `${image}@${digest}`;
    await ok(d, ['pull', byDigest]);
    await ok(d, ['tag', byDigest, `${image}:digest_test`]);
    assert.match((await ok(d, ['images'])).stdout, /busybox/);
    assert.match(await inspectField(d, `${image}:digest_test`, '{{.image.id}}'), /^[0-9a-f]{64}$/);
    assert.ok((await inspectField(d, `${image}:digest_test`, '{{.image.repo_digests}}')).includes(byDigest));
    assert.ok((await inspectField(d, byDigest, '{{.image.repo_tags}}')).includes(`${image}:digest_test`));
    await ok(d, ['run', '-tid', '--name', 'test', byDigest, 'sh']);
    await ok(d, ['rm', '-f', 'test']);
    await ok(d, ['run', '-tid', '--name', 'test', `${image}:digest_test`, 'sh']);
    await ok(d, ['rm', '-f', 'test']);
    await ok(d, ['rmi', byDigest]);
    await ok(d, ['rmi', `${image}:digest_test`]);
    await fails(d, ['inspect', '-f', '{{.image.repo_tags}}', byDigest]);

    const image2 = `${host}/library/busybox2`;
    await ok(d, ['pull', `${image2}:latest`]);
    const digests = await inspectField(d, `${image2}:latest`, '{{json .image.repo_digests}}');
    const ref = (JSON.parse(digests) as string[]).find((r) => r.includes('@sha256:'));
    assert.ok(ref, digests);
    assert.equal(await inspectField(d, ref, '{{.image.id}}'), await inspectField(d, `${image2}:latest`, '{{.image.id}}'));
    await ok(d, ['rmi', `${image2}:latest`]);
    await fails(d, ['inspect', ref]);
  });
});
