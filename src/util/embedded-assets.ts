// Files the build carries inside the executable (today: "busybox.tar", the docker-save archive of
// the default image for the binary's own arch), so the engine works with no network or registry.
//
// Inside the single executable they are SEA assets (build.mjs `sea` writes them into the blob).
// Builds without SEA assets (armv7, Node 20.11) read them from assets/ beside the executable.
// In a dev run (`node dist/isula.cjs`, or tests running src/ directly) they are plain files in
// dist/assets/ beside the bundle (build.mjs `bundle` copies them there); ISULA_ASSET_DIR names
// another directory for that case. Nothing is read or cached until a caller asks: the assets can
// be megabytes and most commands never need them.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { invalidArgument } from './errors.ts';
import { readSeaAssetFile } from './sea-file.ts';

type SeaModule = {
  isSea(): boolean;
  getAsset(key: string): ArrayBuffer;
};

// node:sea is absent on Node 20.11 (the armv7 build) and process.getBuiltinModule arrived after
// it; either way there are no SEA assets there, so every failure means "not a SEA".
function seaModule(): SeaModule | undefined {
  try {
    if (typeof process.getBuiltinModule !== 'function') return undefined;
    const sea = process.getBuiltinModule('node:sea') as SeaModule | undefined;
    return sea && sea.isSea() ? sea : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where assets are files: $ISULA_ASSET_DIR, else assets/ beside the running script (a dev run of
 * dist/isula.cjs), else assets/ beside the executable. The last case is the armv7 build: its
 * Node 20.11 has no SEA assets, so its archive ships assets/busybox.tar next to isulad.
 */
export function devAssetDir(): string {
  const fromEnv = process.env['ISULA_ASSET_DIR'];
  if (fromEnv) return fromEnv;
  const script = process.argv[1];
  if (script && /\.(c?js|mjs|ts)$/.test(script)) return join(dirname(script), 'assets');
  return join(dirname(process.execPath), 'assets');
}

/** The asset's bytes, or undefined when this build does not carry it. */
export function readEmbeddedAsset(name: string): Buffer | undefined {
  // Asset names are flat keys; a path here would read outside the asset directory.
  if (name === '' || name.includes('/') || name === '.' || name === '..') {
    throw invalidArgument(`embedded asset name ${JSON.stringify(name)} is not a plain file name`);
  }
  const sea = seaModule();
  if (sea) {
    // from the file, not the mapping: pages read through the mapping stay in the daemon's RSS
    const fromFile = readSeaAssetFile(sea, name);
    if (fromFile) return fromFile;
    try {
      return Buffer.from(sea.getAsset(name));
    } catch {
      return undefined; // getAsset throws for a key the blob does not hold
    }
  }
  try {
    return readFileSync(join(devAssetDir(), name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
