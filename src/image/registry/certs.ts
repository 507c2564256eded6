// Per-registry files under <certs.d>/<host>/ (iSulad and docker use /etc/isulad/certs.d and
// /etc/docker/certs.d): *.crt are extra CAs, <name>.cert + <name>.key a client certificate, and
// our own `mirrors` file lists endpoints to try before the host (one URL a line, # comments).
// Read at each pull (they are tiny) so a new certificate needs no daemon restart.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { invalidArgument } from '../../util/errors.ts';
import type { TlsSettings } from './http.ts';

export interface HostDir {
  tls: TlsSettings;
  mirrors: string[];
}

export function loadHostDir(certsDir: string, host: string): HostDir {
  // A host never contains a path separator, but a reference is user input: be sure.
  if (host.includes('/') || host === '..' || host === '.') throw invalidArgument(`invalid registry host ${JSON.stringify(host)}`);
  const dir = join(certsDir, host);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return { tls: {}, mirrors: [] };
  }
  const tls: TlsSettings = {};
  const ca = names.filter((n) => n.endsWith('.crt')).map((n) => readFileSync(join(dir, n)));
  if (ca.length > 0) tls.ca = ca;
  const cert = names.find((n) => n.endsWith('.cert') && names.includes(n.replace(/\.cert$/, '.key')));
  if (cert) {
    tls.cert = readFileSync(join(dir, cert));
    tls.key = readFileSync(join(dir, cert.replace(/\.cert$/, '.key')));
  }
  const mirrors = names.includes('mirrors')
    ? readFileSync(join(dir, 'mirrors'), 'utf8')
        .split('\n')
        .map((l) => l.replace(/#.*/, '').trim())
        .filter((l) => l !== '')
    : [];
  return { tls, mirrors };
}
