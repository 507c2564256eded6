// Types for image-archive.mjs (plain JS so that build.sh can run it on the system node).
export const MEDIA: {
  ociIndex: string; ociManifest: string; ociConfig: string; ociLayer: string; ociLayerGzip: string;
};
export const DEFAULT_PATH: string;
export function sha256(buf: Buffer | string): string;
export function gzipDeterministic(buf: Buffer): Buffer;
export interface Layer {
  /** sha256:<hex> of the uncompressed tar */
  diffId: string;
  /** bytes shipped in the archive (gzip'd or the tar itself) */
  blob: Buffer;
  /** sha256:<hex> of blob */
  digest: string;
  mediaType: string;
}
export function makeLayer(tar: Buffer, opts?: { gzip?: boolean }): Layer;
export interface HistoryEntry { created_by?: string; empty_layer?: boolean; comment?: string }
export function imageConfig(opts: {
  arch: string;
  variant?: string;
  created: string;
  diffIds: string[];
  env?: string[];
  /** null: no Cmd */
  cmd?: string[] | null;
  history?: HistoryEntry[];
  extra?: Record<string, unknown>;
}): Buffer;
export interface SaveImage { config: Buffer; layers: Layer[]; repoTags: string[] }
export function dockerSaveArchive(images: SaveImage[], opts?: { mtime?: number }): Buffer;
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string; variant?: string };
}
export function ociManifest(opts: { config: Buffer; layers: Layer[]; platform?: Descriptor['platform'] }): {
  bytes: Buffer;
  descriptor: Descriptor;
  blobs: Buffer[];
};
export function ociIndex(descriptors: Descriptor[]): { bytes: Buffer; descriptor: Descriptor };
export function ociLayoutArchive(opts: {
  refs: Array<{ name: string; descriptor: Descriptor }>;
  blobs: Buffer[];
  mtime?: number;
}): Buffer;
