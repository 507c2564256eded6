// Layer metadata as kept in the StateStore (kind 'layer'). Image layers are keyed by chain ID
// ("sha256:..."), container layers by "rw:<container-id>", so the two never collide.
import type { ChainId } from '../types.ts';

export interface LayerRecord {
  chainId: ChainId;
  diffId: string;
  parent: ChainId | null;
  /** bytes of regular file content */
  size: number;
  /** bytes of the uncompressed layer tar (what `save` writes) */
  tarSize: number;
  /** short link name under l/ */
  link: string;
  /** digest of the blob it was extracted from, when known ("sha256:...") */
  compressedDigest?: string;
  created: string;
}

export interface ContainerLayerRecord {
  containerId: string;
  parent: ChainId | null;
  created: string;
  /** --external-rootfs: the container runs from this directory itself (no overlay, never removed) */
  external?: string;
}

export const RW_PREFIX = 'rw:';
export const rwKey = (containerId: string) => RW_PREFIX + containerId;

export function isContainerLayer(v: unknown): v is ContainerLayerRecord {
  return typeof v === 'object' && v !== null && 'containerId' in v;
}
