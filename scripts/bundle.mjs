// The bundle step of build.mjs: esbuild src/main.ts into one CommonJS file, then refuse a
// bundle a single executable could not run or that would make `isula` start slowly. See
// docs/build.md. Runs on the machine's Node 20.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import protobuf from 'protobufjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Node's SEA fuse. It must appear exactly once in the executable (postject flips its last byte), so
// a bundle that carries the string would make injection fail or flip the wrong copy.
export const FUSE = 'NODE_SEA_FUSE_' + 'fce680ab2cc467b6e072b8b5df1996b2';

// Modules the CLI must never evaluate at start-up: reachable from the entry and from cli/ only
// through dynamic import(). Paths are relative to the entry's directory or are package names.
const CLI_FORBIDDEN_DIRS = ['daemon/', 'services/', 'api/cri/'];
const CLI_FORBIDDEN_PACKAGES = ['tar-stream', 'cbor-x', '@grpc/grpc-js', '@grpc/proto-loader'];
// Built-ins too costly for every start (node:http2 alone loads tls, http and crypto: ~15-20 ms;
// node:os ~2 M instructions, 1.7 % of `isula version`; node:v8 ~35 M).
const CLI_FORBIDDEN_BUILTINS = ['http2', 'tls', 'https', 'http', 'crypto', 'os', 'v8'];

// A failure the build explains itself (printed without a stack).
export function fail(msg) {
  const err = new Error(msg);
  err.buildFailure = true;
  throw err;
}

