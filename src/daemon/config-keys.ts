// daemon.json keys iSulad accepts (research/isulad.md §4.2) with the type each must have.
// A key not in this table is rejected at start, naming the key, as is a value of the wrong type.

export type KeyType =
  | 'string'
  | 'bool'
  | 'int'
  | 'port'
  | 'duration'
  | 'string-list'
  | 'int-list'
  | 'string-map'
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
};

export const ULIMIT_NAMES = [
  'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice',
  'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack',
] as const;
