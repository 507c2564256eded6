// stdin for a -t container on an OCI runtime: conmon's attach socket (SOCK_SEQPACKET, which Node
// cannot open) reached through one socat child per writer. The writer may be opened before the
// container starts (`run -it` opens stdin, then starts): the relay waits for conmon to make the
// socket, holding what was written meanwhile. See docs/oci-runtimes.md.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';

const POLL_MS = 50;

export function attachRelay(socat: string, socketPath: string, timeoutMs = 120_000): Writable {
  let child: ChildProcess | undefined;
  let destroyed = false;
  let ended = false;
  const ready = (async (): Promise<Writable> => {
    const until = Date.now() + timeoutMs;
    while (!existsSync(socketPath)) {
      if (destroyed) throw new Error('attach relay closed');
      if (Date.now() > until) throw new Error(`no attach socket at ${socketPath}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    if (destroyed) throw new Error('attach relay closed');
    // the output side is read and dropped (the daemon follows the log), so conmon never blocks
    child = spawn(socat, ['-', `UNIX-CONNECT:${socketPath},type=5`], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => undefined);
    const stdin = child.stdin as Writable;
    stdin.on('error', () => undefined); // the container ended: writes just stop
    return stdin;
  })();
  ready.catch(() => undefined);
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      ready.then(
        (w) => (w.write(chunk) ? cb() : w.once('drain', () => cb())),
        () => cb(),
      );
    },
    final(cb) {
      ended = true;
      ready.then(
        (w) => w.end(() => cb()),
        () => cb(),
      );
    },
    // A Writable destroys itself once finished: socat then still has to pass on what it read
    // (a client that pipes `ls\nexit\n` ends at once) and exits by itself after its stdin's EOF.
    // Only a writer torn down before its end (the client went away) kills it.
    destroy(err, cb) {
      destroyed = true;
      if (!ended || err) child?.kill('SIGTERM');
      cb(err);
    },
  });
}
