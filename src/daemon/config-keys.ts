// daemon.json keys iSulad accepts (research/isulad.md §4.2) with the type each must have, and
// their validation. A key not in this table is rejected at start, naming the key, as is a value
// of the wrong type. Pure: no I/O.

import { invalidArgument, messageOf } from '../util/errors.ts';
import { LOG_LEVELS } from '../util/log.ts';
import { parseDuration } from '../util/units.ts';
import { isUlimitName } from '../util/ulimit.ts';
export type { Ulimit } from '../util/ulimit.ts';


export type KeyType =
  | 'string'
  | 'bool'
  | 'int'
  | 'port'
  | 'duration'
  | 'string-list'
  | 'int-list'
  | 'string-map'
  | 'string-list-map'
  | 'log-level'
  | 'log-driver'
  | 'umask'
  | 'runtimes'
  | 'container-log'
  | 'tls-config'
  | 'ulimits'
  | 'object';

export const DAEMON_JSON_KEYS: Readonly<Record<string, KeyType>> = {
  hosts: 'string-list',
  group: 'string',
  graph: 'string',
  state: 'string',
  engine: 'string',
  'default-runtime': 'string',
  runtimes: 'runtimes',
  'cri-runtimes': 'string-map',
  'cri-sandboxers': 'object',
  'log-level': 'log-level',
  'log-driver': 'log-driver',
  'log-opts': 'string-map',
  'container-log': 'container-log',
  'storage-driver': 'string',
  'storage-opts': 'string-list',
  'storage-enable-remote-layer': 'bool',
  pidfile: 'string',
  'hook-spec': 'string',
  'start-timeout': 'duration',
  'enable-plugins': 'string',
  'userns-remap': 'string',
  'cpu-rt-period': 'int',
  'cpu-rt-runtime': 'int',
  'sup-groups': 'int-list',
  'registry-mirrors': 'string-list',
  'insecure-registries': 'string-list',
  'native.umask': 'umask',
  'pod-sandbox-image': 'string',
  'network-plugin': 'string',
  'cni-bin-dir': 'string',
  'cni-conf-dir': 'string',
  bridge: 'string',
  'image-layer-check': 'bool',
  'use-decrypted-key': 'bool',
  'insecure-skip-verify-enforce': 'bool',
  tls: 'bool',
  'tls-verify': 'bool',
  'tls-config': 'tls-config',
  'authorization-plugin': 'string',
  'cgroup-parent': 'string',
  'websocket-server-listening-port': 'port',
  'default-ulimits': 'ulimits',
  'selinux-enabled': 'bool',
  'metrics-port': 'port',
  'enable-cri-v1': 'bool',
  'systemd-cgroup': 'bool',
  'enable-pod-events': 'bool',
  'nri-support': 'bool',
  'disable-connections': 'bool',
  'plugin-config-path': 'string',
  'plugin-path': 'string',
  'nri-socket-path': 'string',
  'plugin-registration-timeout': 'int',
  'plugin-requst-timeout': 'int',
  'enable-cdi': 'bool',
  'cdi-spec-dirs': 'string-list',
  // iSulad Edge extensions (not in iSulad): registry endpoint overrides per host (a name like
  // registry.k8s.io/pause:3.9 served from a local mirror), the platform pulled from manifest lists,
  // and where registry certificates and login credentials live.
  'registry-endpoints': 'string-list-map',
  'default-platform': 'string',
  'registry-certs-dir': 'string',
  'registry-auth-dir': 'string',
};


/** The error for a bad value: `invalid daemon configuration: "<key>": <why>`. */
export const configError = (key: string, why: string) => invalidArgument(`invalid daemon configuration: "${key}": ${why}`);
const err = configError;

