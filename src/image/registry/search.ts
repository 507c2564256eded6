// `isula search`: the registry v1 search endpoint (GET /v1/search?q=&n=, research/isulad.md §5.8).
// Distribution 2.8 has no such endpoint; that case is a clear not-implemented error rather than a
// confusing 404. Filters (stars, is-official, is-automated) are applied here, as iSulad does.
import { invalidArgument, notImplemented } from '../../util/errors.ts';
import type { RegistryClient } from './client.ts';
import { readBody } from './http.ts';
import { registryError } from './registry-error.ts';

export interface SearchResult {
  name: string;
  description: string;
  starCount: number;
  isOfficial: boolean;
  isAutomated: boolean;
}

export interface SearchFilter {
  stars?: number;
  isOfficial?: boolean;
  isAutomated?: boolean;
}

export const SEARCH_LIMIT_DEFAULT = 25;

/** Parses `--filter` values: stars=N, is-official=true|false, is-automated=true|false. */
export function parseSearchFilters(values: readonly string[]): SearchFilter {
  const f: SearchFilter = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    const key = eq < 0 ? v : v.slice(0, eq);
    const val = eq < 0 ? '' : v.slice(eq + 1);
    const bool = () => {
      if (val !== 'true' && val !== 'false') throw invalidArgument(`invalid filter '${v}': want ${key}=true|false`);
      return val === 'true';
    };
    if (key === 'stars') {
      if (!/^\d+$/.test(val)) throw invalidArgument(`invalid filter '${v}': stars must be a number`);
      f.stars = Number(val);
    } else if (key === 'is-official') f.isOfficial = bool();
    else if (key === 'is-automated') f.isAutomated = bool();
    else throw invalidArgument(`invalid filter '${key}'`);
  }
  return f;
}

export function filterSearchResults(results: SearchResult[], f: SearchFilter): SearchResult[] {
  return results.filter(
    (r) => (f.stars === undefined || r.starCount >= f.stars) && (f.isOfficial === undefined || r.isOfficial === f.isOfficial) && (f.isAutomated === undefined || r.isAutomated === f.isAutomated),
  );
}

export async function searchRegistry(client: RegistryClient, term: string, opts: { limit?: number; filter?: SearchFilter; signal?: AbortSignal } = {}): Promise<SearchResult[]> {
  const limit = opts.limit ?? SEARCH_LIMIT_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidArgument('limit must be between 1 and 100');
  if (term.trim() === '') throw invalidArgument('search term is empty');
  const q = new URLSearchParams({ q: term, n: String(limit) });
  const res = await client.send({ method: 'GET', target: `/v1/search?${q.toString()}`, scope: '', signal: opts.signal });
  if (res.status === 404) {
    res.body.resume();
    throw notImplemented(`registry ${client.endpoint.host} does not offer search (no v1 search endpoint)`);
  }
  if (res.status !== 200) throw await registryError(res.body, `search ${client.endpoint.host}`);
  const body = await readBody(res.body, 4 << 20, 'search response');
  let doc: { results?: unknown };
  try {
    doc = JSON.parse(body.toString('utf8')) as { results?: unknown };
  } catch {
    throw invalidArgument(`search response from ${client.endpoint.host} is not JSON`);
  }
  const list = Array.isArray(doc.results) ? doc.results : [];
  const out: SearchResult[] = [];
  for (const r of list as Array<Record<string, unknown>>) {
    if (typeof r?.name !== 'string') continue;
    out.push({
      name: r.name,
      description: typeof r.description === 'string' ? r.description : '',
      starCount: typeof r.star_count === 'number' ? r.star_count : 0,
      isOfficial: r.is_official === true,
      isAutomated: r.is_automated === true,
    });
  }
  return filterSearchResults(out, opts.filter ?? {}).slice(0, limit);
}
