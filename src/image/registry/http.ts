// The registry client's transport: one request on node:http / node:https (not global fetch, which
// breaks under some V8 flags and hides socket timeouts). Every request carries an AbortSignal and
// an idle timeout: a registry that stops sending bytes aborts cleanly instead of hanging a pull.
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { pipeline } from 'node:stream/promises';
import { EngineError, canceled, deadline, errnoCode, messageOf, resourceExhausted, unavailable } from '../../util/errors.ts';

export interface TlsSettings {
  /** extra CA certificates (PEM), added to Node's bundled roots */
  ca?: Buffer[];
  cert?: Buffer;
  key?: Buffer;
  /** insecure-registries: accept any certificate */
  insecureSkipVerify?: boolean;
}

/** HTTP(S)_PROXY / NO_PROXY as the daemon was started with ('' = none). */
export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
  url: URL;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  signal?: AbortSignal;
}

/** Keep-alive agents for one endpoint's TLS settings; `close()` frees the sockets. */
export class Transport {
  readonly idleTimeoutMs: number;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(opts: { tls?: TlsSettings; idleTimeoutMs?: number; proxy?: ProxySettings | undefined } = {}) {
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 30_000;
    const tls = opts.tls ?? {};
    // Node's built-in proxy support (24.5+): absolute-form requests for http, CONNECT for https.
    const p = opts.proxy;
    const proxyEnv = p && (p.httpProxy || p.httpsProxy) ? { HTTP_PROXY: p.httpProxy || undefined, HTTPS_PROXY: p.httpsProxy || undefined, NO_PROXY: p.noProxy || undefined } : undefined;
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8, ...(proxyEnv ? { proxyEnv } : {}) });
    const ca = tls.ca && tls.ca.length > 0 ? [...rootCertificates, ...tls.ca.map((b) => b.toString())] : undefined;
    this.httpsAgent = new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      ...(proxyEnv ? { proxyEnv } : {}),
      ...(ca ? { ca } : {}),
      ...(tls.cert ? { cert: tls.cert } : {}),
      ...(tls.key ? { key: tls.key } : {}),
      rejectUnauthorized: !tls.insecureSkipVerify,
    });
  }

  /** Sends one request; resolves once the response headers arrived. The caller owns `body`. */
  request(req: HttpRequest): Promise<HttpResponse> {
    const { url, signal } = req;
    if (signal?.aborted) return Promise.reject(canceled(`${req.method} ${redact(url)}: canceled`));
    const isHttps = url.protocol === 'https:';
    const mod = isHttps ? https : http;
    const headers: Record<string, string> = { 'User-Agent': 'isulad-edge', ...req.headers };
    if (Buffer.isBuffer(req.body)) headers['Content-Length'] = String(req.body.length);
    return new Promise<HttpResponse>((resolve, reject) => {
      const r = mod.request(url, { method: req.method, headers, agent: isHttps ? this.httpsAgent : this.httpAgent });
      let settled = false;
      const onAbort = () => r.destroy(canceled(`${req.method} ${redact(url)}: canceled`));
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      r.setTimeout(this.idleTimeoutMs, () => {
        r.destroy(deadline(`${req.method} ${redact(url)}: no response for ${this.idleTimeoutMs} ms`));
      });
      r.on('error', (err) => {
        done();
        if (!settled) {
          settled = true;
          reject(transportError(err, req.method, url));
        }
      });
      r.on('response', (res) => {
        settled = true;
        // The idle timeout keeps guarding the body: a registry that stalls mid-blob is cut off.
        res.setTimeout(this.idleTimeoutMs, () => {
          res.destroy(deadline(`${req.method} ${redact(url)}: body stalled for ${this.idleTimeoutMs} ms`));
        });
        res.once('close', done);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url });
      });
      if (req.body === undefined) r.end();
      else if (Buffer.isBuffer(req.body)) r.end(req.body);
      else pipeline(req.body, r).catch((err: unknown) => r.destroy(err as Error));
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Reads a whole body, refusing more than `limit` bytes (manifests, tokens, error documents). */
export async function readBody(res: IncomingMessage, limit: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    res.destroy();
    throw resourceExhausted(`${what}: ${declared} bytes is more than the limit of ${limit}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit) {
        res.destroy();
        throw resourceExhausted(`${what}: more than the limit of ${limit} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw transportError(err, 'GET', new URL(res.url ?? '/', 'http://registry'), what);
  }
  return Buffer.concat(chunks, total);
}

/** Discards a body we do not need so the keep-alive socket can be reused (small bodies only). */
export async function discardBody(res: IncomingMessage): Promise<void> {
  try {
    await readBody(res, 64 << 10, 'response');
  } catch {
    res.destroy();
  }
}

export function transportError(err: unknown, method: string, url: URL, what?: string): EngineError {
  if (err instanceof EngineError) return err;
  const code = errnoCode(err);
  const ctx = what ?? `${method} ${redact(url)}`;
  if (code === 'ABORT_ERR') return canceled(`${ctx}: canceled`, { cause: err });
  return unavailable(`${ctx}: ${messageOf(err)}`, { cause: err });
}

/** URL without credentials or query (upload URLs carry state tokens): safe to log. */
export function redact(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

export function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
