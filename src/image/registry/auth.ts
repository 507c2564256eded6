// Registry authentication: answers a 401 challenge (WWW-Authenticate) with Basic credentials or a
// Bearer token fetched from the challenge's realm, caches tokens per scope and refreshes them
// before they expire. Credentials and tokens are only ever attached to the registry's own origin
// (and the token realm): a redirect to another host (a CDN serving blobs) never sees them.
import { failedPrecondition, invalidArgument, permissionDenied } from '../../util/errors.ts';
import { readBody, redact } from './http.ts';
import type { Transport } from './http.ts';
import { registryError } from './registry-error.ts';
import { parseWwwAuthenticate } from './www-authenticate.ts';
import type { Challenge } from './www-authenticate.ts';

export interface Credentials {
  username: string;
  password: string;
}

interface CachedToken {
  value: string;
  /** ms since epoch after which we fetch a new one */
  refreshAt: number;
}

/** Tokens are refreshed this long before the registry would reject them. */
const EXPIRY_MARGIN_MS = 10_000;
/** Distribution's documented default when a token response has no expires_in. */
const DEFAULT_TOKEN_SECONDS = 60;

export class RegistryAuth {
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();
  private readonly transport: Transport;
  private readonly credentials: Credentials | undefined;
  /** origin (scheme://host:port) the credentials belong to */
  private origin: string;

  constructor(opts: { transport: Transport; origin: string; credentials?: Credentials | undefined }) {
    this.transport = opts.transport;
    this.origin = opts.origin;
    this.credentials = opts.credentials;
  }

  /** After an http fallback the origin changes; credentials follow the registry, not the scheme. */
  setOrigin(origin: string): void {
    this.origin = origin;
  }

  get scheme(): string | undefined {
    return this.challenge?.scheme;
  }

  /** Learns the challenge of a 401. Returns false when it cannot be answered (so don't retry). */
  learn(wwwAuthenticate: string | undefined): boolean {
    const all = parseWwwAuthenticate(wwwAuthenticate ?? '');
    const usable = all.find((c) => c.scheme === 'bearer') ?? all.find((c) => c.scheme === 'basic');
    if (!usable) return false;
    if (usable.scheme === 'basic' && !this.credentials) return false;
    this.challenge = usable;
    return true;
  }

  /** Drops a cached token the registry refused (expired early, revoked, or too narrow). */
  forget(scope: string): void {
    this.tokens.delete(scope);
  }

  /** The Authorization header for a request to `url` needing `scope`, or undefined. */
  async header(url: URL, scope: string, signal?: AbortSignal): Promise<string | undefined> {
    if (!this.challenge || url.origin !== this.origin) return undefined;
    if (this.challenge.scheme === 'basic') {
      if (!this.credentials) return undefined;
      return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    }
    const token = await this.token(scope, signal);
    return `Bearer ${token.value}`;
  }

  private async token(scope: string, signal?: AbortSignal): Promise<CachedToken> {
    const cached = this.tokens.get(scope);
    if (cached && Date.now() < cached.refreshAt) return cached;
    // Concurrent layer downloads share one token request.
    let p = this.pending.get(scope);
    if (!p) {
      p = this.fetchToken(scope, signal).finally(() => this.pending.delete(scope));
      this.pending.set(scope, p);
    }
    const t = await p;
    this.tokens.set(scope, t);
    return t;
  }

  private async fetchToken(scope: string, signal?: AbortSignal): Promise<CachedToken> {
    const params = this.challenge?.params ?? {};
    const realm = params.realm;
    if (!realm) throw failedPrecondition('registry asked for a bearer token but named no realm');
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw invalidArgument(`registry token realm ${JSON.stringify(realm)} is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidArgument(`registry token realm ${JSON.stringify(realm)} is not http(s)`);
    if (params.service) url.searchParams.set('service', params.service);
    for (const s of new Set([...scope.split(' '), ...(params.scope ? params.scope.split(' ') : [])])) if (s) url.searchParams.append('scope', s);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.credentials) {
      headers.Authorization = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    }
    const res = await this.transport.request({ method: 'GET', url, headers, ...(signal ? { signal } : {}) });
    if (res.status === 401 || res.status === 403) {
      res.body.destroy();
      throw permissionDenied(`unable to retrieve auth token from ${redact(url)}: invalid username/password`);
    }
    if (res.status !== 200) throw await registryError(res.body, `unable to retrieve auth token from ${redact(url)}`);
    const body = await readBody(res.body, 1 << 20, 'token response');
    let doc: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    try {
      doc = JSON.parse(body.toString('utf8')) as typeof doc;
    } catch {
      throw invalidArgument(`token response from ${redact(url)} is not JSON`);
    }
    const value = typeof doc.token === 'string' && doc.token !== '' ? doc.token : doc.access_token;
    if (typeof value !== 'string' || value === '') throw invalidArgument(`token response from ${redact(url)} holds no token`);
    const seconds = typeof doc.expires_in === 'number' && doc.expires_in > 0 ? doc.expires_in : DEFAULT_TOKEN_SECONDS;
    // Count from our clock, not issued_at: the device's clock may be far off the server's.
    const refreshAt = Date.now() + Math.max(seconds * 1000 - EXPIRY_MARGIN_MS, (seconds * 1000) / 2);
    return { value, refreshAt };
  }
}
