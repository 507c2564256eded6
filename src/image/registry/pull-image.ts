// Pulls one image from one registry endpoint into the layer store: manifest (and platform
// selection from an index), config, then layers. Layers the store already has are skipped; the
// others download at most `concurrency` at a time (resumable, verified, shared with concurrent
// pulls, see blob-download.ts) and are applied bottom-up as soon as each one and its parent are
// ready, so extraction overlaps the downloads still running. With a store that stages (the
// overlay store), every downloading layer is also extracted at once into staging, in parallel
// with the others (decompression and file writes run on libuv's thread pool, so they spread over
// the cores), and only the commit waits for the parent.
//
// On success every returned layer holds one reference for the caller (the image store's add()
// consumes them). On failure every reference taken is released, so a failed pull leaves no layer
// that nothing holds, and the partial blob files stay only when a retry could resume them.
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ChainId, LayerInfo, RecyclingByteSource, StagedLayer } from '../../storage/types.ts';
import type { ImageConfigBlob } from '../types.ts';
import { parseImageConfig } from '../image-config.ts';
import { canceled, dataLoss, invalidArgument, messageOf, notFound, wrap } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import type { BlobDownloader, BlobLease } from './blob-download.ts';
import type { FetchedManifest, RegistryClient } from './client.ts';
import { parseManifest } from './manifest.ts';
import type { Descriptor, ImageManifest, Manifest, Schema1Manifest } from './manifest.ts';
import { formatPlatform, selectPlatform } from './platform.ts';
import type { Platform } from './platform.ts';

/** What a pull needs from the layer store (the overlay store implements it). */
export interface PullLayerAccess {
  has(chainId: ChainId): boolean;
  stat(chainId: ChainId): LayerInfo | undefined;
  /** one more reference on an existing layer */
  hold(chainId: ChainId): void;
  release(chainId: ChainId): Promise<void>;
  /** extracts a layer on top of parent; returns it holding one reference for the caller */
  apply(parent: ChainId | null, tar: Readable, opts: { expectedDiffId?: string; verifiedBlobDigest?: string; signal?: AbortSignal }): Promise<LayerInfo>;
  /**
   * Optional two-step apply (the layer store has it): layers are then extracted in parallel as
   * they download, each into staging, and committed bottom-up, every run of layers that are ready
   * at once as one group (one sync for all of them).
   */
  stage?(tar: Readable | RecyclingByteSource, opts: { verifiedBlobDigest?: string; signal?: AbortSignal }): Promise<StagedLayer>;
  /** commits staged layers stacked bottom-up on parent, durable together (one sync) */
  commitStagedChain?(items: ReadonlyArray<{ staged: StagedLayer; expectedDiffId?: string }>, parent: ChainId | null): Promise<LayerInfo[]>;
}

export type LayerStatus = 'exists' | 'waiting' | 'downloading' | 'downloaded' | 'extracting' | 'done';

export type PullEvent =
  | { type: 'manifest'; digest: string; mediaType: string; layers: number }
  | { type: 'layer'; digest: string; status: LayerStatus; done?: number; total?: number };

export interface PullOptions {
  platform: Platform;
  /** true when the platform was asked for (--platform): a single-arch image of another platform is refused */
  platformExplicit?: boolean;
  signal?: AbortSignal;
  onEvent?: (ev: PullEvent) => void;
}

export interface PulledImage {
  /** the digest the reference resolved to (the index's when there was one): the RepoDigest */
  digest: string;
  /** the image manifest exactly as received (for push back and inspect) */
  manifest: FetchedManifest;
  /** the index it was selected from, if any */
  index?: FetchedManifest;
  /** config JSON exactly as received; its sha256 is the image ID (synthesised for schema1) */
  configBytes: Buffer;
  config: ImageConfigBlob;
  /** bottom → top, each holding one reference for the caller */
  layers: LayerInfo[];
}

