// ContainerService Exec / RemoteExec / Top handlers: decode → ContainerService → encode.
// RemoteExec (iSulad's shape): the exec request travels as JSON in call metadata
// `isulad-remote-exec`; upward messages carry stdin (`cmd` chunks, `finish` = EOF), downward ones
// stdout/stderr; the initial metadata carries `exec-id` (for Resize with suffix = exec id) and the
// trailers `exit_code`, as RemoteStart does. The process's pipes go to this call only: an exec is
// the client's session, not the container's output.
import type * as grpc from '@grpc/grpc-js';
import { Metadata } from '../grpc-server.ts';
import type { Readable } from 'node:stream';
import type { ContainerServiceHandlers } from '../generated/containers/ContainerService.ts';
import type { ContainerService } from '../../services/containers/service.ts';
import type { ExecRequest } from '../../services/containers/exec.ts';
import { invalidArgument, messageOf } from '../../util/errors.ts';
import { bidiStream, unary } from '../handler.ts';
import type { StreamInput, StreamWriter } from '../handler.ts';
import { exitCodeEnd } from './exit-end.ts';
import { CC_SUCCESS } from '../status.ts';

export interface ExecHandlerDeps {
  containers: ContainerService;
}

interface WireExec {
  container_id?: unknown;
  tty?: unknown;
  open_stdin?: unknown;
  attach_stdin?: unknown;
  argv?: unknown;
  env?: unknown;
  user?: unknown;
  workdir?: unknown;
  privileged?: unknown;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The service request from iSulad's ExecRequest fields (JSON metadata or the unary message). */
export function execRequestFrom(w: WireExec, detach: boolean, size?: { rows: number; cols: number }): { id: string; req: ExecRequest } {
  const id = typeof w.container_id === 'string' ? w.container_id : '';
  if (!id) throw invalidArgument('exec: missing container id');
  const args = strings(w.argv);
  if (args.length === 0) throw invalidArgument('exec: no command specified');
  return {
    id,
    req: {
      args,
      env: strings(w.env),
      ...(typeof w.user === 'string' && w.user ? { user: w.user } : {}),
      ...(typeof w.workdir === 'string' && w.workdir ? { workdir: w.workdir } : {}),
      tty: w.tty === true,
      stdin: !detach && (w.attach_stdin === true || w.open_stdin === true),
      detach,
      ...(w.privileged === true ? { privileged: true } : {}),
      ...(size && size.rows > 0 && size.cols > 0 ? { size } : {}),
    },
  };
}

function parseMeta(md: Metadata): WireExec {
  const raw = md.get('isulad-remote-exec')[0];
  if (raw === undefined) throw invalidArgument('missing isulad-remote-exec metadata');
  try {
    const v: unknown = JSON.parse(String(raw));
    if (typeof v !== 'object' || v === null) throw new Error('not an object');
    return v as WireExec;
  } catch (err) {
    throw invalidArgument(`invalid isulad-remote-exec JSON: ${messageOf(err)}`);
  }
}

type Out = { stdout?: Buffer; stderr?: Buffer; finish?: boolean };

/**
 * iSulad returns an exec when its process exits, even when a background child of that process
 * still holds the output pipes (`sh -c 'sleep 999 & exit'`, iSulad CI runc_exec.sh). After the exit,
 * what is already in the pipes is still sent; they are closed once no output came for QUIET_MS (or
 * after DRAIN_MAX_MS of a child writing on), never while the client is still taking output.
 */
const QUIET_MS = 200;
const DRAIN_MAX_MS = 5000;

class ExitDrain {
  #last = Date.now();
  #busy = 0;
  #exitedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #pipes: ReadonlyArray<Readable | null>;

  constructor(pipes: ReadonlyArray<Readable | null>) {
    this.#pipes = pipes;
  }

  writing(on: boolean): void {
    this.#busy += on ? 1 : -1;
    this.#last = Date.now();
  }

  exited(): void {
    this.#exitedAt = Date.now();
    this.#timer = setInterval(() => this.#check(), QUIET_MS / 2);
    this.#timer.unref();
  }

