// Where the overlay driver keeps things under <graph>/storage/overlay (iSulad's layout, §5.1):
//   <chain-hex>/diff            extracted layer content (an overlay lowerdir)
//   <chain-hex>/link            the layer's short link name
//   <chain-hex>/tar-split.gz    tar headers, to rebuild the layer tar for `save` (tar/tar-split.ts)
//   l/<26 chars> -> ../<chain-hex>/diff
//                               short names keep `lowerdir=l/A:l/B:...` for 128 layers under the
//                               kernel's one-page mount option limit (128 × 29 bytes ≈ 3.7 KiB)
//   <container-id>/{diff,work,merged}   a container's writable layer
//   tmp/<random>/               extraction in progress; removed at start (kill -9 leftovers)
//   .whiteout-<n>               shared 0:0 char devices every whiteout hard-links to
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export const MAX_LAYER_DEPTH = 128;
export const LINK_DIR = 'l';
export const TMP_DIR = 'tmp';
export const SPLIT_FILE = 'tar-split.gz';

export function hexOf(chainId: string): string {
  return chainId.startsWith('sha256:') ? chainId.slice(7) : chainId;
}

export class OverlayLayout {
  readonly root: string; // <graph>/storage/overlay
  constructor(root: string) {
    this.root = root;
  }
  layerDir(chainId: string): string {
    return join(this.root, hexOf(chainId));
  }
  diffDir(chainId: string): string {
    return join(this.layerDir(chainId), 'diff');
  }
  splitFile(chainId: string): string {
    return join(this.layerDir(chainId), SPLIT_FILE);
  }
  linkPath(link: string): string {
    return join(this.root, LINK_DIR, link);
  }
  tmpDir(): string {
    return join(this.root, TMP_DIR);
  }
  containerDir(id: string): string {
    return join(this.root, id);
  }
}

const LINK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A 26-character short link name (docker's length and alphabet). */
export function newLinkName(): string {
  const b = randomBytes(26);
  let s = '';
  for (const x of b) s += LINK_ALPHABET[x % LINK_ALPHABET.length];
  return s;
}