/** Config blobs are small JSON; anything bigger is not an image config. */
const MAX_CONFIG_BYTES = 8 << 20;
const DEFAULT_CONCURRENCY = 3;

export function chainIdsOf(diffIds: readonly string[]): ChainId[] {
  const out: ChainId[] = [];
  let parent: string | null = null;
  for (const d of diffIds) {
    parent = parent === null ? d : `sha256:${createHash('sha256').update(`${parent} ${d}`).digest('hex')}`;
    out.push(parent);
  }
  return out;
}

export class Puller {
  private readonly layers: PullLayerAccess;
  private readonly downloader: BlobDownloader;
  private readonly concurrency: number;
  /** applies running now, by chain ID: concurrent pulls of images sharing a layer extract it once */
  private readonly applying = new Map<ChainId, Promise<LayerInfo>>();

  constructor(opts: { layers: PullLayerAccess; downloader: BlobDownloader; concurrency?: number }) {
    this.layers = opts.layers;
    this.downloader = opts.downloader;
    this.concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  }

  /** Pulls `repo` (path on the registry, e.g. "library/busybox") at `reference` (tag or digest). */
  async pull(client: RegistryClient, repo: string, reference: string, opts: PullOptions): Promise<PulledImage> {
    const { signal } = opts;
    const top = await client.getManifest(repo, reference, signal);
    let parsed = parseManifest(top.bytes, top.mediaType);
    let manifest = top;
    let index: FetchedManifest | undefined;
    if (parsed.kind === 'index') {
      index = top;
      const i = selectPlatform(parsed.manifests, opts.platform);
      const entry = parsed.manifests[i];
      if (!entry) {
        const have = parsed.manifests.map((m) => (m.platform ? formatPlatform(m.platform) : '?')).join(', ');
        throw notFound(`no matching manifest for ${formatPlatform(opts.platform)} in the manifest list entries (have: ${have})`);
      }
      manifest = await client.getManifest(repo, entry.digest, signal);
      if (manifest.bytes.length !== entry.size) throw dataLoss(`manifest ${entry.digest}: ${manifest.bytes.length} bytes, index says ${entry.size}`);
      parsed = parseManifest(manifest.bytes, manifest.mediaType || entry.mediaType);
      if (parsed.kind === 'index') throw invalidArgument(`manifest ${entry.digest}: nested index is not supported`);
    }
    const layerCount = parsed.kind === 'image' ? parsed.layers.length : parsed.layers.length;
    opts.onEvent?.({ type: 'manifest', digest: top.digest, mediaType: parsed.mediaType, layers: layerCount });
    if (parsed.kind === 'schema1') return this.pullSchema1(client, repo, top, parsed, opts);
    return this.pullImage(client, repo, top.digest, manifest, parsed, index, opts, signal);
  }

  private async pullImage(
    client: RegistryClient,
    repo: string,
    digest: string,
    manifest: FetchedManifest,
    m: ImageManifest,
    index: FetchedManifest | undefined,
    opts: PullOptions,
    signal: AbortSignal | undefined,
  ): Promise<PulledImage> {
    if (m.config.size > MAX_CONFIG_BYTES) throw invalidArgument(`image config of ${m.config.size} bytes is larger than ${MAX_CONFIG_BYTES}`);
    const configBytes = await client.getSmallBlob(repo, m.config.digest, m.config.size, signal);
    const config = parseImageConfig(configBytes);
    if (config.rootfs.diff_ids.length !== m.layers.length) {
      throw invalidArgument(`image config lists ${config.rootfs.diff_ids.length} diff IDs for ${m.layers.length} layers`);
    }
    if (opts.platformExplicit && !index && (config.os !== opts.platform.os || config.architecture !== opts.platform.architecture)) {
      throw notFound(`image is ${config.os}/${config.architecture}, not the requested ${formatPlatform(opts.platform)}`);
    }
    const layers = await this.fetchAndApply(client, repo, m.layers, config.rootfs.diff_ids, opts);
    return { digest, manifest, ...(index ? { index } : {}), configBytes, config, layers };
  }

