// Image commands through the real CLI against a real daemon (test/helpers/daemon.ts): the
// embedded busybox seeded at first start, load (streamed and daemon-path), images columns and
// filters, inspect, tag, rmi messages and exit codes, import from stdin, save → load with
// identical IDs, and a kill -9 in the middle of loading the 100 MB image. Needs root.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, binaryFor } from '../helpers/daemon.ts';
import type { Daemon } from '../helpers/daemon.ts';
import { busyboxBase, dockerArchive, multiImageArchive, whiteoutImage, writeBigImage } from '../fixtures/images/make.ts';
import type { FixtureImage } from '../fixtures/images/make.ts';

let d: Daemon;
let tmp: string;
let base: FixtureImage;
const hex = (id: string) => id.replace(/^sha256:/, '');
const ROOTFS = join(import.meta.dirname, '../../rootfs-fixtures/out/busybox-amd64.rootfs.tar');

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'image-cli-'));
  base = await busyboxBase();
  d = await startDaemon();
});

after(async () => {
  if (d) {
    if (process.exitCode) process.stderr.write(d.log());
    await d.stop();
  }
  rmSync(tmp, { recursive: true, force: true });
});

async function ok(args: string[], input?: Buffer): Promise<string> {
  const r = await d.isula(args, { timeoutMs: 300_000, ...(input ? { input } : {}) });
  assert.equal(r.code, 0, `isula ${args.join(' ')}: ${r.stderr}\n${d.log().slice(-2000)}`);
  return r.stdout;
}