// cbor-x tries require('cbor-extract') (a native addon) and falls back to pure JS when it throws.
// A SEA cannot load addons, so the bundle gets a stub that always throws: tests and dev runs of
// the bundle then use the same code path as the shipped binary.
const stubCborExtract = {
  name: 'stub-cbor-extract',
  setup(b) {
    // also ws's optional native helpers: ws catches the failed require and uses its JS code
    b.onResolve({ filter: /^(cbor-extract|bufferutil|utf-8-validate)$/ }, (a) => ({ path: a.path, namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, (a) => ({
      contents: `throw new Error(${JSON.stringify(`${a.path} is not available in isulad (pure JS fallback)`)});`,
      loader: 'js',
    }));
  },
};

// `import d from '../../proto/x.proto?descriptor'`: the proto parsed HERE, at build time, into
// protobufjs's JSON form (with the google/protobuf types it imports), so the CLI builds its codecs
// with protobufjs/light and never parses .proto text at run time. test/helpers/proto-text-hooks.ts
// does the same under node --test.
export function protoDescriptor(text, name = 'proto') {
  const root = new protobuf.Root();
  const parsed = protobuf.parse(text, root, { keepCase: true });
  for (const imp of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) {
    const common = protobuf.common.get(imp);
    if (!common) throw new Error(`${name}: proto import ${imp} is not a well-known type`);
    root.addJSON(common.nested ?? {});
  }
  return root.toJSON();
}

const protoDescriptors = {
  name: 'proto-descriptor',
  setup(b) {
    // paths relative to the build root: an absolute one would end up in the bundle's comments
    // and keys, and two builds of one tree in two directories must give the same bytes
    const root = b.initialOptions.absWorkingDir ?? ROOT;
    b.onResolve({ filter: /\.proto\?descriptor(-json)?$/ }, (args) => ({
      path: relative(root, resolve(args.resolveDir, args.path.slice(0, args.path.lastIndexOf('?')))),
      namespace: 'proto-descriptor',
      pluginData: { json: args.path.endsWith('-json') },
      suffix: args.path.endsWith('-json') ? '?json' : undefined,
    }));
    // `?descriptor` as `JSON.parse('...')`, not as an object literal (the json loader's output):
    // V8 builds a literal of this size (a few hundred nested objects) through its boilerplate and
    // allocation-site machinery on the module's first run, and the JSON parser is cheaper for it.
    // `?descriptor-json` is the same JSON as a string, for code that parses it only when the
    // service is used (the CLI: `isula version` needs one of the four isula protos).
    b.onLoad({ filter: /.*/, namespace: 'proto-descriptor' }, (args) => {
      const file = resolve(root, args.path);
      const json = JSON.stringify(protoDescriptor(readFileSync(file, 'utf8'), args.path));
      return {
        contents: args.pluginData?.json ? `export default ${JSON.stringify(json)};` : `export default JSON.parse(${JSON.stringify(json)});`,
        loader: 'js',
        watchFiles: [file],
      };
    });
  },
};

// Version facts for src/api/build-info.ts. Built is the commit time (or $SOURCE_DATE_EPOCH), never
// the clock, so that two builds of one tree are byte-identical. "-dirty" marks uncommitted
// changes to the inputs of the build.
let buildInfoCache;
function buildInfo() {
  if (buildInfoCache) return buildInfoCache;
  const git = (...args) => {
    const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  const inputs = ['src', 'proto', 'package.json', 'package-lock.json', 'build.mjs', 'targets'];
  const head = git('rev-parse', '--short=12', 'HEAD');
  const dirty = head !== undefined && git('status', '--porcelain', '--', ...inputs) !== '';
  const epoch = process.env.SOURCE_DATE_EPOCH ?? git('log', '-1', '--format=%ct');
  buildInfoCache = {
    version: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    gitCommit: head === undefined ? 'unknown' : head + (dirty ? '-dirty' : ''),
    built: epoch ? new Date(Number(epoch) * 1000).toISOString() : 'unknown',
  };
  return buildInfoCache;
}

/**
 * Bundles `entry` into `outfile`. With `daemonChunk` (a file name, e.g. "isulad.cjs") the daemon
 * face is split off: `<entry dir>/daemon/index.ts` becomes a second bundle of that name beside
 * outfile, and the entry's bundle gets `__ISULA_DAEMON_CHUNK__` so src/main.ts loads it from
 * there instead of containing it. `isula` then never parses the daemon's ~2 MB (docs/build.md).
 * Returns the metafile (both bundles' inputs and outputs when split).
 */
export async function bundle({ root = ROOT, entry: entryArg = 'src/main.ts', outfile, esbuildTarget, daemonChunk }) {
  // The metafile names inputs relative to root; the CLI-path check compares against this form.
  const entry = relative(root, resolve(root, entryArg));
  const define = daemonChunk ? { __ISULA_DAEMON_CHUNK__: JSON.stringify(daemonChunk) } : {};
  const meta = await esbuildOne({ root, entry, outfile, esbuildTarget, define });
  checkLightCliPath(meta, entry);
  if (!daemonChunk) return meta;
  const base = dirname(entry) + '/';
  const leaked = Object.keys(meta.inputs).filter((p) => p.startsWith(base + 'daemon/'));
  if (leaked.length > 0) fail(`bundle ${entry}: split build still contains daemon code: ${leaked.slice(0, 3).join(', ')}`);
  const daemonMeta = await esbuildOne({
    root, entry: base + 'daemon/index.ts', outfile: join(dirname(outfile), daemonChunk), esbuildTarget, define: {},
  });
  // The daemon chunk runs through vm.compileFunction (src/main.ts), which has no loader for a
  // dynamic import(): one left in it (an external such as import('node:fs/promises')) throws
  // ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING on first use, in the field.
  const dynamic = new Set();
  for (const out of Object.values(daemonMeta.outputs)) {
    for (const imp of out.imports) if (imp.external && imp.kind === 'dynamic-import') dynamic.add(imp.path);
  }
  if (dynamic.size > 0) fail(`${daemonChunk}: a dynamic import() of ${[...dynamic].join(', ')} cannot run in the daemon chunk; import it statically`);
  return {
    inputs: { ...meta.inputs, ...daemonMeta.inputs },
    outputs: { ...meta.outputs, ...daemonMeta.outputs },
  };
}

async function esbuildOne({ root, entry, outfile, esbuildTarget, define }) {
  const info = buildInfo();
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: root,
      // dist builds from a snapshot whose node_modules is a symlink to ours: keep paths as seen
      // from the root so the snapshot's bundle equals the one built in place.
      preserveSymlinks: true,
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: esbuildTarget,
      minify: false, // minified starts slower (measured) and loses readable stacks
      sourcemap: false,
      loader: { '.proto': 'text' },
      define: {
        __ISULA_VERSION__: JSON.stringify(info.version),
        __ISULA_COMMIT__: JSON.stringify(info.gitCommit),
        __ISULA_BUILT__: JSON.stringify(info.built),
        ...define,
      },
      metafile: true,
      logLevel: 'silent',
      plugins: [stubCborExtract, protoDescriptors],
    });
  } catch (err) {
    const msgs = err.errors ? (await esbuild.formatMessages(err.errors, { kind: 'error' })).join('') : err.message;
    fail(`bundle ${entry}: esbuild failed\n${msgs}`);
  }
  if (result.warnings.length > 0) {
    const msgs = await esbuild.formatMessages(result.warnings, { kind: 'warning' });
    fail(`bundle ${entry}: ${result.warnings.length} warning(s); the build allows none\n${msgs.join('')}`);
  }
  checkExternals(result.metafile);
  asciiOnly(outfile);
  checkNoFuse(outfile);
  return result.metafile;
}

