// The arm64 single executable, run under qemu-aarch64-static on this x64 host: `--version` of both
// faces, then the arm64 isulad as the daemon on its own temp root/state/socket/pidfile, asked by
// the x64 isula and by the arm64 isula, running a real container (its embedded arm64 busybox);
// then the x64 daemon runs the arm64 busybox image from rootfs-fixtures/. arm64 container
// processes run through binfmt_misc + qemu-aarch64-static, registered with the F flag by
// test/helpers/binfmt.ts (skipped, with the reason, only where the kernel refuses).
// Uses dist/linux-arm64/isulad from `make build`.
// (Own daemon start-up rather than test/helpers/daemon.ts: the harness runs binaries directly,
// and this one needs the qemu wrapper.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeEmptyCgroups, startDaemon, unmountUnder, type Daemon } from '../helpers/daemon.ts';
import { ensureAarch64Binfmt, type BinfmtState } from '../helpers/binfmt.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ARM64_DIR = join(ROOT, 'dist/linux-arm64');
const HOST_ISULAD = process.env['ISULA_BIN'] ?? join(ROOT, 'dist/linux-x64/isulad');
const QEMU = 'qemu-aarch64-static';
const QEMU_ENV = { QEMU_LD_PREFIX: '/usr/aarch64-linux-gnu' };
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
// Emulated start-up takes about a second per process, more when the machine is busy.
const RUN_TIMEOUT_MS = 120_000;

type Run = { code: number | null; stdout: string; stderr: string };

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env['NODE_OPTIONS'];
  delete env['ISULAD_HOST'];
  return env;
}

