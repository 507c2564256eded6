// pushImage (iSulad has no push). Two ways, by where the image came from:
// - pulled from a registry: pushed byte-identical. The image store keeps its manifest and config
//   bytes, and the compressed layer blobs are read back from the registry it was pulled from
//   (recorded in the image's digests as host/repo@digest), or simply mounted when the target is
//   that same registry. We do not keep a second, compressed copy of every layer on the device.
// - loaded, imported or committed: each layer's tar is rebuilt from the layer store (tar-split),
//   gzip'd on the fly while it uploads, and a new manifest (OCI when the image came with an OCI
//   manifest, else Docker v2 schema 2) is written over the original config bytes. The compressed
//   digest is remembered per layer (state store, 'meta' kind) with the repositories it went to, so
//   the next push HEADs, mounts or skips instead of compressing again.
import { Readable } from 'node:stream';
import { parseReference } from '../../image/reference.ts';
import type { ImageRecord } from '../../image/types.ts';
import { RegistryClient } from '../../image/registry/client.ts';
import type { CredentialStore } from '../../image/registry/credentials.ts';
import { endpointFor, hostOf } from '../../image/registry/endpoints.ts';
import type { RegistrySettings } from '../../image/registry/endpoints.ts';
import { parseManifest } from '../../image/registry/manifest.ts';
import { pushImage as pushToRegistry } from '../../image/registry/push-image.ts';
import type { PushBlob, PushEvent } from '../../image/registry/push-image.ts';
import type { EventBus } from '../../events/bus.ts';
import type { Credentials } from '../../image/registry/auth.ts';
import { failedPrecondition, invalidArgument, kindOf, messageOf, wrap } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { MT } from '../../image/registry/media-types.ts';
import { pushScope } from '../../image/registry/client.ts';
import { mountBlob, uploadCompressed } from '../../image/registry/push-image.ts';
import type { LayerTarSource } from '../../storage/types.ts';
import type { StateStore } from '../../store/types.ts';

export interface PushDeps {
  settings: RegistrySettings;
  credentials: CredentialStore;
  resolve(ref: string): ImageRecord | undefined;
  manifestBytes(id: string): Promise<Buffer | undefined>;
  configBytes(id: string): Promise<Buffer>;
  events?: EventBus | undefined;
  /** for images that did not come from a registry: their layers' tars */
  layerTar?: LayerTarSource['layerTar'];
  /** where compressed digests of pushed layers are remembered */
  store?: StateStore | undefined;
}

/** gzip level for layers compressed at push time (docs/registry.md: level 1 vs 6 measured) */
export const PUSH_GZIP_LEVEL = 1;
/** repositories remembered per layer, newest first (mount sources) */
const MAX_REPOS = 16;

/** What we know about a layer we compressed and pushed before ('meta' record). */
export interface PushedLayer {
  diffId: string;
  digest: string;
  size: number;
  /** "host/repo" it was pushed to or found in, newest first */
  repos: string[];
}

const pushedKey = (diffId: string) => `pushed-layer:${diffId}`;

/** A blob of a pulled image pushed as is ('meta' record): the repositories that have it. */
interface PushedBlob {
  digest: string;
  /** "host/repo", newest first */
  repos: string[];
}

const pushedBlobKey = (digest: string) => `pushed-blob:${digest}`;

/** "host/repo@digest" of a pulled image's origin, from its digests. */
function originOf(record: ImageRecord): { host: string; repo: string; digest: string } | undefined {
  for (const d of record.digests) {
    const at = d.lastIndexOf('@');
    const name = d.slice(0, at);
    const host = hostOf(name);
    if (host) return { host, repo: name.slice(host.length + 1), digest: d.slice(at + 1) };
  }
  return undefined;
}

export async function pushImage(deps: PushDeps, ref: string, opts: { signal?: AbortSignal; onEvent?: (e: PushEvent) => void } = {}): Promise<string> {
  const target = parseReference(ref);
  const host = hostOf(ref);
  if (!host) throw invalidArgument(`push needs a registry host in the image name, e.g. registry.local:5000/${target.repo}`);
  if (target.tag === undefined) throw invalidArgument('push needs a tag, not a digest');
  const record = deps.resolve(ref);
  if (!record) throw failedPrecondition(`No such image: ${ref}`);
  const origin = originOf(record);
  if (!origin) return await pushBuilt(deps, ref, host, target.tag, record, opts);
  const creds = async (h: string) => deps.credentials.get(h).catch(() => undefined);
  const source = new RegistryClient({ endpoint: endpointFor(origin.host, deps.settings), credentials: await creds(origin.host) });
  try {
    let manifestBytes: Buffer;
    try {
      // The original blobs come from the origin (or are mounted there): it must answer. If it
      // does not (an edge site cut off from where the image came from), the layers are
      // compressed from the layer store instead; the manifest is then a new one.
      if (origin.host !== host) await source.ping(opts.signal);
      const local = await deps.manifestBytes(record.id);
      manifestBytes = local && configDigestOf(local) === `sha256:${record.id}` ? local : await manifestFromOrigin(source, origin, record.id, opts.signal);
    } catch (err) {
      const kind = kindOf(err);
      if (!deps.layerTar || opts.signal?.aborted || !(kind === 'unavailable' || kind === 'deadline' || kind === 'failed-precondition' || kind === 'not-found')) throw err;
      log.with({ image: ref, origin: origin.host }).warn(`origin registry unusable, pushing layers compressed from the store: ${messageOf(err)}`);
      return await pushBuilt(deps, ref, host, target.tag, record, opts);
    }
    return await pushWith(deps, ref, host, target.tag, record, manifestBytes, source, origin, creds, opts);
  } finally {
    source.close();
  }
}

