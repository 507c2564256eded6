// pullImage: the one pull path for `isula pull`, `create/run --pull` and (later) CRI PullImage.
// Resolves the name to its endpoints (mirrors first for unqualified names), pulls from the first
// that has it, stores the image under the name the user gave and publishes `pull`.
import { parseReference, taggedName, digestName } from '../../image/reference.ts';
import type { ImageRecord } from '../../image/types.ts';
import { RegistryClient } from '../../image/registry/client.ts';
import { resolveReference } from '../../image/registry/endpoints.ts';
import { hostPlatform, parsePlatform } from '../../image/registry/platform.ts';
import type { PullEvent, Puller } from '../../image/registry/pull-image.ts';
import type { CredentialStore } from '../../image/registry/credentials.ts';
import type { Credentials } from '../../image/registry/auth.ts';
import type { RegistrySettings } from '../../image/registry/endpoints.ts';
import type { NewImage } from '../../image/image-store.ts';
import type { EventBus } from '../../events/bus.ts';
import { kindOf, messageOf, wrap } from '../../util/errors.ts';
import { log } from '../../util/log.ts';

export interface PullDeps {
  settings: RegistrySettings;
  puller: Puller;
  credentials: CredentialStore;
  addImage(img: NewImage): Promise<ImageRecord>;
  events?: EventBus | undefined;
  idleTimeoutMs?: number;
}

export interface PullImageOptions {
  /** "os/arch[/variant]"; default: this host */
  platform?: string;
  signal?: AbortSignal;
  onEvent?: (ev: PullEvent) => void;
  /** explicit credentials (CRI PullImage's auth); otherwise those stored by login */
  credentials?: Credentials;
}

/** Errors that mean "try the next endpoint" rather than "this image is bad". */
function isEndpointFailure(err: unknown): boolean {
  const k = kindOf(err);
  return k === 'unavailable' || k === 'deadline' || k === 'not-found' || k === 'permission-denied';
}

export async function pullImage(deps: PullDeps, ref: string, opts: PullImageOptions = {}): Promise<ImageRecord> {
  const resolved = resolveReference(ref, deps.settings);
  const platform = opts.platform ? parsePlatform(opts.platform) : hostPlatform();
  const familiar = parseReference(ref);
  let lastError: unknown;
  for (const source of resolved.sources) {
    const { endpoint } = source;
    const credentials = opts.credentials ?? (await deps.credentials.get(endpoint.host).catch(() => undefined)) ?? (resolved.host ? await deps.credentials.get(resolved.host).catch(() => undefined) : undefined);
    const client = new RegistryClient({ endpoint, credentials, ...(deps.idleTimeoutMs ? { idleTimeoutMs: deps.idleTimeoutMs } : {}) });
    try {
      const img = await deps.puller.pull(client, source.remoteRepo, resolved.reference, {
        platform,
        platformExplicit: opts.platform !== undefined && opts.platform !== '',
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
      });
      const names = familiar.tag !== undefined ? [taggedName(familiar)] : [];
      // The origin goes into digests as host/repo@digest: push reads blobs back from there.
      const originRepo = `${endpoint.host}/${source.remoteRepo}`;
      const record = await deps.addImage({
        configBytes: img.configBytes,
        manifestBytes: img.manifest.bytes,
        layers: img.layers,
        names,
        digests: [digestName(familiar.repo, img.digest), ...(originRepo !== familiar.repo ? [digestName(originRepo, img.digest)] : [])],
      });
      deps.events?.publish({ type: 'image', action: 'pull', id: names[0] ?? digestName(familiar.repo, img.digest), attributes: {} });
      return record;
    } catch (err) {
      lastError = err;
      if (opts.signal?.aborted || !isEndpointFailure(err) || source === resolved.sources.at(-1)) break;
      log.with({ image: ref, endpoint: endpoint.url.href }).warn(`pull from this endpoint failed, trying the next: ${messageOf(err)}`);
    } finally {
      client.close();
    }
  }
  throw wrap(lastError, `pull image ${JSON.stringify(ref)}`);
}