/** Checks one daemon.json value against its key's type; returns the normalised value. */
export function validateKey(key: string, value: unknown): unknown {
  const type: KeyType | undefined = DAEMON_JSON_KEYS[key];
  if (type === undefined) throw invalidArgument(`invalid daemon configuration: unknown key "${key}"`);
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  switch (type) {
    case 'string':
      if (typeof value !== 'string') throw err(key, 'must be a string');
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw err(key, 'must be true or false');
      return value;
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw err(key, 'must be an integer');
      return value;
    case 'port':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) throw err(key, 'must be a port number (0-65535)');
      return value;
    case 'duration':
      if (typeof value !== 'string' || parseDuration(value) === undefined) throw err(key, 'must be a duration like "2m" or "30s"');
      return value;
    case 'string-list':
      if (!strings(value)) throw err(key, 'must be a list of strings');
      return value;
    case 'int-list':
      if (!Array.isArray(value) || !value.every((x) => Number.isSafeInteger(x))) throw err(key, 'must be a list of integers');
      return value;
    case 'string-map':
      if (!isObj(value) || !Object.values(value).every((x) => typeof x === 'string')) throw err(key, 'must be an object of strings');
      return value;
    case 'string-list-map':
      if (!isObj(value) || !Object.values(value).every(strings)) throw err(key, 'must be an object of string lists');
      return value;
    case 'object':
      if (!isObj(value)) throw err(key, 'must be an object');
      return value;
    case 'log-level':
      if (typeof value !== 'string' || !(LOG_LEVELS as readonly string[]).includes(value.toUpperCase())) {
        throw err(key, `must be one of ${LOG_LEVELS.join(' ')}`);
      }
      return value.toUpperCase();
    case 'log-driver':
      if (value !== 'stdout' && value !== 'file') throw err(key, 'must be "stdout" or "file"');
      return value;
    case 'umask':
      if (value !== 'normal' && value !== 'secure') throw err(key, 'must be "normal" or "secure"');
      return value;
    case 'runtimes': {
      if (!isObj(value)) throw err(key, 'must be an object of {path, runtime-args}');
      for (const [name, r] of Object.entries(value)) {
        if (!isObj(r) || typeof r['path'] !== 'string') throw err(key, `runtime "${name}" needs a string "path"`);
        for (const k of Object.keys(r)) if (k !== 'path' && k !== 'runtime-args') throw err(key, `runtime "${name}": unknown key "${k}"`);
        if (r['runtime-args'] !== undefined && !strings(r['runtime-args'])) throw err(key, `runtime "${name}": "runtime-args" must be a list of strings`);
      }
      return value;
    }
    case 'container-log': {
      if (!isObj(value)) throw err(key, 'must be an object {driver, opts}');
      for (const k of Object.keys(value)) if (k !== 'driver' && k !== 'opts') throw err(key, `unknown key "${k}"`);
      if (value['driver'] !== undefined && typeof value['driver'] !== 'string') throw err(key, '"driver" must be a string');
      const o = value['opts'];
      if (o !== undefined && (!isObj(o) || !Object.values(o).every((x) => typeof x === 'string'))) throw err(key, '"opts" must be an object of strings');
      return value;
    }
    case 'tls-config': {
      if (!isObj(value)) throw err(key, 'must be an object {CAFile, CertFile, KeyFile}');
      for (const [k, v] of Object.entries(value)) {
        if (k !== 'CAFile' && k !== 'CertFile' && k !== 'KeyFile') throw err(key, `unknown key "${k}"`);
        if (typeof v !== 'string') throw err(key, `"${k}" must be a string`);
      }
      return value;
    }
    case 'ulimits': {
      if (!isObj(value)) throw err(key, 'must be an object of {Name, Hard, Soft}');
      for (const [name, u] of Object.entries(value)) {
        if (!isUlimitName(name)) throw err(key, `invalid ulimit type "${name}"`);
        if (!isObj(u) || !Number.isSafeInteger(u['Hard']) || !Number.isSafeInteger(u['Soft'])) throw err(key, `"${name}" needs integer Hard and Soft`);
        if ((u['Soft'] as number) > (u['Hard'] as number)) throw err(key, `"${name}": soft limit must be less than or equal to hard limit`);
        // iSulad's check: the entry's Name is its key (the key is what the spec build uses)
        if (u['Name'] !== name) throw err(key, `Ulimit Name "${String(u['Name'] ?? '')}" must same as type "${name}"`);
      }
      return value;
    }
  }
}

/** Parses the text of a daemon.json; every key is validated, the first bad one is reported. */
export function parseDaemonJson(text: string, path: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalidArgument(`parse daemon configuration ${path}: ${messageOf(e)}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw invalidArgument(`parse daemon configuration ${path}: top level must be an object`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) out[k] = validateKey(k, v);
  return out;
}


