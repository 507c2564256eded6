// A client for one registry endpoint (Docker Registry HTTP API v2 / OCI distribution): ping,
// manifests by tag or digest, blobs (with Range), and the raw `send` that push and search build
// on. Authentication, the https→http fallback of insecure registries, redirects and one retry
// after a 401 live here so callers only speak in repositories and digests.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { EngineError, dataLoss, invalidArgument, isNotFound, kindOf, unavailable } from '../../util/errors.ts';
import { RegistryAuth } from './auth.ts';
import type { Credentials } from './auth.ts';
import { algorithmOf, digestOf, isDigest } from './digest.ts';
import { Transport, discardBody, headerOf, readBody, redact } from './http.ts';
import type { HttpResponse, ProxySettings, TlsSettings } from './http.ts';
import { MANIFEST_ACCEPT, isSchema1Type } from './media-types.ts';
import { MAX_MANIFEST_BYTES } from './manifest.ts';
import { registryError } from './registry-error.ts';

export interface Endpoint {
  /** registry host as named in image references ("registry.local:5000") */
  host: string;
  /** where requests go: "https://host" or "http://host" (a mirror may have its own) */
  url: URL;
  tls: TlsSettings;
  /** insecure-registries: plain http allowed, certificates not verified */
  insecure: boolean;
  /** forward proxy for this endpoint (daemon's HTTP(S)_PROXY / NO_PROXY) */
  proxy?: ProxySettings | undefined;
}

export interface ClientOptions {
  endpoint: Endpoint;
  credentials?: Credentials | undefined;
  /** a registry that sends nothing for this long is cut off (default 30 s) */
  idleTimeoutMs?: number;
}

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

export interface SendOptions {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** path under the endpoint ("/v2/...") or an absolute URL the registry gave us (upload Location) */
  target: string | URL;
  scope: string;
  headers?: Record<string, string>;
  /** re-creatable so a 401 retry can send it again */
  body?: Buffer | (() => Readable);
  signal?: AbortSignal | undefined;
  /** follow 3xx (blobs are often redirected to storage on another host) */
  followRedirects?: boolean;
}

const MAX_REDIRECTS = 5;

export const pullScope = (repo: string) => `repository:${repo}:pull`;
export const pushScope = (repo: string) => `repository:${repo}:pull,push`;

export class RegistryClient {
  readonly endpoint: Endpoint;
  private base: URL;
  private readonly transport: Transport;
  private readonly auth: RegistryAuth;
  private pinged: Promise<void> | undefined;

  constructor(opts: ClientOptions) {
    this.endpoint = opts.endpoint;
    this.base = new URL(opts.endpoint.url.href);
    this.transport = new Transport({ tls: opts.endpoint.tls, proxy: opts.endpoint.proxy, ...(opts.idleTimeoutMs ? { idleTimeoutMs: opts.idleTimeoutMs } : {}) });
    this.auth = new RegistryAuth({ transport: this.transport, origin: this.base.origin, credentials: opts.credentials });
  }

  get baseUrl(): URL {
    return this.base;
  }

  close(): void {
    this.transport.close();
  }

  /** GET /v2/: checks the API version and learns the auth challenge. Done once per client. */
  ping(signal?: AbortSignal): Promise<void> {
    this.pinged ??= this.doPing(signal).catch((err: unknown) => {
      this.pinged = undefined;
      throw err;
    });
    return this.pinged;
  }

  private async doPing(signal?: AbortSignal): Promise<void> {
    let res: HttpResponse;
    try {
      res = await this.transport.request({ method: 'GET', url: new URL('/v2/', this.base), ...(signal ? { signal } : {}) });
    } catch (err) {
      // iSulad's rule: https first; an insecure registry may then be tried over plain http.
      if (this.endpoint.insecure && this.base.protocol === 'https:' && kindOf(err) === 'unavailable') {
        this.base = new URL(this.base.href.replace(/^https:/, 'http:'));
        this.auth.setOrigin(this.base.origin);
        res = await this.transport.request({ method: 'GET', url: new URL('/v2/', this.base), ...(signal ? { signal } : {}) });
      } else {
        throw err;
      }
    }
    if (res.status === 401) {
      this.auth.learn(headerOf(res.headers, 'www-authenticate'));
      await discardBody(res.body);
      return;
    }
    if (res.status >= 200 && res.status < 300) {
      await discardBody(res.body);
      return;
    }
    throw await registryError(res.body, `ping ${redact(new URL('/v2/', this.base))}`);
  }

