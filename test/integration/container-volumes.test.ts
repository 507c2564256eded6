// Volumes end to end (issue 5): named and anonymous local volumes, copy-up from the image, nocopy,
// --mount type=volume, --volumes-from, rm -v, and isula volume ls / rm / prune, against a real
// daemon on real LXC with the embedded busybox. What a container sees is read from inside it; the
// volume's files are also checked on the host under <graph>/volumes/<name>/_data.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { inspectField, ok, skipReason, RUNTIMES, suiteDaemon } from './container-fixture.ts';

for (const rt of RUNTIMES) describe(`volumes on ${rt.name}`, { skip: skipReason || rt.skip }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: rt.name });

  const volumeNames = async () => (await ok(d, ['volume', 'ls', '-q'])).stdout.split('\n').filter(Boolean).sort();
  const dataDir = (name: string) => join(d.root, 'volumes', name, '_data');

  test('a named volume outlives its container and is seen by the next one', async () => {
    await ok(d, ['run', '--rm', '-v', 'keep:/data', 'busybox', 'sh', '-c', 'echo hello > /data/f; chmod 600 /data/f']);
    assert.ok((await volumeNames()).includes('keep'));
    assert.equal(readFileSync(join(dataDir('keep'), 'f'), 'utf8'), 'hello\n');
    assert.equal(statSync(join(d.root, 'volumes', 'keep')).mode & 0o777, 0o700);
    const r = await ok(d, ['run', '--rm', '-v', 'keep:/other:ro', 'busybox', 'sh', '-c', 'cat /other/f; stat -c %a /other/f; touch /other/g 2>/dev/null || echo read-only']);
    assert.equal(r.stdout, 'hello\n600\nread-only\n');
    await ok(d, ['volume', 'rm', 'keep']);
    assert.ok(!(await volumeNames()).includes('keep'));
    assert.ok(!existsSync(join(d.root, 'volumes', 'keep')));
  });

  test('copy-up fills a new volume with the image content; nocopy leaves it empty', async () => {
    const r = await ok(d, ['run', '--rm', '-v', 'etcvol:/etc', 'busybox', 'sh', '-c', 'grep -c ^root: /etc/passwd']);
    assert.equal(r.stdout, '1\n');
    assert.match(readFileSync(join(dataDir('etcvol'), 'passwd'), 'utf8'), /^root:/m);
    // modes of the copied files follow the image's
    const mode = (await ok(d, ['run', '--rm', 'busybox', 'stat', '-c', '%a %u', '/etc/passwd'])).stdout;
    const inVol = (await ok(d, ['run', '--rm', '-v', 'etcvol:/x', 'busybox', 'stat', '-c', '%a %u', '/x/passwd'])).stdout;
    assert.equal(inVol, mode);
    const empty = await ok(d, ['run', '--rm', '-v', 'emptyvol:/etc:nocopy', 'busybox', 'sh', '-c', 'ls -A /etc | wc -l']);
    assert.equal(empty.stdout.trim(), '0');
    const m = await ok(d, ['run', '--rm', '--mount', 'type=volume,src=mnt1,dst=/etc,volume-nocopy', 'busybox', 'sh', '-c', 'ls -A /etc | wc -l']);
    assert.equal(m.stdout.trim(), '0');
    // an existing volume is never copied into again
    const again = await ok(d, ['run', '--rm', '-v', 'emptyvol:/etc', 'busybox', 'sh', '-c', 'ls -A /etc | wc -l']);
    assert.equal(again.stdout.trim(), '0');
    await ok(d, ['volume', 'rm', 'etcvol', 'emptyvol', 'mnt1']);
  });

  test('anonymous volume from -v /data, shown in inspect, removed by rm -v but not a named one', async () => {
    await ok(d, ['create', '--name', 'anon', '-v', '/data', '-v', 'named1:/named', 'busybox', 'sh', '-c', 'echo x > /data/x']);
    const mounts = JSON.parse(await inspectField(d, 'anon', '{{json .Mounts}}')) as Array<Record<string, unknown>>;
    const anon = mounts.find((m) => m.Destination === '/data');
    const named = mounts.find((m) => m.Destination === '/named');
    assert.ok(anon && named, JSON.stringify(mounts));
    assert.equal(anon.Type, 'volume');
    assert.equal(anon.Driver, 'local');
    assert.equal(anon.RW, true);
    assert.match(String(anon.Name), /^[0-9a-f]{64}$/);
    assert.equal(anon.Source, dataDir(String(anon.Name)));
    assert.equal(named.Name, 'named1');
    await ok(d, ['start', '-a', 'anon']);
    assert.equal(readFileSync(join(String(anon.Source), 'x'), 'utf8'), 'x\n');
    assert.deepEqual(await volumeNames(), [String(anon.Name), 'named1'].sort());
    await ok(d, ['rm', '-v', 'anon']);
    assert.deepEqual(await volumeNames(), ['named1']);
    assert.ok(!existsSync(join(d.root, 'volumes', String(anon.Name))));
    await ok(d, ['volume', 'rm', 'named1']);
    // --rm takes its anonymous volumes with it, as docker's does
    await ok(d, ['run', '--rm', '-v', '/scratch', 'busybox', 'sh', '-c', 'echo s > /scratch/s']);
    assert.deepEqual(await volumeNames(), []);
  });

  test('--volumes-from shares the volumes of another container, :ro forces read-only', async () => {
    await ok(d, ['create', '--name', 'src', '-v', '/shared', 'busybox', 'true']);
    await ok(d, ['run', '--rm', '--volumes-from', 'src', 'busybox', 'sh', '-c', 'echo from-b > /shared/b']);
    const r = await ok(d, ['run', '--rm', '--volumes-from', 'src:ro', 'busybox', 'sh', '-c', 'cat /shared/b; touch /shared/c 2>/dev/null || echo read-only']);
    assert.equal(r.stdout, 'from-b\nread-only\n');
    // the --rm containers did not take the anonymous volume of src with them
    assert.equal((await volumeNames()).length, 1);
    await ok(d, ['rm', '-v', 'src']);
    assert.deepEqual(await volumeNames(), []);
  });

  test('volume rm is refused while a container uses the volume; prune removes only unused ones', async () => {
    const id = (await ok(d, ['create', '--name', 'user', '-v', 'busy:/b', 'busybox', 'true'])).stdout.trim();
    await ok(d, ['run', '--rm', '-v', 'idle:/i', 'busybox', 'true']);
    // the users of a volume are read from the container records: a restart keeps the refusal
    await d.restart();
    const rm = await d.isula(['volume', 'rm', 'busy']);
    assert.notEqual(rm.code, 0);
    assert.equal(rm.stderr, `Error response from daemon: remove volume busy failed: volume is used by container ${id}\n`);
    const missing = await d.isula(['volume', 'rm', 'nosuch']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /No such volume: nosuch/);

    const ls = (await ok(d, ['volume', 'ls'])).stdout.split('\n');
    assert.match(ls[0] ?? '', /^DRIVER\s+VOLUME NAME$/);
    assert.ok(ls.some((l) => /^local\s+busy$/.test(l)), ls.join('\n'));
    assert.ok(ls.some((l) => /^local\s+idle$/.test(l)), ls.join('\n'));

    // without -f it asks, and a "n" keeps everything
    const no = await d.isula(['volume', 'prune'], { input: 'n\n' });
    assert.equal(no.code, 0, no.stderr);
    assert.match(no.stdout, /Are you sure you want to continue\? \[y\/N\]/);
    assert.deepEqual(await volumeNames(), ['busy', 'idle']);
    const yes = await d.isula(['volume', 'prune'], { input: 'y\n' });
    assert.equal(yes.code, 0, yes.stderr);
    assert.match(yes.stdout, /\[y\/N\] idle\n$/);
    assert.deepEqual(await volumeNames(), ['busy']);
    const nothing = await ok(d, ['volume', 'prune', '-f']);
    assert.equal(nothing.stdout, '');

    await ok(d, ['rm', 'user']);
    const f = await ok(d, ['volume', 'prune', '-f']);
    assert.equal(f.stdout, 'busy\n');
    assert.deepEqual(await volumeNames(), []);
  });

  test('an image VOLUME becomes an anonymous volume with the image content, unless a user mount covers it', async () => {
    // busybox saved by the daemon, its config given a VOLUME /etc, loaded back as volimg:latest
    const dir = mkdtempSync(join(tmpdir(), 'isula-volimg-'));
    try {
      await ok(d, ['save', '-o', join(dir, 'bb.tar'), 'busybox']);
      const x = join(dir, 'x');
      execFileSync('mkdir', [x]);
      execFileSync('tar', ['xf', join(dir, 'bb.tar'), '-C', x]);
      const manifest = JSON.parse(readFileSync(join(x, 'manifest.json'), 'utf8')) as Array<{ Config: string; RepoTags: string[] }>;
      const entry = manifest[0]!;
      const config = JSON.parse(readFileSync(join(x, entry.Config), 'utf8')) as { config: Record<string, unknown> };
      config.config.Volumes = { '/etc': {} };
      const bytes = Buffer.from(JSON.stringify(config));
      const digest = createHash('sha256').update(bytes).digest('hex');
      unlinkSync(join(x, entry.Config));
      entry.Config = `blobs/sha256/${digest}`;
      entry.RepoTags = ['volimg:latest'];
      writeFileSync(join(x, entry.Config), bytes);
      writeFileSync(join(x, 'manifest.json'), JSON.stringify(manifest));
      rmSync(join(x, 'repositories'), { force: true });
      execFileSync('tar', ['cf', join(dir, 'volimg.tar'), '-C', x, '.']);
      await ok(d, ['load', '-i', join(dir, 'volimg.tar')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await ok(d, ['create', '--name', 'iv', 'volimg', 'sh', '-c', 'grep -c ^root: /etc/passwd']);
    const mounts = JSON.parse(await inspectField(d, 'iv', '{{json .Mounts}}')) as Array<Record<string, unknown>>;
    assert.equal(mounts.length, 1, JSON.stringify(mounts));
    assert.equal(mounts[0]?.Destination, '/etc');
    assert.match(String(mounts[0]?.Name), /^[0-9a-f]{64}$/);
    assert.equal((await ok(d, ['start', '-a', 'iv'])).stdout, '1\n');
    assert.match(readFileSync(join(dataDir(String(mounts[0]?.Name)), 'passwd'), 'utf8'), /^root:/m);
    // a named volume at the same place replaces the anonymous one
    const covered = await ok(d, ['run', '--rm', '-v', 'cover:/etc:nocopy', 'volimg', 'sh', '-c', 'ls -A /etc | wc -l']);
    assert.equal(covered.stdout.trim(), '0');
    await ok(d, ['rm', '-v', 'iv']);
    await ok(d, ['rmi', 'volimg']);
    assert.deepEqual(await volumeNames(), ['cover']);
    await ok(d, ['volume', 'rm', 'cover']);
  });

  test('a bad volume name or destination fails the create and leaves no volume', async () => {
    const bad = await d.isula(['run', '--rm', '-v', 'a:/x', 'busybox', 'true']);
    assert.equal(bad.code, 125);
    assert.match(bad.stderr, /Invalid volume name "a"/);
    const dup = await d.isula(['run', '--rm', '-v', 'v1:/x', '-v', 'v2:/x', 'busybox', 'true']);
    assert.equal(dup.code, 125);
    assert.match(dup.stderr, /Duplicate mount point: \/x/);
    const ps = await ok(d, ['ps', '-a', '-q']);
    assert.equal(ps.stdout, '');
    assert.deepEqual(await volumeNames(), []);
  });
});
