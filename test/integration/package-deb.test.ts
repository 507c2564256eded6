// The host arch's .deb (scripts/package-deb.mjs, as `make dist` runs it) installed, upgraded and
// purged with dpkg --root in a fresh root: an empty dpkg database and a static busybox for the
// maintainer scripts' shell, so nothing on the host changes. Covered: the file layout, both faces
// through their symlinks, the conffiles, the isula group made by postinst, a user's edit of
// daemon.json kept across an upgrade, purge removing everything but /var/lib/isulad, and that
// every Depends resolves from Debian's archive (apt-get --simulate, which changes nothing), and a
// container of a daemon run from the installed file surviving the upgrade and the daemon's
// restart from the upgraded file (live restore). Not covered here: the maintainer scripts starting
// the service (the fresh root has no init; systemd-unit.test.ts and init-script.test.ts run it).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';

const REPO = resolve(import.meta.dirname, '../..');
const HOST_TARGET = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';
const DEB_ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const EXE = process.env['ISULA_BIN'] ?? join(REPO, 'dist', HOST_TARGET, 'isulad');
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const NEXT = `${VERSION}+upgrade1`;

const work = mkdtempSync(join(tmpdir(), 'isulad-deb-'));
const root = join(work, 'root');
after(() => rmSync(work, { recursive: true, force: true }));

function sh(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 << 20, env: opts.env ?? process.env });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function ok(cmd: string, args: string[]): string {
  const r = sh(cmd, args);
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')}:\n${r.out}`);
  return r.out;
}

function buildDeb(version: string): string {
  const out = join(work, version);
  // the executable under test, laid out as dist/<target>/isulad
  const dist = join(work, `dist-${version}`, HOST_TARGET);
  mkdirSync(dist, { recursive: true });
  symlinkSync(EXE, join(dist, 'isulad'));
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  delete env['NODE_TEST_CONTEXT'];
  const r = sh(process.execPath, [join(REPO, 'scripts/package-deb.mjs'), `--dist=${dirname(dist)}`, `--out=${out}`,
    `--targets=${HOST_TARGET}`, `--version=${version}`, '--compress=none'], { env });
  assert.equal(r.code, 0, r.out);
  return join(out, `isulad_${version}_${DEB_ARCH}.deb`);
}

/** A fresh root: empty dpkg database, busybox as the maintainer scripts' shell and tools. */
function freshRoot(): void {
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'dev', 'tmp', 'var/lib/dpkg/info', 'var/lib/dpkg/updates', 'var/lib/dpkg/triggers']) {
    mkdirSync(join(root, d), { recursive: true });
  }
  writeFileSync(join(root, 'var/lib/dpkg/status'), '');
  writeFileSync(join(root, 'var/lib/dpkg/available'), '');
  copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
  for (const a of ['sh', 'grep', 'awk', 'mkdir', 'chmod', 'rmdir', 'cat', 'rm']) symlinkSync('busybox', join(root, 'bin', a));
  // dpkg insists on finding these in PATH before it runs anything; this package needs neither.
  for (const t of ['ldconfig', 'start-stop-daemon']) {
    writeFileSync(join(root, 'sbin', t), '#!/bin/sh\nexit 0\n');
    chmodSync(join(root, 'sbin', t), 0o755);
  }
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nusers:x:100:\n');
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  ok('mknod', ['-m', '666', join(root, 'dev/null'), 'c', '1', '3']);
}

function dpkg(args: string[]): string {
  return ok('dpkg', [`--root=${root}`, '--force-depends', ...args]);
}

function query(field: string): string {
  return ok('dpkg-query', [`--admindir=${join(root, 'var/lib/dpkg')}`, '-W', `-f=\${${field}}`, 'isulad']);
}

let v1 = '';
let v2 = '';
before(() => {
  assert.ok(existsSync(EXE), `${EXE} missing: run make build`);
  assert.ok(existsSync('/bin/busybox'), '/bin/busybox missing: run make deps (busybox-static)');
  v1 = buildDeb(VERSION);
  v2 = buildDeb(NEXT);
  freshRoot();
});

test('the package: name, arch, dependencies, conffiles, maintainer scripts', () => {
  const info = ok('dpkg-deb', ['-f', v1, 'Package', 'Architecture', 'Depends']);
  assert.match(info, /^Package: isulad$/m);
  assert.match(info, new RegExp(`^Architecture: ${DEB_ARCH}$`, 'm'));
  for (const dep of ['lxc', 'busybox-static | busybox', 'attr', 'perl-base']) assert.ok(info.includes(dep), `Depends lacks ${dep}`);
  const files = ok('dpkg-deb', ['-c', v1]);
  assert.doesNotMatch(files, /logrotate/, 'the daemon rotates its own logs');
});

