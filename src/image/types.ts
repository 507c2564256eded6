// Contract of the image store (src/image/). The image module knows nothing of containers.
import type { ImageRuntimeConfig } from '../types/image-config.ts';

export type { ImageRuntimeConfig };

/** The OCI image configuration blob (application/vnd.oci.image.config.v1+json). */
export interface ImageConfigBlob {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  variant?: string;
  config?: ImageRuntimeConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: Array<{ created?: string; created_by?: string; empty_layer?: boolean; comment?: string }>;
}

export interface ImageRecord {
  id: string; // config digest hex (64 chars, no "sha256:")
  names: string[]; // normalised "repo:tag", e.g. "busybox:latest"
  digests: string[]; // "repo@sha256:..." when known
  topLayer: string | null; // chain ID of the top layer
  layers: string[]; // chain IDs bottom → top
  size: number; // bytes of extracted layer content
  created: string; // RFC 3339 from the config
  loaded: string; // RFC 3339, when this engine stored it
  config: ImageConfigBlob;
}

export interface ImageResolver {
  /** Resolves a user reference (name[:tag], name@digest, full or short ID) to an image. */
  resolve(ref: string): ImageRecord | undefined;
}
