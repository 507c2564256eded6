// isula version / info end to end against a real daemon, the ways of naming the daemon (-H
// before or after the command, ISULAD_HOST), and the CLI's errors: unknown command, bad flag,
// no daemon.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { machine, release } from 'node:os';
import { runIsula, startDaemon, type Daemon } from '../helpers/daemon.ts';

describe('isula version and info against a running isulad', () => {
  let d: Daemon;
  before(async () => {
    d = await startDaemon();
  });
  after(async () => {
    await d?.stop();
  });

  test('version prints the Client, Server and OCI config blocks (iSulad\'s order)', async () => {
    const r = await d.isula(['version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Client:\n  Version:\t\S+\n  Git commit:\t\S+\n  Built:\t\S+\n\n/);
    assert.match(r.stdout, /\n\nServer:\n  Version:\t\S+\n  Git commit:\t\S+\n  Built:\t\S+\n\n/);
    assert.match(r.stdout, /\n\nOCI config:\n  Version:\t1\.0\.1\n  Default file:\t\/etc\/default\/isulad\/config\.json\n\n$/);
  });

  test('info prints iSulad\'s lines in order with this daemon\'s root', async () => {
    const r = await d.isula(['info']);
    assert.equal(r.code, 0, r.stderr);
    const keys = r.stdout
      .split('\n')
      .filter((l) => l && !l.startsWith(' '))
      .map((l) => l.slice(0, l.indexOf(':')));
    assert.deepEqual(keys, [
      'Containers', 'Images', 'Server Version', 'Storage Driver', 'Logging Driver', 'Cgroup Driver',
      'Cgroup Version', 'Runtimes', 'Default Runtime', 'CNI Plugins', 'Hugetlb Pagesize', 'Kernel Version', 'Operating System', 'OSType', 'Architecture', 'CPUs',
      'Total Memory', 'Name', 'iSulad Root Dir',
    ].concat(['Http Proxy', 'Https Proxy', 'No Proxy'].filter((k) => keys.includes(k))));
    assert.match(r.stdout, /^Containers: \d+\n Running: \d+\n Paused: \d+\n Stopped: \d+\nImages: \d+\n/);
    assert.ok(r.stdout.includes(`\niSulad Root Dir: ${d.root}\n`), r.stdout);
    assert.match(r.stdout, /\nCPUs: [1-9]\d*\n/);
    assert.match(r.stdout, /\nOSType: Linux\n/);
  });

  test('info reports what a board operator needs, as the host sees it', async () => {
    const r = await d.isula(['info']);
    assert.equal(r.code, 0, r.stderr);
    const line = (key: string) => new RegExp(`^ ?${key}: (.*)$`, 'm').exec(r.stdout)?.[1] ?? assert.fail(`no ${key} in:\n${r.stdout}`);
    assert.equal(line('Architecture'), machine());
    assert.equal(line('Kernel Version'), release());
    const cgfs = spawnSync('stat', ['-f', '-c', '%T', '/sys/fs/cgroup'], { encoding: 'utf8' }).stdout.trim();
    assert.equal(line('Cgroup Version'), cgfs === 'cgroup2fs' ? '2' : '1');
    const backing = spawnSync('findmnt', ['-n', '-o', 'FSTYPE', '-T', d.root], { encoding: 'utf8' }).stdout.trim();
    assert.equal(line('Backing Filesystem'), backing);
    // Free space as df sees it, within what a busy machine writes between the two reads.
    const df = spawnSync('df', ['-B1', '--output=avail,size', d.root], { encoding: 'utf8' }).stdout.trim().split('\n')[1]!.trim().split(/\s+/).map(Number);
    const m = /^(\S+) (\S+) of (\S+) (\S+)$/.exec(line('Free Space')) ?? assert.fail(line('Free Space'));
    const unit = (u: string) => 1024 ** ['B', 'KB', 'MB', 'GB', 'TB'].indexOf(u);
    const free = Number(m[1]) * unit(m[2]!);
    assert.ok(Math.abs(free - df[0]!) <= Math.max(df[0]! * 0.1, 1024 ** 3), `free ${free} vs df ${df[0]}`);
    assert.ok(Math.abs(Number(m[3]) * unit(m[4]!) - df[1]!) <= df[1]! * 0.1, `size vs df ${df[1]}`);
    // Runtimes and CNI plugins that install-deps puts on this machine.
    const runtimes = line('Runtimes').split(' ');
    for (const rt of ['lcr', 'runc']) assert.ok(runtimes.includes(rt), `runtimes: ${runtimes.join(' ')}`);
    assert.equal(line('Default Runtime'), 'lcr');
    const plugins = line('CNI Plugins').split(' ');
    for (const p of readdirSync('/usr/lib/cni')) assert.ok(plugins.includes(p), `CNI plugin ${p} not reported`);
    assert.ok(plugins.includes('bridge'));
    assert.match(line('Plugin Dirs'), /\/usr\/lib\/cni/);
  });

  test('-H works before and after the command', async () => {
    const a = await runIsula(['-H', d.host, 'version']);
    const b = await runIsula(['version', '-H', d.host]);
    const c = await runIsula([`--host=${d.host}`, 'info']);
    for (const r of [a, b, c]) assert.equal(r.code, 0, r.stderr);
    assert.match(a.stdout, /Server:/);
    assert.match(b.stdout, /Server:/);
  });

  test('ISULAD_HOST names the daemon when -H is absent, and -H beats it', async () => {
    const r = await runIsula(['version'], { env: { ISULAD_HOST: d.host } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Server:/);
    const wrong = await runIsula(['version', '-H', `unix://${d.dir}/nothing.sock`], { env: { ISULAD_HOST: d.host } });
    assert.notEqual(wrong.code, 0);
  });

  test('isulaOk returns stdout, and throws with the daemon log on failure', async () => {
    assert.match(await d.isulaOk(['version']), /Server:/);
    await assert.rejects(d.isulaOk(['version', '--bogus']), /exit 125[\s\S]*Unkown flag[\s\S]*daemon log tail/);
  });

  test('--help of a command prints its usage and exits 0', async () => {
    const r = await d.isula(['version', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage:  isula version \[OPTIONS\]/);
    assert.match(r.stdout, /-H, --host/);
  });
});

describe('isula errors without a daemon', () => {
  test('unknown command: message and exit 127', async () => {
    const r = await runIsula(['frobnicate']);
    assert.equal(r.code, 127);
    assert.match(r.stderr, /command "frobnicate" not found/);
  });

  test('unknown long and short flags: iSulad\'s message and exit 125', async () => {
    const long = await runIsula(['version', '--bogus']);
    assert.equal(long.code, 125);
    assert.match(long.stderr, /Unkown flag found:'--bogus'/);
    const short = await runIsula(['version', '-Z']);
    assert.equal(short.code, 125);
    assert.match(short.stderr, /Unkown flag found:'Z'/);
  });

  test('a flag missing its value: exit 125', async () => {
    const r = await runIsula(['version', '-H']);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /Flag needs an argument: --host/);
  });

  test('extra arguments to version: exit 125', async () => {
    const r = await runIsula(['version', 'extra']);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /requires 0 arguments/);
  });

  test('no daemon at the socket: a clear message, non-zero exit, client block still printed', async () => {
    const r = await runIsula(['version', '-H', 'unix:///nonexistent/isulad-test.sock']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^Client:/);
    assert.match(r.stderr, /^Can not connect with server\.Is the iSulad daemon running on the host\? \(unix:\/\/\/nonexistent\/isulad-test\.sock: /);
  });

  test('isula --help lists commands; isula --version prints the version', async () => {
    const h = await runIsula(['--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /COMMANDS:\n[\s\S]*\bversion\b/);
    const v = await runIsula(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^Version \S+, commit \S+\n$/);
  });
});
