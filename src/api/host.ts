// The -H/--host address forms, shared by the server (bind) and the CLI transport (connect),
// which must not load the server module (node:http2 and the server).

import { invalidArgument } from '../util/errors.ts';

export type HostAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

export function parseHost(h: string): HostAddress {
  if (h.startsWith('unix://')) {
    const path = h.slice('unix://'.length);
    if (!path.startsWith('/')) throw invalidArgument(`invalid host "${h}": unix socket path must be absolute`);
    return { kind: 'unix', path };
  }
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]*):(\d+)$/.exec(h);
  if (m) {
    const port = Number(m[2]);
    if (port > 65535) throw invalidArgument(`invalid host "${h}": bad port`);
    return { kind: 'tcp', host: m[1] || '0.0.0.0', port };
  }
  throw invalidArgument(`invalid host "${h}": want unix:///path or tcp://host:port`);
}
