// Contract of the layer store (src/storage/). Layers are addressed by chain ID, stored once,
// extracted, shared between images and reference-counted. A container gets a writable layer on top
// of its image's top layer; `mount` returns the merged rootfs directory.
import type { Readable } from 'node:stream';

export type ChainId = string; // "sha256:<hex>"

export interface LayerInfo {
  chainId: ChainId;
  diffId: string; // sha256 of the uncompressed tar
  parent: ChainId | null;
  size: number; // bytes of extracted content
}

export interface LayerReader {
  stat(chainId: ChainId): LayerInfo | undefined;
  has(chainId: ChainId): boolean;
}

export interface LayerWriter {
  /**
   * Extracts one layer tar (gzip/zstd/plain, detected) on top of `parent`. Verifies the diff ID when
   * `expectedDiffId` is given. Idempotent: an existing chain ID is returned without extracting
   * (with `expectedDiffId` the chain ID is known up front and `tar` is destroyed unread).
   */
  apply(
    parent: ChainId | null,
    tar: Readable,
    opts: { expectedDiffId?: string; expectedBlobDigest?: string; signal?: AbortSignal },
  ): Promise<LayerInfo>;
  /** Adds one reference (the image store holds each image's top layer this way). */
  hold(chainId: ChainId): void;
  /**
   * Drops one reference; the layer is deleted when nothing holds it. References are in memory:
   * apply() gives its caller one, a child layer and a container layer hold their parent, the
   * image store holds tops. At start, layers nothing holds are collected (kill -9 leftovers).
   */
  release(chainId: ChainId): Promise<void>;
}

export interface ContainerLayers {
  /** Writable layer for a container on top of an image's top layer (null = empty rootfs). */
  createContainerLayer(containerId: string, parent: ChainId | null): Promise<void>;
  /** Mounts overlay and returns the merged rootfs path. Idempotent. */
  mountContainerLayer(containerId: string): Promise<string>;
  unmountContainerLayer(containerId: string): Promise<void>;
  removeContainerLayer(containerId: string): Promise<void>;
  /** Paths for `inspect` GraphDriver.Data. */
  containerLayerPaths(containerId: string): { lowerDir: string; upperDir: string; workDir: string; mergedDir: string } | undefined;
}

export type LayerStore = LayerReader & LayerWriter & ContainerLayers;
