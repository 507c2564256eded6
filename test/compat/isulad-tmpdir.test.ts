// iSulad CI, image_cases: isulad_tmpdir.sh, against our daemon and CLI, with a local registry
// (test/helpers/registry.ts) instead of docker.io. ISULAD_TMPDIR names where the daemon keeps its
// scratch dir `isulad_tmpdir` (pull downloads): made when missing, followed through a link, the
// daemon refusing to start when the link's target is gone, `<root>/isulad_tmpdir` without it.
// Paths are under the suite's own temp dir instead of /var/isula.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootfsFixture } from '../fixtures/images/make.ts';
import type { Daemon } from '../helpers/daemon.ts';
import { skopeoCopy, startRegistry, type Registry } from '../helpers/registry.ts';
import { ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const skip = skipReason || (existsSync('/usr/bin/docker-registry') && existsSync('/usr/bin/skopeo') ? false : 'needs docker-registry and skopeo');

describe('iSulad CI image_cases: ISULAD_TMPDIR', { skip }, () => {
  let reg: Registry | undefined;
  let d: Daemon;
  before(async () => {
    reg = await startRegistry();
    await skopeoCopy(`oci-archive:${rootfsFixture(`busybox-${ARCH}.oci.tar`)}`, `docker://${reg.host}/library/tmpbox:latest`);
  });
  after(async () => reg?.stop());
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  /** load, rmi, pull (the script's load_pull_test): the pull's blobs go through the scratch dir */
  const loadPull = async (image: string) => {
    await ok(d, ['load', '-i', rootfsFixture(`busybox-${ARCH}.docker.tar`)]);
    await ok(d, ['rmi', 'busybox:latest']);
    await ok(d, ['pull', image]);
    await ok(d, ['rmi', image]);
  };
  const isScratch = (dir: string) => {
    const st = lstatSync(dir);
    assert.ok(st.isDirectory(), `${dir} is a directory`);
    assert.equal(st.mode & 0o777, 0o700, `${dir} is 0700`);
    assert.equal(st.uid, 0);
    // the pull downloaded there (its blobs dir), not under the graph
    assert.ok(existsSync(join(dir, 'blobs')), `${dir}/blobs made by the pull: ${readdirSync(dir).join(' ')}`);
  };

  test('isulad_tmpdir.sh: a missing ISULAD_TMPDIR is made, a link to a dir is followed, a dangling link stops the start, none = <root>/isulad_tmpdir', async () => {
    const host = (reg as Registry).host;
    const config = JSON.parse(readFileSync(d.configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(d.configFile, JSON.stringify({ ...config, 'insecure-registries': [host] }));
    const image = `${host}/library/tmpbox:latest`;
    const base = join(d.dir, 'var-isula');
    try {
      // ISULAD_TMPDIR does not exist
      const missing = join(base, 'tmp');
      await d.restart({ env: { ISULAD_TMPDIR: missing } });
      await loadPull(image);
      isScratch(join(missing, 'isulad_tmpdir'));
      assert.ok(!existsSync(join(d.root, 'isulad_tmpdir', 'blobs')), 'nothing downloaded under the root');

      // a link to an existing directory: isulad_tmpdir is made in the link's target
      rmSync(missing, { recursive: true, force: true });
      const target = join(d.dir, 'var-tmpdir');
      mkdirSync(target);
      const link = join(base, 'tmpdir');
      symlinkSync(target, link);
      await d.restart({ env: { ISULAD_TMPDIR: link } });
      await loadPull(image);
      isScratch(join(link, 'isulad_tmpdir'));
      isScratch(join(target, 'isulad_tmpdir'));

      // a scratch dir that is not a 0700 dir of root's is made again
      rmSync(join(target, 'isulad_tmpdir'), { recursive: true });
      writeFileSync(join(target, 'isulad_tmpdir'), 'not a dir');
      await d.restart({ env: { ISULAD_TMPDIR: link } });
      assert.ok(statSync(join(target, 'isulad_tmpdir')).isDirectory());
      assert.equal(statSync(join(target, 'isulad_tmpdir')).mode & 0o777, 0o700);

      // the link's target removed: the daemon does not start
      rmSync(target, { recursive: true, force: true });
      await assert.rejects(d.restart({ env: { ISULAD_TMPDIR: link } }));
      assert.equal(d.pid, undefined, 'the daemon exited');
      assert.match(d.log(), /Failed to ensure the .*tmpdir directory is a safe directory: it is a symbolic link to a missing directory/);
    } finally {
      // no ISULAD_TMPDIR: <root>/isulad_tmpdir
      await d.restart({ env: { ISULAD_TMPDIR: undefined } });
    }
    await loadPull(image);
    isScratch(join(d.root, 'isulad_tmpdir'));
    // "/tmp" is not taken (iSulad's rule): the root's again
    const hadTmp = existsSync('/tmp/isulad_tmpdir');
    await d.restart({ env: { ISULAD_TMPDIR: '/tmp' } });
    if (!hadTmp) assert.ok(!existsSync('/tmp/isulad_tmpdir'), 'no scratch dir made in /tmp');
    await d.restart({ env: { ISULAD_TMPDIR: undefined } });
  });
});
