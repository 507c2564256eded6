// --platform on load, run and create: a multi-arch OCI archive gives the asked platform's image, a
// single-arch archive or a local image of another platform is refused with a clear error, and a
// matching arm64 image runs (through binfmt_misc + qemu-aarch64-static on an x86 host; the
// registration is test/helpers/binfmt.ts's). Pull --platform is covered by registry-pull.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { ensureAarch64Binfmt, type BinfmtState } from '../helpers/binfmt.ts';

const FIXTURES = resolve(import.meta.dirname, '../../rootfs-fixtures/out');
const MULTI = join(FIXTURES, 'busybox-multiarch.oci.tar');
const ARM64 = join(FIXTURES, 'busybox-arm64.docker.tar');
const HOST_ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';

let d: Daemon;
let binfmt: BinfmtState = { ok: false, reason: 'not set up' };
before(async () => {
  for (const f of [MULTI, ARM64]) assert.ok(existsSync(f), `${f} missing: run make fixtures`);
  binfmt = process.arch === 'arm64' ? { ok: true, release: () => undefined } : ensureAarch64Binfmt();
  d = await startDaemon();
});
after(async () => {
  await d?.stop();
  if (binfmt.ok) binfmt.release();
});

async function arch(ref: string): Promise<string> {
  return (await d.isulaOk(['inspect', '-f', '{{.image.Spec.architecture}}', ref])).trim();
}

test('load --platform picks that image from a multi-arch OCI archive', async () => {
  await d.isulaOk(['load', '-i', MULTI, '--platform', 'linux/arm64', '--tag', 'multi:arm64']);
  assert.equal(await arch('multi:arm64'), 'arm64');
  await d.isulaOk(['load', '-i', MULTI, '--platform', 'linux/arm/v7', '--tag', 'multi:arm']);
  assert.equal(await arch('multi:arm'), 'arm');
  await d.isulaOk(['load', '-i', MULTI, '--tag', 'multi:host']);
  assert.equal(await arch('multi:host'), HOST_ARCH, 'no --platform: the daemon\'s own');
});

test('load --platform refuses an archive without that platform', async () => {
  const r = await d.isula(['load', '-i', MULTI, '--platform', 'linux/s390x', '--tag', 'multi:s390x']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /archive has no image for platform linux\/s390x/);
  const s = await d.isula(['load', '-i', ARM64, '--platform', 'linux/amd64', '--tag', 'single:amd64']);
  assert.notEqual(s.code, 0);
  assert.match(s.stderr, /image busybox:latest in the archive is linux\/arm64\S*, not the requested platform linux\/amd64/);
  const bad = await d.isula(['load', '-i', ARM64, '--platform', 'linux/x/y/z']);
  assert.match(bad.stderr, /invalid platform "linux\/x\/y\/z"/);
  const images = await d.isulaOk(['images']);
  assert.doesNotMatch(images, /s390x|single/, 'nothing was loaded');
});

test('run and create --platform refuse a local image of another platform', async () => {
  const other = HOST_ARCH === 'amd64' ? 'linux/arm64' : 'linux/amd64';
  // iSulad's client: run exits 125 for the daemon's refusal, create 1
  for (const [verb, code] of [['run', 125], ['create', 1]] as const) {
    const r = await d.isula([verb, '--platform', other, 'multi:host', 'true']);
    assert.equal(r.code, code, `${verb}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`image multi:host is linux/${HOST_ARCH}\\S*, not the requested platform ${other.replace('/', '\\/')}`));
  }
  assert.equal((await d.isulaOk(['ps', '-a', '-q'])).trim(), '', 'no container was created');
});

test('run --platform linux/arm64 runs the arm64 image', async (t) => {
  if (!binfmt.ok) return t.skip(binfmt.reason);
  const out = await d.isulaOk(['run', '--rm', '--platform', 'linux/arm64', 'multi:arm64', 'uname', '-m'], { timeoutMs: 120_000 });
  assert.equal(out, 'aarch64\n');
  const host = await d.isulaOk(['create', '--platform', `linux/${HOST_ARCH}`, 'multi:host', 'true']);
  assert.match(host, /^[0-9a-f]{64}\n$/);
  await d.isulaOk(['rm', host.trim()]);
});
