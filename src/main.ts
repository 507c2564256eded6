// One executable, three faces. The face is picked from basename(argv0): `isulad` runs the daemon,
// anything else (normally `isula`) is the CLI. In a dev run (`node dist/isula.cjs ...`) the first
// argument may name the face instead: `node dist/isula.cjs isulad -g /tmp/root`.
// Each face is loaded inside its branch so the CLI never evaluates daemon code. In the shipped
// executable the daemon face is not even in this script: the build makes it a second bundle
// (isulad.cjs, a SEA asset in the executable, a file beside dist/isula.cjs in a dev build) that
// only `isulad` compiles, so `isula` parses and deserializes its own code only (docs/build.md).

import { basename, dirname, join } from 'node:path';
import { readSeaAssetFile, readSeaAssetText } from './util/sea-file.ts';

// The daemon bundle's file/asset name when the build split it off; undefined in one-bundle builds
// (armv7, whose Node 20.11 has no SEA assets, and `build.mjs bundle --entry=...` test trees).
declare const __ISULA_DAEMON_CHUNK__: string | undefined;

type Face = 'isulad' | 'isula';

function pickFace(argv0: string, args: string[]): { face: Face; args: string[] } {
  const name = basename(argv0);
  if (name === 'isulad' || name === 'isula') return { face: name, args };
  const first = args[0];
  if (first === 'isulad' || first === 'isula') return { face: first, args: args.slice(1) };
  const env = process.env['ISULA_FACE'];
  if (env === 'isulad' || env === 'isula') return { face: env, args };
  return { face: 'isula', args };
}

type DaemonFace = typeof import('./daemon/index.ts');

/** Runs the daemon bundle built beside this one (CommonJS that may require built-ins only). */
function loadDaemonChunk(name: string): DaemonFace {
  const sea = process.getBuiltinModule?.('node:sea');
  if (!sea?.isSea()) return require(join(__dirname, name)) as DaemonFace;
  const vm = process.getBuiltinModule('node:vm');
  // Read from the executable file where the build indexed the asset (util/sea-file.ts): read
  // through node:sea's mapping, its 2.5 MB would stay in the daemon's resident set.
  const source = readSeaAssetText(sea, name) ?? sea.getAsset(name, 'utf8');
  const params = ['exports', 'require', 'module', '__filename', '__dirname'];
  let cachedData: Buffer | undefined = readSeaAssetFile(sea, `${name}.cache`);
  if (!cachedData) {
    try {
      cachedData = Buffer.from(sea.getAsset(`${name}.cache`));
    } catch {
      cachedData = undefined; // builds without a code cache (arm64: made off its arch)
    }
  }
  const fn = vm.compileFunction(source, params, { filename: name, cachedData }) as ((...a: unknown[]) => void) & {
    cachedDataRejected?: boolean;
  };
  // As Node does for the main script's cache: say so, it costs every start ~25 ms of compiling.
  if (fn.cachedDataRejected === true) process.stderr.write(`isulad: the code cache of ${name} was rejected\n`);
  const module = { exports: {} as DaemonFace };
  fn(module.exports, require, module, process.execPath, dirname(process.execPath));
  return module.exports;
}

async function main(): Promise<void> {
  const { face, args } = pickFace(process.argv0, process.argv.slice(2));
  if (face === 'isulad') {
    const { runDaemon } = typeof __ISULA_DAEMON_CHUNK__ === 'string'
      ? loadDaemonChunk(__ISULA_DAEMON_CHUNK__)
      : await import('./daemon/index.ts');
    await runDaemon(args);
  } else {
    const { runCli, flushStdio } = await import('./cli/index.ts');
    const code = await runCli(args);
    // Exit as soon as the command is done, so a handle some command forgot to close cannot leave
    // the CLI hanging, but only after stdout and stderr are flushed: a stream's writes to a pipe
    // can be asynchronous, and exiting early would cut `isula inspect x | jq` short.
    process.exitCode = code;
    await flushStdio();
    process.exit(code);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
