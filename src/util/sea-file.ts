// Reads a SEA asset from the executable FILE instead of through Node's mapping of it.
//
// node:sea's getAsset() reads the asset out of the executable's mapped blob: every page read stays
// mapped in the process and counts in its RSS for the life of the daemon (the 2.2 MB daemon bundle,
// its code cache, the lcr helper at each start and the 1 MB busybox archive on a first start were
// 3.4 MB of the idle daemon's resident file pages: docs/performance.md). A pread(2) of the same
// bytes goes through the page cache only. The build (build.mjs `sea`) writes the assets' file
// offsets into the small asset ASSET_INDEX after injecting the blob; /proc/self/exe is the file
// this process runs even if the path was replaced since (an upgrade while the daemon runs).
//
// No imports beyond node:fs: src/main.ts uses this before any face is loaded.

import { closeSync, openSync, readSync } from 'node:fs';

export const ASSET_INDEX = 'asset-index';

export interface SeaAssets {
  getAsset(key: string): ArrayBuffer;
}

let index: Map<string, [number, number]> | null | undefined;

function assetIndex(sea: SeaAssets): Map<string, [number, number]> | null {
  if (index !== undefined) return index;
  index = null;
  try {
    const raw = Buffer.from(sea.getAsset(ASSET_INDEX));
    const parsed = JSON.parse(raw.toString('latin1')) as { at?: unknown; assets?: Record<string, unknown> };
    // The index's own bytes must be found in /proc/self/exe where the build put them: proof that
    // the file read is this executable (and not, say, an emulator's binary under qemu-user).
    if (typeof parsed.at !== 'number' || !sameBytesInFile(parsed.at, raw)) return index;
    const m = new Map<string, [number, number]>();
    for (const [name, v] of Object.entries(parsed.assets ?? {})) {
      if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && Number.isSafeInteger(v[1])) m.set(name, [v[0] as number, v[1] as number]);
    }
    index = m;
  } catch {
    // a build without the index (or an unfilled one): callers fall back to getAsset
  }
  return index;
}

function sameBytesInFile(offset: number, expect: Buffer): boolean {
  let fd: number | undefined;
  try {
    fd = openSync('/proc/self/exe', 'r');
    const buf = Buffer.alloc(expect.length);
    return readSync(fd, buf, 0, buf.length, offset) === buf.length && buf.equals(expect);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Calls onChunk with the asset's bytes in order (views of one reused buffer); false if unread. */
function readChunks(sea: SeaAssets, name: string, chunkSize: number, onChunk: (b: Buffer) => void): boolean {
  const entry = assetIndex(sea)?.get(name);
  if (!entry) return false;
  const [offset, length] = entry;
  let fd: number;
  try {
    fd = openSync('/proc/self/exe', 'r');
  } catch {
    return false;
  }
  try {
    const buf = Buffer.allocUnsafeSlow(Math.min(chunkSize, length));
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, length - got), offset + got);
      if (n === 0) return false; // shorter file than the index says: not ours to trust
      onChunk(buf.subarray(0, n));
      got += n;
    }
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** The asset's bytes read from the executable file, or undefined (no index entry, no /proc). */
export function readSeaAssetFile(sea: SeaAssets, name: string): Buffer | undefined {
  const entry = assetIndex(sea)?.get(name);
  if (!entry) return undefined;
  const length = entry[1];
  const parts: Buffer[] = [];
  // one read normally covers it all (the view is then kept: nothing reuses its buffer after)
  const ok = readChunks(sea, name, length, (b) => parts.push(parts.length === 0 && b.length === length ? b : Buffer.from(b)));
  if (!ok) return undefined;
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, length);
}

/**
 * The asset as UTF-8 text, read in 256 KiB pieces: a 2 MB script read whole would leave a 2 MB
 * Buffer outside V8's heap until some later collection finds it dead.
 */
export function readSeaAssetText(sea: SeaAssets, name: string): string | undefined {
  const dec = new TextDecoder();
  const parts: string[] = [];
  if (!readChunks(sea, name, 256 << 10, (b) => parts.push(dec.decode(b, { stream: true })))) return undefined;
  parts.push(dec.decode());
  return parts.join('');
}
