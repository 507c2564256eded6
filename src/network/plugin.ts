// Running one CNI plugin: find its binary in the bin dirs, build its stdin config (name and
// cniVersion injected, prevResult chained, runtimeConfig filtered by capabilities), exec it with
// the CNI_* environment, and turn its error JSON (printed on stdout) into a clear message.
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError, notFound } from '../util/errors.ts';
import type { ConfList, PluginConf, RuntimeConfig, RuntimeTarget } from './types.ts';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION';

/** Default plugin search path: CNI's /opt/cni/bin, then where Debian installs the plugins. */
export const DEFAULT_CNI_BIN_DIRS = ['/opt/cni/bin', '/usr/lib/cni'];

/** The first executable `type` in `dirs`; not-found names the dirs searched. */
export async function findPlugin(type: string, dirs: readonly string[]): Promise<string> {
  for (const d of dirs) {
    const p = join(d, type);
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      /* next dir */
    }
  }
  throw notFound(`failed to find plugin "${type}" in path [${dirs.join(' ')}]`);
}

/** runtimeConfig keys the plugin declared in `capabilities` (libcni's injectRuntimeConfig). */
export function filterRuntimeConfig(plugin: PluginConf, rc: RuntimeConfig | undefined): Record<string, unknown> | undefined {
  if (!rc || !plugin.capabilities) return undefined;
  const out: Record<string, unknown> = {};
  for (const [cap, on] of Object.entries(plugin.capabilities)) {
    if (on === true && rc[cap] !== undefined) out[cap] = rc[cap];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The stdin config of one plugin in a list. */
export function pluginConfig(list: ConfList, plugin: PluginConf, rc: RuntimeConfig | undefined, prevResult?: unknown): Record<string, unknown> {
  const conf: Record<string, unknown> = { ...plugin, name: list.name, cniVersion: list.cniVersion };
  if (prevResult !== undefined) conf['prevResult'] = prevResult;
  else delete conf['prevResult'];
  const filtered = filterRuntimeConfig(plugin, rc);
  if (filtered) conf['runtimeConfig'] = filtered;
  else delete conf['runtimeConfig'];
  return conf;
}

/** CNI_ARGS: "K1=V1;K2=V2". */
export function cniArgsString(args: Record<string, string> | undefined): string {
  return Object.entries(args ?? {}).map(([k, v]) => `${k}=${v}`).join(';');
}

/** A plugin's failure as a message: its error JSON (code, msg, details), else its stderr's tail. */
export function pluginErrorMessage(type: string, command: CniCommand, status: string, stdout: string, stderr: string): string {
  let detail = '';
  try {
    const e = JSON.parse(stdout) as { code?: unknown; msg?: unknown; details?: unknown };
    if (typeof e.msg === 'string') {
      detail = `${e.msg}${typeof e.details === 'string' && e.details !== '' ? `: ${e.details}` : ''}`;
      if (typeof e.code === 'number') detail += ` (code ${e.code})`;
    }
  } catch {
    /* not JSON */
  }
  if (!detail) detail = (stderr.trim() || stdout.trim()).split('\n').slice(-3).join('; ') || 'no output';
  return `CNI plugin ${type} ${command} ${status}: ${detail}`;
}

export interface ExecInput {
  command: CniCommand;
  path: string;
  type: string;
  target: RuntimeTarget;
  binDirs: readonly string[];
  stdin: Record<string, unknown>;
  timeoutMs?: number;
}

/** Runs the plugin; resolves with its stdout, rejects with an EngineError naming the plugin. */
export function execPlugin(x: ExecInput): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: x.command,
    CNI_CONTAINERID: x.target.containerId,
    CNI_NETNS: x.target.netns,
    CNI_IFNAME: x.target.ifName,
    CNI_ARGS: cniArgsString(x.target.args),
    CNI_PATH: x.binDirs.join(':'),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(x.path, [], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: x.timeoutMs ?? 60_000 });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdin.on('error', () => undefined);
    child.once('error', (e) => reject(new EngineError('unavailable', `CNI plugin ${x.type}: ${e.message}`, { cause: e })));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve(out);
      const status = code !== null ? `exited with status ${code}` : `killed by ${signal ?? 'a signal'}`;
      reject(new EngineError('internal', pluginErrorMessage(x.type, x.command, status, out, err)));
    });
    child.stdin.end(JSON.stringify(x.stdin));
  });
}