function configDigestOf(bytes: Buffer): string | undefined {
  try {
    const m = parseManifest(bytes);
    return m.kind === 'image' ? m.config.digest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The image's manifest, read back from where it was pulled: the image store keeps the manifest
 * only when the pull created the image (an image that already existed, e.g. the embedded busybox,
 * keeps none). By digest, or through the index it was selected from, matched on the config digest.
 */
async function manifestFromOrigin(source: RegistryClient, origin: { repo: string; digest: string }, id: string, signal?: AbortSignal): Promise<Buffer> {
  const top = await source.getManifest(origin.repo, origin.digest, signal);
  const m = parseManifest(top.bytes, top.mediaType);
  if (m.kind === 'image' && m.config.digest === `sha256:${id}`) return top.bytes;
  if (m.kind === 'index') {
    for (const entry of m.manifests.slice(0, 64)) {
      const sub = await source.getManifest(origin.repo, entry.digest, signal);
      if (configDigestOf(sub.bytes) === `sha256:${id}`) return sub.bytes;
    }
  }
  throw failedPrecondition(`the registry the image came from no longer has its manifest ${origin.digest}`);
}

async function pushWith(
  deps: PushDeps,
  ref: string,
  host: string,
  tag: string,
  record: ImageRecord,
  manifestBytes: Buffer,
  source: RegistryClient,
  origin: { host: string; repo: string },
  creds: (h: string) => Promise<Credentials | undefined>,
  opts: { signal?: AbortSignal; onEvent?: (e: PushEvent) => void },
): Promise<string> {
  const target = parseReference(ref);
  const manifest = parseManifest(manifestBytes);
  if (manifest.kind !== 'image') throw failedPrecondition(`image ${JSON.stringify(ref)} has a ${manifest.mediaType} manifest, which cannot be pushed`);
  const repo = target.repo.slice(host.length + 1);
  const configBytes = await deps.configBytes(record.id);
  const client = new RegistryClient({ endpoint: endpointFor(host, deps.settings), credentials: await creds(host) });
  const here = `${host}/${repo}`;
  // Mount sources: the origin when it is this registry, then the repositories of this registry the
  // blob was pushed to before (remembered by digest: these blobs are never compressed here).
  const mountFrom = (digest: string) => {
    const known = deps.store?.get<PushedBlob>('meta', pushedBlobKey(digest))?.repos ?? [];
    const mine = known.filter((r) => r !== here && r.startsWith(`${host}/`)).map((r) => r.slice(host.length + 1));
    return [...new Set([...(origin.host === host ? [origin.repo] : []), ...mine])];
  };
  const blobs: PushBlob[] = [
    { descriptor: manifest.config, open: async () => Readable.from([configBytes]), mountFrom: mountFrom(manifest.config.digest) },
    ...manifest.layers.map((l) => ({ descriptor: l, open: async (signal?: AbortSignal) => (await source.openBlob(origin.repo, l.digest, 0, signal)).body, mountFrom: mountFrom(l.digest) })),
  ];
  try {
    const r = await pushToRegistry(client, repo, tag, { bytes: manifestBytes, mediaType: manifest.mediaType }, blobs, opts);
    // Every blob is in the repository now: remembered for the next push to another repository.
    if (deps.store) {
      const store = deps.store;
      await store.batch(
        Object.keys(r.blobs).map((digest) => {
          const prev = store.get<PushedBlob>('meta', pushedBlobKey(digest))?.repos ?? [];
          return { op: 'put' as const, kind: 'meta' as const, id: pushedBlobKey(digest), value: { digest, repos: [here, ...prev.filter((x) => x !== here)].slice(0, MAX_REPOS) } };
        }),
      );
    }
    deps.events?.publish({ type: 'image', action: 'push', id: ref, attributes: {} });
    return r.digest;
  } catch (err) {
    throw wrap(err, `push image ${JSON.stringify(ref)}`);
  } finally {
    client.close();
  }
}

/**
 * Pushes an image that has no compressed blobs anywhere: layers gzip'd from the layer store (or
 * found by the digest remembered from an earlier push), then the config and a new manifest.
 */
async function pushBuilt(
  deps: PushDeps,
  ref: string,
  host: string,
  tag: string,
  record: ImageRecord,
  opts: { signal?: AbortSignal; onEvent?: (e: PushEvent) => void },
): Promise<string> {
  const { layerTar } = deps;
  if (!layerTar) throw failedPrecondition(`image ${JSON.stringify(ref)} was not pulled from a registry and its layers cannot be read`);
  const { signal } = opts;
  const repo = parseReference(ref).repo.slice(host.length + 1);
  const here = `${host}/${repo}`;
  const oci = isOci(await deps.manifestBytes(record.id));
  const configBytes = await deps.configBytes(record.id);
  const client = new RegistryClient({ endpoint: endpointFor(host, deps.settings), credentials: await deps.credentials.get(host).catch(() => undefined) });
  try {
    const layers: Array<{ mediaType: string; digest: string; size: number }> = [];
    let configFrom: string[] = [];
    for (const chainId of record.layers) {
      const t = layerTar(chainId);
      const known = deps.store?.get<PushedLayer>('meta', pushedKey(t.diffId));
      let desc: { digest: string; size: number } | undefined;
      if (known) {
        if (await client.hasBlob(repo, known.digest, signal, pushScope(repo))) {
          opts.onEvent?.({ type: 'blob', digest: t.diffId, status: 'exists' });
          desc = known;
        } else if (await mountBlob(client, repo, known.digest, known.repos.filter((r) => r.startsWith(`${host}/`)).map((r) => r.slice(host.length + 1)), signal)) {
          opts.onEvent?.({ type: 'blob', digest: t.diffId, status: 'mounted' });
          desc = known;
        }
      }
      if (!desc) {
        opts.onEvent?.({ type: 'blob', digest: t.diffId, status: 'pushing', done: 0, total: t.size });
        desc = await uploadCompressed(client, repo, {
          source: t.stream,
          diffId: t.diffId,
          level: PUSH_GZIP_LEVEL,
          ...(signal ? { signal } : {}),
          onProgress: (read) => opts.onEvent?.({ type: 'blob', digest: t.diffId, status: 'pushing', done: read, total: t.size }),
          // Remembered before the final PUT: a push killed right after can find it by HEAD.
          onDigest: async (d) => remember(deps.store, t.diffId, d, known),
        });
        opts.onEvent?.({ type: 'blob', digest: t.diffId, status: 'pushed' });
      }
      const prev = deps.store?.get<PushedLayer>('meta', pushedKey(t.diffId));
      // The repositories that held the top layer most likely hold this image's config too.
      configFrom = (prev?.digest === desc.digest ? prev.repos : []).filter((r) => r !== here && r.startsWith(`${host}/`)).map((r) => r.slice(host.length + 1));
      await remember(deps.store, t.diffId, desc, prev, here);
      layers.push({ mediaType: oci ? MT.ociLayerGzip : MT.dockerLayerGzip, digest: desc.digest, size: desc.size });
    }
    const config = { mediaType: oci ? MT.ociConfig : MT.dockerConfig, digest: `sha256:${record.id}`, size: configBytes.length };
    const mediaType = oci ? MT.ociManifest : MT.dockerManifest;
    const manifestBytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, config, layers }, null, 2));
    const r = await pushToRegistry(client, repo, tag, { bytes: manifestBytes, mediaType }, [{ descriptor: config, open: async () => Readable.from([configBytes]), mountFrom: configFrom }], opts);
    deps.events?.publish({ type: 'image', action: 'push', id: ref, attributes: {} });
    return r.digest;
  } catch (err) {
    throw wrap(err, `push image ${JSON.stringify(ref)}`);
  } finally {
    client.close();
  }
}

/** The image came with an OCI manifest (e.g. loaded from an OCI layout): push it as OCI again. */
function isOci(bytes: Buffer | undefined): boolean {
  if (!bytes) return false;
  try {
    const m = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown; config?: { mediaType?: unknown } };
    return m.mediaType === MT.ociManifest || (m.mediaType === undefined && m.config?.mediaType === MT.ociConfig);
  } catch {
    return false;
  }
}

async function remember(store: StateStore | undefined, diffId: string, d: { digest: string; size: number }, prev: PushedLayer | undefined, repo?: string): Promise<void> {
  if (!store) return;
  const same = prev && prev.digest === d.digest ? prev.repos : [];
  const repos = repo ? [repo, ...same.filter((r) => r !== repo)].slice(0, MAX_REPOS) : [...same];
  const next: PushedLayer = { diffId, digest: d.digest, size: d.size, repos };
  await store.put('meta', pushedKey(diffId), next);
}
