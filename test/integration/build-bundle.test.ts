// `node build.mjs bundle`: the real entry bundles cleanly, and each guard the build promises
// (no warnings, no non-builtin externals, no SEA fuse string, a light CLI start-up path, the
// cbor-extract stub) refuses a small source tree written to break exactly that rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
// Fixture trees live under build/out/ (ignored by git) so that bare imports such as 'cbor-x'
// resolve from the repo's node_modules, as they do for src/.
const SCRATCH = join(ROOT, 'build/out');

type Result = { status: number | null; out: string };

function bundle(args: string[]): Result {
  const r = spawnSync('node', ['build.mjs', 'bundle', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function withTree(files: Record<string, string>, fn: (dir: string) => void): void {
  mkdirSync(SCRATCH, { recursive: true });
  const dir = mkdtempSync(join(SCRATCH, 'bundle-test-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, 'src', name)), { recursive: true });
      writeFileSync(join(dir, 'src', name), text);
    }
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function bundleTree(files: Record<string, string>): Result {
  let res: Result = { status: null, out: '' };
  withTree(files, (dir) => {
    res = bundle([`--entry=${join(dir, 'src/main.ts')}`, `--out=${join(dir, 'out')}`]);
  });
  return res;
}

const okMain = "export async function main() { const m = await import('./cli/index.ts'); return m.run(); }\nvoid main();\n";

test('the real src/main.ts bundles with metafile and no foreign externals', () => {
  mkdirSync(SCRATCH, { recursive: true });
  const out = mkdtempSync(join(SCRATCH, 'bundle-real-'));
  try {
    const r = bundle([`--out=${out}`]);
    assert.equal(r.status, 0, r.out);
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as {
      inputs: Record<string, unknown>;
      outputs: Record<string, { imports: Array<{ path: string; external?: boolean }>; inputs: Record<string, unknown> }>;
    };
    assert.ok(meta.inputs['src/main.ts'], 'metafile lists src/main.ts');
    const text = readFileSync(join(out, 'isula.cjs'), 'utf8');
    assert.ok(text.startsWith('"use strict";'), 'CommonJS output');
    // The daemon face is its own bundle beside it; the CLI's holds none of its code.
    const [cliOut, daemonOut] = ['isula.cjs', 'isulad.cjs'].map((f) => Object.entries(meta.outputs).find(([k]) => k.endsWith(`/${f}`))?.[1] as
      { inputs: Record<string, unknown> } | undefined);
    assert.ok(cliOut && daemonOut, `two outputs: ${Object.keys(meta.outputs).join(', ')}`);
    assert.deepEqual(Object.keys(cliOut.inputs).filter((p) => /^src\/(daemon|services|api\/cri)\//.test(p)), []);
    assert.ok(daemonOut.inputs['src/daemon/index.ts'], 'isulad.cjs holds the daemon');
    assert.doesNotMatch(text, /function runDaemon\(/);
    assert.match(readFileSync(join(out, 'isulad.cjs'), 'utf8'), /function runDaemon\(/);
    // The make fixtures output is copied for dev runs (readEmbeddedAsset reads dist/assets/).
    const tar = join(ROOT, 'rootfs-fixtures/out/busybox-amd64.docker.tar');
    if (process.arch === 'x64' && existsSync(tar)) {
      assert.deepEqual(readFileSync(join(out, 'assets/busybox.tar')), readFileSync(tar));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a lazy import() of daemon code from the CLI is allowed', () => {
  const r = bundleTree({
    'main.ts': okMain,
    'cli/index.ts': "export async function run() { const d = await import('../daemon/index.ts'); return d.x; }\n",
    'daemon/index.ts': 'export const x = 1;\n',
  });
  assert.equal(r.status, 0, r.out);
});

test('a static import of daemon code from the CLI is refused, with the chain', () => {
  const r = bundleTree({
    'main.ts': okMain,
    'cli/index.ts': "import { helper } from './helper.ts';\nexport function run() { return helper(); }\n",
    'cli/helper.ts': "import { x } from '../daemon/index.ts';\nexport function helper() { return x; }\n",
    'daemon/index.ts': 'export const x = 1;\n',
  });
  assert.equal(r.status, 1);
  assert.match(r.out, /CLI start-up path statically loads .*daemon\/index\.ts/);
  assert.match(r.out, /cli\/helper\.ts/);
});

test('services/ and api/cri/ are refused on the CLI path too', () => {
  for (const dir of ['services', 'api/cri']) {
    const r = bundleTree({
      'main.ts': okMain,
      'cli/index.ts': `import { x } from '../${dir}/index.ts';\nexport function run() { return x; }\n`,
      [`${dir}/index.ts`]: 'export const x = 1;\n',
    });
    assert.equal(r.status, 1, `${dir}: ${r.out}`);
    assert.match(r.out, new RegExp(`statically loads .*${dir}/index\\.ts`));
  }
});

test('heavy packages (cbor-x, tar-stream) are refused on the CLI path', () => {
  for (const pkg of ['cbor-x', 'tar-stream']) {
    const r = bundleTree({
      'main.ts': okMain,
      'cli/index.ts': `import * as m from '${pkg}';\nexport function run() { return Object.keys(m).length; }\n`,
    });
    assert.equal(r.status, 1, `${pkg}: ${r.out}`);
    assert.match(r.out, new RegExp(`statically loads node_modules/${pkg}/`));
  }
});

test('costly built-ins (http2, tls) are refused on the CLI path; import() of them is allowed', () => {
  for (const mod of ['node:http2', 'tls']) {
    const r = bundleTree({
      'main.ts': okMain,
      'cli/index.ts': `import * as m from '${mod}';\nexport function run() { return Object.keys(m).length; }\n`,
    });
    assert.equal(r.status, 1, `${mod}: ${r.out}`);
    assert.match(r.out, new RegExp(`statically loads the built-in ${mod}`));
  }
  const lazy = bundleTree({
    'main.ts': okMain,
    'cli/index.ts': "export async function run() { return Object.keys(await import('node:tls')).length; }\n",
  });
  assert.equal(lazy.status, 0, lazy.out);
});

test('cbor-extract is replaced by a stub that throws (pure-JS cbor-x, as in the SEA)', () => {
  withTree(
    {
      'main.ts': "void import('./store.ts').then((m) => process.stdout.write(m.roundTrip()));\n",
      'store.ts': "import { encode, decode } from 'cbor-x';\nexport const roundTrip = () => JSON.stringify(decode(encode({ a: 'x' })));\n",
    },
    (dir) => {
      const r = bundle([`--entry=${join(dir, 'src/main.ts')}`, `--out=${join(dir, 'out')}`]);
      assert.equal(r.status, 0, r.out);
      const text = readFileSync(join(dir, 'out/isula.cjs'), 'utf8');
      assert.match(text, /cbor-extract is not available in isulad/);
      assert.doesNotMatch(text, /node-gyp-build/);
      // The bundle still works: cbor-x catches the stub's throw and uses JS.
      const run = spawnSync(process.execPath, [join(dir, 'out/isula.cjs')], { encoding: 'utf8' });
      assert.equal(run.stdout, '{"a":"x"}', run.stderr);
    },
  );
});

test('the bundle is ASCII only: non-ASCII in comments, regexes and strings is escaped and still works', () => {
  withTree(
    {
      // \u escapes here keep this test file ASCII; the fixture source gets the real characters
      'main.ts': [
        '// a comment with an arrow \u2192 and a snowman \u2603',
        'const re = /^(\\d+)(\u00b5s|ms)$/;',
        "const m = re.exec('12\u00b5s');",
        "process.stdout.write(JSON.stringify([m && m[2], '\u00e9\u{1F600}'.length, /[a-z\u00b5]$/.test('x\u00b5')]));",
        '',
      ].join('\n'),
    },
    (dir) => {
      const r = bundle([`--entry=${join(dir, 'src/main.ts')}`, `--out=${join(dir, 'out')}`]);
      assert.equal(r.status, 0, r.out);
      const bytes = readFileSync(join(dir, 'out/isula.cjs'));
      assert.ok(bytes.every((b) => b < 0x80), 'no byte above 0x7f');
      const run = spawnSync(process.execPath, [join(dir, 'out/isula.cjs')], { encoding: 'utf8' });
      assert.equal(run.stdout, JSON.stringify(['\u00b5s', 3, true]), run.stderr);
    },
  );
});

test('a bundle holding the SEA fuse string is refused', () => {
  // Split here so this test file itself never holds the fuse; the fixture source does.
  const fuse = 'NODE_SEA_FUSE_' + 'fce680ab2cc467b6e072b8b5df1996b2';
  const r = bundleTree({ 'main.ts': `console.log(${JSON.stringify(fuse)});\n` });
  assert.equal(r.status, 1);
  assert.match(r.out, /contains the SEA fuse string/);
});

test('any esbuild warning fails the build', () => {
  // import.meta is empty in CommonJS output; esbuild warns, and the build must stop.
  const r = bundleTree({ 'main.ts': 'console.log(import.meta.url);\n' });
  assert.equal(r.status, 1);
  assert.match(r.out, /warning\(s\); the build allows none/);
});

test('an external import that is not a node built-in is refused', () => {
  const r = bundleTree({ 'main.ts': "import 'node:no-such-builtin';\n" });
  assert.equal(r.status, 1);
  assert.match(r.out, /node:no-such-builtin/);
});
