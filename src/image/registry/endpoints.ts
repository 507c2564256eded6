// Where to fetch an image from. Turns a user's reference into the ordered list of (endpoint,
// repository path) pairs a pull tries, following iSulad's rules (research/isulad.md §5.4/§5.5):
//   - a name without a registry host ("busybox", "foo/bar") goes to each `registry-mirrors`
//     entry in order, with "library/" added to one-component names; no mirrors → error;
//   - docker.io names go to registry-1.docker.io;
//   - `insecure-registries` hosts may use plain http, or https without verification;
//   - a per-host endpoint override (options, or a `mirrors` file in <certs.d>/<host>/, one URL a
//     line) puts other endpoints before the host itself, so `registry.k8s.io/pause:3.9` can be
//     served from a local mirror.
// Pure except for reading the small files under certs.d (certs.ts).
import { invalidArgument } from '../../util/errors.ts';
import { parseReference } from '../reference.ts';
import type { ImageReference } from '../reference.ts';
import type { Endpoint } from './client.ts';
import type { ProxySettings } from './http.ts';
import { loadHostDir } from './certs.ts';

export interface RegistrySettings {
  /** daemon.json registry-mirrors */
  mirrors: readonly string[];
  /** daemon.json insecure-registries (hosts, host:port) */
  insecure: readonly string[];
  /** daemon.json insecure-skip-verify-enforce: no TLS verification anywhere */
  skipVerifyAll?: boolean;
  /** CA and client certificates per host: <certsDir>/<host>/ (default /etc/isulad/certs.d) */
  certsDir: string;
  /** host → endpoint URLs tried before the host itself */
  endpointOverrides?: Readonly<Record<string, readonly string[]>>;
  /** the daemon's HTTP(S)_PROXY / NO_PROXY */
  proxy?: ProxySettings;
}

export interface PullSource {
  endpoint: Endpoint;
  /** the repository path on that registry ("library/busybox") */
  remoteRepo: string;
}

export interface ResolvedReference {
  ref: ImageReference;
  /** tag or digest to ask the registry for */
  reference: string;
  /** registry host the name belongs to, undefined for unqualified names */
  host: string | undefined;
  /** in the order to try */
  sources: PullSource[];
}

const DOCKER_HUB = 'registry-1.docker.io';
const DOCKER_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Host of a registry-mirrors entry or endpoint URL ("https://m.local:5000/" → "m.local:5000"). */
export function hostOfMirror(s: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(s) ? s : `https://${s}`;
  try {
    return new URL(withScheme).host;
  } catch {
    throw invalidArgument(`invalid registry address ${JSON.stringify(s)}`);
  }
}

function isInsecure(host: string, settings: RegistrySettings): boolean {
  if (settings.skipVerifyAll) return true;
  const hostname = host.replace(/:\d+$/, '');
  return settings.insecure.some((h) => {
    const x = hostOfMirror(h);
    return x === host || x === hostname;
  });
}

/** The endpoint for `host`, or for an explicit URL (a mirror given with its scheme). */
export function endpointFor(hostOrUrl: string, settings: RegistrySettings): Endpoint {
  const explicit = /^https?:\/\//i.test(hostOrUrl);
  const host = hostOfMirror(hostOrUrl);
  const insecure = isInsecure(host, settings);
  const url = new URL(explicit ? hostOrUrl : `https://${host}`);
  url.pathname = '/';
  const dir = loadHostDir(settings.certsDir, host);
  return {
    host,
    url,
    tls: { ...dir.tls, ...(insecure ? { insecureSkipVerify: true } : {}) },
    insecure: insecure || url.protocol === 'http:',
    ...(settings.proxy ? { proxy: settings.proxy } : {}),
  };
}

/** Registry host of a raw user reference, or undefined when it names none. */
export function hostOf(input: string): string | undefined {
  const first = input.trim().split('/')[0] ?? '';
  if (!input.includes('/')) return undefined;
  if (first.includes('.') || first.includes(':') || first === 'localhost') return first;
  return undefined;
}

export function resolveReference(input: string, settings: RegistrySettings): ResolvedReference {
  const ref = parseReference(input);
  const reference = ref.digest ?? ref.tag ?? 'latest';
  let host = hostOf(input);
  if (host !== undefined && DOCKER_HOSTS.has(host.toLowerCase())) host = 'docker.io';
  const sources: PullSource[] = [];
  if (host === undefined) {
    // Unqualified: iSulad tries each mirror in order; without mirrors there is nowhere to go.
    const remoteRepo = ref.repo.includes('/') ? ref.repo : `library/${ref.repo}`;
    for (const m of settings.mirrors) sources.push({ endpoint: endpointFor(m, settings), remoteRepo });
    if (sources.length === 0) throw invalidArgument(`Invalid image name ${JSON.stringify(input)}, no host found (configure registry-mirrors)`);
    return { ref, reference, host, sources };
  }
  const path = host === 'docker.io' ? ref.repo : ref.repo.slice(ref.repo.indexOf('/') + 1);
  const remoteRepo = host === 'docker.io' && !path.includes('/') ? `library/${path}` : path;
  const overrides = [...(settings.endpointOverrides?.[host] ?? []), ...loadHostDir(settings.certsDir, host).mirrors];
  for (const o of overrides) sources.push({ endpoint: endpointFor(o, settings), remoteRepo });
  sources.push({ endpoint: endpointFor(host === 'docker.io' ? DOCKER_HUB : host, settings), remoteRepo });
  return { ref, reference, host, sources };
}
