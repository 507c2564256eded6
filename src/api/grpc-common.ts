// What the CLI's client (h2-client.ts) and the daemon's server (grpc-server.ts) share: gRPC's
// status codes (grpc-js's numbers) and call metadata, with their HTTP/2 header mapping.

import type { HeaderMap } from './h2-session.ts';

/** grpc-js's status codes (the same numbers; the CLI compares against these). */
export const status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export const STATUS_NAMES = Object.fromEntries(Object.entries(status).map(([k, v]) => [v, k])) as Record<number, string>;

type MetadataValue = string | Buffer;

/** Call metadata: lower-case keys, several values each; `-bin` keys carry Buffers. */
export class Metadata {
  private readonly map = new Map<string, MetadataValue[]>();

  set(key: string, value: MetadataValue): void {
    this.map.set(key.toLowerCase(), [value]);
  }

  add(key: string, value: MetadataValue): void {
    const k = key.toLowerCase();
    const list = this.map.get(k);
    if (list) list.push(value);
    else this.map.set(k, [value]);
  }

  get(key: string): MetadataValue[] {
    return this.map.get(key.toLowerCase()) ?? [];
  }

  remove(key: string): void {
    this.map.delete(key.toLowerCase());
  }

  getMap(): Record<string, MetadataValue> {
    const out: Record<string, MetadataValue> = {};
    for (const [k, v] of this.map) if (v[0] !== undefined) out[k] = v[0];
    return out;
  }

  /** [name, value] pairs for HTTP/2 headers; `-bin` values in base64. */
  toHttp2Headers(): Array<[string, string]> {
    const h: Array<[string, string]> = [];
    for (const [k, values] of this.map) {
      for (const v of values) h.push([k, k.endsWith('-bin') ? Buffer.from(v).toString('base64') : String(v)]);
    }
    return h;
  }

  /** The custom metadata of a response's headers or trailers (reserved names left out). */
  static fromHttp2Headers(headers: HeaderMap | Record<string, string | string[] | undefined>): Metadata {
    const md = new Metadata();
    for (const [k, v] of Object.entries(headers)) {
      if (k.startsWith(':') || k.startsWith('grpc-') || k === 'content-type' || k === 'te' || v === undefined) continue;
      // node joins repeated headers with ", "; only -bin values (base64) can be split safely
      for (const one of Array.isArray(v) ? v : [String(v)]) {
        if (k.endsWith('-bin')) for (const part of one.split(',')) md.add(k, Buffer.from(part.trim(), 'base64'));
        else md.add(k, one);
      }
    }
    return md;
  }
}

