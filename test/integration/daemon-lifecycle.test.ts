// isulad start/stop behaviour: one daemon per root and pidfile, stale pidfile takeover after
// kill -9, SIGTERM cleanup, config precedence and refusal of bad configuration.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { readPidfile, runIsulad, startDaemon, type Daemon } from '../helpers/daemon.ts';

const daemons: Daemon[] = [];
async function start(opts?: Parameters<typeof startDaemon>[0]): Promise<Daemon> {
  const d = await startDaemon(opts);
  daemons.push(d);
  return d;
}
after(async () => {
  for (const d of daemons) await d.stop();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'isulad-cfg-'));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('one daemon per root and pidfile', () => {
  test('writes its pid to the pidfile and makes the socket 0660', async () => {
    const d = await start();
    assert.equal((await readPidfile(d))?.trim(), String(d.pid));
    assert.equal(statSync(d.sock).mode & 0o777, 0o660);
    assert.ok(statSync(d.sock).isSocket());
  });

  test('the socket belongs to the configured group when it exists, else stays root\'s', async () => {
    // "daemon" (gid 1) exists on Debian; "isula" (the default) normally does not on a test host
    const groups = await readFile('/etc/group', 'utf8');
    const gidOf = (name: string) => groups.split('\n').map((l) => l.split(':')).find((f) => f[0] === name)?.[2];
    const daemonGid = gidOf('daemon');
    assert.ok(daemonGid !== undefined, 'this test needs the "daemon" group');
    const d = await start({ config: { group: 'daemon' } });
    assert.equal(statSync(d.sock).gid, Number(daemonGid));
    const e = await start({ config: { group: 'no-such-group-isulad-test' } });
    assert.equal(statSync(e.sock).gid, 0);
  });

  test('a second daemon on the same root is refused and the first keeps serving', async () => {
    const d = await start();
    const other = await tempDir();
    const r = await runIsulad([
      '--config-file', d.configFile, '-H', `unix://${other}/second.sock`, '-p', `${other}/second.pid`,
      '--log-driver', 'stdout',
    ], { timeoutMs: 60_000 });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /another isulad is using it/);
    assert.equal(existsSync(`${other}/second.sock`), false);
    assert.equal((await d.isula(['version'])).code, 0);
    assert.equal((await readPidfile(d))?.trim(), String(d.pid));
  });

  test('a second daemon on another root cannot take over a live socket', async () => {
    const d = await start();
    const other = await tempDir();
    const r = await runIsulad([
      '--config-file', d.configFile, '-g', `${other}/root`, '-S', `${other}/state`, '-p', `${other}/p.pid`,
      '--log-driver', 'stdout',
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is in use: another daemon is listening on it/);
    assert.equal(existsSync(`${other}/root/store`), false, 'refused before opening a store or starting services');
    const v = await d.isula(['info']);
    assert.equal(v.code, 0, v.stderr);
    assert.ok(v.stdout.includes(`iSulad Root Dir: ${d.root}\n`), 'the socket still reaches the first daemon');
  });

  test('a second daemon with the same pidfile but another root is refused', async () => {
    const d = await start();
    const other = await tempDir();
    const r = await runIsulad([
      '--config-file', d.configFile, '-g', `${other}/root`, '-S', `${other}/state`,
      '-H', `unix://${other}/second.sock`, '--log-driver', 'stdout',
    ]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /pidfile .* is held by running process/);
    assert.equal((await d.isula(['info'])).code, 0);
  });

  test('SIGTERM right after the socket appears still shuts down cleanly', async () => {
    // no isula call first: the signal lands as early as a supervisor could send it
    for (let i = 0; i < 3; i++) {
      const d = await start();
      const { code, signal } = await d.terminate();
      assert.equal(signal, null, d.log());
      assert.equal(code, 0, d.log());
      assert.equal(existsSync(d.pidfile), false);
      assert.equal(existsSync(d.sock), false);
    }
  });

  test('SIGTERM exits 0 and removes the pidfile and the socket', async () => {
    const d = await start();
    const { code, signal } = await d.terminate();
    assert.equal(code, 0, d.log());
    assert.equal(signal, null);
    assert.equal(existsSync(d.pidfile), false);
    assert.equal(existsSync(d.sock), false);
    assert.match(d.log(), /iSulad successfully booted in [\d.]+ s/);
  });

  test('SIGTERM ends an open event stream with "isulad is shutting down" and still exits 0', async () => {
    const d = await start();
    const client = new grpc.Client(`unix://${d.sock}`, grpc.credentials.createInsecure());
    try {
      const id = (b: Buffer) => b;
      const stream = client.makeServerStreamRequest('/containers.ContainerService/Events', id, id, Buffer.alloc(0));
      const end = new Promise<grpc.ServiceError | undefined>((resolve) => {
        stream.on('error', (e: grpc.ServiceError) => resolve(e));
        stream.on('end', () => resolve(undefined));
        stream.on('data', () => undefined);
      });
      // A unary call on the same connection returns only after the stream before it was
      // dispatched, so the daemon has the stream open when SIGTERM arrives.
      await new Promise<void>((resolve, reject) =>
        client.makeUnaryRequest('/containers.ContainerService/Version', id, id, Buffer.alloc(0), (e) => (e ? reject(e) : resolve())),
      );
      const exit = d.terminate();
      const e = await end;
      assert.equal(e?.code, grpc.status.UNAVAILABLE, d.log());
      assert.equal(e?.details, 'isulad is shutting down');
      assert.deepEqual(await exit, { code: 0, signal: null });
    } finally {
      client.close();
    }
  });

  test('after kill -9 the stale pidfile and lock are taken over on restart', async () => {
    const d = await start();
    const oldPid = d.pid;
    await d.kill9();
    assert.equal((await readPidfile(d))?.trim(), String(oldPid), 'kill -9 leaves the pidfile behind');
    assert.equal(existsSync(d.sock), true, 'and the socket');
    const dead = await d.isula(['info']);
    assert.equal(dead.code, 1);
    assert.match(dead.stderr, /^Can not connect with server\.Is the iSulad daemon running on the host\? \(unix:\/\/.*isulad\.sock: /);
    await d.restart();
    assert.notEqual(d.pid, oldPid);
    assert.equal((await readPidfile(d))?.trim(), String(d.pid));
    const r = await d.isula(['version']);
    assert.equal(r.code, 0, r.stderr);
  });

  test('SIGHUP is ignored', async () => {
    const d = await start();
    process.kill(d.pid as number, 'SIGHUP');
    const r = await d.isula(['version']);
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual(d.pid, undefined);
  });
});

describe('configuration', () => {
  test('an unknown daemon.json key is refused, naming the key', async () => {
    const dir = await tempDir();
    await writeFile(`${dir}/daemon.json`, JSON.stringify({ graph: `${dir}/root`, 'no-such-key': 1 }));
    const r = await runIsulad(['--config-file', `${dir}/daemon.json`, '--log-driver', 'stdout', '-H', `unix://${dir}/s.sock`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown key "no-such-key"/);
    assert.equal(existsSync(`${dir}/s.sock`), false);
  });

  test('a value of the wrong type is refused, naming the key', async () => {
    const dir = await tempDir();
    await writeFile(`${dir}/daemon.json`, JSON.stringify({ 'registry-mirrors': 'not-a-list' }));
    const r = await runIsulad(['--config-file', `${dir}/daemon.json`, '--log-driver', 'stdout', '-H', `unix://${dir}/s.sock`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /"registry-mirrors": must be a list of strings/);
  });

  test('a bad log level flag is refused', async () => {
    const dir = await tempDir();
    await writeFile(`${dir}/daemon.json`, '{}');
    const r = await runIsulad(['--config-file', `${dir}/daemon.json`, '-l', 'LOUD', '-H', `unix://${dir}/s.sock`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /log-level/);
  });

  test('a missing --config-file is an error', async () => {
    const r = await runIsulad(['--config-file', '/nonexistent/daemon.json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\/nonexistent\/daemon\.json/);
  });

  test('flags beat daemon.json', async () => {
    const d = await start({ config: { 'storage-driver': 'overlay' } });
    const other = await tempDir();
    await d.restart({ flags: ['-g', `${other}/root`] });
    const r = await d.isula(['info']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`\\niSulad Root Dir: ${other}/root\\n`));
    assert.match(r.stdout, /\nStorage Driver: overlay\n/, 'daemon.json still applies where no flag is given');
    await d.terminate();
  });

  test('isulad --version and --help', async () => {
    const v = await runIsulad(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^Version \S+, commit \S+\n$/);
    const h = await runIsulad(['--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Usage:  isulad \[OPTIONS\]/);
    assert.match(h.stdout, /-g, --graph/);
  });

  test('log-driver stdout writes the log to stdout and no isulad.log', async () => {
    const d = await start({ config: { 'log-driver': 'stdout' } });
    assert.equal((await d.terminate()).code, 0); // all output is read once the daemon has exited
    assert.match(d.log(), /--- daemon stdout\/stderr ---\n[\s\S]*iSulad successfully booted/);
    assert.equal(existsSync(d.logPath), false);
  });

  test('log-driver file writes isulad.log under log-path', async () => {
    const d = await start();
    // the socket answers before the boot line is logged (the line comes after listening), so a
    // busy machine may read the file in between: wait for the line, bounded
    let text = '';
    for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      text = await readFile(d.logPath, 'utf8').catch(() => '');
      if (/iSulad successfully booted/.test(text)) break;
    }
    assert.match(text, /iSulad successfully booted/);
  });
});
