// Builds iSulad Edge: one esbuild bundle, then one Node SEA executable per target. See docs/build.md.
//
//   node build.mjs bundle [--out=DIR]                 dist/isula.cjs + meta.json + assets/ (dev runs)
//   node build.mjs sea --target=linux-x64[,...] [--out=DIR] [--work=DIR]
//                                                    DIR/<target>/isulad and the isula -> isulad symlink
//   node build.mjs repro --target=T[,...] --out=DIR  DIR/a and DIR/b built from one snapshot, compared
//   node build.mjs dist                               every target, built twice and compared byte for
//                                                    byte, smoke-run, then SHA256SUMS and .tar.xz
//   node build.mjs bundle|sea --entry=FILE ...        another entry, same checks and recipe (tests)
//
// Runs on the machine's Node 20 (only the blob generator has to be the pinned Node of the target).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, fail, FUSE } from './scripts/bundle.mjs';
import { fetchNode } from './scripts/fetch-node.mjs';

const ROOT = dirname(fileURLToPath(import.meta.url));
const HOST_TARGET = { x64: 'linux-x64', arm64: 'linux-arm64', arm: 'linux-armv7' }[process.arch];
const ALL_TARGETS = ['linux-x64', 'linux-arm64', 'linux-armv7'];

// The daemon face's own bundle (scripts/bundle.mjs `daemonChunk`): a SEA asset of this name in
// the executable, a file beside dist/isula.cjs in a dev build. src/main.ts loads it.
const DAEMON_CHUNK = 'isulad.cjs';

// A SEA asset holding the other assets' offsets in the executable file (src/util/sea-file.ts reads
// them with pread instead of through the mapping, which would keep them in the daemon's RSS). It
// goes into the blob as this fixed-size placeholder and is filled in place after postject, so no
// offset moves. The placeholder text appears nowhere else in the executable.
const ASSET_INDEX = 'asset-index';
const ASSET_INDEX_SIZE = 1024;
const ASSET_INDEX_PLACEHOLDER = Buffer.from('{"isula-asset-index":"to be filled by build.mjs"}'.padEnd(ASSET_INDEX_SIZE, ' '));

// V8 flags baked into the executable (Node >= 22 honours them; 20.11 ignores them). A 1 MiB young
// generation keeps the idle daemon's anonymous memory lower at no measurable start-up cost; the
// size-for-speed flags (--optimize-for-size, --lite-mode) were measured 10-15 ms slower and
// --lite-mode breaks fetch(). Figures: docs/build.md.
// --single-threaded: V8 posts no background tasks. Node's exit joins V8's worker threads, and a
// background compile (Sparkplug, Maglev, code-cache deserialization) that needs a heap collection
// waits for the main thread, which is exiting: the process hangs for ever in process.exit
// (nodejs/node#54918, #64274; seen here as an `isula load` that never returned and a daemon
// alive after "iSulad stopped"). A small young generation makes collections frequent, so the
// window is hit more often here than in stock Node.
const SEA_EXEC_ARGV = ['--max-semi-space-size=1', '--single-threaded'];

