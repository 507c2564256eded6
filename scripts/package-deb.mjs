// Debian packages of the built executables: dist/isulad_<version>_<arch>.deb for each target
// whose dist/<target>/isulad exists. The man pages and completion scripts are generated from the
// CLI's own tables by scripts/deb-docs.ts, bundled with the build's esbuild recipe and run by the
// host target's pinned Node:
//
//   node scripts/package-deb.mjs [--targets=linux-x64,...]
//       [--dist=DIR] [--out=DIR] [--version=V] [--compress=xz|none]
//
// Only dpkg-deb is used: nothing is downloaded and the host's dpkg database and configuration are
// not touched. Layout and maintainer scripts: docs/packaging.md.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.mjs';
import { fetchNode } from './fetch-node.mjs';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ARCH = { 'linux-x64': 'amd64', 'linux-arm64': 'arm64', 'linux-armv7': 'armhf' };

function fail(msg) {
  console.error(`package-deb: ${msg}`);
  process.exit(1);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

const DEPENDS = [
  'libc6 (>= 2.28)', 'libstdc++6', 'libgcc-s1',
  'lxc', 'busybox-static | busybox', 'attr', 'iproute2', 'procps', 'mount', 'perl-base',
];
const RECOMMENDS = ['containernetworking-plugins', 'iptables', 'zstd', 'runc', 'conmon'];
const SUGGESTS = ['crun'];

function parseArgs(argv) {
  const o = {};
  for (const a of argv) {
    const m = /^--([a-z-]+)=(.*)$/.exec(a);
    if (!m) fail(`bad argument ${a}`);
    o[m[1]] = m[2];
  }
  return o;
}

/** Build date for the man pages: SOURCE_DATE_EPOCH, else the last commit, never the clock. */
function buildDate() {
  let epoch = Number(process.env.SOURCE_DATE_EPOCH);
  if (!Number.isFinite(epoch) || epoch <= 0) {
    const r = spawnSync('git', ['-C', ROOT, 'log', '-1', '--format=%ct'], { encoding: 'utf8' });
    epoch = Number(r.stdout.trim()) || 0;
  }
  return { epoch, date: new Date(epoch * 1000).toISOString().slice(0, 10) };
}

function write(file, text, mode = 0o644) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, mode);
}

/** Files under dir, relative, sorted (for md5sums). */
function walk(dir, base = dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, base));
    else if (e.isFile()) out.push(relative(base, p));
  }
  return out;
}

function installedSizeKiB(dir) {
  let bytes = 0;
  for (const f of walk(dir)) bytes += statSync(join(dir, f)).size;
  return Math.ceil(bytes / 1024);
}