  dispose(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    if (this.#busy > 0) return;
    const now = Date.now();
    if (now - this.#last < QUIET_MS && now - this.#exitedAt < DRAIN_MAX_MS) return;
    for (const p of this.#pipes) p?.destroy();
    this.dispose();
  }
}

/** Copies one output pipe to the call, waiting while the call's buffer is full. */
async function pump(src: Readable | null, out: StreamWriter<Out>, key: 'stdout' | 'stderr', drain: ExitDrain): Promise<void> {
  if (!src) return;
  try {
    for await (const b of src) {
      drain.writing(true);
      try {
        await out.write({ [key]: b as Buffer });
      } finally {
        drain.writing(false);
      }
    }
  } catch {
    // the pipe was closed because the client went away, the process exited leaving a child
    // holding it, or it broke: nothing more to send
  }
}

function remoteExec(deps: ExecHandlerDeps): grpc.handleBidiStreamingCall<{ cmd: Buffer[]; finish: boolean }, Out> {
  return bidiStream('RemoteExec', async (input: StreamInput<{ cmd: Buffer[]; finish: boolean }>, out: StreamWriter<Out>, ctx) => {
    const rows = Number(ctx.metadata.get('tty-rows')[0] ?? 0);
    const cols = Number(ctx.metadata.get('tty-cols')[0] ?? 0);
    const { id, req } = execRequestFrom(parseMeta(ctx.metadata), false, { rows, cols });
    const { execId, process: p } = await deps.containers.exec(id, req);
    // the client went away: its stdio closes, as a terminal would (EOF in, EPIPE/SIGHUP out).
    // Not killed: a process that neither reads nor writes runs on (docker's behaviour), and its
    // exec_die comes when it ends.
    const hangUp = () => {
      p.stdin?.end();
      p.stdout?.destroy();
      p.stderr?.destroy();
    };
    if (ctx.signal.aborted) hangUp();
    else ctx.signal.addEventListener('abort', hangUp, { once: true });
    const md = new Metadata();
    md.set('exec-id', execId);
    out.sendMetadata(md);
    if (p.stdin) {
      const stdin = p.stdin;
      stdin.on('error', () => undefined); // EPIPE once the process exited
      input.on('data', (m: { cmd: Buffer[]; finish: boolean }) => {
        for (const b of m.cmd ?? []) if (b.length > 0) stdin.write(b);
        if (m.finish) stdin.end();
      });
      input.once('end', () => stdin.end());
    }
    // Once the call is over (client gone, daemon shutting down) the process's exit is not waited
    // for here: the service reports it (exec_die).
    const stopped = new Promise<never>((_, reject) => {
      if (ctx.signal.aborted) reject(ctx.signal.reason);
      else ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
    });
    stopped.catch(() => undefined);
    const drain = new ExitDrain([p.stdout, p.stderr]);
    p.exit.then(() => drain.exited(), () => drain.exited());
    try {
      const [code] = await Promise.race([Promise.all([p.exit, pump(p.stdout, out, 'stdout', drain), pump(p.stderr, out, 'stderr', drain)]), stopped]);
      return exitCodeEnd(code);
    } finally {
      drain.dispose();
      ctx.signal.removeEventListener('abort', hangUp);
    }
  });
}

export function execHandlers(deps: ExecHandlerDeps): Pick<ContainerServiceHandlers, 'Exec' | 'RemoteExec' | 'Top'> {
  const c = deps.containers;
  return {
    // unary Exec is the detached form (isula exec -d): started, not waited for
    Exec: unary('Exec', async (req) => {
      const { id, req: r } = execRequestFrom(req, true);
      const { process: p } = await c.exec(id, r);
      return { pid: p.pid, exit_code: 0, cc: CC_SUCCESS, errmsg: '' };
    }),
    RemoteExec: remoteExec(deps),
    Top: unary('Top', async (req) => {
      const r = await c.top(req.id, req.args);
      return { titles: Buffer.from(r.titles), processes: r.processes.map((l) => Buffer.from(l)), cc: CC_SUCCESS, errmsg: '' };
    }),
  };
}
