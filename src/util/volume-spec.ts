// -v / HostConfig.Binds: the one parser of a volume specification, for everyone who reads them
// (the containers service resolving volumes, inspect, the spec builder binding host paths).
import { invalidArgument } from './errors.ts';

const PROPAGATIONS = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);

export interface BindSpec {
  kind: 'bind';
  source: string;
  destination: string;
  readonly: boolean;
  propagation?: string;
  /** the modes as written (inspect's Mode) */
  mode: string;
}

export type VolumeSpec = BindSpec | { kind: 'volume'; name: string | undefined; destination: string; readonly: boolean; nocopy: boolean };

/** '/a/b/' → '/a/b'; a destination must be absolute and not the root. */
export function cleanDestination(p: string, spec: string): string {
  if (!p.startsWith('/')) throw invalidArgument(`invalid volume specification: '${spec}': destination must be an absolute path`);
  const parts = p.split('/').filter((c) => c !== '' && c !== '.');
  if (parts.includes('..') || parts.length === 0) throw invalidArgument(`invalid volume specification: '${spec}'`);
  return '/' + parts.join('/');
}

/**
 * The one parser of -v (and of HostConfig.Binds wherever they are read): /dst (anonymous volume),
 * name:/dst[:modes] (named volume), /src:/dst[:modes] (bind). Modes: ro, rw, z, Z, nocopy
 * (volumes) and a propagation (binds).
 */
export function parseVolumeSpec(spec: string): VolumeSpec {
  const parts = spec.split(':');
  if (parts.length === 1) return { kind: 'volume', name: undefined, destination: cleanDestination(spec, spec), readonly: false, nocopy: false };
  if (parts.length > 3) throw invalidArgument(`invalid volume specification: '${spec}'`);
  const [source = '', dst = '', modes = ''] = parts;
  if (source === '') throw invalidArgument(`invalid volume specification: '${spec}'`);
  const destination = cleanDestination(dst, spec);
  let readonly = false;
  let nocopy = false;
  let propagation: string | undefined;
  for (const m of modes.split(',').filter(Boolean)) {
    if (m === 'ro') readonly = true;
    else if (m === 'nocopy') nocopy = true;
    else if (PROPAGATIONS.has(m)) propagation = m;
    else if (m === 'rw' || m === 'z' || m === 'Z') continue;
    else throw invalidArgument(`invalid mode '${m}' in volume specification '${spec}'`);
  }
  if (source.startsWith('/')) {
    if (nocopy) throw invalidArgument(`invalid volume specification: '${spec}': nocopy is only for volumes`);
    return { kind: 'bind', source, destination, readonly, ...(propagation ? { propagation } : {}), mode: modes };
  }
  if (propagation) throw invalidArgument(`invalid volume specification: '${spec}': a propagation mode is only for bind mounts`);
  return { kind: 'volume', name: source, destination, readonly, nocopy };
}
