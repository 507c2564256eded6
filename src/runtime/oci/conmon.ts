// conmon, the per-container monitor of the OCI runtimes: its command line (pure) and the sync
// pipe that reports the container's pid once `<runtime> create` is done. Facts from the runtime
// lab: every path absolute, --persist-dir must exist, --socket-dir-path is required (conmon 2.1.6
// falls back to /var/run/crio and exits 1 before creating the container), and the sync pipe stays
// open until conmon exits, so the reply is parsed per line.
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { deadline, failedPrecondition, internal } from '../../util/errors.ts';

export interface ConmonParams {
  id: string;
  /** what conmon runs as `-r` (the runtime, or the stdin wrapper) */
  runtime: string;
  /** global runtime arguments (each becomes --runtime-arg) */
  runtimeArgs: string[];
  files: { bundle: string; pidFile: string; conmonPid: string; persist: string };
  exitDir: string;
  socketDir: string;
  logPath: string;
  /** log driver none: conmon reads the output and drops it (logPath unused) */
  logNone?: boolean;
  /** bytes; 0 = no limit. conmon truncates the log at this size: the driver passes 0 and rotates with log-copier.ts */
  logMaxSize: number;
  terminal: boolean;
  /** -t with -i: conmon feeds attach-socket input to the terminal and keeps it open between clients */
  attachStdin?: boolean;
  /** --no-pivot: conmon passes it to the runtime's create */
  noPivot?: boolean;
}

/** conmon's argv. The attach socket's name (-u) is short: sun_path holds 108 bytes. Pure. */
export function conmonArgs(p: ConmonParams): string[] {
  const a = [
    '--api-version', '1',
    '-c', p.id, '-u', p.id.slice(0, 16), '-n', p.id,
    '-r', p.runtime, '-b', p.files.bundle,
    '-p', p.files.pidFile, '-P', p.files.conmonPid,
    '--exit-dir', p.exitDir, '--persist-dir', p.files.persist,
    '-l', p.logNone ? 'none' : `k8s-file:${p.logPath}`, '--log-level', 'error',
    '--socket-dir-path', p.socketDir,
  ];
  if (p.logMaxSize > 0) a.push('--log-size-max', String(p.logMaxSize));
  if (p.terminal) a.push('-t');
  if (p.attachStdin) a.push('-i', '--leave-stdin-open');
  if (p.noPivot) a.push('--no-pivot');
  for (const r of p.runtimeArgs) a.push('--runtime-arg', r);
  return a;
}

/** One sync-pipe message: {"data": pid} or {"data": -1, "message": "..."}. */
/** The attach socket by its short path (conmon links <socket-dir>/<-u> to the bundle). */
export const attachSocketPath = (socketDir: string, id: string) => `${socketDir}/${id.slice(0, 16)}/attach`;

export function parseSyncLine(line: string): { pid: number } | { error: string } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as { data?: unknown; message?: unknown };
  if (typeof o.data !== 'number') return undefined;
  if (o.data > 0) return { pid: o.data };
  return { error: typeof o.message === 'string' && o.message ? o.message.trim() : `conmon reported ${o.data}` };
}

/** Waits for the container pid on conmon's sync pipe (fd 3); throws the runtime's message on failure. */
export function readSyncPid(child: ChildProcess, timeoutMs: number): Promise<number> {
  const pipe = child.stdio[3] as Readable | null | undefined;
  if (!pipe) return Promise.reject(internal('conmon: no sync pipe'));
  return new Promise<number>((resolve, reject) => {
    let buf = '';
    const done = (err: Error | undefined, pid?: number) => {
      clearTimeout(timer);
      pipe.removeAllListeners('data');
      pipe.removeAllListeners('end');
      pipe.removeAllListeners('error');
      pipe.destroy();
      if (err) reject(err);
      else resolve(pid as number);
    };
    const timer = setTimeout(() => done(deadline(`conmon: no container pid after ${timeoutMs} ms`)), timeoutMs);
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const m = parseSyncLine(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        if (m === undefined) continue;
        if ('pid' in m) return done(undefined, m.pid);
        return done(failedPrecondition(m.error));
      }
    });
    pipe.on('end', () => done(failedPrecondition(buf.trim() ? `conmon: ${buf.trim()}` : 'conmon exited without reporting a pid')));
    pipe.on('error', (err) => done(internal(`conmon sync pipe: ${err.message}`, { cause: err })));
  });
}