test('every Depends resolves from the Debian archive (apt-get --simulate)', (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('apt-get --simulate needs root');
    return;
  }
  // The Depends names (first of each alternative), simulated: nothing is installed or locked.
  const depends = ok('dpkg-deb', ['-f', v1, 'Depends']).trim().split(/,\s*/).map((d) => d.split('|')[0]!.trim().split(' ')[0]!);
  const r = sh('apt-get', ['-s', '-q', '-o', 'Debug::NoLocking=1', 'install', ...depends]);
  assert.equal(r.code, 0, r.out);
});

test('install into a fresh root', () => {
  dpkg(['-i', v1]);
  assert.equal(query('Status'), 'install ok installed');
  assert.equal(query('Version'), VERSION);
  assert.equal(readlinkSync(join(root, 'usr/bin/isulad')), '../lib/isulad/isulad');
  assert.equal(readlinkSync(join(root, 'usr/bin/isula')), '../lib/isulad/isulad');
  assert.equal(statSync(join(root, 'usr/lib/isulad/isulad')).mode & 0o777, 0o755);
  for (const face of ['isulad', 'isula']) {
    const r = sh(join(root, 'usr/bin', face), ['--version']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`^Version ${VERSION.replace(/\./g, '\\.')}, commit `));
  }
  const conffiles = query('Conffiles');
  assert.match(conffiles, /\/etc\/isulad\/daemon\.json [0-9a-f]{32}/);
  assert.match(conffiles, /\/etc\/init\.d\/isulad [0-9a-f]{32}/);
  assert.match(readFileSync(join(root, 'etc/group'), 'utf8'), /^isula:x:101:$/m, 'postinst made the isula group');
  assert.equal(statSync(join(root, 'var/lib/isulad')).mode & 0o777, 0o700);
  assert.match(readFileSync(join(root, 'lib/systemd/system/isulad.service'), 'utf8'), /^Type=notify$/m);
  assert.match(readFileSync(join(root, 'usr/share/bash-completion/completions/isula'), 'utf8'), /complete -F _isula isula/);
  assert.ok(existsSync(join(root, 'usr/share/zsh/vendor-completions/_isula')));
  assert.ok(existsSync(join(root, 'usr/share/fish/vendor_completions.d/isula.fish')));
  assert.match(gunzipSync(readFileSync(join(root, 'usr/share/man/man8/isulad.8.gz'))).toString(), /^\.TH ISULAD 8 /);
  assert.match(gunzipSync(readFileSync(join(root, 'usr/share/man/man1/isula.1.gz'))).toString(), /^\.SS isula run$/m);
});

test('upgrade keeps the user\'s daemon.json, the group, and a container of the installed daemon running', async () => {
  const conf = join(root, 'etc/isulad/daemon.json');
  const edited = readFileSync(conf, 'utf8').replace('"log-level": "INFO"', '"log-level": "DEBUG"');
  writeFileSync(conf, edited);
  // The installed executable runs a daemon (own temp root and socket) with a container; the
  // package is upgraded under it, and the daemon restarted from the upgraded file (what postinst's
  // restart does) restores the container, still the same process.
  const saved = process.env['ISULA_BIN'];
  process.env['ISULA_BIN'] = join(root, 'usr/bin/isulad');
  let d: Daemon | undefined;
  try {
    d = await startDaemon();
    await d.isulaOk(['run', '-d', '--name', 'keep', 'busybox', 'sleep', '600']);
    const pid = (await d.isulaOk(['inspect', '-f', '{{.State.Pid}}', 'keep'])).trim();
    dpkg(['-i', v2]);
    await d.restart();
    assert.equal((await d.isulaOk(['inspect', '-f', '{{.State.Status}} {{.State.Pid}}', 'keep'])).trim(), `running ${pid}`);
    await d.isulaOk(['rm', '-f', 'keep']);
  } finally {
    await d?.stop();
    if (saved === undefined) delete process.env['ISULA_BIN'];
    else process.env['ISULA_BIN'] = saved;
  }
  assert.equal(query('Version'), NEXT);
  assert.equal(query('Status'), 'install ok installed');
  assert.equal(readFileSync(conf, 'utf8'), edited);
  assert.equal(readFileSync(join(root, 'etc/group'), 'utf8').match(/^isula:/gm)?.length, 1, 'one isula group');
});

test('purge removes the package and its conffiles, and keeps /var/lib/isulad', () => {
  dpkg(['--purge', 'isulad']);
  for (const p of ['usr/bin/isulad', 'usr/bin/isula', 'usr/lib/isulad', 'etc/isulad', 'etc/init.d/isulad', 'lib/systemd/system/isulad.service']) {
    assert.equal(existsSync(join(root, p)) || isLink(join(root, p)), false, `${p} left after purge`);
  }
  assert.ok(existsSync(join(root, 'var/lib/isulad')), 'data survives a purge');
  const r = sh('dpkg-query', [`--admindir=${join(root, 'var/lib/dpkg')}`, '-W', 'isulad']);
  assert.notEqual(r.code, 0);
});

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