  /**
   * The heart of a pull. Returns LayerInfo per layer, each with one reference held for the caller.
   * `diffIds` may be empty strings for schema1 (unknown until extracted).
   */
  private async fetchAndApply(client: RegistryClient, repo: string, descs: Descriptor[], diffIds: readonly string[], opts: PullOptions): Promise<LayerInfo[]> {
    const { signal, onEvent } = opts;
    const known = diffIds.every((d) => d !== '');
    const chain = known ? chainIdsOf(diffIds) : [];
    // A chain ID includes all layers below it: find the highest one we have, skip it and below.
    let present = -1;
    if (known) for (let i = chain.length - 1; i >= 0; i--) if (this.layers.has(chain[i] as string)) { present = i; break; }
    const held: LayerInfo[] = [];
    const leases: Array<Promise<BlobLease> | undefined> = [];
    const staging: Array<Promise<StagedLayer> | undefined> = [];
    /** layers whose staging finished (successfully) */
    const stagedOk: boolean[] = [];
    // Parallel staging needs the diff IDs up front (the chain is known); schema1 applies in order.
    const canStage = known && this.layers.stage !== undefined && this.layers.commitStagedChain !== undefined;
    let stagingRunning = 0;
    const inner = new AbortController();
    const onAbort = () => inner.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (let i = 0; i <= present; i++) {
        const id = chain[i] as string;
        this.layers.hold(id);
        held.push(this.layers.stat(id) as LayerInfo);
        onEvent?.({ type: 'layer', digest: (descs[i] as Descriptor).digest, status: 'exists' });
      }
      // Bounded window: with staging, at most `concurrency` layers download and extract at once
      // (a staged layer is on disk and costs no memory while it waits for its parent); without,
      // layer i may start once layer i - concurrency has been applied.
      let next = present + 1;
      const startDownloads = (): void => {
        while (next < descs.length && (canStage ? stagingRunning < this.concurrency : next < held.length + this.concurrency)) {
          const d = descs[next] as Descriptor;
          if (d.urls && d.urls.length > 0 && d.mediaType.includes('foreign')) {
            // Foreign layers live outside the registry; we refuse rather than fetch from arbitrary URLs.
            throw invalidArgument(`layer ${d.digest} is a foreign layer (urls ${d.urls.join(', ')}); not supported`);
          }
          onEvent?.({ type: 'layer', digest: d.digest, status: 'downloading', done: 0, total: d.size });
          const p = this.downloader.fetch(client, repo, d, {
            signal: inner.signal,
            ...(onEvent ? { onProgress: (done: number, total: number) => onEvent({ type: 'layer', digest: d.digest, status: 'downloading', done, total }) } : {}),
          });
          p.catch(() => {}); // observed below, in order; avoid an unhandled rejection meanwhile
          leases[next] = p;
          if (canStage) {
            const at = next;
            stagingRunning++;
            const sp = this.stageLayer(d, p, inner.signal, onEvent);
            staging[at] = sp;
            sp.then(
              () => {
                stagedOk[at] = true;
              },
              () => {},
            ).finally(() => {
              stagingRunning--;
              if (!inner.signal.aborted) {
                try {
                  startDownloads();
                } catch {
                  // a refused (foreign) layer: met again, and thrown, by the loop below
                }
              }
            });
          }
          next++;
        }
      };
      for (let i = present + 1; i < descs.length; i++) onEvent?.({ type: 'layer', digest: (descs[i] as Descriptor).digest, status: 'waiting' });
      startDownloads();
      for (let i = present + 1; i < descs.length; ) {
        if (leases[i] === undefined) startDownloads(); // throws for a layer it refused
        const d = descs[i] as Descriptor;
        const parent = i === 0 ? null : (held[i - 1] as LayerInfo).chainId;
        const expected = known ? diffIds[i] : undefined;
        const stagedP = staging[i];
        if (stagedP) {
          // This layer and every one above it that is staged already: one group, one sync.
          const group: Array<{ staged: StagedLayer; expectedDiffId?: string }> = [];
          await stagedP;
          let end = i;
          while (end < descs.length && stagedOk[end] === true) {
            const st = await (staging[end] as Promise<StagedLayer>);
            group.push({ staged: st, ...(known ? { expectedDiffId: diffIds[end] as string } : {}) });
            end++;
          }
          // Staged, the blob files are not needed any more: deleted before the commit's sync,
          // they are dropped from the page cache instead of being written to disk first.
          await Promise.all(leases.slice(i, end).map(async (l) => (await (l as Promise<BlobLease>)).release()));
          let infos: LayerInfo[];
          try {
            infos = await (this.layers.commitStagedChain as NonNullable<PullLayerAccess['commitStagedChain']>).call(this.layers, group, parent);
          } finally {
            for (let k = i; k < end; k++) {
              staging[k] = undefined;
              await (group[k - i] as { staged: StagedLayer }).staged.discard();
            }
          }
          for (let k = i; k < end; k++) {
            held.push(infos[k - i] as LayerInfo);
            onEvent?.({ type: 'layer', digest: (descs[k] as Descriptor).digest, status: 'done' });
          }
          i = end;
          startDownloads();
          continue;
        }
        const leased = leases[i] as Promise<BlobLease>;
        // Hand the layer to the store as it arrives when its download is still running (the
        // stream ends only once the blob verified); if that fails, apply the finished file.
        let info: LayerInfo | undefined;
        const live = this.downloader.follow(d.digest);
        onEvent?.({ type: 'layer', digest: d.digest, status: 'extracting' });
        if (live) {
          info = await this.applyOnce(parent, () => live, expected, inner.signal, d.digest).catch((err: unknown) => {
            log.with({ layer: d.digest }).debug(`extract while downloading failed, retrying from the file: ${messageOf(err)}`);
            return undefined;
          });
        }
        const lease = await leased;
        try {
          info ??= await this.applyOnce(parent, () => createReadStream(lease.path, { highWaterMark: 1 << 20 }), expected, inner.signal, d.digest);
        } finally {
          await lease.release();
        }
        held.push(info);
        onEvent?.({ type: 'layer', digest: d.digest, status: 'done' });
        i++;
        startDownloads();
      }
      return held;
    } catch (err) {
      inner.abort();
      // Let running downloads settle (their partial files stay for a resume), then drop our holds.
      for (const sp of staging) if (sp) await sp.then((st) => st.discard(), () => {});
      for (const p of leases) if (p) await p.then((l) => l.release(), () => {});
      for (const l of held.reverse()) await this.layers.release(l.chainId).catch((e: unknown) => log.warn('release layer after failed pull', e));
      if (signal?.aborted) throw canceled('pull canceled', { cause: err });
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Extracts one layer into staging while it downloads (following the partial file), or from the
   * finished file when following fails; resolves once it is staged (download verified).
   */
  private async stageLayer(d: Descriptor, leased: Promise<BlobLease>, signal: AbortSignal, onEvent: PullOptions['onEvent']): Promise<StagedLayer> {
    const layers = this.layers;
    const stage = (tar: Readable | RecyclingByteSource) => (layers.stage as NonNullable<PullLayerAccess['stage']>).call(layers, tar, opts);
    const opts = { ...(d.digest.startsWith('sha256:') ? { verifiedBlobDigest: d.digest } : {}), signal };
    const live = this.downloader.followRecycling(d.digest);
    // Reported once the bytes are all in (extraction of what arrived is already under way).
    leased.then(() => onEvent?.({ type: 'layer', digest: d.digest, status: 'extracting' }), () => {});
    if (live) {
      try {
        const staged = await stage(live);
        await leased; // the stream ended, so the download verified; its lease is released by the caller
        return staged;
      } catch (err) {
        if (signal.aborted) throw err;
        log.with({ layer: d.digest }).debug(`extract while downloading failed, retrying from the file: ${messageOf(err)}`);
      } finally {
        // its file is closed even when the extraction stopped without reading to the end
        await live.close();
      }
    }
    const lease = await leased;
    return await stage(createReadStream(lease.path, { highWaterMark: 1 << 20 }));
  }

  /** `blobDigest`: the download verified the blob, so the store need not hash it again */
  private async applyOnce(parent: ChainId | null, open: () => Readable, expectedDiffId: string | undefined, signal: AbortSignal, blobDigest: string): Promise<LayerInfo> {
    const key = expectedDiffId === undefined ? undefined : chainIdsOf(parent === null ? [expectedDiffId] : [parent, expectedDiffId]).at(-1);
    if (key !== undefined) {
      const running = this.applying.get(key);
      if (running) {
        await running.catch(() => {});
        if (this.layers.has(key)) {
          this.layers.hold(key);
          return this.layers.stat(key) as LayerInfo;
        }
      }
    }
    const p = this.layers.apply(parent, open(), { ...(expectedDiffId ? { expectedDiffId } : {}), ...(blobDigest.startsWith('sha256:') ? { verifiedBlobDigest: blobDigest } : {}), signal });
    if (key !== undefined) {
      this.applying.set(key, p);
      p.then(
        () => this.applying.delete(key),
        () => this.applying.delete(key),
      );
    }
    try {
      return await p;
    } catch (err) {
      throw wrap(err, `apply layer ${expectedDiffId ?? ''}`.trim());
    }
  }

  /** schema1: no config blob and no diff IDs; both come from the layers once extracted. */
  private async pullSchema1(client: RegistryClient, repo: string, manifest: FetchedManifest, m: Schema1Manifest, opts: PullOptions): Promise<PulledImage> {
    const descs: Descriptor[] = m.layers.map((l) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: l.digest, size: -1 }));
    // schema1 carries no sizes; the digest check is what protects us. Sizes are learned while streaming.
    const sized = await Promise.all(descs.map(async (d) => ({ ...d, size: await blobSize(client, repo, d.digest, opts.signal) })));
    const layers = await this.fetchAndApply(client, repo, sized, sized.map(() => ''), opts);
    try {
      const configBytes = Buffer.from(JSON.stringify(schema1Config(m, layers.map((l) => l.diffId))));
      return { digest: manifest.digest, manifest, configBytes, config: parseImageConfig(configBytes), layers };
    } catch (err) {
      for (const l of layers) await this.layers.release(l.chainId);
      throw err;
    }
  }
}

