// Published ports: docker's -p syntax and EXPOSE keys, parsed to plain data (pure), plus the host
// port checks done before a mapping is installed (a port in use is refused, not silently shadowed).
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { conflict } from '../util/errors.ts';
import type { PortBinding, Protocol } from '../util/port-spec.ts';

export { formatHostPort, parseExposeSpec, parseHostPort, parsePortKey, parsePortSpec } from '../util/port-spec.ts';
export type { PortBinding, Protocol };

/** Two bindings take the same host socket (same proto and port; an empty IP means every address). */
export function bindingsClash(a: { hostIP: string; hostPort: number; protocol: string }, b: { hostIP: string; hostPort: number; protocol: string }): boolean {
  if (a.protocol !== b.protocol || a.hostPort !== b.hostPort || a.hostPort === 0) return false;
  const any = (ip: string) => ip === '' || ip === '0.0.0.0' || ip === '::';
  return any(a.hostIP) || any(b.hostIP) || a.hostIP === b.hostIP;
}

/**
 * Checks a host port by binding it briefly (tcp/udp; sctp is not checked). hostPort 0 asks the
 * kernel for a free port and returns it. Throws conflict("port is already allocated") when taken.
 */
export async function probeHostPort(b: { hostIP: string; hostPort: number; protocol: Protocol }): Promise<number> {
  if (b.protocol === 'sctp') return b.hostPort;
  const host = b.hostIP === '' ? '0.0.0.0' : b.hostIP;
  const taken = (e: unknown) =>
    conflict(`Bind for ${host}:${b.hostPort} failed: port is already allocated (${(e as Error).message})`);
  if (b.protocol === 'udp') {
    return await new Promise((resolve, reject) => {
      const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      s.once('error', (e) => {
        s.close();
        reject(taken(e));
      });
      s.bind(b.hostPort, host, () => {
        const port = s.address().port;
        s.close(() => resolve(port));
      });
    });
  }
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', (e) => reject(taken(e)));
    srv.listen({ port: b.hostPort, host, exclusive: true }, () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : b.hostPort;
      srv.close(() => resolve(port));
    });
  });
}
