// `node build.mjs sea`: the executables are reproducible, stripped, carry their arch's busybox
// image as a SEA asset that readEmbeddedAsset really returns, bake in the execArgv, and ignore
// NODE_OPTIONS. The arm64 checks run the binary under qemu-aarch64-static.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const FUSE = 'NODE_SEA_FUSE_' + 'fce680ab2cc467b6e072b8b5df1996b2';
const QEMU = { bin: 'qemu-aarch64-static', env: { QEMU_LD_PREFIX: '/usr/aarch64-linux-gnu' } };
const TARGETS = ['linux-x64', 'linux-arm64'] as const;
const IMAGE_ARCH = { 'linux-x64': 'amd64', 'linux-arm64': 'arm64' } as const;

let scratch = '';

function sea(target: string, out: string, entry?: string): void {
  const args = ['build.mjs', 'sea', `--target=${target}`, `--out=${out}`, `--work=${join(out, 'work')}`];
  if (entry) args.push(`--entry=${entry}`);
  const r = spawnSync('node', args, { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// A probe program built with the product's recipe: it reports what the SEA runtime gives it.
const PROBE = `import { readEmbeddedAsset } from ${JSON.stringify(join(ROOT, 'src/util/embedded-assets.ts'))};
import { basename } from 'node:path';
// node:crypto through import(): the bundler refuses a static one on the CLI's start-up path, and
// the probe is built as that path's entry.
void (async () => {
  const { createHash } = await import('node:crypto');
  const tar = readEmbeddedAsset('busybox.tar');
  process.stdout.write(JSON.stringify({
    asset: tar ? createHash('sha256').update(tar).digest('hex') : null,
    execArgv: process.execArgv,
    face: basename(process.argv0),
    arch: process.arch,
    evil: (globalThis as { evilRan?: boolean }).evilRan === true,
  }));
})();
`;

before(() => {
  mkdirSync(join(ROOT, 'build/out'), { recursive: true });
  scratch = mkdtempSync(join(ROOT, 'build/out/sea-test-'));
  writeFileSync(join(scratch, 'probe.ts'), PROBE);
  writeFileSync(join(scratch, 'evil.cjs'), 'globalThis.evilRan = true;\n');
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// `repro` builds twice from one snapshot of the inputs (other developers commit into this tree
// while tests run); the comparison below is the test's own, not build.mjs's word for it.
function repro(target: string, out: string): void {
  const r = spawnSync('node', ['build.mjs', 'repro', `--target=${target}`, `--out=${out}`], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
}

for (const target of TARGETS) {
  test(`${target}: two builds of src/main.ts are byte-identical, stripped, fuse flipped once`, () => {
    repro(target, scratch);
    const a = readFileSync(join(scratch, 'a', target, 'isulad'));
    const b = readFileSync(join(scratch, 'b', target, 'isulad'));
    assert.equal(sha256(a), sha256(b), 'same inputs, same bytes');
    assert.equal(a.indexOf(FUSE + ':1'), a.lastIndexOf(FUSE + ':1'));
    assert.notEqual(a.indexOf(FUSE + ':1'), -1, 'fuse flipped');
    assert.equal(a.indexOf(FUSE + ':0'), -1);
    // Stripped: smaller than the stock (unstripped) node it came from, blob included.
    const stock = spawnSync('node', ['scripts/fetch-node.mjs', target], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    assert.ok(a.length < statSync(stock).size, `${a.length} < stock node ${statSync(stock).size}`);
    const exe = join(scratch, 'a', target, 'isulad');
    assert.equal(statSync(exe).mode & 0o777, 0o755);
    const link = join(scratch, 'a', target, 'isula');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), 'isulad', 'relative symlink, so the pair can be moved');
    // The daemon face comes from its own bundle (a SEA asset with its code cache on x64): it
    // runs, and nothing on stderr (a rejected cache would say so there).
    const [cmd, pre, env] = target === 'linux-arm64' ? [QEMU.bin, [exe], QEMU.env] : [exe, [], {}];
    const d = spawnSync(cmd, [...pre, '--version'], { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stdout, /^Version \S+, commit \S+\n$/);
    assert.equal(d.stderr, '');
    const h = spawnSync(cmd, [...pre, '--help'], { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.match(h.stdout, /Usage: {2}isulad \[OPTIONS\]/, h.stderr);
    // The CLI face: on x64 its bundle is a SEA asset run by scripts/sea-main.cjs with the cache
    // made after running the common commands; a rejected cache would say so on stderr.
    const cliCmd = target === 'linux-arm64' ? QEMU.bin : link;
    const cliPre = target === 'linux-arm64' ? [link] : [];
    const c = spawnSync(cliCmd, [...cliPre, '--version'], { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(c.status, 0, c.stderr);
    assert.match(c.stdout, /^Version \S+, commit \S+\n$/);
    assert.equal(c.stderr, '');
    const ch = spawnSync(cliCmd, [...cliPre, 'ps', '--help'], { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.match(ch.stdout, /isula ps/, ch.stderr);
    assert.equal(ch.stderr, '');
  });
}

function runProbe(target: (typeof TARGETS)[number], face: string, env: Record<string, string>) {
  const exe = join(scratch, 'probe', target, face);
  const [cmd, args, extra] = target === 'linux-arm64' ? [QEMU.bin, [exe], QEMU.env] : [exe, [], {}];
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...extra, ...env } });
  assert.equal(r.status, 0, r.stderr);
  // Nothing on stderr: in particular no "Code cache data rejected" (x64 embeds a code cache).
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as { asset: string | null; execArgv: string[]; face: string; arch: string; evil: boolean };
}

for (const target of TARGETS) {
  test(`${target}: the SEA carries busybox.tar, execArgv, ignores NODE_OPTIONS, dispatches on argv0`, () => {
    if (target === 'linux-arm64' || process.arch !== 'x64') {
      assert.ok(existsSync(`/usr/bin/${QEMU.bin}`), `${QEMU.bin} missing: run make deps`);
    }
    const tarFile = join(ROOT, `rootfs-fixtures/out/busybox-${IMAGE_ARCH[target]}.docker.tar`);
    assert.ok(existsSync(tarFile), `${tarFile} missing: run make fixtures`);
    sea(target, join(scratch, 'probe'), join(scratch, 'probe.ts'));
    const env = { NODE_OPTIONS: `--require ${join(scratch, 'evil.cjs')}` };
    const viaDaemon = runProbe(target, 'isulad', env);
    assert.equal(viaDaemon.asset, sha256(readFileSync(tarFile)), 'asset is the arch busybox archive');
    assert.equal(viaDaemon.arch, target === 'linux-x64' ? 'x64' : 'arm64');
    assert.ok(viaDaemon.execArgv.includes('--max-semi-space-size=1'), JSON.stringify(viaDaemon.execArgv));
    // no V8 background tasks: an exit that joins them while one waits for a collection hangs
    assert.ok(viaDaemon.execArgv.includes('--single-threaded'), JSON.stringify(viaDaemon.execArgv));
    assert.equal(viaDaemon.evil, false, 'NODE_OPTIONS must not inject code (execArgvExtension none)');
    assert.equal(viaDaemon.face, 'isulad');
    assert.equal(runProbe(target, 'isula', {}).face, 'isula');
  });
}

test('control: plain node honours NODE_OPTIONS, so the check above can fail', () => {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(globalThis.evilRan === true))'], {
    encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${join(scratch, 'evil.cjs')}` },
  });
  assert.equal(r.stdout, 'true', r.stderr);
});