function loadTarget(name) {
  const file = join(ROOT, 'targets', `${name}.json`);
  if (!existsSync(file)) fail(`unknown target ${name} (have: ${ALL_TARGETS.join(', ')})`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

function run(cmd, args, opts = {}) {
  const env = { ...process.env, ...opts.env };
  delete env.NODE_OPTIONS; // nothing from the caller's shell may leak into a generator or a smoke run
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    fail(`${cmd} ${args.join(' ')}: exit ${r.status ?? r.signal}\n${tail}`);
  }
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------
// bundle (the esbuild step and its checks live in scripts/bundle.mjs)

// The busybox docker-save archive of the target's arch, made by `make fixtures` (rootfs-fixtures/).
function busyboxArchive(target) {
  if (!target.imageArch) return undefined;
  const file = join(ROOT, 'rootfs-fixtures', 'out', `busybox-${target.imageArch}.docker.tar`);
  return existsSync(file) ? file : undefined;
}

// The pause image of the target's arch (pod sandboxes; CRI pods start with no registry), if built.
function pauseArchive(target) {
  if (!target.imageArch) return undefined;
  const file = join(ROOT, 'rootfs-fixtures', 'out', `pause-${target.imageArch}.docker.tar`);
  return existsSync(file) ? file : undefined;
}

// The lcr helper executable of the target's arch (rootfs-fixtures/lcr-helper), if built.
function lcrHelper(target) {
  if (!target.imageArch) return undefined;
  const file = join(ROOT, 'rootfs-fixtures', 'out', `lcr-helper-${target.imageArch}`);
  return existsSync(file) ? file : undefined;
}

async function cmdBundle(opts) {
  const out = resolve(ROOT, opts.out ?? 'dist');
  const target = loadTarget(HOST_TARGET);
  mkdirSync(out, { recursive: true });
  const outfile = join(out, 'isula.cjs');
  rmSync(join(out, DAEMON_CHUNK), { force: true });
  const meta = await bundle({
    entry: opts.entry ?? 'src/main.ts', outfile, esbuildTarget: target.esbuildTarget,
    daemonChunk: opts.entry ? undefined : DAEMON_CHUNK,
  });
  writeFileSync(join(out, 'meta.json'), JSON.stringify(meta, null, 1));
  // Dev runs (`node dist/isula.cjs`) read assets from dist/assets/ (src/util/embedded-assets.ts).
  const assets = join(out, 'assets');
  rmSync(join(assets, 'busybox.tar'), { force: true });
  rmSync(join(assets, 'pause.tar'), { force: true });
  rmSync(join(assets, 'lcr-helper'), { force: true });
  const pause = pauseArchive(target);
  if (pause) {
    mkdirSync(assets, { recursive: true });
    copyFileSync(pause, join(assets, 'pause.tar'));
  }
  const helper = lcrHelper(target);
  if (helper) {
    mkdirSync(assets, { recursive: true });
    copyFileSync(helper, join(assets, 'lcr-helper'));
  }
  const tar = busyboxArchive(target);
  if (tar) {
    mkdirSync(assets, { recursive: true });
    copyFileSync(tar, join(assets, 'busybox.tar'));
  } else if (!opts.entry) {
    console.error(`build: note: no rootfs-fixtures/out/busybox-${target.imageArch}.docker.tar (run make fixtures); dev runs carry no default image`);
  }
  console.log(`build: ${relative(ROOT, outfile)} ${statSync(outfile).size} bytes`);
}

// ---------------------------------------------------------------------------------------------
// sea

// node:sea (and with it SEA assets) exists from Node 22 on; the armv7 build (20.11) has neither.
function hasSeaAssets(target) {
  return Number(target.nodeVersion.split('.')[0]) >= 22;
}

// Makes the SEA preparation blob. Paths in the config are relative to the work dir and the
// generator runs there: Node stores the main script's path in the blob, so an absolute path
// would make two builds in two directories differ (and leak the build machine's layout).
function makeBlob(target, dir, nodeBin, root = ROOT) {
  const host = loadTarget(HOST_TARGET);
  const generatorIsTarget = target.blobGenerator !== 'host' || target.name === HOST_TARGET;
  if (target.useCodeCache && !generatorIsTarget) fail(`${target.name}: useCodeCache needs a generator of the target's arch`);
  const assets = {};
  const tar = busyboxArchive(target);
  if (tar && hasSeaAssets(target)) assets['busybox.tar'] = tar;
  const pause = pauseArchive(target);
  if (pause && hasSeaAssets(target)) assets['pause.tar'] = pause;
  const helper = lcrHelper(target);
  if (helper && hasSeaAssets(target)) assets['lcr-helper'] = helper;
  if (existsSync(join(dir, DAEMON_CHUNK))) {
    assets[DAEMON_CHUNK] = DAEMON_CHUNK;
    // SEA's useCodeCache covers the main script only; the daemon bundle gets its own cache,
    // made the same way (same Node, fixed seed) and under the same condition.
    if (target.useCodeCache) {
      run(fetchNode(HOST_TARGET), ['--random-seed=1', ...SEA_EXEC_ARGV, join(ROOT, 'scripts/code-cache.cjs'), DAEMON_CHUNK, `${DAEMON_CHUNK}.cache`], { cwd: dir });
      assets[`${DAEMON_CHUNK}.cache`] = `${DAEMON_CHUNK}.cache`;
    }
  }
  let main = 'isula.cjs';
  if (existsSync(join(dir, DAEMON_CHUNK)) && target.useCodeCache) {
    // The CLI bundle becomes an asset run by a small main script with a cache made after running
    // the CLI's common commands (SEA's own cache of the main script holds only what V8 compiles
    // eagerly): scripts/sea-main.cjs, scripts/cli-cache.cjs, docs/performance.md.
    // The asset is the bundle inside the CommonJS wrapper, so sea-main.cjs compiles it without
    // copying it again and the trainer compiles the very same string.
    const wrapped = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(join(dir, 'isula.cjs'), 'latin1')}\n})`;
    writeFileSync(join(dir, 'isula.wrapped.cjs'), wrapped, 'latin1');
    run(fetchNode(HOST_TARGET), ['--random-seed=1', ...SEA_EXEC_ARGV, join(ROOT, 'scripts/cli-cache.cjs'), 'isula.wrapped.cjs', 'isula.cjs.cache', 'isula.cjs.daemon-cache', join(root ?? ROOT, 'proto')], { cwd: dir });
    copyFileSync(join(ROOT, 'scripts/sea-main.cjs'), join(dir, 'sea-main.cjs'));
    main = 'sea-main.cjs';
    assets['isula.cjs'] = 'isula.wrapped.cjs';
    assets['isula.cjs.cache'] = 'isula.cjs.cache';
    assets['isula.cjs.daemon-cache'] = 'isula.cjs.daemon-cache';
  }
  if (hasSeaAssets(target) && Object.keys(assets).length > 0) {
    writeFileSync(join(dir, ASSET_INDEX), ASSET_INDEX_PLACEHOLDER);
    assets[ASSET_INDEX] = ASSET_INDEX;
  }
  const config = {
    main,
    output: 'sea.blob',
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: Boolean(target.useCodeCache),
    execArgv: SEA_EXEC_ARGV,
    execArgvExtension: 'none', // a root daemon must not take code from NODE_OPTIONS
    assets,
  };
  writeFileSync(join(dir, 'sea-config.json'), JSON.stringify(config, null, 2) + '\n');
  if (target.blobGenerator === 'host') {
    if (host.nodeVersion !== target.nodeVersion) {
      fail(`${target.name}: blob generator must be Node ${target.nodeVersion}, host target pins ${host.nodeVersion}`);
    }
    // V8 derives its hash seed from --random-seed. With a random one, strings in the code cache
    // hash differently on every run and the blob differs; fixing it for the generator (only: the
    // executable keeps random seeds) makes the blob stable, and the runtime still accepts the
    // cache (random_seed is not part of V8's flag hash; --hash-seed is, and gets it rejected).
    const seed = target.useCodeCache ? ['--random-seed=1'] : [];
    // The executable's V8 flags on the generator too: --single-threaded is part of V8's flag
    // hash, and a cache made without it is rejected at every start ("Code cache data rejected").
    run(fetchNode(HOST_TARGET), [...seed, ...SEA_EXEC_ARGV, '--experimental-sea-config', 'sea-config.json'], { cwd: dir });
  } else if (target.blobGenerator === 'target-under-qemu') {
    // The blob stores lengths as size_t: a 64-bit generator makes blobs a 32-bit node rejects.
    run(target.qemu.binary, [nodeBin, '--experimental-sea-config', 'sea-config.json'], {
      cwd: dir, env: { QEMU_LD_PREFIX: target.qemu.ldPrefix },
    });
  } else {
    fail(`${target.name}: unknown blobGenerator ${target.blobGenerator}`);
  }
  return join(dir, 'sea.blob');
}

function countOf(buf, needle) {
  let n = 0;
  for (let i = buf.indexOf(needle); i !== -1; i = buf.indexOf(needle, i + 1)) n++;
  return n;
}

/**
 * Node scans a process's whole argv for --env-file before anything else, even in a single
 * executable (nodejs/node#54232): `isula run --env-file F` had Node load F into the CLI's own
 * environment and `--env-file MISSING` exit 9 before our code ran. The flag's literals
 * ("--env-file", "--env-file-if-exists") are made unmatchable (one byte, same length), so Node
 * never takes it and the CLI's own --env-file (create, run, exec) gets it.
 */
function disableNodeEnvFile(file, name) {
  const bin = readFileSync(file);
  const needle = Buffer.from('--env-file');
  let n = 0;
  for (let i = bin.indexOf(needle); i !== -1; i = bin.indexOf(needle, i + 1)) {
    bin[i + needle.length - 1] = 0x7f;
    n++;
  }
  if (n === 0) console.error(`build: note: ${name}: no --env-file literal in node (nothing to disable)`);
  writeFileSync(file, bin);
}

/**
 * Writes each SEA asset's [offset, length] in the executable into the asset-index placeholder
 * (same size, so nothing moves). Each asset's bytes must occur exactly once in the file, else the
 * offset could name the wrong copy. Returns false when the blob has no index (no assets).
 */
function fillAssetIndex(bin, dir, name) {
  const config = JSON.parse(readFileSync(join(dir, 'sea-config.json'), 'utf8'));
  if (!config.assets?.[ASSET_INDEX]) return false;
  const at = bin.indexOf(ASSET_INDEX_PLACEHOLDER);
  if (at === -1 || bin.indexOf(ASSET_INDEX_PLACEHOLDER, at + 1) !== -1) fail(`${name}: asset index placeholder not found exactly once`);
  const assets = {};
  for (const [key, file] of Object.entries(config.assets)) {
    if (key === ASSET_INDEX) continue;
    const bytes = readFileSync(resolve(dir, file));
    const off = bin.indexOf(bytes);
    if (bytes.length === 0 || off === -1 || bin.indexOf(bytes, off + 1) !== -1) fail(`${name}: asset ${key} not found exactly once in the executable`);
    assets[key] = [off, bytes.length];
  }
  const json = Buffer.from(JSON.stringify({ at, assets })); // `at`: the runtime checks it reads this very file
  if (json.length > ASSET_INDEX_SIZE) fail(`${name}: asset index ${json.length} bytes > ${ASSET_INDEX_SIZE}`);
  bin.fill(0x20, at, at + ASSET_INDEX_SIZE);
  json.copy(bin, at);
  return true;
}

export async function buildSea(name, { out, work, entry, root }) {
  const target = loadTarget(name);
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Split only where SEA assets exist to carry the daemon bundle (not armv7's Node 20.11), and
  // only for the product's own entry.
  const daemonChunk = !entry && hasSeaAssets(target) ? DAEMON_CHUNK : undefined;
  await bundle({ root, entry, outfile: join(dir, 'isula.cjs'), esbuildTarget: target.esbuildTarget, daemonChunk });
  const nodeBin = fetchNode(name);
  // Strip before injecting: stripping after postject rewrites section offsets and the result segfaults.
  const stripped = join(dir, 'node.stripped');
  run(target.strip, ['-o', stripped, nodeBin]);
  disableNodeEnvFile(stripped, name);
  const blob = makeBlob(target, dir, nodeBin, root);

  const exeDir = join(out, name);
  mkdirSync(exeDir, { recursive: true });
  const exe = join(exeDir, 'isulad');
  const tmp = `${exe}.${process.pid}.tmp`; // two builds at once must not write one temp file
  try {
    copyFileSync(stripped, tmp);
    chmodSync(tmp, 0o755);
    // postject in its own process: its LIEF wasm heap peaks near 750 MB and is released on exit.
    run(process.execPath, [join(ROOT, 'node_modules/postject/dist/cli.js'), tmp, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE]);
    const bin = readFileSync(tmp);
    if (countOf(bin, FUSE + ':1') !== 1 || bin.includes(FUSE + ':0')) fail(`${name}: SEA fuse not flipped exactly once`);
    if (fillAssetIndex(bin, dir, name)) writeFileSync(tmp, bin);
    renameSync(tmp, exe);
  } finally {
    rmSync(tmp, { force: true }); // gone after the rename; a half-made executable otherwise
  }
  const link = join(exeDir, 'isula');
  rmSync(link, { force: true });
  symlinkSync('isulad', link);
  // Without SEA assets the default image travels as a file beside the executable, where
  // readEmbeddedAsset looks next (src/util/embedded-assets.ts).
  const tar = busyboxArchive(target);
  rmSync(join(exeDir, 'assets'), { recursive: true, force: true });
  if (tar && !hasSeaAssets(target)) {
    mkdirSync(join(exeDir, 'assets'));
    copyFileSync(tar, join(exeDir, 'assets', 'busybox.tar'));
  }
  const pause = pauseArchive(target);
  if (pause && !hasSeaAssets(target)) {
    mkdirSync(join(exeDir, 'assets'), { recursive: true });
    copyFileSync(pause, join(exeDir, 'assets', 'pause.tar'));
  }
  const helper = lcrHelper(target);
  if (helper && !hasSeaAssets(target)) {
    mkdirSync(join(exeDir, 'assets'), { recursive: true });
    copyFileSync(helper, join(exeDir, 'assets', 'lcr-helper'));
  }
  if (!tar) {
    console.error(`build: note: ${name}: no rootfs-fixtures/out/busybox-${target.imageArch}.docker.tar (make fixtures); no default image`);
  }
  console.log(`build: ${relative(ROOT, exe) || exe} ${statSync(exe).size} bytes (node ${target.nodeVersion}${target.experimental ? ', experimental' : ''})`);
  return exe;
}

// ---------------------------------------------------------------------------------------------
// dist

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

// Names the first stage whose output differs between two work dirs of one target.
function whereBuildsDiffer(a, b) {
  for (const [file, why] of [
    ['isula.cjs', 'the bundles differ: did a source file change between the two builds?'],
    ['node.stripped', 'the stripped node binaries differ'],
    [DAEMON_CHUNK, 'the daemon bundles differ: did a source file change between the two builds?'],
    [`${DAEMON_CHUNK}.cache`, 'the daemon code caches differ (same bundle): V8 is not deterministic here'],
    ['sea.blob', 'the SEA blobs differ (same bundle): the generator is not deterministic'],
  ]) {
    if (!existsSync(join(a, file)) && !existsSync(join(b, file))) continue;
    if (sha256(join(a, file)) !== sha256(join(b, file))) return why;
  }
  return 'postject output differs for identical inputs';
}

// Runs the target's `isula --version` (through the symlink, so argv0 dispatch is exercised too),
// natively or under qemu-user.
function smoke(target, exeDir) {
  const isula = join(exeDir, 'isula');
  const [cmd, args, env] = target.name === HOST_TARGET
    ? [isula, ['--version'], {}]
    : [target.qemu.binary, [isula, '--version'], { QEMU_LD_PREFIX: target.qemu.ldPrefix }];
  return run(cmd, args, { env }).trim();
}

// Deterministic archive: sorted names, fixed mtime and owner, single-threaded xz.
function archive(name, distDir) {
  const file = join(distDir, `isulad-${name}.tar.xz`);
  rmSync(file, { force: true });
  run('tar', [
    '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--format=gnu', '--mode=go-w,a+rX',
    `--transform=s,^,isulad-${name}/,S`, '--use-compress-program=xz -9 -T1',
    '-C', join(distDir, name), '-cf', file, 'isulad', 'isula',
    ...(existsSync(join(distDir, name, 'assets')) ? ['assets'] : []),
  ]);
  return file;
}

// A frozen copy of the build's inputs: this tree is shared with developers who commit every few
// seconds, and a change between two builds is not a reproducibility bug.
function snapshotInputs(dir) {
  for (const p of ['src', 'proto', 'package.json', 'tsconfig.json']) {
    if (existsSync(join(ROOT, p))) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

// Builds one target twice from the snapshot `tree`, into outA/<name> and outB/<name>, and fails
// unless the executables are byte-identical. Returns the first one's path.
async function buildTwice(name, tree, outA, outB, scratch) {
  const a = await buildSea(name, { out: outA, work: join(scratch, 'work-a'), root: tree });
  const b = await buildSea(name, { out: outB, work: join(scratch, 'work-b'), root: tree });
  if (sha256(a) !== sha256(b)) {
    fail(`${name}: two builds differ: ${whereBuildsDiffer(join(scratch, 'work-a', name), join(scratch, 'work-b', name))}`);
  }
  console.log(`build: ${name}: reproducible, sha256 ${sha256(a)}`);
  return a;
}

// `repro --target=... --out=DIR`: DIR/a/<target>/isulad and DIR/b/<target>/isulad, checked equal.
async function cmdRepro(opts) {
  if (!opts.target || !opts.out) fail('repro needs --target=<name>[,<name>...] and --out=DIR');
  const out = resolve(ROOT, opts.out);
  const scratch = join(out, 'scratch');
  rmSync(scratch, { recursive: true, force: true });
  try {
    const tree = snapshotInputs(join(scratch, 'tree'));
    for (const name of new Set(opts.target.split(','))) await buildTwice(name, tree, join(out, 'a'), join(out, 'b'), scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function cmdDist() {
  const distDir = join(ROOT, 'dist');
  const scratch = join(ROOT, 'build/out', `dist-${process.pid}`); // second builds, then deleted
  // Nothing from an earlier dist may pass for this one's output.
  rmSync(join(distDir, 'SHA256SUMS'), { force: true });
  for (const name of ALL_TARGETS) rmSync(join(distDir, `isulad-${name}.tar.xz`), { force: true });
  const built = [];
  const notes = [];
  try {
    const tree = snapshotInputs(join(scratch, 'tree'));
    for (const name of ALL_TARGETS) {
      const target = loadTarget(name);
      try {
        const exe = await buildTwice(name, tree, distDir, join(scratch, 'b'), scratch);
        console.log(`build: ${name}: smoke: ${smoke(target, dirname(exe))}`);
        built.push(name);
      } catch (err) {
        if (!target.experimental || !err.buildFailure) throw err;
        notes.push(`${name} (experimental) NOT built: ${err.message.split('\n')[0]}`);
        rmSync(join(distDir, name), { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const sums = [];
  for (const name of built) {
    const file = archive(name, distDir);
    sums.push(`${sha256(join(distDir, name, 'isulad'))}  ${name}/isulad`);
    sums.push(`${sha256(file)}  ${relative(distDir, file)}`);
    console.log(`build: ${relative(ROOT, file)} ${statSync(file).size} bytes`);
  }
  writeFileSync(join(distDir, 'SHA256SUMS'), sums.join('\n') + '\n');
  console.log(`build: dist/SHA256SUMS: ${built.join(', ')}`);
  for (const n of notes) console.error(`build: ${n}`);
}

// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { _: [] };
  for (const a of argv) {
    const m = /^--([a-z-]+)=(.*)$/.exec(a);
    if (m) opts[m[1]] = m[2];
    else opts._.push(a);
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!HOST_TARGET) fail(`unsupported build host arch ${process.arch}`);
  switch (opts._[0]) {
    case 'bundle':
      return cmdBundle(opts);
    case 'sea': {
      if (!opts.target) fail('sea needs --target=<name>[,<name>...]');
      const out = resolve(ROOT, opts.out ?? 'dist');
      // A private work dir unless one is named: developers share this tree and may build at once.
      const work = resolve(ROOT, opts.work ?? `build/out/work-${process.pid}`);
      try {
        for (const name of new Set(opts.target.split(','))) await buildSea(name, { out, work, entry: opts.entry });
      } finally {
        if (!opts.work) rmSync(work, { recursive: true, force: true });
      }
      return undefined;
    }
    case 'repro':
      return cmdRepro(opts);
    case 'dist':
      return cmdDist();
    default:
      fail('usage: node build.mjs bundle | sea --target=<name> | repro --target=<name> --out=DIR | dist');
  }
  return undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`build: ${err.buildFailure ? err.message : err.stack}`);
    process.exitCode = 1;
  });
}