async function generated(o) {
  const host = { x64: 'linux-x64', arm64: 'linux-arm64' }[process.arch];
  if (!host) fail(`cannot run the docs generator on ${process.arch}`);
  const target = JSON.parse(readFileSync(join(ROOT, 'targets', `${host}.json`), 'utf8'));
  const dir = join(ROOT, 'build', 'out', `deb-docs-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const outfile = join(dir, 'docs.cjs');
    await bundle({ entry: 'scripts/deb-docs.ts', outfile, esbuildTarget: target.esbuildTarget });
    const r = spawnSync(fetchNode(host), [outfile, o.version, o.date], { encoding: 'utf8', maxBuffer: 64 << 20, env: { PATH: process.env.PATH ?? '' } });
    if (r.status !== 0) fail(`docs generator: exit ${r.status}\n${r.stderr}`);
    return JSON.parse(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function packageTarget(target, o, gen) {
  const arch = ARCH[target];
  if (!arch) fail(`unknown target ${target}`);
  const exeDir = join(o.dist, target);
  const exe = join(exeDir, 'isulad');
  if (!existsSync(exe)) fail(`${exe} missing: build it first (make build / make dist)`);
  const work = join(ROOT, 'build', 'out', `deb-${arch}-${process.pid}`);
  const r = join(work, 'root');
  rmSync(work, { recursive: true, force: true });

  // The executable lives in /usr/lib/isulad so that assets/ beside it (builds without SEA assets:
  // armv7) has a home; /usr/bin has the two faces as symlinks (the face follows argv0).
  mkdirSync(join(r, 'usr/lib/isulad'), { recursive: true });
  copyFileSync(exe, join(r, 'usr/lib/isulad/isulad'));
  chmodSync(join(r, 'usr/lib/isulad/isulad'), 0o755);
  if (existsSync(join(exeDir, 'assets'))) cpSync(join(exeDir, 'assets'), join(r, 'usr/lib/isulad/assets'), { recursive: true });
  mkdirSync(join(r, 'usr/bin'), { recursive: true });
  symlinkSync('../lib/isulad/isulad', join(r, 'usr/bin/isulad'));
  symlinkSync('../lib/isulad/isulad', join(r, 'usr/bin/isula'));

  const pkg = join(ROOT, 'packaging');
  write(join(r, 'etc/isulad/daemon.json'), readFileSync(join(pkg, 'daemon.json')));
  write(join(r, 'etc/init.d/isulad'), readFileSync(join(pkg, 'isulad.init')), 0o755);
  write(join(r, 'lib/systemd/system/isulad.service'), readFileSync(join(pkg, 'isulad.service')));
  write(join(r, 'usr/share/bash-completion/completions/isula'), gen.bash);
  write(join(r, 'usr/share/zsh/vendor-completions/_isula'), gen.zsh);
  write(join(r, 'usr/share/fish/vendor_completions.d/isula.fish'), gen.fish);
  // zlib's gzip header carries no name and no time: the same sources give the same bytes
  write(join(r, 'usr/share/man/man1/isula.1.gz'), gzipSync(gen.isula1, { level: 9 }));
  write(join(r, 'usr/share/man/man8/isulad.8.gz'), gzipSync(gen.isulad8, { level: 9 }));
  write(join(r, 'usr/share/doc/isulad/copyright'),
    'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: iSulad Edge\n\n' +
    'Files: *\nLicense: Apache-2.0\n On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.\n');

  const control = join(r, 'DEBIAN');
  mkdirSync(control, { recursive: true });
  const sums = walk(r).filter((f) => !f.startsWith('DEBIAN/'))
    .map((f) => `${createHash('md5').update(readFileSync(join(r, f))).digest('hex')}  ${f}`);
  write(join(control, 'md5sums'), sums.join('\n') + '\n');
  write(join(control, 'conffiles'), '/etc/isulad/daemon.json\n/etc/init.d/isulad\n');
  for (const s of ['postinst', 'prerm', 'postrm']) write(join(control, s), readFileSync(join(pkg, 'deb', s)), 0o755);
  write(join(control, 'control'), [
    'Package: isulad',
    `Version: ${o.version}`,
    `Architecture: ${arch}`,
    'Maintainer: iSulad Edge developers <isulad-edge@localhost>',
    `Installed-Size: ${installedSizeKiB(r)}`,
    `Depends: ${DEPENDS.join(', ')}`,
    `Recommends: ${RECOMMENDS.join(', ')}`,
    `Suggests: ${SUGGESTS.join(', ')}`,
    'Section: admin',
    'Priority: optional',
    'Description: lightweight container engine for edge devices (iSulad Edge)',
    ' One executable that is the daemon (isulad), the CLI (isula) and the Kubernetes CRI server.',
    ' Runs containers with LXC or an OCI runtime; containers outlive daemon restarts.',
    '',
  ].join('\n'));

  mkdirSync(o.out, { recursive: true });
  const deb = join(o.out, `isulad_${o.version}_${arch}.deb`);
  rmSync(deb, { force: true });
  const z = o.compress === 'none' ? ['-Znone'] : ['-Zxz', '-z6'];
  // --root-owner-group: every file root:root whoever builds; SOURCE_DATE_EPOCH clamps mtimes.
  const env = { ...process.env, SOURCE_DATE_EPOCH: String(o.epoch) };
  const res = spawnSync('dpkg-deb', ['--root-owner-group', ...z, '--build', r, deb], { encoding: 'utf8', env });
  if (res.status !== 0) fail(`dpkg-deb --build: ${res.stderr}`);
  rmSync(work, { recursive: true, force: true });
  console.log(`package-deb: ${relative(process.cwd(), deb) || deb} ${statSync(deb).size} bytes`);
  return deb;
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const dist = resolve(a.dist ?? join(ROOT, 'dist'));
  const pkgVersion = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const { epoch, date } = buildDate();
  const o = { dist, out: resolve(a.out ?? dist), version: a.version ?? pkgVersion, compress: a.compress ?? 'xz', epoch, date };
  const targets = a.targets ? a.targets.split(',') : Object.keys(ARCH).filter((t) => existsSync(join(dist, t, 'isulad')));
  if (targets.length === 0) fail(`no built executables under ${dist}`);
  const gen = await generated(o);
  for (const t of targets) await packageTarget(t, o, gen);
}

await main();
