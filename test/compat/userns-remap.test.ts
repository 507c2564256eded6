// iSulad CI, container_cases: userns_remap.sh — a daemon started with --userns-remap
// 100000:100000:65535 keeps its images, layers, containers and volumes in <graph>/100000.100000,
// owned by the remapped ids, and runs every container in a user namespace whose root is host uid
// 100000 (lcr: lxc.idmap; runc: the spec's mappings), unless the container asks --userns=host.
// Written against our CLI on one daemon with its own root; every effect is read on the host
// (stat, /proc/PID/uid_map and status, the lcr config) and inside (`id`, /proc/self/uid_map, stat).
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { fails, inspectField, ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const REMAP = '100000:100000:65535';
const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const FIXTURES = resolve(import.meta.dirname, '../../rootfs-fixtures/out');
const IDMAP = '100000:100000';

const owner = (p: string) => {
  const st = statSync(p);
  return `${st.uid}:${st.gid}`;
};

/** name → "uid/gid" of every entry of a tar file (GNU tar's numeric listing). */
function tarOwners(file: string): Map<string, string> {
  const out = execFileSync('tar', ['-tvf', file, '--numeric-owner'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const f = line.split(/\s+/);
    if (f.length < 6) continue;
    // a symlink's line ends "name -> target"
    const arrow = f.indexOf('->');
    m.set((arrow > 0 ? f[arrow - 1] : f.at(-1)) as string, f[1] as string);
  }
  return m;
}

/** The top layer's tar of a docker-save archive, unpacked under dir. */
function topLayerOfSave(archive: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xf', archive, '-C', dir]);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Array<{ Layers: string[] }>;
  return join(dir, manifest[0]?.Layers.at(-1) as string);
}

// shared by the remapped suite (which commits and saves) and the plain one (which loads and runs)
const work = mkdtempSync(join(tmpdir(), 'remap-io-'));
const savedCommit = join(work, 'committed.tar');
after(() => rmSync(work, { recursive: true, force: true }));

describe('iSulad CI container_cases: userns_remap.sh', { skip: skipReason }, () => {
  let d: Daemon;
  let graph = '';
  suiteDaemon((started) => {
    d = started;
    graph = join(d.root, '100000.100000');
    // the mapped root walks from / to its rootfs: the suite's own temp dir is made traversable
    // (x only), as /var/lib is on a host
    chmodSync(d.dir, 0o711);
  }, { runtime: 'lcr', config: { 'userns-remap': REMAP } });

  const overlay = () => join(graph, 'storage', 'overlay');

  test('start_isulad_with_userns_remap, check_the_management_directory_for_userns_remap: <graph>/100000.100000 holds engines, storage and volumes owned by the remapped ids', () => {
    assert.deepEqual(readdirSync(d.root), ['100000.100000'], 'nothing of the daemon outside the remapped graph');
    for (const dir of ['engines', 'storage', 'volumes']) assert.equal(owner(join(graph, dir)), IDMAP, dir);
    // iSulad keeps its rootfs mount points in <graph>/mnt/rootfs (751): here they are the
    // container layers' merged dirs, checked below; the graph itself is traversable, not readable
    assert.equal(statSync(graph).mode & 0o777, 0o711);
  });

  test('test_userns_remap_with_pull_image: the image\'s layer (its diff dir and every entry) is owned by the remapped ids', async () => {
    // the embedded busybox is loaded by the daemon at start through the same extraction as a pull
    assert.match((await ok(d, ['images'])).stdout, /busybox/);
    const layer = await inspectField(d, 'busybox', '{{.image.top_layer}}');
    const diff = join(overlay(), layer, 'diff');
    assert.equal(owner(diff), IDMAP);
    const entries = readdirSync(diff);
    assert.ok(entries.length > 5, entries.join(' '));
    for (const e of entries) {
      const st = lstatSync(join(diff, e));
      assert.equal(`${st.uid}:${st.gid}`, IDMAP, e);
    }
  });

  for (const rt of RUNTIMES) {
    test(`test_userns_remap_with_create_container on ${rt.name}: the container layer and the bound /etc files are the remapped ids'; the init's uid_map on the host, id inside`, { skip: rt.skip }, async () => {
      const id = (await ok(d, ['create', '-it', '--runtime', rt.name, 'busybox'])).stdout.trim();
      for (const p of ['diff', 'merged', 'work']) assert.equal(owner(join(overlay(), id, p)), IDMAP, p);
      for (const f of ['hostname', 'hosts', 'resolv.conf']) assert.equal(owner(join(graph, 'containers', id, f)), IDMAP, f);
      await ok(d, ['start', id]);
      assert.equal(await inspectField(d, id, '{{.State.Status}}'), 'running');
      const pid = await inspectField(d, id, '{{.State.Pid}}');
      assert.equal(readFileSync(`/proc/${pid}/uid_map`, 'utf8').trim().split(/\s+/).join(' '), '0 100000 65535');
      assert.equal(readFileSync(`/proc/${pid}/gid_map`, 'utf8').trim().split(/\s+/).join(' '), '0 100000 65535');
      assert.match(readFileSync(`/proc/${pid}/status`, 'utf8'), /^Uid:\s+100000\s+100000\s+100000\s+100000$/m);
      assert.match((await ok(d, ['exec', id, 'id'])).stdout, /^uid=0\(root\) gid=0\(root\)/);
      // the image's files are root's inside
      assert.equal((await ok(d, ['exec', id, 'stat', '-c', '%u:%g', '/bin/busybox', '/etc/hosts'])).stdout, '0:0\n0:0\n');
      await ok(d, ['rm', '-f', id]);
      // the main process reopens its stdio by path (lcr: the FIFOs, runc: conmon's pipes are the mapped root's)
      const r = await ok(d, ['run', '--rm', '--runtime', rt.name, 'busybox', 'sh', '-c', 'echo by-path >/dev/stdout; echo err-by-path >/dev/stderr']);
      assert.equal(r.stdout, 'by-path\n');
      assert.equal(r.stderr, 'err-by-path\n');
    });
  }

  test('check_lcr_config: the lcr container\'s config maps uid and gid 0 to 100000 for 65535 ids', async () => {
    const id = (await ok(d, ['run', '-itd', 'busybox'])).stdout.trim();
    assert.equal(await inspectField(d, id, '{{.State.Status}}'), 'running');
    const config = readFileSync(join(d.state, 'lcr', id, 'config'), 'utf8');
    assert.match(config, /^lxc\.idmap = u 0 100000 65535$/m);
    assert.match(config, /^lxc\.idmap = g 0 100000 65535$/m);
    await ok(d, ['rm', '-f', id]);
  });

  for (const rt of RUNTIMES) {
    test(`test_userns_remap_with_create_file_in_container on ${rt.name}: a file root makes is 0:0 inside, 100000:100000 in the container layer on the host`, { skip: rt.skip }, async () => {
      const id = (await ok(d, ['run', '-itd', '--runtime', rt.name, 'busybox'])).stdout.trim();
      await ok(d, ['exec', id, 'touch', '/test']);
      assert.equal((await ok(d, ['exec', id, 'stat', '-c', '%u:%g', '/test'])).stdout.trim(), '0:0');
      assert.equal(owner(join(overlay(), id, 'diff', 'test')), IDMAP);
      await ok(d, ['rm', '-f', id]);
    });

    test(`test_cancel_userns_remap on ${rt.name}: --userns=host runs in the host's user namespace (files 0:0 on both sides, no mapping)`, { skip: rt.skip }, async () => {
      const id = (await ok(d, ['run', '-itd', '--runtime', rt.name, '--userns=host', 'busybox'])).stdout.trim();
      await ok(d, ['exec', id, 'touch', '/test']);
      assert.equal((await ok(d, ['exec', id, 'stat', '-c', '%u:%g', '/test'])).stdout.trim(), '0:0');
      assert.equal(owner(join(overlay(), id, 'diff', 'test')), '0:0');
      const pid = await inspectField(d, id, '{{.State.Pid}}');
      assert.equal(readFileSync(`/proc/${pid}/uid_map`, 'utf8').trim().split(/\s+/).join(' '), '0 0 4294967295');
      if (rt.name === 'lcr') assert.doesNotMatch(readFileSync(join(d.state, 'lcr', id, 'config'), 'utf8'), /lxc\.idmap/);
      await ok(d, ['rm', '-f', id]);
    });
  }

  for (const rt of RUNTIMES) {
    test(`volumes on ${rt.name}: a named volume's dir and _data are the remapped ids', a file made in it too`, { skip: rt.skip }, async () => {
      const vol = `remapvol-${rt.name}`;
      const id = (await ok(d, ['run', '-d', '--runtime', rt.name, '-v', `${vol}:/data`, 'busybox', 'sleep', '1000'])).stdout.trim();
      await ok(d, ['exec', id, 'touch', '/data/f']);
      assert.equal((await ok(d, ['exec', id, 'stat', '-c', '%u:%g', '/data/f'])).stdout.trim(), '0:0');
      for (const p of [vol, `${vol}/_data`, `${vol}/_data/f`]) assert.equal(owner(join(graph, 'volumes', p)), IDMAP, p);
      await ok(d, ['rm', '-f', id]);
      await ok(d, ['volume', 'rm', vol]);
    });
  }

  // commit, export and cp carry the container's ids, as the container sees them; cp in writes the
  // container's root (shifted on disk). The suite's daemon runs lcr.
  test('commit under remap: the layer tar (save) carries the container\'s ids (0:0, 5:6), the image\'s diff on disk is shifted once, and runs root-owned under remap', async () => {
    const id = (await ok(d, ['run', '-itd', 'busybox'])).stdout.trim();
    await ok(d, ['exec', id, 'sh', '-c', 'echo made >/etc/remapped && mkdir /var/made && touch /var/made/f && chown 5:6 /var/made/f && echo more >>/etc/passwd']);
    assert.equal(owner(join(overlay(), id, 'diff', 'etc', 'remapped')), IDMAP, 'the container layer holds shifted owners');
    const img = (await ok(d, ['commit', id, 'remapcommit:1'])).stdout.trim();
    assert.match(img, /^(sha256:)?[0-9a-f]{12,64}$/);
    await ok(d, ['save', '-o', savedCommit, 'remapcommit:1']);
    const owners = tarOwners(topLayerOfSave(savedCommit, join(work, 'commit-save')));
    assert.equal(owners.get('etc/remapped'), '0/0');
    assert.equal(owners.get('etc/passwd'), '0/0');
    assert.equal(owners.get('var/made/'), '0/0');
    assert.equal(owners.get('var/made/f'), '5/6');
    // the remapped store extracted the commit shifted (once: 0 → 100000, 5 → 100005)
    const diff = join(overlay(), await inspectField(d, 'remapcommit:1', '{{.image.top_layer}}'), 'diff');
    assert.equal(owner(join(diff, 'etc', 'remapped')), IDMAP);
    assert.equal(owner(join(diff, 'var', 'made', 'f')), '100005:100006');
    assert.equal((await ok(d, ['run', '--rm', 'remapcommit:1', 'stat', '-c', '%u:%g', '/etc/remapped', '/var/made/f'])).stdout, '0:0\n5:6\n');
    await ok(d, ['rm', '-f', id]);
  });

  for (const rt of RUNTIMES) {
    test(`export under remap on ${rt.name}: every entry carries the container's ids (0:0 for the image's and root's files)`, { skip: rt.skip }, async () => {
      const id = (await ok(d, ['run', '-itd', '--runtime', rt.name, 'busybox'])).stdout.trim();
      await ok(d, ['exec', id, 'sh', '-c', 'touch /exported && touch /owned && chown 7:8 /owned']);
      const out = join(work, `export-${rt.name}.tar`);
      await ok(d, ['export', '-o', out, id]);
      const owners = tarOwners(out);
      assert.equal(owners.get('bin/busybox'), '0/0');
      assert.equal(owners.get('etc/hosts'), '0/0');
      assert.equal(owners.get('exported'), '0/0');
      assert.equal(owners.get('owned'), '7/8');
      assert.ok(owners.size > 10, `${owners.size} entries`);
      // the image's own non-root owner (the fixture's /home/user is 1000) stays itself
      assert.equal(owners.get('home/user/'), '1000/1000');
      // nothing leaves with a host id, nor as nobody (the mount points and /etc/mtab the engine made
      // in the container layer are its root's too)
      assert.deepEqual([...owners].filter(([n, o]) => o !== '0/0' && n !== 'owned' && n !== 'home/user/'), []);
      await ok(d, ['rm', '-f', id]);
    });
  }

  test('cp out under remap: the archive and a copy with -a carry the container\'s ids', async () => {
    const id = (await ok(d, ['run', '-itd', 'busybox'])).stdout.trim();
    await ok(d, ['exec', id, 'sh', '-c', 'echo out >/out && chown 9:10 /out']);
    const tarFile = join(work, 'cp-out.tar');
    // the tar of a text file is all ASCII and NULs: it survives the harness's string stdout
    writeFileSync(tarFile, (await ok(d, ['cp', `${id}:/etc/passwd`, '-'])).stdout);
    assert.equal(tarOwners(tarFile).get('passwd'), '0/0');
    const dest = join(work, 'cp-out');
    mkdirSync(dest);
    await ok(d, ['cp', '-a', `${id}:/etc/passwd`, dest]);
    await ok(d, ['cp', '-a', `${id}:/out`, dest]);
    assert.equal(owner(join(dest, 'passwd')), '0:0');
    assert.equal(owner(join(dest, 'out')), '9:10');
    assert.match(execFileSync('ls', ['-ln', join(dest, 'passwd')], { encoding: 'utf8' }), /^\S+\s+\d+\s+0\s+0\s/);
    await ok(d, ['rm', '-f', id]);
  });

  for (const rt of RUNTIMES) {
    test(`cp in under remap on ${rt.name}: a copied file is the container's root's (0 inside, 100000 on the host) and root can write it; -a keeps the tar's ids shifted`, { skip: rt.skip }, async () => {
      const id = (await ok(d, ['run', '-itd', '--runtime', rt.name, 'busybox'])).stdout.trim();
      const src = join(work, `cp-in-${rt.name}`);
      mkdirSync(join(src, 'dir'), { recursive: true });
      writeFileSync(join(src, 'file'), 'in\n');
      writeFileSync(join(src, 'dir', 'g'), 'g\n');
      chownSync(join(src, 'dir', 'g'), 11, 12);
      await ok(d, ['cp', join(src, 'file'), `${id}:/in-file`]);
      assert.equal((await ok(d, ['exec', id, 'stat', '-c', '%u:%g', '/in-file'])).stdout.trim(), '0:0');
      assert.equal(owner(join(overlay(), id, 'diff', 'in-file')), IDMAP);
      await ok(d, ['exec', id, 'sh', '-c', 'echo more >>/in-file']);
      assert.equal((await ok(d, ['exec', id, 'cat', '/in-file'])).stdout, 'in\nmore\n');
      // a directory copied in with -a: its entries keep the tar's ids, shifted on disk
      await ok(d, ['cp', '-a', join(src, 'dir'), `${id}:/in-dir`]);
      assert.equal((await ok(d, ['exec', id, 'stat', '-c', '%u:%g', '/in-dir', '/in-dir/g'])).stdout, '0:0\n11:12\n');
      assert.equal(owner(join(overlay(), id, 'diff', 'in-dir', 'g')), '100011:100012');
      await ok(d, ['rm', '-f', id]);
    });
  }

  test('a remapping daemon refuses --user-remap (iSulad\'s words) and --userns other than host', async () => {
    assert.match((await fails(d, ['create', '--system-container', '--external-rootfs', d.dir, '--user-remap', '200000:200000:100', 'none', 'true'])).stderr, /invalid --user-remap command option, daemon already configed --userns-remap/);
    assert.match((await fails(d, ['create', '--userns', 'private', 'busybox', 'true'])).stderr, /Unsupported user mode private/);
    assert.equal((await ok(d, ['ps', '-aq'])).stdout.trim(), '', 'nothing was created');
  });
});

describe('a commit made under --userns-remap, loaded by a daemon without it', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => {
    d = started;
  }, { runtime: 'lcr' });

  test('the committed image\'s files are root\'s (and 5:6 stays 5:6): the layer holds container ids, not host ones', async () => {
    assert.ok(existsSync(savedCommit), 'the remapped suite saved its commit');
    await ok(d, ['load', '-i', savedCommit]);
    assert.equal((await ok(d, ['run', '--rm', 'remapcommit:1', 'stat', '-c', '%u:%g', '/etc/remapped', '/etc/passwd', '/var/made/f'])).stdout, '0:0\n0:0\n5:6\n');
    await ok(d, ['rmi', 'remapcommit:1']);
  });

  test('--user-remap on lcr (system container, external rootfs made over to 200000): export and cp out carry the container\'s ids, cp in writes its root', async () => {
    const dir = join(d.dir, 'user-remapped');
    mkdirSync(dir);
    execFileSync('tar', ['-xf', join(FIXTURES, `busybox-${ARCH}.rootfs.tar`), '-C', dir]);
    execFileSync('chown', ['-R', '200000:200000', dir]);
    execFileSync('chown', ['-R', '201000:201000', join(dir, 'home', 'user')]);
    chmodSync(d.dir, 0o711); // the mapped root must be able to reach the rootfs
    const id = (await ok(d, ['run', '-d', '--system-container', '--external-rootfs', dir, '--user-remap', '200000:200000:65535', 'none', 'sleep', '1000'])).stdout.trim();
    const out = join(work, 'user-remap-export.tar');
    await ok(d, ['export', '-o', out, id]);
    const owners = tarOwners(out);
    assert.equal(owners.get('bin/busybox'), '0/0');
    assert.equal(owners.get('home/user/'), '1000/1000');
    const dest = join(work, 'user-remap-cp');
    mkdirSync(dest);
    await ok(d, ['cp', '-a', `${id}:/etc/passwd`, dest]);
    assert.equal(owner(join(dest, 'passwd')), '0:0');
    const src = join(work, 'user-remap-in');
    writeFileSync(src, 'in\n');
    await ok(d, ['cp', src, `${id}:/in-file`]);
    assert.equal((await ok(d, ['exec', id, 'stat', '-c', '%u:%g', '/in-file'])).stdout.trim(), '0:0');
    assert.equal(owner(join(dir, 'in-file')), '200000:200000');
    await ok(d, ['rm', '-f', id]);
  });
});
