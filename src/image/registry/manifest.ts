// Parsing and validation of manifests as they come off the wire: Docker v2s2, OCI manifest, Docker
// manifest list, OCI index, and schema1 (read-only, signature ignored). Pure: bytes in, a typed
// value or an `invalid-argument` error out. Anything we would not know how to store is refused
// here, before a single layer is fetched.
import { invalidArgument } from '../../util/errors.ts';
import { isDigest } from './digest.ts';
import { CONFIG_MEDIA_TYPES, LAYER_MEDIA_TYPES, MT, isIndexType, isSchema1Type } from './media-types.ts';
import type { Platform } from './platform.ts';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  platform?: Platform;
}

export interface IndexManifest {
  kind: 'index';
  mediaType: string;
  manifests: Descriptor[];
}

export interface ImageManifest {
  kind: 'image';
  mediaType: string;
  config: Descriptor;
  /** bottom → top */
  layers: Descriptor[];
}

export interface Schema1Manifest {
  kind: 'schema1';
  mediaType: string;
  architecture: string;
  /** bottom → top, empty ("throwaway") layers removed */
  layers: Array<{ digest: string; v1: Record<string, unknown> }>;
  /** v1Compatibility of the top entry: the image config of a schema1 image */
  top: Record<string, unknown>;
}

export type Manifest = IndexManifest | ImageManifest | Schema1Manifest;

export const MAX_MANIFEST_BYTES = 4 << 20;
const MAX_ENTRIES = 1024;
/** A layer or manifest may not claim more than this (1 TiB): it keeps size arithmetic exact. */
const MAX_BLOB_SIZE = 2 ** 40;

function fail(why: string): never {
  throw invalidArgument(`invalid manifest: ${why}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function descriptorOf(v: unknown, where: string): Descriptor {
  if (!isObject(v)) fail(`${where} is not an object`);
  const { mediaType, digest, size, urls, platform } = v;
  if (typeof mediaType !== 'string' || mediaType === '') fail(`${where} has no mediaType`);
  if (!isDigest(digest)) fail(`${where} has an invalid digest ${JSON.stringify(digest)}`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || size > MAX_BLOB_SIZE) fail(`${where} has an invalid size ${JSON.stringify(size)}`);
  const d: Descriptor = { mediaType, digest, size };
  if (Array.isArray(urls) && urls.every((u) => typeof u === 'string')) d.urls = urls as string[];
  if (isObject(platform) && typeof platform.os === 'string' && typeof platform.architecture === 'string') {
    d.platform = { os: platform.os, architecture: platform.architecture };
    if (typeof platform.variant === 'string' && platform.variant !== '') d.platform.variant = platform.variant;
  }
  return d;
}

/** The media type a response carries: the body's own field wins over a generic Content-Type. */
function mediaTypeOf(doc: Record<string, unknown>, contentType: string | undefined): string {
  const ct = (contentType ?? '').split(';')[0]?.trim() ?? '';
  if (typeof doc.mediaType === 'string' && doc.mediaType !== '') return doc.mediaType;
  if (doc.schemaVersion === 1) return MT.dockerSchema1Signed;
  if (ct !== '' && ct !== 'application/json' && ct !== 'application/octet-stream' && ct !== 'text/plain') return ct;
  // OCI allows an index or manifest without mediaType: tell them apart by shape.
  if (Array.isArray(doc.manifests)) return MT.ociIndex;
  if (isObject(doc.config)) return MT.ociManifest;
  return ct;
}

export function parseManifest(bytes: Buffer, contentType?: string): Manifest {
  if (bytes.length > MAX_MANIFEST_BYTES) fail(`larger than ${MAX_MANIFEST_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    fail('not JSON');
  }
  if (!isObject(doc)) fail('not a JSON object');
  const mediaType = mediaTypeOf(doc, contentType);
  if (isIndexType(mediaType)) {
    if (doc.schemaVersion !== 2) fail(`schemaVersion ${JSON.stringify(doc.schemaVersion)} for ${mediaType}`);
    if (!Array.isArray(doc.manifests)) fail('index has no manifests');
    if (doc.manifests.length > MAX_ENTRIES) fail(`index has more than ${MAX_ENTRIES} entries`);
    return { kind: 'index', mediaType, manifests: doc.manifests.map((m, i) => descriptorOf(m, `manifests[${i}]`)) };
  }
  if (mediaType === MT.ociManifest || mediaType === MT.dockerManifest) {
    if (doc.schemaVersion !== 2) fail(`schemaVersion ${JSON.stringify(doc.schemaVersion)} for ${mediaType}`);
    const config = descriptorOf(doc.config, 'config');
    if (!CONFIG_MEDIA_TYPES.has(config.mediaType)) {
      throw invalidArgument(`unsupported config media type ${JSON.stringify(config.mediaType)}: not a container image`);
    }
    if (!Array.isArray(doc.layers)) fail('no layers');
    if (doc.layers.length > MAX_ENTRIES) fail(`more than ${MAX_ENTRIES} layers`);
    const layers = doc.layers.map((l, i) => descriptorOf(l, `layers[${i}]`));
    for (const l of layers) {
      if (!LAYER_MEDIA_TYPES.has(l.mediaType)) throw invalidArgument(`unsupported layer media type ${JSON.stringify(l.mediaType)}`);
    }
    return { kind: 'image', mediaType, config, layers };
  }
  if (isSchema1Type(mediaType)) return parseSchema1(doc, mediaType);
  throw invalidArgument(`unsupported manifest media type ${JSON.stringify(mediaType)}`);
}

function parseSchema1(doc: Record<string, unknown>, mediaType: string): Schema1Manifest {
  const { fsLayers, history, architecture } = doc;
  if (!Array.isArray(fsLayers) || !Array.isArray(history) || fsLayers.length !== history.length || fsLayers.length === 0) {
    fail('schema1 fsLayers and history do not line up');
  }
  if (fsLayers.length > MAX_ENTRIES) fail(`more than ${MAX_ENTRIES} layers`);
  const layers: Schema1Manifest['layers'] = [];
  let top: Record<string, unknown> | undefined;
  // schema1 lists the top layer first.
  for (let i = fsLayers.length - 1; i >= 0; i--) {
    const f = fsLayers[i];
    const h = history[i];
    if (!isObject(f) || !isDigest(f.blobSum)) fail(`fsLayers[${i}] has no valid blobSum`);
    if (!isObject(h) || typeof h.v1Compatibility !== 'string') fail(`history[${i}] has no v1Compatibility`);
    let v1: unknown;
    try {
      v1 = JSON.parse(h.v1Compatibility);
    } catch {
      fail(`history[${i}].v1Compatibility is not JSON`);
    }
    if (!isObject(v1)) fail(`history[${i}].v1Compatibility is not an object`);
    if (i === 0) top = v1;
    if (v1.throwaway === true) continue;
    layers.push({ digest: f.blobSum, v1 });
  }
  return { kind: 'schema1', mediaType, architecture: typeof architecture === 'string' ? architecture : '', layers, top: top ?? {} };
}
