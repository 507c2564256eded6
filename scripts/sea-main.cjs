// The main script of the x64 executable (build.mjs, targets with a code cache): it runs the
// bundle (dist/isula.cjs, a SEA asset of that name) with the code cache that
// scripts/cli-cache.cjs made after running the CLI's common commands. The cache SEA makes for its
// main script holds only the functions V8 compiles eagerly; every other function the CLI ran was
// parsed and compiled again at each start (docs/performance.md "A warm code cache").
// V8 takes a cache only for the same source and flags: scripts/cli-cache.cjs compiles the same
// wrapped file. No importModuleDynamically (Node's default-loader option for it is experimental
// and warns on use): the CLI takes tls through process.getBuiltinModule (src/api/h2-client.ts).
'use strict';
const sea = require('node:sea');
const vm = require('node:vm');

// The asset is the bundle already inside the CommonJS wrapper (build.mjs writes it so; the bundle
// is ASCII only, scripts/bundle.mjs). getRawAsset does not copy and latin1 decodes without a
// second pass: the source is copied once, as SEA does for a main script; a getAsset + 'utf8'
// decode + wrapper concatenation made three 400 KB copies, ~200 page faults more per start.
const NAME = 'isula.cjs';
// The daemon face (chosen as src/main.ts's pickFace does) takes the cache of the top level only,
// made before the training ran: the warm one would put the CLI's compiled functions in the
// long-lived daemon's heap.
const argv0 = process.argv0.slice(process.argv0.lastIndexOf('/') + 1);
const first = process.argv[2];
const daemon = argv0 === 'isulad' || (argv0 !== 'isula' && (first === 'isulad' || (first !== 'isula' && process.env.ISULA_FACE === 'isulad')));
let cachedData;
try {
  cachedData = Buffer.from(sea.getRawAsset(`${NAME}.${daemon ? 'daemon-cache' : 'cache'}`));
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Buffer.from(sea.getRawAsset(NAME)).toString('latin1'), {
  filename: NAME,
  cachedData,
});
// Say so, as Node does for a rejected main-script cache: it costs every start its compile time.
if (cachedData !== undefined && script.cachedDataRejected === true) process.stderr.write(`isula: the code cache of ${NAME} was rejected\n`);
const exe = process.execPath;
const mod = { exports: {} };
script.runInThisContext()(mod.exports, require, mod, exe, exe.slice(0, exe.lastIndexOf('/')) || '/');
