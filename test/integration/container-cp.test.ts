// isula cp and isula export end to end: the real CLI, a real isulad, real LXC containers of the
// embedded busybox. What landed in a container is read from its overlay upper dir (the host side
// of the container's writes), not from the engine's own report. The escape cases plant a host
// marker file with a unique name and content next to a same-named file in the container: every
// read must return the container's content, and no write may reach the host's /tmp.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { canRun, inspectField, mountsUnder, ok, skipReason, until, RUNTIMES, suiteDaemon } from './container-fixture.ts';

const tag = randomBytes(6).toString('hex');
const MARKER = `cp-marker-${tag}`; // /tmp/<MARKER> exists on the host and in the container
const HOST_CONTENT = `HOST-${tag}\n`;

for (const rt of RUNTIMES) describe(`isula cp and export on ${rt.name}`, { skip: skipReason || rt.skip }, () => {
  let d: Daemon;
  let work: string;
  let hostMarker: string;
  before(() => {
    if (!canRun) return;
    work = mkdtempSync(join(tmpdir(), 'isula-cp-'));
    hostMarker = join('/tmp', MARKER);
    writeFileSync(hostMarker, HOST_CONTENT, { mode: 0o644 });
  });
  suiteDaemon((started) => (d = started), {
    runtime: rt.name,
    afterStop: () => {
      assert.equal(readFileSync(hostMarker, 'utf8'), HOST_CONTENT, 'the host marker was never written');
      rmSync(hostMarker, { force: true });
      rmSync(work, { recursive: true, force: true });
    },
  });

  /** Starts a container whose shell prepares the tree, then says "ready" and idles (or loops). */
  async function box(name: string, setup: string, loop = 'while true; do sleep 0.2; done'): Promise<string> {
    await ok(d, ['run', '-d', '--name', name, 'busybox', 'sh', '-c', `${setup}; echo ready; ${loop}`]);
    await until(`${name} ready`, async () => (await ok(d, ['logs', name])).stdout.includes('ready'));
    return inspectField(d, name, '{{.GraphDriver.Data.UpperDir}}');
  }

  const inContainerMarker = (what: string) => `echo ${what}-${tag} > /tmp/${MARKER}`;

  test('from a container: file and directory, modes, owners, -a, trailing slash and /.', async () => {
    await box('src1', `mkdir -p /data/sub && echo hello > /data/sub/f && chmod 640 /data/sub/f && chown 1234:5678 /data/sub/f && ln -s f /data/sub/l && chmod 751 /data/sub`);
    const f = join(work, 'f1');
    await ok(d, ['cp', 'src1:/data/sub/f', f]);
    assert.equal(readFileSync(f, 'utf8'), 'hello\n');
    assert.equal(statSync(f).mode & 0o777, 0o640);
    assert.equal(statSync(f).uid, 0, 'without -a the copy belongs to the caller');
    const fa = join(work, 'f1a');
    await ok(d, ['cp', '-a', 'src1:/data/sub/f', fa]);
    assert.equal(statSync(fa).uid, 1234);
    assert.equal(statSync(fa).gid, 5678);
    // an existing file is overwritten; an existing dir receives the file by its name
    writeFileSync(f, 'old');
    await ok(d, ['cp', 'src1:/data/sub/f', f]);
    assert.equal(readFileSync(f, 'utf8'), 'hello\n');
    const into = join(work, 'into');
    mkdirSync(into);
    await ok(d, ['cp', 'src1:/data/sub/f', into + '/']);
    assert.equal(readFileSync(join(into, 'f'), 'utf8'), 'hello\n');
    // a directory: into an existing dir as <dir>/sub, its contents with /., a new dir named DEST
    await ok(d, ['cp', 'src1:/data/sub', into]);
    assert.equal(readFileSync(join(into, 'sub', 'f'), 'utf8'), 'hello\n');
    assert.equal(statSync(join(into, 'sub')).mode & 0o777, 0o751);
    assert.ok(lstatSync(join(into, 'sub', 'l')).isSymbolicLink(), 'a symlink is copied as a link');
    const contents = join(work, 'contents');
    mkdirSync(contents);
    await ok(d, ['cp', 'src1:/data/sub/.', contents]);
    assert.deepEqual(readdirSync(contents).sort(), ['f', 'l']);
    const fresh = join(work, 'fresh');
    await ok(d, ['cp', 'src1:/data/sub', fresh]);
    assert.deepEqual(readdirSync(fresh).sort(), ['f', 'l']);
    // -L copies what a link points to; the link itself otherwise
    const lf = join(work, 'lf');
    await ok(d, ['cp', '-L', 'src1:/data/sub/l', lf]);
    assert.equal(readFileSync(lf, 'utf8'), 'hello\n');
    // DEST "-": the tar on stdout
    const t = await ok(d, ['cp', 'src1:/data/sub/f', '-']);
    assert.ok(t.stdout.startsWith('f\0'), 'a tar whose entry is named f');
    assert.ok(t.stdout.includes('hello\n'));
    // the container was frozen only for the copies
    assert.equal(await inspectField(d, 'src1', '{{.State.Status}}'), 'running');
  });

  test('into a container: file and directory, modes, owners with and without -a, SRC "-"', async () => {
    const upper = await box('dst1', 'mkdir -p /in && echo x > /in/existing');
    const src = join(work, 'tree');
    mkdirSync(join(src, 'deep'), { recursive: true });
    writeFileSync(join(src, 'deep', 'g'), 'gee\n');
    chmodSync(join(src, 'deep', 'g'), 0o751);
    chownSync(join(src, 'deep', 'g'), 4321, 8765);
    await ok(d, ['cp', src, 'dst1:/in']);
    const landed = join(upper, 'in', 'tree', 'deep', 'g');
    assert.equal(readFileSync(landed, 'utf8'), 'gee\n');
    assert.equal(statSync(landed).mode & 0o777, 0o751);
    assert.equal(statSync(landed).uid, 0, 'without -a: root in the container');
    await ok(d, ['cp', '-a', join(src, 'deep', 'g'), 'dst1:/in/g-archived']);
    assert.equal(statSync(join(upper, 'in', 'g-archived')).uid, 4321);
    assert.equal(statSync(join(upper, 'in', 'g-archived')).gid, 8765);
    // a new name in an existing dir; an existing file overwritten; contents with /.
    await ok(d, ['cp', join(src, 'deep', 'g'), 'dst1:/in/existing']);
    assert.equal(readFileSync(join(upper, 'in', 'existing'), 'utf8'), 'gee\n');
    await ok(d, ['cp', join(src, 'deep') + '/.', 'dst1:/in']);
    assert.equal(readFileSync(join(upper, 'in', 'g'), 'utf8'), 'gee\n');
    // SRC "-": a tar read from stdin, extracted into the directory DEST
    const tarDir = join(work, 'tarsrc');
    mkdirSync(tarDir);
    writeFileSync(join(tarDir, 'from-stdin'), 'piped\n');
    const tarBytes = execFileSync('tar', ['-C', tarDir, '-cf', '-', 'from-stdin']);
    const r = await d.isula(['cp', '-', 'dst1:/in'], { input: tarBytes, timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(upper, 'in', 'from-stdin'), 'utf8'), 'piped\n');
  });

  test('bad input: missing paths, dir onto a file, unknown container; nothing is left behind', async () => {
    const upper = await box('bad1', 'echo x > /afile', 'while true; do echo tick; sleep 0.2; done');
    const missing = await d.isula(['cp', 'bad1:/no/such/thing', join(work, 'nope')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Could not find the file \/no\/such\/thing in container bad1/);
    assert.ok(!existsSync(join(work, 'nope')));
    const noParent = await d.isula(['cp', hostMarker, 'bad1:/no/dir/file']);
    assert.equal(noParent.code, 1, noParent.stderr);
    assert.match(noParent.stderr, /Could not find the file \/no\/dir\/file in container bad1/);
    assert.ok(!existsSync(join(upper, 'no')));
    const dirOnFile = await d.isula(['cp', work, 'bad1:/afile']);
    assert.notEqual(dirOnFile.code, 0);
    assert.match(dirOnFile.stderr, /not a directory/);
    assert.equal(readFileSync(join(upper, 'afile'), 'utf8'), 'x\n', 'the file is untouched');
    const noBox = await d.isula(['cp', 'no-such-box:/etc/passwd', join(work, 'x')]);
    assert.equal(noBox.code, 1);
    assert.match(noBox.stderr, /No such container/);
    const both = await d.isula(['cp', 'a:/x', 'b:/y']);
    assert.equal(both.code, 125);
    // the failed copies froze and thawed it: its loop goes on ticking
    const ticks = async () => (await ok(d, ['logs', 'bad1'])).stdout.split('\n').filter((l) => l === 'tick').length;
    const before = await ticks();
    await until('bad1 to tick again after the failed copies', async () => (await ticks()) > before);
  });

  test('escapes: host-pointing links, .. chains, a link to / as parent, writes through a link to /tmp', async () => {
    const upper = await box(
      'esc1',
      `${inContainerMarker('CONTAINER')} && ln -s /tmp/${MARKER} /abs && ln -s ../../../../../../tmp/${MARKER} /rel && ln -s / /rootlink && ln -s /tmp /tlink && mkdir -p /a/b/c`,
    );
    const want = `CONTAINER-${tag}\n`;
    const read = async (path: string, extra: string[] = []) => {
      const out = join(work, `read-${randomBytes(4).toString('hex')}`);
      await ok(d, ['cp', ...extra, `esc1:${path}`, out]);
      return readFileSync(out, 'utf8');
    };
    assert.equal(await read('/abs', ['-L']), want, 'absolute link resolved in the container');
    assert.equal(await read('/rel', ['-L']), want, 'relative link with .. clamped at the root');
    assert.equal(await read(`/a/b/c/../../../../../../../tmp/${MARKER}`), want, '.. chain clamped');
    assert.equal(await read(`/rootlink/tmp/${MARKER}`), want, 'parent dir linked to /');
    assert.equal(await read(`/rootlink/../rootlink/tmp/${MARKER}`), want);
    // writes through a parent that links to /tmp land in the container's /tmp
    const name = `written-${tag}`;
    const payload = join(work, name);
    writeFileSync(payload, 'payload\n');
    await ok(d, ['cp', payload, `esc1:/tlink/`]);
    await ok(d, ['cp', payload, `esc1:/rootlink/tmp/${name}-2`]);
    await ok(d, ['cp', payload, `esc1:/a/b/../../../../tmp/${name}-3`]);
    assert.equal(readFileSync(join(upper, 'tmp', name), 'utf8'), 'payload\n');
    assert.equal(readFileSync(join(upper, 'tmp', `${name}-2`), 'utf8'), 'payload\n');
    assert.equal(readFileSync(join(upper, 'tmp', `${name}-3`), 'utf8'), 'payload\n');
    for (const n of [name, `${name}-2`, `${name}-3`]) assert.ok(!existsSync(join('/tmp', n)), `host /tmp/${n} must not exist`);
    // overwriting the container's marker through the link never touches the host's
    writeFileSync(join(work, MARKER), 'OVERWRITE\n');
    await ok(d, ['cp', join(work, MARKER), `esc1:/abs`]);
    assert.equal(readFileSync(hostMarker, 'utf8'), HOST_CONTENT);
  });

  test('a container swapping a dir and a link to / during cp never reaches the host', async () => {
    // /sw is in turn: a real dir holding tmp/<MARKER>, absent, a link to /, absent ...
    const upper = await box(
      'swap1',
      `${inContainerMarker('CONTAINER')} && mkdir -p /swd/tmp && echo SWDIR-${tag} > /swd/tmp/${MARKER}`,
      'while true; do mv /swd /sw; mv /sw /swd; ln -s / /sw; rm /sw; done',
    );
    const allowed = new Set([`CONTAINER-${tag}\n`, `SWDIR-${tag}\n`]);
    let reads = 0;
    for (let i = 0; i < 12; i++) {
      const out = join(work, `swap-read-${i}`);
      const r = await d.isula(['cp', `swap1:/sw/tmp/${MARKER}`, out], { timeoutMs: 120_000 });
      if (r.code === 0) {
        reads++;
        assert.ok(allowed.has(readFileSync(out, 'utf8')), `read ${JSON.stringify(readFileSync(out, 'utf8'))}`);
      } else {
        assert.match(r.stderr, /Could not find the file/, r.stderr);
      }
      const name = `swap-write-${tag}-${i}`;
      writeFileSync(join(work, name), 'w\n');
      const w = await d.isula(['cp', join(work, name), `swap1:/sw/tmp/`], { timeoutMs: 120_000 });
      // it landed in the container's /tmp (through the link) or in the dir, wherever the loop moved it
      const places = [join(upper, 'tmp', name), join(upper, 'swd', 'tmp', name), join(upper, 'sw', 'tmp', name)];
      if (w.code === 0) await until(`${name} in the container`, async () => places.some((p) => existsSync(p)));
      else assert.match(w.stderr, /Could not find the file/, w.stderr);
      assert.ok(!existsSync(join('/tmp', name)), 'never in the host /tmp');
    }
    assert.equal(readFileSync(hostMarker, 'utf8'), HOST_CONTENT);
    assert.ok(reads > 0, 'some copies met /sw present');
    assert.equal(await inspectField(d, 'swap1', '{{.State.Status}}'), 'running', 'thawed after the copies');
    await ok(d, ['rm', '-f', 'swap1']);
  });

  test('stopped and paused containers: copies work, states and mounts are restored', async () => {
    const upper = await box('stop1', 'echo kept > /kept');
    await ok(d, ['stop', '-t', '0', 'stop1']);
    const merged = await inspectField(d, 'stop1', '{{.GraphDriver.Data.MergedDir}}');
    assert.deepEqual(mountsUnder(merged), [], 'a stopped container has no rootfs mount');
    const out = join(work, 'kept');
    await ok(d, ['cp', 'stop1:/kept', out]);
    assert.equal(readFileSync(out, 'utf8'), 'kept\n');
    await ok(d, ['cp', out, 'stop1:/kept-again']);
    assert.equal(readFileSync(join(upper, 'kept-again'), 'utf8'), 'kept\n');
    assert.deepEqual(mountsUnder(merged), [], 'the copy unmounted what it mounted');
    await box('pause1', 'echo p > /p');
    await ok(d, ['pause', 'pause1']);
    await ok(d, ['cp', 'pause1:/p', join(work, 'p')]);
    assert.equal(readFileSync(join(work, 'p'), 'utf8'), 'p\n');
    assert.equal(await inspectField(d, 'pause1', '{{.State.Status}}'), 'paused', 'a paused container stays paused');
    await ok(d, ['unpause', 'pause1']);
  });

  test('a client killed mid-copy leaves the container thawed and the daemon serving', async () => {
    // a 20 GB sparse file: the copy cannot be over when the client is killed a second in
    await box('cancel1', 'truncate -s 20G /huge', 'while true; do echo tick; sleep 0.2; done');
    await assert.rejects(d.isula(['cp', 'cancel1:/huge', '-'], { timeoutMs: 1000 }), /no exit after/);
    const ticks = async () => (await ok(d, ['logs', 'cancel1'])).stdout.split('\n').filter((l) => l === 'tick').length;
    const before = await ticks();
    await until('cancel1 to tick again', async () => (await ticks()) > before);
    await ok(d, ['cp', 'cancel1:/etc/hostname', join(work, 'after-cancel')]);
    await ok(d, ['rm', '-f', 'cancel1']);
  });

  test('export: the merged rootfs as a tar, with a file written after start', async () => {
    await box('exp1', 'sleep 0.1; echo late > /written-after-start');
    const file = join(work, 'exp1.tar');
    await ok(d, ['export', '-o', file, 'exp1']);
    const names = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n');
    assert.ok(names.includes('written-after-start'), names.slice(0, 20).join(','));
    assert.ok(names.includes('bin/busybox') || names.includes('bin/sh'), 'image files are in');
    assert.ok(names.includes('etc/'), 'directories are in');
    const content = execFileSync('tar', ['-xOf', file, 'written-after-start'], { encoding: 'utf8' });
    assert.equal(content, 'late\n');
    assert.ok(!readdirSync(work).some((n) => n.startsWith('exp1.tar.tmp')), 'no temp file left');
    const bad = await d.isula(['export', '-o', join(work, 'none.tar'), 'no-such-box']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /No such container/);
    assert.ok(!existsSync(join(work, 'none.tar')));
    assert.equal(await inspectField(d, 'exp1', '{{.State.Status}}'), 'running');
  });
});
