// Namespace options: --net none|host|<ns path>, --pid/--ipc/--uts host|<ns path>. Services resolve
// container:<id> into /proc/<pid>/ns/<kind> before calling these (spec knows no containers).
import { invalidArgument } from '../util/errors.ts';
import type { Namespace, SpecOpt } from './types.ts';

export type NamespaceMode = { mode: 'private' } | { mode: 'host' } | { mode: 'path'; path: string };

function setNamespace(type: Namespace['type'], m: NamespaceMode): SpecOpt {
  return (s) => {
    const rest = s.linux.namespaces.filter((n) => n.type !== type);
    if (m.mode === 'private') rest.push({ type });
    else if (m.mode === 'path') {
      if (!m.path.startsWith('/')) throw invalidArgument(`invalid ${type} namespace path "${m.path}"`);
      rest.push({ type, path: m.path });
    }
    s.linux.namespaces = rest;
  };
}

/**
 * --cgroupns private: a new cgroup namespace; host: the runtime's own (the host's), joined by path
 * so every runtime is explicit (LXC makes one by default, runc does not); a path: join that one
 * (container:<id>, resolved by services). Absent: the runtime's default.
 */
export function withCgroupNamespace(mode: string): SpecOpt {
  if (mode === 'private') return setNamespace('cgroup', { mode: 'private' });
  return setNamespace('cgroup', { mode: 'path', path: mode === 'host' ? '/proc/self/ns/cgroup' : mode });
}

/** none: a private network namespace with only lo; host: the daemon's; path: join (CNI, container:). */
export function withNetwork(m: NamespaceMode): SpecOpt {
  return setNamespace('network', m);
}

export function withPidNamespace(m: NamespaceMode): SpecOpt {
  return setNamespace('pid', m);
}

export function withIpcNamespace(m: NamespaceMode): SpecOpt {
  return setNamespace('ipc', m);
}

export function withUtsNamespace(m: NamespaceMode): SpecOpt {
  return (s, ctx) => {
    if (m.mode !== 'private' && s.hostname !== '') throw invalidArgument('Conflicting options: hostname and the UTS mode');
    setNamespace('uts', m)(s, ctx);
  };
}

/** "host" | "none" | "" | "/proc/123/ns/net" → NamespaceMode (container:<id> is resolved by services). */
export function parseNamespaceMode(v: string, kind: string): NamespaceMode {
  if (v === '' || v === 'none' || v === 'private' || v === 'shareable' || v === 'bridge' || v === 'default') return { mode: 'private' };
  if (v === 'host') return { mode: 'host' };
  if (v.startsWith('/')) return { mode: 'path', path: v };
  throw invalidArgument(`invalid ${kind} mode "${v}"`);
}
