// The registry service: pull, push, login, logout, search over the image service's stores. Holds
// the long-lived pieces (blob downloader, puller with its shared in-flight maps, credentials) so
// concurrent pulls share downloads, and nothing registry-related loads until a daemon builds it.
import type { EventBus } from '../../events/bus.ts';
import type { NewImage } from '../../image/image-store.ts';
import type { ImageRecord } from '../../image/types.ts';
import { BlobDownloader } from '../../image/registry/blob-download.ts';
import { CredentialStore } from '../../image/registry/credentials.ts';
import { Puller } from '../../image/registry/pull-image.ts';
import type { PullLayerAccess } from '../../image/registry/pull-image.ts';
import type { PushEvent } from '../../image/registry/push-image.ts';
import type { SearchFilter, SearchResult } from '../../image/registry/search.ts';
import type { Credentials } from '../../image/registry/auth.ts';
import { pullImage } from './pull.ts';
import type { PullImageOptions } from './pull.ts';
import { pushImage } from './push.ts';
import { login, logout, search } from './login.ts';
import { registryPathsFrom } from './settings.ts';
import type { RegistryConfigInput, RegistryPaths } from './settings.ts';
import { log } from '../../util/log.ts';
import type { LayerTarSource } from '../../storage/types.ts';
import type { StateStore } from '../../store/types.ts';

const PARTIAL_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
/** layers downloaded and extracted at once by a pull (measured in docs/registry.md) */
const PULL_LAYERS_AT_ONCE = 3;

/** What the registry service needs from the image service. */
export interface RegistryImageAccess {
  layers: PullLayerAccess;
  addImage(img: NewImage): Promise<ImageRecord>;
  resolve(ref: string): ImageRecord | undefined;
  manifestBytes(id: string): Promise<Buffer | undefined>;
  configBytes(id: string): Promise<Buffer>;
  /** layer tars rebuilt from the layer store (push of loaded, imported, committed images) */
  layerTar?: LayerTarSource['layerTar'];
  /** remembers compressed digests of pushed layers */
  store?: StateStore;
}

export class RegistryService {
  readonly paths: RegistryPaths;
  readonly #images: RegistryImageAccess;
  readonly #events: EventBus | undefined;
  readonly #credentials: CredentialStore;
  #puller: Puller | undefined;

  constructor(config: RegistryConfigInput, images: RegistryImageAccess, events?: EventBus) {
    this.paths = registryPathsFrom(config);
    this.#images = images;
    this.#events = events;
    this.#credentials = new CredentialStore(this.paths.authDir);
    this.#downloader = new BlobDownloader({ dir: this.paths.blobDir });
  }

  readonly #downloader: BlobDownloader;

  #getPuller(): Puller {
    // Three layers download and extract at once. Extraction, not the download, is the critical
    // path, and each layer's extraction is a chain of thread-pool round trips that waits for the
    // scheduler on a busy device: a third chain cut the wall time of a 100 MB / 5-layer pull by
    // ~20 % and its CPU by ~10 % beside two, for ~+2-4 MiB of RSS growth during the pull (medians
    // +15.2 / +17.2 MiB, no round of 12 above +18.7; docs/registry.md, session 8).
    this.#puller ??= new Puller({ layers: this.#images.layers, downloader: this.#downloader, concurrency: PULL_LAYERS_AT_ONCE });
    return this.#puller;
  }

  /** Drops partial downloads nobody came back for within a week (a resume is still likely before). */
  async start(): Promise<void> {
    const removed = await this.#downloader.prune(PARTIAL_MAX_AGE_MS);
    if (removed > 0) log.info(`removed ${removed} abandoned partial image downloads`);
  }

  pull(ref: string, opts: PullImageOptions = {}): Promise<ImageRecord> {
    const images = this.#images;
    return pullImage(
      { settings: this.paths.settings, puller: this.#getPuller(), credentials: this.#credentials, addImage: (i) => images.addImage(i), events: this.#events },
      ref,
      opts.platform || !this.paths.defaultPlatform ? opts : { ...opts, platform: this.paths.defaultPlatform },
    );
  }

  push(ref: string, opts: { signal?: AbortSignal; onEvent?: (e: PushEvent) => void } = {}): Promise<string> {
    const images = this.#images;
    return pushImage(
      {
        settings: this.paths.settings,
        credentials: this.#credentials,
        resolve: (r) => images.resolve(r),
        manifestBytes: (id) => images.manifestBytes(id),
        configBytes: (id) => images.configBytes(id),
        events: this.#events,
        ...(images.layerTar ? { layerTar: images.layerTar } : {}),
        store: images.store,
      },
      ref,
      opts,
    );
  }

  login(server: string, creds: Credentials, signal?: AbortSignal): Promise<void> {
    return login({ settings: this.paths.settings, credentials: this.#credentials, events: this.#events }, server, creds, signal);
  }

  logout(server: string): Promise<void> {
    return logout({ settings: this.paths.settings, credentials: this.#credentials, events: this.#events }, server);
  }

  search(term: string, opts: { limit?: number; filter?: SearchFilter; signal?: AbortSignal } = {}): Promise<SearchResult[]> {
    return search({ settings: this.paths.settings, credentials: this.#credentials, events: this.#events }, term, opts);
  }

  async close(): Promise<void> {
    // Downloads in flight are cancelled by their callers' signals; partial blobs stay for a resume.
  }
}
