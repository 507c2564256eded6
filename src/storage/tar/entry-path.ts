// Layer tar entry names → safe relative paths, and OCI/Docker whiteout names → overlay actions.
// Pure functions (table-tested); everything that touches the disk is in extract.ts.
import { invalidArgument } from '../../util/errors.ts';

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

/**
 * Components of an entry name, relative to the layer root ([] is the root itself). Leading "./"
 * and empty or "." components are dropped; absolute names, ".." components and NUL are refused:
 * a layer never names anything outside its own root.
 */
export function entryComponents(name: string): string[] {
  if (name.includes('\0')) throw invalidArgument(`tar entry ${JSON.stringify(name)}: NUL in name`);
  if (name.startsWith('/')) throw invalidArgument(`tar entry ${JSON.stringify(name)}: absolute path`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw invalidArgument(`tar entry ${JSON.stringify(name)}: ".." component`);
  return parts;
}

/**
 * A layer member's own name: as entryComponents, but an absolute name counts from the layer root
 * (docker and containerd extract "/" and "/etc/x" that way; umoci writes a "/" entry). Link
 * targets stay strict (entryComponents).
 */
export function memberComponents(name: string): string[] {
  return entryComponents(name.replace(/^\/+/, ''));
}

export type WhiteoutAction =
  | { kind: 'whiteout'; target: string[] } // `.wh.x` → char device 0:0 at x
  | { kind: 'opaque'; dir: string[] } // `.wh..wh..opq` → trusted.overlay.opaque=y on the dir
  | { kind: 'ignore' } // other `.wh..wh.` metadata (e.g. aufs `.wh..wh.plnk`)
  | { kind: 'none' };

export function whiteoutAction(parts: string[]): WhiteoutAction {
  const base = parts.at(-1);
  if (base === undefined || !base.startsWith(WHITEOUT_PREFIX)) return { kind: 'none' };
  const dir = parts.slice(0, -1);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir };
  if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) return { kind: 'ignore' };
  const name = base.slice(WHITEOUT_PREFIX.length);
  if (name === '' || name === '.' || name === '..') throw invalidArgument(`tar entry ${JSON.stringify(parts.join('/'))}: invalid whiteout`);
  return { kind: 'whiteout', target: [...dir, name] };
}
