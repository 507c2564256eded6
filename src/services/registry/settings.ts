// Registry settings from the daemon configuration: mirrors, insecure registries, the certs.d
// directory, where login keeps credentials, and where partial blobs wait for a resume.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RegistrySettings } from '../../image/registry/endpoints.ts';

export interface RegistryConfigInput {
  graph: string;
  /** the daemon's scratch dir (<ISULAD_TMPDIR or graph>/isulad_tmpdir); unset: <graph>/isulad_tmpdir */
  tmpDir?: string;
  registryMirrors: string[];
  insecureRegistries: string[];
  insecureSkipVerifyEnforce: boolean;
  /** every daemon.json key after merging; rarer keys are read from here */
  raw?: Record<string, unknown>;
  /** proxies from the daemon's environment (read once in daemon/config.ts) */
  env?: { httpProxy: string; httpsProxy: string; noProxy: string };
}

export interface RegistryPaths {
  settings: RegistrySettings;
  /** iSulad keeps auths.json and aeskey in root's ~/.isulad */
  authDir: string;
  /** partial and finished blobs, keyed by digest, so a restarted daemon resumes downloads
   *  (`blobs` in the daemon's scratch dir: ISULAD_TMPDIR) */
  blobDir: string;
  /** daemon-wide platform for pulls ("os/arch[/variant]"), e.g. an armv7 board pulling arm64 */
  defaultPlatform: string | undefined;
}

export const DEFAULT_CERTS_DIR = '/etc/isulad/certs.d';

function stringKey(raw: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = raw?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function registryPathsFrom(c: RegistryConfigInput): RegistryPaths {
  const overrides = c.raw?.['registry-endpoints'];
  return {
    settings: {
      mirrors: c.registryMirrors,
      insecure: c.insecureRegistries,
      skipVerifyAll: c.insecureSkipVerifyEnforce,
      certsDir: stringKey(c.raw, 'registry-certs-dir') ?? DEFAULT_CERTS_DIR,
      ...(typeof overrides === 'object' && overrides !== null ? { endpointOverrides: overrides as Record<string, string[]> } : {}),
      ...(c.env && (c.env.httpProxy || c.env.httpsProxy) ? { proxy: { httpProxy: c.env.httpProxy, httpsProxy: c.env.httpsProxy, noProxy: c.env.noProxy } } : {}),
    },
    authDir: stringKey(c.raw, 'registry-auth-dir') ?? join(homedir(), '.isulad'),
    blobDir: join(c.tmpDir ?? join(c.graph, 'isulad_tmpdir'), 'blobs'),
    defaultPlatform: stringKey(c.raw, 'default-platform'),
  };
}
