// iSulad CI, container_cases: volume.sh, against our CLI on one real daemon (lcr). Its "vol" image
// (VOLUME /vol and /vol2; /vol holding a file, a hard link, a symlink, a char device and nested
// dirs) is made here by commit -c 'VOLUME [...]' from busybox. What a container sees in a volume is
// read inside it; the volumes' data dirs are read on the host.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { runIsulad } from '../helpers/daemon.ts';
import { fails, ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const names = async (d: Daemon) => (await ok(d, ['volume', 'ls', '-q'])).stdout.split('\n').filter(Boolean).sort();
const count = async (d: Daemon) => (await names(d)).length;

describe('iSulad CI container_cases: volumes', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  async function clean(): Promise<void> {
    const ids = (await ok(d, ['ps', '-aq'])).stdout.split('\n').filter(Boolean);
    if (ids.length > 0) await ok(d, ['rm', '-f', ...ids]);
    await ok(d, ['volume', 'prune', '-f']);
  }

  test('volume.sh: help, ls, prune, rm, --rm, volumes-from (ro/rw), image volumes, -v and --mount forms, restore, reuse, copy-up, nocopy, conflicts, invalid modes, rm -v', async () => {
    // the image
    const src = (await ok(d, ['run', '-d', 'busybox', 'sh', '-c', 'mkdir -p /vol/dir/dir /vol2 && echo world > /vol/hello && ln /vol/hello /vol/link && ln -s hello /vol/softlink && mknod /vol/dev c 1 3 && touch /vol/ready && sleep 999'])).stdout.trim();
    for (let i = 0; i < 600 && (await d.isula(['exec', src, 'test', '-e', '/vol/ready'])).code !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    await ok(d, ['commit', '-c', 'VOLUME ["/vol","/vol2"]', src, 'vol']);
    await ok(d, ['rm', '-f', src]);
    await clean();

    // help
    assert.match((await ok(d, ['--help'])).stdout, /volume/);
    assert.match((await ok(d, ['volume', '--help'])).stdout, /isula volume/);
    assert.match((await ok(d, ['volume', 'rm', '--help'])).stdout, /isula volume rm/);
    await fails(d, ['volume', 'nonexist']);

    // ls: a container without volumes adds none, a named one adds one
    await ok(d, ['run', '-tid', 'busybox', 'sh']);
    await ok(d, ['run', '-tid', '-v', 'vol:/vol:ro', 'busybox', 'sh']);
    assert.equal((await ok(d, ['volume', 'ls'])).stdout.trim().split('\n').length, 2, 'a header and one volume');
    await clean();

    // prune removes what no container uses, keeps what one does
    await ok(d, ['run', '-tid', '--name', 'vol', '--mount', 'src=vol,dst=/vol,readonly=true', 'busybox', 'sh']);
    await ok(d, ['rm', '-f', 'vol']);
    await ok(d, ['volume', 'prune'], 'y\n');
    assert.equal(await count(d), 0);
    await ok(d, ['run', '-ti', '--name', 'vol', '-v', 'vol:/vol:z', 'vol', 'echo', 'vol']);
    await ok(d, ['volume', 'prune', '-f']);
    assert.equal(await count(d), 2, 'the named volume and the image\'s anonymous /vol2 stay while the container exists');
    await clean();

    // --rm removes the container and its anonymous volume, the named one stays
    await ok(d, ['run', '--rm', '-ti', '--name', 'autorm', '-v', 'vol:/vol', 'vol', 'echo', 'vol']);
    await fails(d, ['inspect', 'autorm']);
    assert.equal(await count(d), 1);
    await clean();

    // rm of a named volume once its container is gone
    await ok(d, ['run', '-ti', '--name', 'vol', '-v', 'vol:/vol', 'vol', 'echo', 'vol']);
    await ok(d, ['rm', '-f', 'vol']);
    await ok(d, ['volume', 'rm', 'vol']);
    await clean();

    // --volumes-from: anonymous and named volumes, binds; :ro, inherited ro, :rw
    await ok(d, ['run', '-tid', '--name', 'vol1', '-v', 'volumes_from:/volumes_from', '--mount', `type=bind,source=${d.dir},target=/vol3,bind-selinux-opts=z,bind-propagation=rprivate`, 'vol', 'sh']);
    await ok(d, ['run', '-tid', '--name', 'vol2', '--volumes-from', 'vol1', 'busybox', 'sh']);
    await ok(d, ['exec', 'vol2', 'stat', '/vol/dir/dir']);
    await ok(d, ['exec', 'vol2', 'stat', '/volumes_from']);
    await ok(d, ['exec', 'vol2', 'stat', '/vol3']);
    await ok(d, ['run', '-tid', '--name', 'vol3', '--volumes-from', 'vol1:ro', 'busybox', 'sh']);
    assert.notEqual((await d.isula(['exec', 'vol3', 'touch', '/volumes_from/fail'])).code, 0);
    await ok(d, ['run', '-tid', '--name', 'vol4', '--volumes-from', 'vol3', 'busybox', 'sh']);
    assert.notEqual((await d.isula(['exec', 'vol4', 'touch', '/volumes_from/fail'])).code, 0, 'ro is inherited');
    await ok(d, ['run', '-tid', '--name', 'vol5', '--volumes-from', 'vol3:rw', 'busybox', 'sh']);
    await ok(d, ['exec', 'vol5', 'touch', '/volumes_from/fail']);
    await clean();

    // the image's volumes, -v /dst, name:/dst, --mount dst=, src=,dst=,ro=false, a bind with options
    await ok(d, ['run', '-tid', '--name', 'vol', 'vol', 'sh']);
    await ok(d, ['exec', 'vol', 'stat', '/vol']);
    await ok(d, ['exec', 'vol', 'stat', '/vol2']);
    await ok(d, ['run', '-ti', '--name', 'v1', '-v', '/vol1', 'busybox', 'touch', '/vol1/test']);
    await ok(d, ['run', '-ti', '--name', 'v2', '-v', 'vol2:/vol2', 'busybox', 'touch', '/vol2/test']);
    await ok(d, ['run', '-ti', '--name', 'm1', '--mount', 'dst=/vol1', 'busybox', 'touch', '/vol1/test']);
    await ok(d, ['run', '-ti', '--name', 'm2', '--mount', 'src=vol2,dst=/vol2,ro=false', 'busybox', 'touch', '/vol2/test']);
    await ok(d, ['run', '-ti', '--name', 'm3', '--mount', `type=bind,source=${d.dir},target=/vol3,bind-selinux-opts=z,bind-propagation=rprivate`, 'busybox', 'touch', '/vol3/test']);
    await clean();

    // restore: a file in a volume is there after the daemon restarted
    await ok(d, ['run', '-tid', '--name', 'restore', '-v', 'vol_restore:/vol', 'busybox', 'sh']);
    await ok(d, ['exec', 'restore', 'sh', '-c', 'echo kept > /vol/restore.txt']);
    await d.restart();
    await ok(d, ['start', 'restore']).catch(() => undefined);
    assert.equal((await ok(d, ['exec', 'restore', 'cat', '/vol/restore.txt'])).stdout, 'kept\n');
    // reuse: another container sees what the first wrote
    await ok(d, ['run', '-ti', '-v', 'reuse:/vol', 'vol', 'touch', '/vol/reuse.txt']);
    await ok(d, ['run', '-ti', '-v', 'reuse:/vol', 'vol', 'cat', '/vol/reuse.txt']);
    await clean();

    // copy-up of the image's content into a new volume (file, hard link, symlink, char device, dirs)
    await ok(d, ['run', '-ti', '--rm', '--mount', 'target=/usr', 'vol', 'stat', '/usr/sbin']);
    await ok(d, ['run', '-tid', '--name', 'vol', 'vol', 'sh']);
    assert.equal((await ok(d, ['exec', 'vol', 'cat', '/vol/hello'])).stdout, 'world\n');
    assert.match((await ok(d, ['exec', 'vol', 'stat', '/vol/link'])).stdout, /Links: 2/);
    assert.equal((await ok(d, ['exec', 'vol', 'readlink', '/vol/softlink'])).stdout, 'hello\n');
    assert.match((await ok(d, ['exec', 'vol', 'stat', '/vol/dev'])).stdout, /character special file/);
    await ok(d, ['exec', 'vol', 'stat', '/vol/dir/dir']);
    // nocopy: the volume stays empty
    await ok(d, ['run', '-ti', '--rm', '--mount', 'target=/usr,volume-nocopy=true', 'vol', 'echo', 'hello']);
    assert.notEqual((await d.isula(['run', '-ti', '--rm', '--mount', 'target=/usr,volume-nocopy=true,bind-selinux-opts=z', 'vol', 'stat', '/usr/sbin'])).code, 0);
    await ok(d, ['run', '-ti', '--rm', '-v', 'test:/usr:nocopy', 'vol', 'echo', 'hello']);
    assert.notEqual((await d.isula(['run', '-ti', '--rm', '-v', 'test:/usr:nocopy', 'vol', 'stat', '/usr/sbin'])).code, 0);
    await clean();

    // conflicts: a named volume over an image volume replaces it; two mounts at one place are refused
    await ok(d, ['run', '-tid', '--name', 'vol', '-v', 'vol3:/vol', 'vol', 'sh']);
    const mounts = (await ok(d, ['inspect', '-f', '{{json .Mounts}}', 'vol'])).stdout;
    assert.equal((mounts.match(/_data/g) ?? []).length, 2, mounts);
    assert.match(mounts, /vol3/);
    await ok(d, ['rm', '-f', 'vol']);
    await fails(d, ['run', '-tid', '-v', '/vol', '--mount', 'type=volume,destination=/vol', 'busybox', 'sh']);
    await fails(d, ['run', '-tid', '-v', 'vol5:/vol5', '-v', `${d.dir}:/vol5`, 'busybox', 'sh']);

    // invalid modes: a propagation on a volume, nocopy on a bind
    await fails(d, ['run', '-tid', '--rm', '-v', 'aaa:/aaa:rslave', 'busybox', 'echo', 'hello']);
    await fails(d, ['run', '-tid', '--rm', '-v', `${d.dir}:/aaa:nocopy`, 'busybox', 'echo', 'hello']);
    await fails(d, ['run', '-tid', '--rm', '--mount', 'src=aaa,dst=/aaa,bind-propagation=rslave', 'busybox', 'echo', 'hello']);
    await fails(d, ['run', '-tid', '--rm', '--mount', `type=bind,src=${d.dir},dst=/aaa,volume-nocopy=true`, 'busybox', 'echo', 'hello']);
    await clean();

    // rm -v takes the container's anonymous volumes (-v /bbb, --mount dst=, the image's VOLUMEs)
    // and leaves the named one; rm without -v keeps them all
    const withVolumes = async (name: string) => {
      await ok(d, ['run', '-tid', '-n', name, '-v', 'aaa:/aaa', '-v', '/bbb', '--mount', 'dst=/ccc', 'vol', 'sh']);
      const mounts = JSON.parse((await ok(d, ['inspect', '-f', '{{json .Mounts}}', name])).stdout) as Array<{ Type: string; Name: string; Destination: string }>;
      const anon = mounts.filter((m) => m.Type === 'volume' && m.Name !== 'aaa').map((m) => m.Name).sort();
      assert.deepEqual(mounts.filter((m) => m.Type === 'volume').map((m) => m.Destination).sort(), ['/aaa', '/bbb', '/ccc', '/vol', '/vol2']);
      assert.equal(anon.length, 4);
      for (const n of anon) assert.match(n, /^[0-9a-f]{64}$/);
      return anon;
    };
    const kept = await withVolumes('volume_keep');
    await ok(d, ['rm', '-f', 'volume_keep']);
    assert.deepEqual(await names(d), ['aaa', ...kept].sort(), 'rm without -v keeps every volume');
    for (const n of kept) assert.ok(existsSync(join(d.root, 'volumes', n, '_data')), n);
    await clean();
    const anon = await withVolumes('volume_rmv');
    await ok(d, ['rm', '-f', '-v', 'volume_rmv']);
    assert.equal((await ok(d, ['volume', 'ls'])).stdout.trim().split('\n').length, 2, 'a header and the named volume');
    assert.deepEqual(await names(d), ['aaa']);
    for (const n of anon) assert.ok(!existsSync(join(d.root, 'volumes', n)), `${n} is gone from the host`);
    await clean();
    await ok(d, ['rmi', 'vol']);
  });

  test('volume.sh: tmpfs by --mount (size, mode) and --tmpfs, invalid tmpfs mounts', async () => {
    await clean();
    await ok(d, ['run', '-tid', '-n', 'tmpfs', '--mount', 'type=tmpfs,dst=/tmpfs,tmpfs-size=1m,tmpfs-mode=1700', '--tmpfs', '/tmpfs2', 'busybox', 'sh']);
    assert.match((await ok(d, ['exec', 'tmpfs', 'stat', '/tmpfs'])).stdout, /1700\/drwx/);
    assert.match((await ok(d, ['exec', 'tmpfs', 'stat', '/tmpfs2'])).stdout, /1777\/drwx/);
    assert.notEqual((await d.isula(['exec', 'tmpfs', 'dd', 'if=/dev/zero', 'of=/tmpfs/data', 'bs=1k', 'count=2000'])).code, 0, 'the 1m tmpfs is full');
    assert.match((await ok(d, ['exec', 'tmpfs', 'stat', '/tmpfs/data'])).stdout, /Size: 1048576\s/);
    await clean();
    await fails(d, ['run', '-tid', '-n', 'tmpfs', '--mount', 'type=tmpfs,dst=/tmpfs', '--mount', `type=bind,src=${d.dir},dst=/tmpfs`, 'busybox', 'sh']);
    await fails(d, ['run', '-tid', '-n', 'tmpfs', '--mount', 'type=tmpfs,dst=/tmpfs,tmpfs-size=-1', 'busybox', 'sh']);
    await fails(d, ['run', '-tid', '-n', 'tmpfs', '--mount', 'type=tmpfs,dst=/tmpfs,tmpfs-mode=-1', 'busybox', 'sh']);
    await fails(d, ['run', '-tid', '-n', 'tmpfs', '--mount', 'type=tmpfs,dst=/tmpfs,volume-nocopy=true', 'busybox', 'sh']);
    assert.equal((await ok(d, ['ps', '-aq'])).stdout.trim(), '', 'a refused run leaves no container');
  });

  test('volume.sh: the daemon does not start while its volumes dir is a file, and starts once it is gone', async () => {
    await clean();
    await d.terminate();
    const vols = join(d.root, 'volumes');
    await rm(vols, { recursive: true, force: true });
    await writeFile(vols, '');
    // the suite daemon's own command line (its config file), on the same root
    const r = await runIsulad(['--config-file', d.configFile]);
    assert.equal(r.code, 1, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^isulad: Failed to init volume: create volume directory ${vols} failed: ${vols} exists and is not a directory\n$`));
    await rm(vols);
    await d.restart();
    await ok(d, ['run', '--rm', '-v', '/bbb', 'busybox', 'touch', '/bbb/x']);
    assert.equal(await count(d), 0);
  });
});
