// node --random-seed=1 scripts/code-cache.cjs FILE OUT
// Writes the V8 code cache of the CommonJS bundle FILE, compiled the way src/main.ts compiles
// the daemon bundle inside the executable (vm.compileFunction with the CommonJS parameters and
// the same file name), so the runtime accepts it. build.mjs runs it with the target's own Node
// (a cache is valid only for the V8 version, flags and arch that made it) and a fixed random
// seed (V8's string hash seed derives from it; a random one makes every cache differ).
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { basename } = require('node:path');
const { compileFunction } = require('node:vm');

const [file, out] = process.argv.slice(2);
const fn = compileFunction(readFileSync(file, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], {
  filename: basename(file),
  produceCachedData: true,
});
if (!fn.cachedDataProduced || !fn.cachedData) throw new Error(`${file}: V8 produced no code cache`);
writeFileSync(out, fn.cachedData);