async function blobSize(client: RegistryClient, repo: string, digest: string, signal?: AbortSignal): Promise<number> {
  const res = await client.send({ method: 'HEAD', target: `/v2/${repo}/blobs/${digest}`, scope: `repository:${repo}:pull`, signal, followRedirects: true });
  res.body.resume();
  const n = Number(res.headers['content-length']);
  if (res.status !== 200 || !Number.isSafeInteger(n) || n < 0) throw notFound(`blob ${digest}: registry gives no size (status ${res.status})`);
  return n;
}

function schema1Config(m: Schema1Manifest, diffIds: string[]): ImageConfigBlob {
  const top = m.top as { architecture?: string; os?: string; created?: string; author?: string; config?: ImageConfigBlob['config'] };
  const cfg: ImageConfigBlob = {
    architecture: top.architecture ?? (m.architecture || 'amd64'),
    os: top.os ?? 'linux',
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: m.layers.map((l) => {
      const v1 = l.v1 as { created?: string; container_config?: { Cmd?: string[] } };
      return { ...(v1.created ? { created: v1.created } : {}), ...(v1.container_config?.Cmd ? { created_by: v1.container_config.Cmd.join(' ') } : {}) };
    }),
  };
  if (top.created) cfg.created = top.created;
  if (top.author) cfg.author = top.author;
  if (top.config) cfg.config = top.config;
  return cfg;
}

export type { Manifest };
