// login / logout / search: iSulad's registry account commands. login checks the credentials
// against the registry before storing them (encrypted, see image/registry/credentials.ts).
import { RegistryClient } from '../../image/registry/client.ts';
import type { Credentials } from '../../image/registry/auth.ts';
import { registryKey } from '../../image/registry/credentials.ts';
import type { CredentialStore } from '../../image/registry/credentials.ts';
import { endpointFor, hostOf } from '../../image/registry/endpoints.ts';
import type { RegistrySettings } from '../../image/registry/endpoints.ts';
import { filterSearchResults, searchRegistry } from '../../image/registry/search.ts';
import type { SearchFilter, SearchResult } from '../../image/registry/search.ts';
import type { EventBus } from '../../events/bus.ts';
import { invalidArgument, kindOf, wrap } from '../../util/errors.ts';

export interface AccountDeps {
  settings: RegistrySettings;
  credentials: CredentialStore;
  events?: EventBus | undefined;
}

export async function login(deps: AccountDeps, server: string, creds: Credentials, signal?: AbortSignal): Promise<void> {
  if (creds.username === '' || creds.password === '') throw invalidArgument('Missing username or password');
  const key = registryKey(server);
  const client = new RegistryClient({ endpoint: endpointFor(/^https?:\/\//.test(server) ? server : key, deps.settings), credentials: creds });
  try {
    await client.checkLogin(signal);
  } catch (err) {
    // The message names the registry only; never the user's password.
    throw wrap(err, `login to ${key} failed`);
  } finally {
    client.close();
  }
  await deps.credentials.set(key, creds);
  deps.events?.publish({ type: 'image', action: 'login', id: key, attributes: {} });
}

export async function logout(deps: AccountDeps, server: string): Promise<void> {
  const key = registryKey(server);
  await deps.credentials.remove(key);
  deps.events?.publish({ type: 'image', action: 'logout', id: key, attributes: {} });
}

/** Searches "host/term" on that host, or a bare term on each mirror in turn. */
export async function search(deps: AccountDeps, term: string, opts: { limit?: number; filter?: SearchFilter; signal?: AbortSignal } = {}): Promise<SearchResult[]> {
  const host = hostOf(term);
  const hosts = host ? [host] : [...deps.settings.mirrors];
  const q = host ? term.slice(host.length + 1) : term;
  if (hosts.length === 0) throw invalidArgument(`Invalid search name ${JSON.stringify(term)}, no host found (configure registry-mirrors)`);
  let last: unknown;
  for (const h of hosts) {
    const endpoint = endpointFor(h, deps.settings);
    const client = new RegistryClient({ endpoint, credentials: await deps.credentials.get(endpoint.host).catch(() => undefined) });
    try {
      return filterSearchResults(await searchRegistry(client, q, opts), {});
    } catch (err) {
      last = err;
      if (kindOf(err) !== 'unavailable' && kindOf(err) !== 'not-implemented') break;
    } finally {
      client.close();
    }
  }
  throw wrap(last, `search ${JSON.stringify(term)}`);
}
