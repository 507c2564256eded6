// pushImage (iSulad has no push). What can be pushed byte-identical is an image that came from a
// registry: the image store keeps its manifest and config bytes, and the compressed layer blobs
// are read back from the registry it was pulled from (recorded in the image's digests as
// host/repo@digest), or simply mounted when the target is that same registry. We do not keep a
// second, compressed copy of every layer on the device: flash space is the scarce resource, and
// a gzip regenerated from the extracted layer would not hash the same anyway.
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
import { failedPrecondition, invalidArgument, wrap } from '../../util/errors.ts';

export interface PushDeps {
  settings: RegistrySettings;
  credentials: CredentialStore;
  resolve(ref: string): ImageRecord | undefined;
  manifestBytes(id: string): Promise<Buffer | undefined>;
  configBytes(id: string): Promise<Buffer>;
  events?: EventBus | undefined;
}

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
  if (!origin) {
    throw failedPrecondition(`image ${JSON.stringify(ref)} was not pulled from a registry: only pulled images can be pushed (their original manifest and blobs are needed)`);
  }
  const creds = async (h: string) => deps.credentials.get(h).catch(() => undefined);
  const source = new RegistryClient({ endpoint: endpointFor(origin.host, deps.settings), credentials: await creds(origin.host) });
  try {
    const local = await deps.manifestBytes(record.id);
    const manifestBytes = local && configDigestOf(local) === `sha256:${record.id}` ? local : await manifestFromOrigin(source, origin, record.id, opts.signal);
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
  const mountFrom = origin.host === host ? [origin.repo] : [];
  const blobs: PushBlob[] = [
    { descriptor: manifest.config, open: async () => Readable.from([configBytes]), mountFrom },
    ...manifest.layers.map((l) => ({ descriptor: l, open: async (signal?: AbortSignal) => (await source.openBlob(origin.repo, l.digest, 0, signal)).body, mountFrom })),
  ];
  try {
    const r = await pushToRegistry(client, repo, tag, { bytes: manifestBytes, mediaType: manifest.mediaType }, blobs, opts);
    deps.events?.publish({ type: 'image', action: 'push', id: ref, attributes: {} });
    return r.digest;
  } catch (err) {
    throw wrap(err, `push image ${JSON.stringify(ref)}`);
  } finally {
    client.close();
  }
}
