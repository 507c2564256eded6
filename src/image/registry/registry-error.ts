// Turns a registry's non-success response into an EngineError with the right kind. Distribution
// sends {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown",...}]}; we keep its
// code and message ("manifest unknown: ...") because users search for them.
import type { IncomingMessage } from 'node:http';
import { EngineError } from '../../util/errors.ts';
import type { ErrorKind } from '../../util/errors.ts';
import { readBody } from './http.ts';

export function kindOfStatus(status: number): ErrorKind {
  if (status === 401 || status === 403) return 'permission-denied';
  if (status === 404) return 'not-found';
  if (status === 400 || status === 405 || status === 415 || status === 416) return 'invalid-argument';
  if (status === 409) return 'conflict';
  if (status === 429) return 'resource-exhausted';
  return 'unavailable';
}

/** Reads (a bounded part of) the body and builds "<context>: <registry message>". */
export async function registryError(res: IncomingMessage, context: string): Promise<EngineError> {
  const status = res.statusCode ?? 0;
  let detail = `unexpected status ${status}`;
  try {
    const body = await readBody(res, 64 << 10, 'error body');
    const doc = JSON.parse(body.toString('utf8')) as { errors?: Array<{ code?: unknown; message?: unknown }> };
    const first = doc.errors?.[0];
    if (first && typeof first.code === 'string') {
      const code = first.code.toLowerCase().replace(/_/g, ' ');
      detail = typeof first.message === 'string' && first.message !== '' && first.message.toLowerCase() !== code ? `${code}: ${first.message}` : code;
    }
  } catch {
    res.destroy();
  }
  return new EngineError(kindOfStatus(status), `${context}: ${detail}`);
}