// esbuild escapes non-ASCII in strings but keeps it in comments and regular expressions. One such
// character makes V8 hold the whole 2 MB source as a two-byte string (4.3 MB on the daemon's
// heap instead of 2.2 MB; docs/performance.md), so every non-ASCII UTF-16 unit becomes \uXXXX:
// the same character in a string, template, regex or identifier, harmless in a comment. (It
// would change the text of a String.raw template: the bundle has no non-ASCII inside one.)
function asciiOnly(outfile) {
  const text = readFileSync(outfile, 'utf8');
  if (!/[^\x00-\x7f]/.test(text)) return;
  writeFileSync(outfile, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

// Inside a SEA, require() loads built-ins only: anything external would fail at run time.
function checkExternals(meta) {
  const bad = new Set();
  for (const out of Object.values(meta.outputs)) {
    for (const imp of out.imports) if (imp.external && !isBuiltin(imp.path)) bad.add(imp.path);
  }
  if (bad.size > 0) fail(`bundle imports modules it does not contain (a SEA can load only node: built-ins): ${[...bad].join(', ')}`);
}

function checkNoFuse(outfile) {
  if (readFileSync(outfile).includes(FUSE)) {
    fail(`${relative(ROOT, outfile)} contains the SEA fuse string ${FUSE}; postject needs it exactly once in the executable`);
  }
}

// Walk the metafile's import graph from the entry and every cli/ module, following static edges
// only (import statements and require() calls; import() is the lazy edge). Any forbidden module
// found means `isula version` would evaluate daemon-side code at start-up.
export function checkLightCliPath(meta, entry) {
  const base = dirname(entry) + '/';
  const inputs = meta.inputs;
  const isForbidden = (p) =>
    (p.startsWith(base) && CLI_FORBIDDEN_DIRS.some((d) => p.startsWith(base + d))) ||
    CLI_FORBIDDEN_PACKAGES.some((pkg) => p.startsWith(`node_modules/${pkg}/`) || p.includes(`/node_modules/${pkg}/`));
  const roots = Object.keys(inputs).filter((p) => p === entry || p.startsWith(base + 'cli/'));
  const parent = new Map(roots.map((r) => [r, null]));
  const queue = [...roots];
  while (queue.length > 0) {
    const cur = queue.shift();
    if (isForbidden(cur)) {
      const chain = [];
      for (let p = cur; p !== null; p = parent.get(p)) chain.unshift(p);
      fail(`the CLI start-up path statically loads ${cur}:\n  ${chain.join('\n  -> ')}\nload it with import() where it is used`);
    }
    for (const imp of inputs[cur]?.imports ?? []) {
      if (imp.external && imp.kind !== 'dynamic-import' && CLI_FORBIDDEN_BUILTINS.includes(imp.path.replace(/^node:/, ''))) {
        const chain = [];
        for (let p = cur; p !== null; p = parent.get(p)) chain.unshift(p);
        fail(`the CLI start-up path statically loads the built-in ${imp.path}:\n  ${chain.join('\n  -> ')}\nload it with import() where it is used`);
      }
      if (imp.external || imp.kind === 'dynamic-import' || parent.has(imp.path)) continue;
      parent.set(imp.path, cur);
      queue.push(imp.path);
    }
  }
}
