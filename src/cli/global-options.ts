// Options every isula command takes, before or after the command name (`isula -H x version`
// and `isula version -H x`), plus their environment fallbacks (ISULAD_HOST, ISULAD_TLS,
// ISULAD_TLS_VERIFY, ISULAD_CERT_PATH). All CLI environment reads are here.

import { join } from 'node:path';
import { flagBool, flagString, parseBool, type FlagSpec, type ParsedFlags } from './flags.ts';

export const DEFAULT_HOST = 'unix:///var/run/isulad.sock';

export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { long: 'host', short: 'H', kind: 'string', description: 'Daemon socket(s) to connect to' },
  { long: 'debug', short: 'D', kind: 'bool', description: 'Enable debug mode' },
  { long: 'tls', kind: 'bool', description: 'Use TLS; implied by --tlsverify' },
  { long: 'tlsverify', kind: 'bool', description: 'Use TLS and verify the remote' },
  { long: 'tlscacert', kind: 'string', description: 'Trust certs signed only by this CA' },
  { long: 'tlscert', kind: 'string', description: 'Path to TLS certificate file' },
  { long: 'tlskey', kind: 'string', description: 'Path to TLS key file' },
];

export interface GlobalOptions {
  host: string;
  debug: boolean;
  tls: { enabled: boolean; verify: boolean; ca: string; cert: string; key: string; explicit: Set<string> };
}

/**
 * os.homedir() without loading `node:os` on every start (~2 M instructions, 1.7 % of
 * `isula version`, docs/performance.md): libuv's uv_os_homedir answers $HOME whenever it is set
 * (even empty) and asks the passwd database only when it is not, so only that case loads `os`.
 */
export function homeDir(): string {
  const home = process.env['HOME'];
  if (home !== undefined) return home;
  return (process.getBuiltinModule('node:os') as typeof import('node:os')).homedir();
}

/** Later sources win: env < flags before the command < flags after it. */
export function resolveGlobalOptions(before: ParsedFlags, after: ParsedFlags, env: NodeJS.ProcessEnv): GlobalOptions {
  const pick = (name: string) => flagString(after, name) ?? flagString(before, name);
  const bool = (name: string) => flagBool(after, name) || flagBool(before, name);
  const certDir = env['ISULAD_CERT_PATH'] || join(homeDir(), '.iSulad');
  const verify = bool('tlsverify') || parseBool(env['ISULAD_TLS_VERIFY'] ?? '') === true;
  const explicit = new Set(['tlscacert', 'tlscert', 'tlskey'].filter((n) => pick(n) !== undefined));
  return {
    host: pick('host') ?? (env['ISULAD_HOST'] || DEFAULT_HOST),
    debug: bool('debug'),
    tls: {
      enabled: verify || bool('tls') || parseBool(env['ISULAD_TLS'] ?? '') === true,
      verify,
      ca: pick('tlscacert') ?? join(certDir, 'ca.pem'),
      cert: pick('tlscert') ?? join(certDir, 'cert.pem'),
      key: pick('tlskey') ?? join(certDir, 'key.pem'),
      explicit,
    },
  };
}