function arm64(face: 'isula' | 'isulad', args: string[]): Run {
  const r = spawnSync(QEMU, [join(ARM64_DIR, face), ...args], {
    encoding: 'utf8', env: cleanEnv(QEMU_ENV), timeout: RUN_TIMEOUT_MS,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function x64isula(args: string[]): Run {
  const r = spawnSync(HOST_ISULAD, args, { argv0: 'isula', encoding: 'utf8', env: cleanEnv(), timeout: RUN_TIMEOUT_MS });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function serverBlock(out: string): string {
  const i = out.indexOf('\nServer:\n');
  assert.notEqual(i, -1, `no Server block in:\n${out}`);
  return out.slice(i + 1);
}

// arm64 containers (the arm64 busybox image) run through binfmt_misc + qemu-aarch64-static.
let binfmt: BinfmtState = { ok: false, reason: 'not set up' };
after(() => {
  if (binfmt.ok) binfmt.release();
});

before(() => {
  binfmt = ensureAarch64Binfmt();
  assert.ok(existsSync(join(ARM64_DIR, 'isulad')), `${ARM64_DIR}/isulad missing: run make build`);
  assert.ok(existsSync(HOST_ISULAD), `${HOST_ISULAD} missing: run make build`);
  assert.equal(spawnSync(QEMU, ['--version']).status, 0, `${QEMU} missing: run make deps`);
});

test('arm64 isulad --version and isula --version run under qemu', () => {
  const d = arm64('isulad', ['--version']);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, new RegExp(`^Version ${VERSION.replace(/\./g, '\\.')}, commit \\S+\\n$`));
  const c = arm64('isula', ['--version']);
  assert.equal(c.code, 0, c.stderr);
  assert.equal(c.stdout, d.stdout, 'one executable, both faces');
});

describe('arm64 isulad under qemu serves x64 and arm64 clients', () => {
  let dir = '';
  let sock = '';
  let pidfile = '';
  let cgroupParent = '';
  let daemon: ChildProcess | undefined;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  let output = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'isulad-arm64-'));
    cgroupParent = `isulad-test-${dir.slice(dir.lastIndexOf('-') + 1)}`;
    sock = join(dir, 'isulad.sock');
    pidfile = join(dir, 'isulad.pid');
    const config = join(dir, 'daemon.json');
    // Same isolation as test/helpers/daemon.ts: own cgroup parent, log file in the temp dir.
    writeFileSync(config, JSON.stringify({
      'cgroup-parent': cgroupParent,
      'log-driver': 'file',
      'log-level': 'DEBUG',
      'log-opts': { 'log-path': join(dir, 'log') },
      // no default bridge network, as in test/helpers/daemon.ts: it would stay on the host
      bridge: 'none',
    }));
    daemon = spawn(QEMU, [
      join(ARM64_DIR, 'isulad'), '--config-file', config,
      '-g', join(dir, 'root'), '-S', join(dir, 'state'), '-H', `unix://${sock}`, '-p', pidfile,
    ], { env: cleanEnv(QEMU_ENV), stdio: ['ignore', 'pipe', 'pipe'] });
    daemon.stdout?.on('data', (b: Buffer) => (output += b.toString()));
    daemon.stderr?.on('data', (b: Buffer) => (output += b.toString()));
    const proc = daemon;
    exited = new Promise((r) => proc.once('exit', (code, signal) => r({ code, signal })));
    for (let waited = 0; waited < RUN_TIMEOUT_MS; waited += 100) {
      if (proc.exitCode !== null || proc.signalCode !== null) break;
      if (existsSync(sock) && existsSync(pidfile)) return;
      await sleep(100);
    }
    assert.fail(`arm64 isulad did not come up\n${output}`);
  });

  after(async () => {
    const proc = daemon;
    if (proc?.pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
      process.kill(proc.pid, 'SIGKILL');
      await exited;
    }
    if (dir) {
      unmountUnder(dir);
      // its cgroup parent and the lcr monitors' `<parent>.monitor`, made in every hierarchy by the
      // container it ran (they were left behind, one empty pair per test run)
      removeEmptyCgroups(cgroupParent);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('x64 isula version: the Server block is the arm64 daemon of this version', () => {
    const r = x64isula(['-H', `unix://${sock}`, 'version']);
    assert.equal(r.code, 0, `${r.stderr}\n${output}`);
    const server = serverBlock(r.stdout);
    assert.match(server, new RegExp(`^Server:\\n  Version:\\t${VERSION.replace(/\./g, '\\.')}\\n`));
    // Both binaries come from one build, so the server reports the client's commit.
    const commit = /Git commit:\t(\S+)/.exec(r.stdout)?.[1];
    assert.ok(commit && server.includes(`Git commit:\t${commit}\n`), r.stdout);
  });

  test('x64 isula info: the daemon reports the aarch64 architecture', () => {
    const r = x64isula(['-H', `unix://${sock}`, 'info']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\nArchitecture: aarch64\n/);
    assert.ok(r.stdout.includes(`\niSulad Root Dir: ${join(dir, 'root')}\n`), r.stdout);
  });

  test('arm64 isula version under qemu talks to the same daemon', () => {
    const r = arm64('isula', ['-H', `unix://${sock}`, 'version']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(serverBlock(r.stdout), serverBlock(x64isula(['-H', `unix://${sock}`, 'version']).stdout));
  });

  test('runs a real container: the embedded arm64 busybox, its init under binfmt_misc', (t) => {
    if (!binfmt.ok) return t.skip(binfmt.reason);
    const r = x64isula(['-H', `unix://${sock}`, 'run', '--rm', 'busybox', 'sh', '-c', 'uname -m; echo from-arm64']);
    assert.equal(r.code, 0, `${r.stderr}\n${output}`);
    assert.equal(r.stdout, 'aarch64\nfrom-arm64\n');
    const img = x64isula(['-H', `unix://${sock}`, 'inspect', '-f', '{{.image.Spec.architecture}}', 'busybox']);
    assert.equal(img.stdout.trim(), 'arm64', img.stderr);
  });

  test('SIGTERM stops the emulated daemon cleanly and removes its pidfile', async () => {
    const proc = daemon!;
    process.kill(proc.pid!, 'SIGTERM');
    const res = await exited!;
    assert.deepEqual(res, { code: 0, signal: null }, output);
    assert.equal(existsSync(pidfile), false, 'pidfile removed');
  });
});

describe('x64 isulad runs an arm64 image through binfmt_misc + qemu-user-static', () => {
  let d: Daemon | undefined;
  before(async () => {
    d = await startDaemon();
  });
  after(async () => {
    await d?.stop();
  });

  test('load the arm64 busybox archive and run it', async (t) => {
    if (!binfmt.ok) return t.skip(binfmt.reason);
    const archive = join(ROOT, 'rootfs-fixtures/out/busybox-arm64.docker.tar');
    assert.ok(existsSync(archive), `${archive} missing: run make fixtures`);
    await d!.isulaOk(['load', '-i', archive]);
    assert.equal((await d!.isulaOk(['inspect', '-f', '{{.image.Spec.architecture}}', 'busybox'])).trim(), 'arm64');
    const out = await d!.isulaOk(['run', '--rm', 'busybox', 'sh', '-c', 'uname -m; ls /bin/busybox'], { timeoutMs: RUN_TIMEOUT_MS });
    assert.equal(out, 'aarch64\n/bin/busybox\n');
  });
});
