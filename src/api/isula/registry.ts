// ImagesService registry RPCs: PullImage and PushImage stream progress, Login/Logout/Search are
// unary. Decode → registry service → encode; progress is thinned to one message per layer every
// 100 ms (plus every status change) so a fast pull does not flood the socket.
import type { ImagesServiceHandlers } from '../generated/images/ImagesService.ts';
import type { PullImageResponse } from '../generated/images/PullImageResponse.ts';
import type { PushImageResponse } from '../generated/images/PushImageResponse.ts';
import type { RegistryService } from '../../services/registry/service.ts';
import { parseSearchFilters } from '../../image/registry/search.ts';
import { serverStream, unary } from '../handler.ts';
import type { StreamWriter } from '../handler.ts';
import { CC_SUCCESS } from '../status.ts';

type RegistryRpcs = Pick<ImagesServiceHandlers, 'PullImage' | 'PushImage' | 'Login' | 'Logout' | 'Search'>;

const PROGRESS_EVERY_MS = 100;

/** Forwards progress, dropping intermediate byte counts that come faster than PROGRESS_EVERY_MS. */
function throttled<T extends { status?: string; layer?: string; current?: unknown; total?: unknown }>(out: StreamWriter<T>): (msg: T) => void {
  const last = new Map<string, { status: string; at: number }>();
  return (msg) => {
    const key = msg.layer ?? '';
    const prev = last.get(key);
    const now = Date.now();
    const same = prev !== undefined && prev.status === msg.status;
    if (same && now - prev.at < PROGRESS_EVERY_MS && msg.current !== msg.total) return;
    last.set(key, { status: msg.status ?? '', at: now });
    out.write(msg).catch(() => {}); // a gone client is seen by the call's signal
  };
}

export function registryHandlers(deps: { registry: RegistryService }): RegistryRpcs {
  const registry = deps.registry;
  return {
    PullImage: serverStream('PullImage', async (req, out, ctx) => {
      const send = throttled<PullImageResponse>(out);
      const img = await registry.pull(req.image, {
        ...(req.platform ? { platform: req.platform } : {}),
        signal: ctx.signal,
        onEvent: (e) => {
          if (e.type === 'manifest') send({ status: 'resolved', layer: '', current: String(e.layers), total: String(e.layers), image_id: '', image_ref: e.digest });
          else send({ status: e.status, layer: e.digest, current: String(e.done ?? 0), total: String(e.total ?? 0), image_id: '', image_ref: '' });
        },
      });
      await out.write({ status: 'pulled', layer: '', current: '0', total: '0', image_id: img.id, image_ref: img.names[0] ?? img.digests[0] ?? img.id });
    }),
    PushImage: serverStream('PushImage', async (req, out, ctx) => {
      const send = throttled<PushImageResponse>(out);
      const digest = await registry.push(req.image, {
        signal: ctx.signal,
        onEvent: (e) => {
          if (e.type === 'blob') send({ status: e.status, layer: e.digest, current: String(e.done ?? 0), total: String(e.total ?? 0), digest: '' });
        },
      });
      await out.write({ status: 'pushed', layer: '', current: '0', total: '0', digest });
    }),
    Login: unary('Login', async (req, ctx) => {
      await registry.login(req.server, { username: req.username, password: req.password }, ctx.signal);
      return { cc: CC_SUCCESS, errmsg: '' };
    }),
    Logout: unary('Logout', async (req) => {
      await registry.logout(req.server);
      return { cc: CC_SUCCESS, errmsg: '' };
    }),
    Search: unary('Search', async (req, ctx) => {
      const results = await registry.search(req.search_name, { ...(req.limit ? { limit: req.limit } : {}), filter: parseSearchFilters(req.filters), signal: ctx.signal });
      return {
        search_result: results.map((r) => ({ name: r.name, description: r.description, star_count: r.starCount, is_official: r.isOfficial, is_automated: r.isAutomated })),
        cc: CC_SUCCESS,
        errmsg: '',
      };
    }),
  };
}
