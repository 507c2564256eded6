// Contract of the layer store (src/storage/). Layers are addressed by chain ID, stored once,
// extracted, shared between images and reference-counted. A container gets a writable layer on top
// of its image's top layer; `mount` returns the merged rootfs directory.
import type { Readable } from 'node:stream';
import type { IdShift } from './id-shift.ts';

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
    opts: { expectedDiffId?: string; expectedBlobDigest?: string; verifiedBlobDigest?: string; signal?: AbortSignal },
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
  /**
   * Writable layer for a container on top of an image's top layer (null = empty rootfs). With
   * `external` (an absolute directory the engine does not manage) no layer is made: the record
   * says the rootfs is that directory, "mount" returns it as is, and remove never touches it.
   */
  createContainerLayer(containerId: string, parent: ChainId | null, external?: string): Promise<void>;
  /** Mounts overlay and returns the merged rootfs path. Idempotent. */
  mountContainerLayer(containerId: string): Promise<string>;
  unmountContainerLayer(containerId: string): Promise<void>;
  removeContainerLayer(containerId: string): Promise<void>;
  /**
   * The container's changes as a layer tar (whiteouts in tar form), read from its writable layer;
   * the caller keeps the container still (paused or stopped) until the stream ends. idShift: the
   * container's user-namespace mapping; the tar then carries the container's ids (id-shift.ts).
   */
  containerChanges(containerId: string, signal?: AbortSignal, idShift?: IdShift): Promise<Readable>;
  /** Paths for `inspect` GraphDriver.Data (an external rootfs: mergedDir is its directory, the others empty, `external` set). */
  containerLayerPaths(containerId: string): { lowerDir: string; upperDir: string; workDir: string; mergedDir: string; external?: true } | undefined;
}

/**
 * A layer extracted into the store's staging area, not yet visible (see LayerStager). Plain data
 * plus discard(), so the archive reader can hold staged layers without knowing the store.
 */
export interface StagedLayer {
  /** staging directory (the store's own) */
  dir: string;
  diffId: string;
  blobDigest: string;
  /** bytes of extracted content */
  size: number;
  /** bytes of the uncompressed tar */
  tarSize: number;
  /** set once renamed into place as that chain */
  committedAs?: ChainId;
  /** removes the staged files (a no-op once committed) */
  discard(): Promise<void>;
}

/**
 * A layer blob's bytes from a producer that takes its buffers back: the extraction returns each
 * chunk once nothing refers to it any more (decompress.ts, after inflating it), and the producer
 * reads the next bytes into that memory instead of a fresh buffer. A pull otherwise allocated
 * every byte of every blob twice (socket, read-back), and V8 frees a Buffer's memory only in a GC.
 */
export interface RecyclingByteSource extends AsyncIterable<Buffer> {
  /** `chunk` (as yielded) is not referred to by the consumer any more */
  recycle(chunk: Buffer): void;
  /** ends the producer (its file) when the consumer stopped before the end */
  close(): Promise<void>;
}

/** Two-step apply, for archives that carry layers before the manifest that orders them. */
export interface LayerStager {
  /** Extracts a layer blob (gzip/zstd/plain, detected) without knowing its parent yet. */
  stage(tar: Readable, opts?: { expectedBlobDigest?: string; verifiedBlobDigest?: string; signal?: AbortSignal }): Promise<StagedLayer>;
  /**
   * Makes a staged layer visible on top of parent, with one reference for the caller (release()
   * it, or hand it to the image store). Verifies the diff ID when `expectedDiffId` is given.
   */
  commitStaged(staged: StagedLayer, parent: ChainId | null, expectedDiffId?: string): Promise<LayerInfo>;
}

/** A layer's uncompressed tar, reassembled (docker-save of an image). */
export interface LayerTarSource {
  layerTar(chainId: ChainId): { size: number; diffId: string; stream: AsyncIterable<Buffer> };
}

export type LayerStore = LayerReader & LayerWriter & ContainerLayers;