  /**
   * Checks that our credentials are accepted (isula login): GET /v2/ authenticated, with an
   * unscoped token for Bearer registries. An open registry accepts anything.
   */
  async checkLogin(signal?: AbortSignal): Promise<void> {
    await this.ping(signal);
    if (this.auth.scheme === undefined) return;
    const res = await this.send({ method: 'GET', target: '/v2/', scope: '', signal });
    if (res.status >= 200 && res.status < 300) {
      await discardBody(res.body);
      return;
    }
    throw await registryError(res.body, `login to ${this.endpoint.host}`);
  }

  /**
   * One request with auth, a single retry after a 401 (token expired, or a wider scope needed)
   * and, when asked, redirects. Non-2xx responses are returned, not thrown: callers decide.
   */
  async send(o: SendOptions): Promise<HttpResponse> {
    await this.ping(o.signal);
    let url = typeof o.target === 'string' ? new URL(o.target, this.base) : o.target;
    let retried = false;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { ...o.headers };
      const authz = await this.auth.header(url, o.scope, o.signal);
      if (authz) headers.Authorization = authz;
      const body = o.body === undefined ? undefined : Buffer.isBuffer(o.body) ? o.body : o.body();
      const res = await this.transport.request({ method: o.method, url, headers, ...(body ? { body } : {}), ...(o.signal ? { signal: o.signal } : {}) });
      if (res.status === 401 && !retried && url.origin === this.base.origin) {
        retried = true;
        this.auth.forget(o.scope);
        if (this.auth.learn(headerOf(res.headers, 'www-authenticate'))) {
          await discardBody(res.body);
          continue;
        }
      }
      const location = headerOf(res.headers, 'location');
      if (o.followRedirects && location && [301, 302, 303, 307, 308].includes(res.status)) {
        if (hop >= MAX_REDIRECTS) {
          res.body.destroy();
          throw unavailable(`${o.method} ${redact(url)}: more than ${MAX_REDIRECTS} redirects`);
        }
        await discardBody(res.body);
        const next = new URL(location, url);
        if (next.protocol !== 'https:' && next.protocol !== 'http:') throw invalidArgument(`redirect to unsupported URL scheme ${next.protocol}`);
        url = next;
        continue;
      }
      return res;
    }
  }

  /** Fetches a manifest by tag or digest, bounded in size, its digest checked when we know it. */
  async getManifest(repo: string, ref: string, signal?: AbortSignal, accept: string = MANIFEST_ACCEPT): Promise<FetchedManifest> {
    const what = `manifest ${repo}:${ref}`;
    const res = await this.send({ method: 'GET', target: `/v2/${repo}/manifests/${ref}`, scope: pullScope(repo), headers: { Accept: accept }, signal });
    if (res.status !== 200) throw await registryError(res.body, `fetch ${what}`);
    const bytes = await readBody(res.body, MAX_MANIFEST_BYTES, what);
    const mediaType = (headerOf(res.headers, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
    // Pinned by digest: the bytes must hash to it. By tag: the registry's digest header, if any,
    // must agree with the bytes (a proxy or a broken registry must not slip another manifest in).
    const claimed = isDigest(ref) ? ref : headerOf(res.headers, 'docker-content-digest');
    if (claimed !== undefined && claimed !== '' && isDigest(claimed)) {
      const actual = digestOf(isSchema1Type(mediaType) ? schema1Payload(bytes) : bytes, algorithmOf(claimed));
      if (actual !== claimed) throw dataLoss(`${what}: digest mismatch: got ${actual}, expected ${claimed}`);
      return { bytes, mediaType, digest: claimed.startsWith('sha256:') ? claimed : digestOf(bytes) };
    }
    return { bytes, mediaType, digest: digestOf(bytes) };
  }

  /** HEAD a manifest: its digest, or undefined when the registry does not have it. */
  async headManifest(repo: string, ref: string, signal?: AbortSignal): Promise<{ digest?: string; mediaType?: string } | undefined> {
    const res = await this.send({ method: 'HEAD', target: `/v2/${repo}/manifests/${ref}`, scope: pullScope(repo), headers: { Accept: MANIFEST_ACCEPT }, signal });
    res.body.resume();
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new EngineError(kindOf(await registryError(res.body, '')), `head manifest ${repo}:${ref}: status ${res.status}`);
    const digest = headerOf(res.headers, 'docker-content-digest');
    const mediaType = headerOf(res.headers, 'content-type');
    return { ...(digest ? { digest } : {}), ...(mediaType ? { mediaType } : {}) };
  }

  /**
   * Opens a blob, from `offset` when > 0 (HTTP Range). Returns the body and where it starts: 0
   * when the registry ignored the Range and sent the whole blob.
   */
  async openBlob(repo: string, digest: string, offset: number, signal?: AbortSignal): Promise<{ body: IncomingMessage; start: number }> {
    const headers: Record<string, string> = {};
    if (offset > 0) headers.Range = `bytes=${offset}-`;
    const res = await this.send({ method: 'GET', target: `/v2/${repo}/blobs/${digest}`, scope: pullScope(repo), headers, signal, followRedirects: true });
    if (res.status === 200) return { body: res.body, start: 0 };
    if (res.status === 206) {
      const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(headerOf(res.headers, 'content-range') ?? '');
      if (!m || Number(m[1]) !== offset) {
        res.body.destroy();
        throw unavailable(`blob ${digest}: registry answered range ${offset}- with ${JSON.stringify(headerOf(res.headers, 'content-range'))}`);
      }
      return { body: res.body, start: offset };
    }
    if (res.status === 416 && offset > 0) {
      // Our partial file is as long as (or longer than) the blob: restart from scratch.
      await discardBody(res.body);
      return this.openBlob(repo, digest, 0, signal);
    }
    throw await registryError(res.body, `fetch blob ${digest}`);
  }

  /** Small blobs (image config): read whole, bounded by the declared size, verified. */
  async getSmallBlob(repo: string, digest: string, size: number, signal?: AbortSignal): Promise<Buffer> {
    const { body } = await this.openBlob(repo, digest, 0, signal);
    const bytes = await readBody(body, size, `blob ${digest}`);
    if (bytes.length !== size) throw dataLoss(`blob ${digest}: got ${bytes.length} bytes, manifest says ${size}`);
    const actual = digestOf(bytes, algorithmOf(digest));
    if (actual !== digest) throw dataLoss(`blob ${digest}: digest mismatch: got ${actual}`);
    return bytes;
  }

  /** HEAD a blob in `repo`: true when the registry already has it there. */
  async hasBlob(repo: string, digest: string, signal?: AbortSignal, scope = pullScope(repo)): Promise<boolean> {
    const res = await this.send({ method: 'HEAD', target: `/v2/${repo}/blobs/${digest}`, scope, signal, followRedirects: true });
    res.body.resume();
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    const err = await registryError(res.body, `check blob ${digest}`);
    if (isNotFound(err)) return false;
    throw err;
  }
}

/**
 * The bytes a signed schema1 manifest's digest covers: the JWS payload, i.e. the document without
 * its "signatures", rebuilt from the first signature's protected header (formatLength, formatTail).
 */
export function schema1Payload(bytes: Buffer): Buffer {
  try {
    const doc = JSON.parse(bytes.toString('utf8')) as { signatures?: Array<{ protected?: string }> };
    const prot = doc.signatures?.[0]?.protected;
    if (!prot) return bytes;
    const h = JSON.parse(Buffer.from(prot, 'base64url').toString('utf8')) as { formatLength?: number; formatTail?: string };
    if (typeof h.formatLength !== 'number' || typeof h.formatTail !== 'string' || h.formatLength > bytes.length) return bytes;
    return Buffer.concat([bytes.subarray(0, h.formatLength), Buffer.from(h.formatTail, 'base64url')]);
  } catch {
    return bytes;
  }
}