test('a fresh root is seeded with the embedded busybox image', async () => {
  const out = await ok(['images']);
  const lines = out.trimEnd().split('\n');
  assert.match(lines[0] as string, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
  const row = lines.find((l) => l.startsWith('busybox '));
  assert.ok(row, out);
  assert.match(row, /^busybox\s+latest\s+[0-9a-f]{12}\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d+\.\d{3}MB$/);
});

test('load streams the archive; images, inspect and tag show it', async () => {
  const wo = whiteoutImage(base);
  const file = join(tmp, 'whiteout.tar');
  writeFileSync(file, dockerArchive(wo));
  assert.equal(await ok(['load', '-i', file]), `Load image from "${file}" success\n`);
  assert.equal(await ok(['images', '-q', '-f', `reference=${wo.repoTag}`]), `${hex(wo.id).slice(0, 12)}\n`);
  assert.equal(await ok(['tag', wo.repoTag, 'docker.io/library/wo2:v1']), '');
  const q = await ok(['images', '-f', 'reference=wo*']);
  assert.match(q, /^wo2\s+v1\s+/m);
  assert.doesNotMatch(q, /^busybox/m);
  assert.equal(await ok(['images', '-q', '-f', 'reference=wo2']), `${hex(wo.id).slice(0, 12)}\n`);
});

test('load --daemon-path and multi-image archives', async () => {
  const file = join(tmp, 'multi.tar');
  writeFileSync(file, multiImageArchive(base));
  await ok(['load', '--daemon-path', '-i', file]);
  const ids = (await ok(['images', '-q'])).trim().split('\n');
  assert.ok(ids.includes(hex(base.id).slice(0, 12)));
  assert.ok(ids.includes(hex(whiteoutImage(base).id).slice(0, 12)));
  const r = await d.isula(['load', '-i', file, '--tag', 'x:y']);
  assert.equal(r.code, 125);
  assert.match(r.stderr, /exactly one image/);
});

test('rmi: messages and exit codes', async () => {
  await ok(['tag', 'busybox', 'gone:1']);
  assert.equal(await ok(['rmi', 'gone:1']), 'Image "gone:1" removed\n');
  const missing = await d.isula(['rmi', 'gone:1']);
  assert.equal(missing.code, 20);
  assert.match(missing.stderr, /^Error response from daemon: No such image/m);
  const reserved = await d.isula(['rmi', 'none']);
  assert.notEqual(reserved.code, 0);
});

test('rmi refuses an image a container uses (exit 2), then removes it once the container is gone', async () => {
  await ok(['tag', 'busybox', 'inuse:1']);
  const created = (await ok(['create', '--name', 'uses-image', 'inuse:1', 'true'])).trim();
  assert.match(created, /^[0-9a-f]{64}$/);
  const busy = await d.isula(['rmi', '-f', hex((await ok(['images', '-q', '-f', 'reference=inuse:1'])).trim())]);
  assert.equal(busy.code, 2, busy.stderr);
  assert.match(busy.stderr, /Image used by/);
  await ok(['rm', 'uses-image']);
  assert.equal(await ok(['rmi', 'inuse:1']), 'Image "inuse:1" removed\n');
});

test('import from stdin prints sha256:<id> of a new image', async () => {
  const out = await ok(['import', '-', 'imported:1'], readFileSync(ROOTFS));
  assert.match(out, /^sha256:[0-9a-f]{64}\n$/);
  assert.equal(await ok(['images', '-q', '-f', 'reference=imported:1']), `${out.slice(7, 19)}\n`);
});

test('isula inspect IMAGE: iSulad JSON and -f templates (through the inspect command)', async () => {
  const wo = whiteoutImage(base);
  assert.equal(await ok(['inspect', '-f', '{{.image.id}}', wo.repoTag]), `${hex(wo.id)}\n`);
  const json = JSON.parse(await ok(['inspect', wo.repoTag])) as Array<{ image: { repo_tags: string[]; Spec: { rootfs: { diff_ids: string[] } } } }>;
  assert.ok(json[0]?.image.repo_tags.includes(wo.repoTag));
  assert.equal(json[0]?.image.Spec.rootfs.diff_ids.length, 3);
});

test('save → rmi → load gives identical IDs', async () => {
  const wo = whiteoutImage(base);
  const file = join(tmp, 'saved.tar');
  await ok(['save', '-o', file, wo.repoTag, 'busybox']);
  assert.ok(existsSync(file));
  const before = (await ok(['images', '-q'])).trim().split('\n').sort();
  await ok(['rmi', '-f', hex(wo.id)]);
  await ok(['rmi', '-f', 'busybox']);
  await ok(['load', '-i', file]);
  assert.equal(await ok(['images', '-q', '-f', `reference=${wo.repoTag}`]), `${hex(wo.id).slice(0, 12)}\n`);
  const after = (await ok(['images', '-q'])).trim().split('\n').sort();
  assert.deepEqual(after, before);
});

test('kill -9 during a load of the 100 MB image leaves no image and no orphan layer', async () => {
  const file = join(tmp, 'big.tar');
  const big = writeBigImage(file);
  const layersBefore = readdirSync(join(d.root, 'storage', 'overlay')).sort();
  // Start a load, wait until the daemon is extracting (staging dir non-empty), then SIGKILL it.
  const b = binaryFor('isula');
  const child = spawn(b.cmd, [...b.prefix, '-H', d.host, 'load', '-i', file], { argv0: b.argv0 ?? b.cmd, stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const staging = join(d.root, 'storage', 'overlay', 'tmp');
  for (let i = 0; i < 600; i++) {
    if (existsSync(staging) && readdirSync(staging).length > 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await d.kill9();
  await exited;
  await d.restart();
  const images = await ok(['images']);
  assert.doesNotMatch(images, new RegExp(big.repoTag.split(':')[0] as string));
  assert.deepEqual(readdirSync(join(d.root, 'storage', 'overlay', 'tmp')), []);
  assert.deepEqual(readdirSync(join(d.root, 'storage', 'overlay')).sort(), layersBefore);
  // And a complete load afterwards works.
  await ok(['load', '-i', file]);
  assert.equal(await ok(['images', '-q', '-f', `reference=${big.repoTag}`]), `${hex(big.id).slice(0, 12)}\n`);
});

test('image events: load, import, tag and remove reach isula events', async () => {
  // events takes local times without a zone
  const local = (t: number) => {
    const x = new Date(t);
    const p2 = (n: number) => String(n).padStart(2, '0');
    return `${x.getFullYear()}-${p2(x.getMonth() + 1)}-${p2(x.getDate())}T${p2(x.getHours())}:${p2(x.getMinutes())}:${p2(x.getSeconds())}`;
  };
  const since = local(Date.now() - 1000);
  const file = join(tmp, 'ev.tar');
  writeFileSync(file, dockerArchive(base));
  await ok(['load', '-i', file, '--tag', 'ev-load:1']);
  await ok(['import', '-', 'ev-import:1'], readFileSync(ROOTFS));
  await ok(['tag', 'ev-load:1', 'ev-tag:1']);
  await ok(['rmi', 'ev-tag:1']);
  const until = local(Date.now() + 1500);
  const out = await ok(['events', '-S', since, '-U', until]);
  for (const want of ['image load ev-load:1', 'image import ev-import:1', 'image tag ev-tag:1', 'image remove ev-tag:1']) {
    assert.ok(out.includes(want), `${want} in:\n${out}`);
  }
});

test('a save cancelled by the client leaves the daemon up, with no file left open', async () => {
  // runs after the kill -9 test, which loaded big:latest
  const pid = Number(readFileSync(d.pidfile, 'utf8').trim());
  const fds = () => readdirSync(`/proc/${pid}/fd`).length;
  const before = fds();
  const out = join(tmp, 'cancelled.tar');
  const b = binaryFor('isula');
  const child = spawn(b.cmd, [...b.prefix, '-H', d.host, 'save', '-o', out, 'big:latest'], { argv0: b.argv0 ?? b.cmd, stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const partial = `${out}.tmp-${child.pid}`;
  for (let i = 0; i < 1000; i++) {
    if (existsSync(partial) && statSync(partial).size > 4 << 20) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  await exited;
  rmSync(partial, { force: true });
  // The daemon notices the cancel asynchronously: poll for its fds to settle.
  for (let i = 0; i < 200 && fds() > before; i++) await new Promise((r) => setTimeout(r, 20));
  // at most as many as before: a connection of an earlier command may close meanwhile (seen in CI:
  // 26 after vs 27 before), which is not a leak; a leak leaves more
  const after = fds();
  assert.ok(after <= before, `no descriptor left open by the cancelled save (${after} > ${before})`);
  assert.doesNotMatch(d.log(), /uncaught|unhandled/i);
  await ok(['save', '-o', out, 'big:latest']);
  assert.ok(statSync(out).size > 100 << 20);
});

test('a load cancelled by the client leaves nothing staged and the daemon up', async () => {
  const pid = Number(readFileSync(d.pidfile, 'utf8').trim());
  const fds = () => readdirSync(`/proc/${pid}/fd`).length;
  const before = fds();
  await ok(['rmi', 'big:latest']);
  const b = binaryFor('isula');
  const child = spawn(b.cmd, [...b.prefix, '-H', d.host, 'load', '-i', join(tmp, 'big.tar')], { argv0: b.argv0 ?? b.cmd, stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const staging = join(d.root, 'storage', 'overlay', 'tmp');
  for (let i = 0; i < 1000; i++) {
    if (readdirSync(staging).length > 0) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  await exited;
  for (let i = 0; i < 200 && (readdirSync(staging).length > 0 || fds() > before); i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(readdirSync(staging), []);
  const after = fds();
  assert.ok(after <= before, `no descriptor left open by the cancelled load (${after} > ${before})`);
  assert.doesNotMatch(d.log(), /uncaught|unhandled/i);
  assert.doesNotMatch(await ok(['images']), /^big\s/m);
});
