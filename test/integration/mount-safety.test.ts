// Issue 13 items 1 and 2: a hostile image cannot make the daemon (or LXC) create anything on the
// host through its symlinks, and mounts over /dev and /proc cannot turn the container's setup
// against a host dir. The image is busybox plus one layer of links pointing at a host path that
// is unique to this run (/tmp/isula-victim-<random>); after each case that path must not exist.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { assertCleanAfterRemovingAll, canRun, ok, RUNTIMES, skipReason } from './container-fixture.ts';

const VICTIM = `/tmp/isula-victim-${randomBytes(6).toString('hex')}`;

/** busybox saved by the daemon plus a layer holding `links` (name → target), loaded as `tag`. */
async function loadLinkImage(d: Daemon, tag: string, links: Record<string, string>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'isula-evilimg-'));
  try {
    await ok(d, ['save', '-o', join(dir, 'bb.tar'), 'busybox']);
    const x = join(dir, 'x');
    mkdirSync(x);
    execFileSync('tar', ['xf', join(dir, 'bb.tar'), '-C', x]);
    const tree = join(dir, 'tree');
    mkdirSync(tree);
    for (const [name, target] of Object.entries(links)) {
      mkdirSync(dirname(join(tree, name)), { recursive: true });
      symlinkSync(target, join(tree, name));
    }
    const layerTar = join(dir, 'layer.tar');
    execFileSync('tar', ['cf', layerTar, '--owner=0', '--group=0', '-C', tree, '.']);
    const layer = readFileSync(layerTar);
    const ld = createHash('sha256').update(layer).digest('hex');
    writeFileSync(join(x, 'blobs', 'sha256', ld), layer);
    const manifest = JSON.parse(readFileSync(join(x, 'manifest.json'), 'utf8')) as Array<{ Config: string; RepoTags: string[]; Layers: string[] }>;
    const entry = manifest[0]!;
    const config = JSON.parse(readFileSync(join(x, entry.Config), 'utf8')) as { rootfs: { diff_ids: string[] } };
    config.rootfs.diff_ids.push(`sha256:${ld}`);
    const bytes = Buffer.from(JSON.stringify(config));
    const cd = createHash('sha256').update(bytes).digest('hex');
    entry.Config = `blobs/sha256/${cd}`;
    entry.RepoTags = [`${tag}:latest`];
    entry.Layers.push(`blobs/sha256/${ld}`);
    writeFileSync(join(x, entry.Config), bytes);
    writeFileSync(join(x, 'manifest.json'), JSON.stringify(manifest));
    rmSync(join(x, 'repositories'), { force: true });
    execFileSync('tar', ['cf', join(dir, 'img.tar'), '-C', x, '.']);
    await ok(d, ['load', '-i', join(dir, 'img.tar')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('mount destinations resolved inside the rootfs', { skip: skipReason }, () => {
  let d: Daemon;
  let work: string;
  before(async () => {
    if (!canRun) return;
    d = await startDaemon();
    work = mkdtempSync(join(tmpdir(), 'isula-mountsafety-'));
    await loadLinkImage(d, 'evil', { evil: VICTIM, evilproc: '/proc', evilself: '/proc/self', up: '../../../..', etclink: '/etc' });
  });
  after(async () => {
    if (!canRun) return;
    try {
      await assertCleanAfterRemovingAll(d);
    } finally {
      await d.stop();
      rmSync(work, { recursive: true, force: true });
      rmSync(VICTIM, { recursive: true, force: true });
    }
  });

  const noVictim = () => assert.equal(existsSync(VICTIM), false, `${VICTIM} was created on the host`);

  test('a bind through an image link lands inside the rootfs, nothing is created on the host', async () => {
    const f = join(work, 'nologin');
    writeFileSync(f, 'bound-file\n');
    const src = join(work, 'srcdir');
    mkdirSync(src);
    writeFileSync(join(src, 'in'), 'bound-dir\n');
    const r = await ok(d, ['run', '--rm', '-v', `${f}:/evil/nologin`, '-v', `${src}:/evil/deep/mnt`, 'evil', 'sh', '-c', `cat ${VICTIM}/nologin ${VICTIM}/deep/mnt/in`]);
    assert.equal(r.stdout, 'bound-file\nbound-dir\n');
    noVictim();
    // ".." through a link never climbs out of the rootfs either
    const up = await ok(d, ['run', '--rm', '-v', `${f}:/up/tmp/uplink`, 'evil', 'cat', '/tmp/uplink']);
    assert.equal(up.stdout, 'bound-file\n');
    assert.equal(existsSync('/tmp/uplink'), false);
  });

  for (const rt of RUNTIMES) {
    test(`tmpfs, volumes and device nodes through an image link stay inside the rootfs on ${rt.name}`, { skip: rt.skip }, async () => {
      const vol = `evilvol-${rt.name}`;
      const r = await ok(d, ['run', '--rm', '--runtime', rt.name, '--tmpfs', '/evil/t', '-v', `${vol}:/evil/v`, '-v', '/evil/anon', '--device', '/dev/null:/evil/devnull', 'evil', 'sh', '-c', `grep -c " ${VICTIM}/t tmpfs" /proc/mounts; test -c ${VICTIM}/devnull && echo dev; test -d ${VICTIM}/v && echo vol; grep -c " ${VICTIM}/anon " /proc/mounts`]);
      // the anonymous volume (`-v /dst`, as an image VOLUME) too; --rm removes it
      assert.equal(r.stdout, '1\ndev\nvol\n1\n');
      noVictim();
      await ok(d, ['volume', 'rm', vol]);
      // a new volume gets a copy of what the image has at its destination, links followed inside
      // the rootfs: `/etclink -> /etc` is the image's /etc (busybox's passwd), never the host's
      const etc = `etcvol-${rt.name}`;
      const e = await ok(d, ['run', '--rm', '--runtime', rt.name, '-v', `${etc}:/etclink`, 'evil', 'sh', '-c', 'grep -c "^root:" /etc/passwd; ls /etc']);
      assert.equal(e.stdout.split('\n')[0], '1', e.stdout);
      const data = join(d.root, 'volumes', etc, '_data');
      assert.ok(readdirSync(data).includes('passwd'), `the image's /etc was copied: ${readdirSync(data).join(' ')}`);
      assert.equal(readFileSync(join(data, 'passwd'), 'utf8'), (await ok(d, ['run', '--rm', 'busybox', 'cat', '/etc/passwd'])).stdout);
      await ok(d, ['volume', 'rm', etc]);
    });
  }

  // the daemon writes this file itself (at create), through the same resolver as mount points
  test('--env-target-file through an image link is written inside the rootfs', async () => {
    const r = await ok(d, ['run', '--rm', '-e', 'HARDEN=1', '--env-target-file', '/evil/env.sh', 'evil', 'cat', `${VICTIM}/env.sh`]);
    assert.ok(r.stdout.split('\n').includes('HARDEN=1'), r.stdout);
    noVictim();
  });

  // found walking issue 13 again: on lcr a working dir the rootfs lacks failed the start (runc makes it)
  for (const rt of RUNTIMES) {
    test(`a missing working dir is made inside the rootfs on ${rt.name}, also through an image link`, { skip: rt.skip }, async () => {
      assert.equal((await ok(d, ['run', '--rm', '--runtime', rt.name, '-w', '/new/sub', 'busybox', 'pwd'])).stdout, '/new/sub\n');
      const args = ['run', '--rm', '--runtime', rt.name, '-w', '/evil/wd', 'evil', 'sh', '-c', `pwd; test -d ${VICTIM}/wd && echo inside`];
      if (rt.name === 'lcr') {
        assert.equal((await ok(d, args)).stdout, `${VICTIM}/wd\ninside\n`);
      } else {
        // runc refuses a working dir through a dangling link itself ("mkdir /evil: file exists")
        await d.isula(args);
      }
      noVictim();
    });
  }

  // the files the daemon generates (hostname, hosts, resolv.conf) are bind mounts like a user's:
  // an image whose /etc/hosts is a link to a host path gets them inside its rootfs, on every runtime
  for (const rt of RUNTIMES) {
    test(`/etc/hostname, /etc/hosts and /etc/resolv.conf through image links stay inside the rootfs on ${rt.name}`, { skip: rt.skip }, async () => {
      const tag = `evilnet-${rt.name}`;
      await loadLinkImage(d, tag, { 'etc/hostname': `${VICTIM}/hostname`, 'etc/hosts': `${VICTIM}/hosts`, 'etc/resolv.conf': `${VICTIM}/resolv.conf` });
      const r = await ok(d, ['run', '--rm', '--runtime', rt.name, '-h', 'linkhost', '--add-host', 'extra.example:10.1.2.3', '--dns', '10.9.9.9', tag, 'sh', '-c', 'cat /etc/hostname; grep -c extra.example /etc/hosts; grep -c 10.9.9.9 /etc/resolv.conf']);
      assert.equal(r.stdout, 'linkhost\n1\n1\n');
      noVictim();
      await ok(d, ['rmi', tag]);
    });
  }

  test('a stopped container whose mount point became a link is refused a restart, nothing made on the host', async () => {
    const f = join(work, 'f2');
    writeFileSync(f, 'x\n');
    await ok(d, ['run', '--name', 'swap', '-v', `${f}:/data/mp`, 'busybox', 'sh', '-c', `mv /data /old && ln -s ${VICTIM} /data`]);
    const r = await d.isula(['start', '-a', 'swap']);
    assert.notEqual(r.code, 0, 'the restart must fail');
    assert.match(r.stderr, /symbolic link/);
    noVictim();
    await ok(d, ['rm', 'swap']);
  });

  for (const rt of RUNTIMES) {
    test(`/proc is refused as a destination on ${rt.name}: at create, in iSulad's words; through a link at the latest at start`, { skip: rt.skip }, async () => {
      const dir = join(work, `procdir-${rt.name}`);
      mkdirSync(dir);
      for (const how of [['-v', `${dir}:/proc`], ['-v', `${dir}:/proc/sys/x`], ['--tmpfs', '/proc'], ['--mount', `type=bind,src=${dir},dst=/proc/`]]) {
        const r = await d.isula(['create', '--runtime', rt.name, ...how, 'busybox', 'true']);
        // create exits 1 for whatever the daemon refuses (iSulad's client: ECOMMON)
        assert.equal(r.code, 1, `${how.join(' ')} must be refused at create: ${r.stderr}`);
        assert.match(r.stderr, /mount destination ".*" is not allowed: inside \/proc/, r.stderr);
      }
      for (const dest of ['/evilproc', '/evilself/root']) {
        const r = await d.isula(['run', '--rm', '--runtime', rt.name, '-v', `${dir}:${dest}`, 'evil', 'true']);
        assert.notEqual(r.code, 0, `-v ${dir}:${dest} must be refused`);
        if (rt.name === 'lcr') assert.match(r.stderr, /not allowed.*\/proc/, r.stderr);
      }
      assert.deepEqual(readdirSync(dir), []);
    });
  }

  // every runtime row, with and without a terminal: LXC puts console, ptmx and its fd/stdin/stdout/
  // stderr links in whatever /dev is, runc its console; none of it may land in the host dir
  for (const rt of RUNTIMES) {
    for (const tty of [false, true]) {
      const how = `${rt.name}${tty ? ' -t' : ''}`;
      test(`a bind over /dev on ${how} leaves the host dir untouched (no device node, console or link), and the container sees it`, { skip: rt.skip }, async () => {
        const dir = join(work, `devdir-${rt.name}-${tty ? 't' : 'n'}`);
        mkdirSync(dir);
        writeFileSync(join(dir, 'marker'), 'm\n');
        const before = statSync(dir).mtimeMs;
        const t = tty ? ['-t'] : [];
        const r = await ok(d, ['run', '--rm', ...t, '--runtime', rt.name, '-v', `${dir}:/dev`, 'busybox', 'sh', '-c', 'cat /dev/marker; ls -a -1 /dev; if [ -t 0 ]; then echo tty; fi']);
        // with -t LXC's own complaint that the dir has no null node comes through the terminal
        const out = r.stdout.replace(/\r/g, '').split('\n').filter((l) => !/^lxc-start: .*open_devnull/.test(l));
        assert.equal(out[0], 'm', r.stdout);
        // no autodev (nodes, pts, ptmx), no console and none of LXC's fd/stdin/stdout/stderr links
        assert.deepEqual(readdirSync(dir), ['marker']);
        assert.equal(statSync(dir).mtimeMs, before, 'the host dir was written to');
        // the container sees the dir itself: its listing is the dir's
        assert.deepEqual(out.slice(1).filter((l) => l !== '' && l !== '.' && l !== '..'), ['marker', ...(tty ? ['tty'] : [])], r.stdout);
        // what the container writes there does land in the host dir
        await ok(d, ['run', '--rm', ...t, '--runtime', rt.name, '-v', `${dir}:/dev`, 'busybox', 'sh', '-c', 'echo w >/dev/w']);
        assert.equal(readFileSync(join(dir, 'w'), 'utf8'), 'w\n');
      });
    }
  }

  test('LXC\'s own links in /dev are refused as mount points', async () => {
    const f = join(work, 'f3');
    writeFileSync(f, 'x\n');
    const r = await d.isula(['run', '--rm', '-v', `${f}:/dev/fd/9/x`, 'busybox', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not allowed/);
  });
});
