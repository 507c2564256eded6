// What the CRI streaming server (Exec, Attach, PortForward) needs from the engine, as plain
// streams: an exec process, a running container's output followed from its CRI log plus its
// stdin, and a byte pipe to a port inside a pod's network namespace.
import { spawn } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { invalidArgument } from '../../util/errors.ts';
import { parseCriLine } from '../../logs/json-file-reader.ts';

export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

/** One CRI log line → its stream and bytes (F lines get their newline back); undefined if malformed. */
export function parseCriLogLine(line: string): OutputChunk | undefined {
  const e = parseCriLine(line); // the one CRI log line parser, shared with isula logs
  return e && { stream: e.stream, data: Buffer.from(e.log, 'utf8') };
}

/** A follower whose start is placed: output written from then on is emitted until `done`. */
export interface Following {
  done: Promise<void>;
}

/**
 * Follows a CRI log from its current end until `signal` aborts, calling `emit` per line. Resolves
 * once that end is read (the start is placed), so a caller sends the container input only then:
 * an answer written before the start was placed would be skipped (an attach saw nothing when the
 * container answered before the size was read). Polls (every 50 ms): the writer appends with
 * open-write-close, so the inode may change under a rotation, which a path poll handles and a
 * watch would not.
 */
export async function followCriLog(path: string, emit: (c: OutputChunk) => void, signal: AbortSignal): Promise<Following> {
  let pos = 0;
  try {
    pos = (await stat(path)).size;
  } catch {
    pos = 0;
  }
  let partial = '';
  const drain = async () => {
    let fh;
    try {
      fh = await open(path, 'r');
    } catch {
      return;
    }
    try {
      const size = (await fh.stat()).size;
      if (size < pos) pos = 0; // rotated or truncated: a new file
      while (pos < size) {
        const buf = Buffer.alloc(Math.min(64 * 1024, size - pos));
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        pos += bytesRead;
        const text = partial + buf.subarray(0, bytesRead).toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) {
          const c = parseCriLogLine(l);
          if (c) emit(c);
        }
      }
    } finally {
      await fh.close();
    }
  };
  const follow = async () => {
    while (!signal.aborted) {
      await drain();
      await new Promise<void>((r) => {
        const done = () => {
          clearTimeout(t);
          signal.removeEventListener('abort', done);
          r();
        };
        const t = setTimeout(done, 50);
        signal.addEventListener('abort', done, { once: true });
      });
    }
    await drain();
  };
  return { done: follow() };
}

export interface PortPipe {
  input: Writable;
  output: Readable;
  /** resolves when the connection is over */
  done: Promise<void>;
  close(): void;
}

/**
 * A TCP connection to 127.0.0.1:port in the network namespace at `netns` ('' = the host's):
 * `nsenter --net` runs busybox nc there (the daemon itself cannot enter a namespace).
 */
export function connectInNetns(netns: string, port: number): PortPipe {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw invalidArgument(`invalid port ${port}`);
  const args = netns === '' ? ['nc', '127.0.0.1', String(port)] : [`--net=${netns}`, 'busybox', 'nc', '127.0.0.1', String(port)];
  const child = spawn(netns === '' ? 'busybox' : 'nsenter', args, { stdio: ['pipe', 'pipe', 'ignore'] });
  const done = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  child.stdin.on('error', () => undefined);
  return {
    input: child.stdin,
    output: child.stdout,
    done,
    close: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
