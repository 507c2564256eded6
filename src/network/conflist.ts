// CNI network configuration lists: parse and validate a .conflist (or a single-plugin .conf
// wrapped into a list, as libcni does), and load a conf dir in file-name order.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, invalidArgument } from '../util/errors.ts';
import { log } from '../util/log.ts';
import type { ConfList, PluginConf } from './types.ts';

/** Spec versions this engine speaks (and the Debian plugins answer). */
export const SUPPORTED_CNI_VERSIONS = ['0.3.0', '0.3.1', '0.4.0', '1.0.0'] as const;

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkPlugin(p: unknown, where: string): PluginConf {
  if (!isObject(p)) throw invalidArgument(`${where}: a plugin entry is not an object`);
  if (typeof p['type'] !== 'string' || p['type'] === '' || p['type'].includes('/')) {
    throw invalidArgument(`${where}: plugin "type" must be a plain binary name`);
  }
  if (p['capabilities'] !== undefined && !isObject(p['capabilities'])) throw invalidArgument(`${where}: "capabilities" must be an object`);
  return p as PluginConf;
}

function checkVersion(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') throw invalidArgument(`${where}: "cniVersion" is missing`);
  if (!(SUPPORTED_CNI_VERSIONS as readonly string[]).includes(v)) {
    throw invalidArgument(`${where}: cniVersion ${v} is not supported (supported: ${SUPPORTED_CNI_VERSIONS.join(', ')})`);
  }
  return v;
}

/**
 * Parses a conflist (`plugins` array) or a single plugin conf (`type` at the top). `source` names
 * the file in error messages. Throws invalid-argument with a message that says what is wrong.
 */
export function parseConfList(text: string, source = ''): ConfList {
  const where = source || 'network config';
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw invalidArgument(`${where}: invalid JSON: ${(err as Error).message}`);
  }
  if (!isObject(v)) throw invalidArgument(`${where}: not a JSON object`);
  const name = v['name'];
  if (typeof name !== 'string' || !NAME_RE.test(name)) throw invalidArgument(`${where}: "name" is missing or invalid`);
  const cniVersion = checkVersion(v['cniVersion'], where);
  let plugins: PluginConf[];
  if (v['plugins'] !== undefined) {
    if (!Array.isArray(v['plugins']) || v['plugins'].length === 0) throw invalidArgument(`${where}: "plugins" must be a non-empty array`);
    plugins = v['plugins'].map((p) => checkPlugin(p, where));
  } else {
    // a single .conf: the plugin is the whole object minus the list-level keys
    const { name: _n, cniVersion: _v, ...plugin } = v;
    plugins = [checkPlugin(plugin, where)];
  }
  const out: ConfList = { cniVersion, name, plugins };
  if (v['disableCheck'] === true) out.disableCheck = true;
  if (source) out.source = source;
  return out;
}

/** Config file names in a conf dir, libcni's extensions, sorted (the first is the default network). */
export function confFileNames(names: readonly string[]): string[] {
  return names.filter((n) => /\.(conf|conflist|json)$/.test(n)).sort();
}

/**
 * Every valid list in `dir`, in file-name order. Invalid files are logged and skipped (one bad
 * file must not take all networking down); a missing dir is an empty list.
 */
export async function loadConfDir(dir: string): Promise<ConfList[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
  const out: ConfList[] = [];
  for (const n of confFileNames(names)) {
    const path = join(dir, n);
    try {
      out.push(parseConfList(await readFile(path, 'utf8'), path));
    } catch (err) {
      log.with({ file: path }).warn('skipping invalid CNI config', err);
    }
  }
  return out;
}

/** The built-in list that brings lo up in a new netns (iSulad's `cni-loopback`). */
export function loopbackConfList(): ConfList {
  return { cniVersion: '0.3.1', name: 'cni-loopback', plugins: [{ type: 'loopback' }] };
}
