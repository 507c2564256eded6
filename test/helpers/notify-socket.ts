// A datagram socket the test owns, standing in for systemd's $NOTIFY_SOCKET: a perl process (perl-base
// is Essential in Debian; node:dgram has no unix datagrams) binds it and prints every datagram it
// receives, NUL-terminated. `next()` resolves with the next one.
import { spawn, type ChildProcess } from 'node:child_process';

export interface NotifyListener {
  /** the value for NOTIFY_SOCKET */
  address: string;
  next(timeoutMs?: number): Promise<string>;
  close(): void;
}

const RECEIVER = [
  'use strict; use Socket;',
  'my $p = shift; my $b = $p; $b =~ s/^@/\\0/;',
  'socket(my $s, PF_UNIX, SOCK_DGRAM, 0) or die "socket: $!\\n";',
  'bind($s, pack_sockaddr_un($b)) or die "bind $p: $!\\n"; $| = 1; print "\\0";',
  'while (1) { my $m; defined(recv($s, $m, 65536, 0)) or die "recv: $!\\n"; print "$m\\0"; }',
].join(' ');

export async function listenNotify(address: string): Promise<NotifyListener> {
  const child: ChildProcess = spawn('perl', ['-e', RECEIVER, address], { stdio: ['ignore', 'pipe', 'pipe'] });
  const got: string[] = [];
  const waiters: Array<(m: string) => void> = [];
  let buf = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let ready!: () => void;
  const bound = new Promise<void>((r) => (ready = r));
  let first = true;
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\0')) >= 0) {
      const m = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (first) {
        first = false;
        ready();
        continue;
      }
      const w = waiters.shift();
      if (w) w(m);
      else got.push(m);
    }
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await Promise.race([bound, exited.then(() => { throw new Error(`notify receiver: ${stderr}`); })]);
  return {
    address,
    next(timeoutMs = 60_000) {
      const m = got.shift();
      if (m !== undefined) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no notification within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((x) => {
          clearTimeout(t);
          resolve(x);
        });
      });
    },
    close() {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    },
  };
}
