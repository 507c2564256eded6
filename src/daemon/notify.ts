// sd_notify for `Type=notify` units: READY=1 once the API sockets serve, STOPPING=1 when shutdown
// begins (docs/packaging.md, "systemd notify").
//
// Node cannot send a unix datagram: node:dgram is UDP only and libuv's pipes are SOCK_STREAM, so
// connecting to $NOTIFY_SOCKET (SOCK_DGRAM) fails with EPROTOTYPE. The datagram is therefore sent
// by a helper process. systemd attributes a notification to a unit by the sender's pid (read from
// the socket credentials) and looks that pid up *when it processes the message*: a one-shot sender
// such as `systemd-notify` that exits at once may be gone by then and its READY=1 dropped (the race
// systemd-notify(1) describes). So the helper is a relay that lives exactly as long as the daemon:
// it reads NUL-terminated messages on stdin and sends each one as a datagram, and it exits when the
// daemon's end of the pipe closes. The unit sets NotifyAccess=all so the relay, a process of the
// service, may speak for it. The relay is a few lines of perl: perl-base is Essential in Debian,
// so it exists wherever the package installs, and no compiled helper has to ship per arch.

import { spawn, type ChildProcess } from 'node:child_process';
import { log } from '../util/log.ts';

const RELAY = [
  'use strict; use Socket;',
  'my $p = shift; $p =~ s/^@/\\0/;', // abstract socket names start with @
  'socket(my $s, PF_UNIX, SOCK_DGRAM, 0) or die "socket: $!\\n";',
  'my $to = pack_sockaddr_un($p); $/ = "\\0"; $| = 1;',
  'while (defined(my $m = <STDIN>)) { chomp $m; send($s, $m, 0, $to) or warn "send: $!\\n"; }',
].join(' ');

export interface Notifier {
  /** queue one notification (`READY=1`, `STOPPING=1`, `STATUS=...`); never throws */
  send(state: string): void;
  /** closes the relay's stdin; resolves when it has sent what was queued and exited */
  close(): Promise<void>;
}

/** A notifier for $NOTIFY_SOCKET, or undefined when the daemon does not run under Type=notify. */
export function openNotifier(socket: string | undefined, perl = 'perl'): Notifier | undefined {
  if (!socket) return undefined;
  if (!socket.startsWith('/') && !socket.startsWith('@')) {
    log.warn(`NOTIFY_SOCKET ${socket}: only unix socket paths are supported; not notifying`);
    return undefined;
  }
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  try {
    child = spawn(perl, ['-e', RELAY, socket], { stdio: ['pipe', 'ignore', 'pipe'], env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
  } catch (err) {
    log.warn('start the sd_notify relay', err);
    return undefined;
  }
  const c = child;
  exited = new Promise((resolve) => {
    c.once('error', (err) => {
      log.warn(`sd_notify relay (${perl}) failed to start; systemd will not see READY=1`, err);
      resolve();
    });
    c.once('exit', () => resolve());
  });
  let stderr = '';
  c.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.includes('\n')) {
      log.warn(`sd_notify relay: ${stderr.trim()}`);
      stderr = '';
    }
  });
  c.stdin?.on('error', () => undefined); // relay gone: nothing more to tell systemd
  // The relay must not keep the daemon alive, and the daemon's exit closes its stdin.
  c.unref();
  (c.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  (c.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    send(state) {
      if (c.stdin && !c.stdin.destroyed) c.stdin.write(`${state}\0`);
    },
    async close() {
      c.stdin?.end();
      await exited;
    },
  };
}
