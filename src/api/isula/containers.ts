// ContainerService handlers for containers: decode → ContainerService → encode. No logic here
// beyond translation; errors map to status in ../handler.ts. RemoteStart/Attach stream the
// container's output (followed from its json-file log) and end with iSulad's trailing metadata
// `exit_code` (plus cc/errmsg), as iSulad does for streaming calls.
import { portsSummary } from '../../services/containers/network.ts';
import type * as grpc from '@grpc/grpc-js';
import { Metadata } from '../grpc-server.ts';
import type { ContainerServiceHandlers } from '../generated/containers/ContainerService.ts';
import type { Container } from '../generated/containers/Container.ts';
import type { Event } from '../generated/containers/Event.ts';
import type { EventsRequest__Output } from '../generated/containers/EventsRequest.ts';
import type { Timestamp__Output } from '../generated/google/protobuf/Timestamp.ts';
import type { ContainerService } from '../../services/containers/service.ts';
import type { ContainerConfig, ContainerRecord, CreateRequest, HostConfig } from '../../services/containers/types.ts';
import { listStatus } from '../../services/containers/status.ts';
import { localRfc3339 } from '../../services/containers/time.ts';
import type { EngineEvent, EventBus } from '../../events/bus.ts';
import { invalidArgument, messageOf } from '../../util/errors.ts';
import { bidiStream, serverStream, unary } from '../handler.ts';
import type { StreamInput, StreamWriter } from '../handler.ts';
import { exitCodeEnd } from './exit-end.ts';
import { keepEncoding } from '../pb.ts';
import { CC_SUCCESS } from '../status.ts';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';

export interface ContainerHandlerDeps {
  containers: ContainerService;
  events: EventBus;
}

/** proto ContainerStatus numbers */
const STATUS_NUMBER = { created: 1, running: 3, exited: 4, paused: 5, restarting: 6 } as const;

