// isulad(8), generated from DAEMON_FLAGS (./config.ts): the table that parses isulad's command
// line and prints its --help. The package build writes it (scripts/package.mjs).

import { definitionList, flagList, manHeader, paragraph, section } from '../util/roff.ts';
import { DAEMON_FLAGS, DEFAULT_CONFIG_FILE } from './config.ts';

export function isuladManPage(meta: { version: string; date: string }): string {
  let s = manHeader({ name: 'isulad', section: 8, date: meta.date, source: `iSulad Edge ${meta.version}`, manual: 'System Administration' });
  s += section('name') + 'isulad \\- the iSulad Edge container engine daemon\n';
  s += section('synopsis') + '\\fBisulad\\fR [\\fIOPTIONS\\fR]\n';
  s += section('description');
  s += paragraph('isulad runs containers with LXC (the lcr runtime) or an OCI runtime, stores images and volumes, ' +
    'and serves the isula API and the Kubernetes CRI on one gRPC socket. Containers outlive the daemon: ' +
    'stopping or restarting isulad leaves them running, and the next start restores them.');
  s += paragraph(`Settings come from built-in defaults, then ${DEFAULT_CONFIG_FILE}, then the options below; a later source wins.`);
  s += section('options') + flagList([...DAEMON_FLAGS, { long: 'help', kind: 'bool', description: 'Show help' }]);
  s += section('signals');
  s += definitionList([
    ['SIGTERM, SIGINT', 'stop accepting calls, finish the ones in flight and exit 0; containers keep running'],
    ['SIGHUP', 'ignored'],
  ]);
  s += section('systemd');
  s += paragraph('Under systemd (Type=notify) isulad sends READY=1 to $NOTIFY_SOCKET once its sockets serve, and STOPPING=1 when it begins to shut down.');
  s += section('files');
  s += definitionList([
    [DEFAULT_CONFIG_FILE, 'daemon configuration (JSON)'],
    ['/var/lib/isulad', 'root directory: state store, images, layers, volumes (--graph)'],
    ['/var/run/isulad', 'execution state (--state)'],
    ['/var/run/isulad.sock', 'the API socket, owned by the isula group (--host, --group)'],
    ['/var/run/isulad.pid', 'pid file (--pidfile)'],
  ]);
  s += section('see also') + '\\fBisula\\fR(1), \\fBlxc\\fR(7)\n';
  return s;
}