function parseJsonObject(text: string, what: string): Record<string, unknown> {
  if (text === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw invalidArgument(`invalid ${what} JSON: ${messageOf(err)}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidArgument(`invalid ${what} JSON: not an object`);
  return v as Record<string, unknown>;
}

export function createRequestFrom(req: { id: string; image: string; runtime: string; hostconfig: string; customconfig: string; rootfs?: string }): CreateRequest {
  const custom = parseJsonObject(req.customconfig, 'customconfig');
  const host = parseJsonObject(req.hostconfig, 'hostconfig');
  const { Pull, Platform, ...config } = custom;
  const pull = Pull === 'always' || Pull === 'never' || Pull === 'missing' ? Pull : undefined;
  return {
    name: req.id,
    image: req.image,
    runtime: req.runtime,
    ...(req.rootfs ? { rootfs: req.rootfs } : {}),
    ...(pull ? { pull } : {}),
    ...(typeof Platform === 'string' && Platform !== '' ? { platform: Platform } : {}),
    config: config as Partial<ContainerConfig>,
    hostConfig: host as Partial<HostConfig>,
  };
}

function secondsOf(rfc3339: string): string {
  const ms = Date.parse(rfc3339);
  return Number.isNaN(ms) || rfc3339.startsWith('0001-') ? '0' : String(Math.floor(ms / 1000));
}

/** Exit codes travel as uint32: a negative code (-1: monitor lost) is sent as its low byte. */
function wireExitCode(code: number): number {
  return code < 0 ? code & 0xff : code;
}

export function containerToProto(r: ContainerRecord): Container {
  return {
    id: r.Id,
    pid: r.State.Pid,
    status: STATUS_NUMBER[listStatus(r.State)],
    image: r.Image,
    command: [r.Path, ...r.Args].join(' '),
    exit_code: wireExitCode(r.State.ExitCode),
    restartcount: r.RestartCount,
    startat: localRfc3339(r.State.StartedAt),
    finishat: localRfc3339(r.State.FinishedAt),
    runtime: r.Runtime,
    name: r.Name,
    health_state: r.State.Running ? (r.State.Health?.Status ?? '') : '',
    created: secondsOf(r.Created),
    ports: portsSummary(r),
  };
}

/**
 * List's Container for a record, made once per record object: stored records are frozen and a
 * change replaces the object, so the Container (and, through keepEncoding, its encoded bytes)
 * stays right as long as the record lives. With 1000 containers, encoding the list was most of
 * the daemon's CPU per `ps -a` (docs/performance.md).
 */
const listEntries = new WeakMap<ContainerRecord, Container>();

function listEntry(r: ContainerRecord): Container {
  if (!Object.isFrozen(r) || !Object.isFrozen(r.State)) return containerToProto(r);
  let c = listEntries.get(r);
  if (c === undefined) {
    c = keepEncoding(Object.freeze(containerToProto(r)));
    listEntries.set(r, c);
  }
  return c;
}

function nsOf(t: Timestamp__Output | null): bigint | undefined {
  if (!t) return undefined;
  const s = BigInt(t.seconds || '0');
  if (s === 0n && t.nanos === 0) return undefined;
  return s * 1_000_000_000n + BigInt(t.nanos);
}

export function eventToProto(e: EngineEvent): Event {
  return {
    timestamp: { seconds: String(e.time / 1_000_000_000n), nanos: Number(e.time % 1_000_000_000n) },
    opt: `${e.type} ${e.action}`,
    id: e.id,
    annotations: e.attributes,
  };
}

function eventFilter(req: EventsRequest__Output): ((e: EngineEvent) => boolean) | undefined {
  const ref = req.id;
  if (!ref) return undefined;
  return (e) => e.id === ref || e.attributes['name'] === ref || (ref.length >= 3 && e.id.startsWith(ref));
}

function metaBool(md: Metadata, key: string): boolean {
  const v = md.get(key)[0];
  return v === 'true' || v === '1';
}

/**
 * RemoteStart (start=true) and Attach (start=false): stdin messages go to the container's stdin
 * FIFO; output entries go out as stdout/stderr messages; the end carries `exit_code` in trailers.
 */
function outputStream(deps: ContainerHandlerDeps, method: string, start: boolean): grpc.handleBidiStreamingCall<{ stdin: Buffer; finish: boolean }, { stdout?: Buffer; stderr?: Buffer; finish?: boolean }> {
  return bidiStream(method, async (input: StreamInput<{ stdin: Buffer; finish: boolean }>, out: StreamWriter<{ stdout?: Buffer; stderr?: Buffer; finish?: boolean }>, ctx) => {
    const md = ctx.metadata;
    const id = String(md.get('container-id')[0] ?? '');
    if (!id) throw invalidArgument('missing container-id metadata');
    // stdin is passed on once the output reader is placed (onPrimed), so the container's answer to
    // input sent at once (`echo cmd | isula attach`) cannot be written before the reader's start
    // RemoteStart: the writer is opened before the start (StdinOnce needs it: services output.ts)
    let primed: (() => void) | undefined;
    let sink: ReturnType<typeof deps.containers.stdin> | undefined;
    let release = () => undefined as void;
    let stdinOnce = false;
    if (metaBool(md, 'attach-stdin')) {
      let to: ReturnType<typeof deps.containers.stdin>;
      if (start) {
        const s = deps.containers.startStdin(id);
        to = s.writer;
        release = s.release;
        stdinOnce = s.once;
      } else {
        to = deps.containers.stdin(id);
      }
      sink = to;
      const stdin = new PassThrough();
      input.on('data', (m: { stdin: Buffer; finish: boolean }) => {
        if (m.stdin && m.stdin.length > 0) stdin.write(m.stdin);
        if (m.finish) stdin.end();
      });
      input.once('end', () => stdin.end());
      primed = () => {
        primed = undefined;
        void pipeline(stdin, to, { signal: ctx.signal }).catch(() => undefined);
      };
    }
    const wantOut = !md.get('attach-stdout').length || metaBool(md, 'attach-stdout');
    const wantErr = !md.get('attach-stderr').length || metaBool(md, 'attach-stderr');
    // -t: the client's window size travels as metadata and is applied once the container runs
    const rows = Number(md.get('tty-rows')[0] ?? 0);
    const cols = Number(md.get('tty-cols')[0] ?? 0);
    const resize = rows > 0 && cols > 0 ? () => deps.containers.resize(id, { rows, cols }) : undefined;
    // the container has its end of the stdin FIFO now: a StdinOnce writer's bridge goes. The
    // initial metadata then tells the client the container runs with its first size: the resizes
    // it holds until then would have failed before the start, or raced this first one.
    const onStarted = async () => {
      release();
      try {
        await resize?.();
      } finally {
        out.sendMetadata(new Metadata());
      }
    };
    try {
      for await (const ev of deps.containers.attach(id, { start, stdinOnce, signal: ctx.signal, onPrimed: () => primed?.(), onStarted })) {
        if (ev.kind === 'exit') return exitCodeEnd(ev.exitCode);
        const data = Buffer.from(ev.entry.log);
        const isErr = ev.entry.stream === 'stderr';
        if ((isErr && !wantErr) || (!isErr && !wantOut)) continue;
        await out.write(isErr ? { stderr: data } : { stdout: data });
      }
    } finally {
      release();
      // never primed (the container was not running): this call's stdin writer is closed
      if (primed !== undefined) sink?.destroy();
    }
    return exitCodeEnd(-1); // only reached when the client went away (nothing is sent then)
  });
}

export function containerHandlers(
  deps: ContainerHandlerDeps,
): Pick<
  ContainerServiceHandlers,
  'Create' | 'Start' | 'RemoteStart' | 'Attach' | 'Stop' | 'Restart' | 'Kill' | 'Delete' | 'Pause' | 'Resume' | 'Inspect' | 'List' | 'Wait' | 'Events' | 'Rename' | 'Logs' | 'Resize'
> {
  const c = deps.containers;
  return {
    Create: unary('Create', async (req) => {
      const rec = await c.create(createRequestFrom(req));
      return { id: rec.Id, pid: 0, cc: CC_SUCCESS, errmsg: '' };
    }),
    Start: unary('Start', async (req) => {
      await c.startContainer(req.id);
      return { cc: CC_SUCCESS, errmsg: '' };
    }),
    RemoteStart: outputStream(deps, 'RemoteStart', true),
    Attach: outputStream(deps, 'Attach', false),
    Stop: unary('Stop', async (req) => {
      await c.stop(req.id, { force: req.force, ...(req.timeout >= 0 ? { timeoutSec: req.timeout } : {}) });
      return { cc: CC_SUCCESS, errmsg: '' };
    }),
    Restart: unary('Restart', async (req) => {
      await c.restart(req.id, req.timeout >= 0 ? req.timeout : undefined);
      return { cc: CC_SUCCESS, errmsg: '' };
    }),
    Kill: unary('Kill', async (req) => {
      const rec = await c.kill(req.id, req.signal || 9);
      return { id: rec.Id, cc: CC_SUCCESS, errmsg: '' };
    }),
    Delete: unary('Delete', async (req) => {
      const rec = await c.remove(req.id, { force: req.force, volumes: req.volumes });
      return { id: rec.Id, exit_status: wireExitCode(rec.State.ExitCode), cc: CC_SUCCESS, errmsg: '' };
    }),
    Pause: unary('Pause', async (req) => {
      await c.pause(req.id);
      return { cc: CC_SUCCESS, errmsg: '' };
    }),
    Resume: unary('Resume', async (req) => {
      await c.unpause(req.id);
      return { cc: CC_SUCCESS, errmsg: '' };
    }),
    Inspect: unary('Inspect', async (req) => ({ ContainerJSON: JSON.stringify(c.inspect(req.id)), cc: CC_SUCCESS, errmsg: '' })),
    List: unary('List', async (req) => {
      const filters: Record<string, string[]> = {};
      // one map entry per key; several values travel comma-joined
      for (const [k, v] of Object.entries(req.filters)) filters[k] = v.split(',').filter((x) => x !== '');
      return { containers: c.list({ all: req.all, filters }).map(listEntry), cc: CC_SUCCESS, errmsg: '' };
    }),
    Wait: unary('Wait', async (req, ctx) => ({ exit_code: wireExitCode(await c.wait(req.id, ctx.signal)), cc: CC_SUCCESS, errmsg: '' })),
    Rename: unary('Rename', async (req) => {
      const rec = await c.rename(req.oldname, req.newname);
      return { id: rec.Id, cc: CC_SUCCESS, errmsg: '' };
    }),
    Resize: unary('Resize', async (req) => {
      // suffix = an exec id (isula exec -t), else the container's own terminal
      if (req.suffix) await c.resizeExec(req.id, req.suffix, { rows: req.height, cols: req.width });
      else await c.resize(req.id, { rows: req.height, cols: req.width });
      return { id: req.id, cc: CC_SUCCESS, errmsg: '' };
    }),
    Events: serverStream('Events', async (req, out, ctx) => {
      const since = nsOf(req.since);
      const until = nsOf(req.until);
      const filter = eventFilter(req);
      const sub = deps.events.subscribe({
        signal: ctx.signal,
        ...(since !== undefined ? { since } : { since: BigInt(Date.now()) * 1_000_000n }),
        ...(until !== undefined ? { until } : req.storeOnly ? { until: BigInt(Date.now()) * 1_000_000n } : {}),
        ...(filter ? { filter } : {}),
      });
      for await (const e of sub) await out.write(eventToProto(e));
    }),
    Logs: serverStream('Logs', async (req, out, ctx) => {
      const tail = Number(req.tail);
      for await (const e of c.logs(req.id, {
        follow: req.follow,
        tail: Number.isNaN(tail) ? -1 : tail,
        ...(req.since ? { since: req.since } : {}),
        ...(req.until ? { until: req.until } : {}),
        signal: ctx.signal,
      })) {
        await out.write({ data: Buffer.from(e.log), stream: e.stream, time: e.time });
      }
    }),
  };
}
