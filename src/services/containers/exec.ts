// isula exec: a process in a running container, through the runtime's optional Executor ability.
// The environment is the container's (Config.Env) merged with -e, user and workdir default to the
// container's; the user is resolved against the container's own /etc/passwd and /etc/group (read
// through /proc/<init>/root, so it is what the running container sees), and so are its
// supplementary groups (with the container's --group-add and the primary gid, as iSulad). Events follow iSulad:
// `exec_create: <cmd>`, `exec_start: <cmd>`, `exec_die` (attributes execID, exitCode). Sessions
// live in memory only: an exec does not survive a daemon restart.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { conflict, notFound, notImplemented } from '../../util/errors.ts';
import { isExecutor } from '../../runtime/runtime.ts';
import type { ExecProcess } from '../../runtime/runtime.ts';
import { resolveUser, supplementaryGids } from '../../spec/user.ts';
import { log } from '../../util/log.ts';
import type { ContainerCore } from './core.ts';
import type { ContainerRecord } from './types.ts';

export interface ExecRequest {
  args: string[];
  /** -e K=V (or K alone: taken from nowhere, dropped as docker does for an unset name) */
  env: string[];
  user?: string;
  workdir?: string;
  tty: boolean;
  stdin: boolean;
  detach: boolean;
  size?: { rows: number; cols: number };
  /** isula exec --privileged: every capability the host can grant */
  privileged?: boolean;
}

export interface ExecSession {
  execId: string;
  process: ExecProcess;
}

/** Container env then -e, later names winning, order of first appearance kept. Pure. */
export function mergeEnv(base: string[], extra: string[], tty: boolean): string[] {
  const m = new Map<string, string>();
  for (const kv of [...base, ...extra]) {
    const eq = kv.indexOf('=');
    if (eq <= 0) continue;
    m.set(kv.slice(0, eq), kv);
  }
  // docker: a terminal exec gets TERM=xterm unless the container or -e says otherwise
  if (tty && !m.has('TERM')) m.set('TERM', 'TERM=xterm');
  if (!m.has('PATH')) m.set('PATH', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  if (!m.has('HOME')) m.set('HOME', 'HOME=/');
  return [...m.values()];
}

async function readInContainer(pid: number, path: string): Promise<string> {
  return readFile(`/proc/${pid}/root${path}`, 'utf8').catch(() => '');
}

type Sessions = Map<string, { containerId: string; process: ExecProcess }>;
/** Live sessions by exec id (for resize), per service instance. */
const sessionsByCore = new WeakMap<ContainerCore, Sessions>();

function sessionsOf(core: ContainerCore): Sessions {
  let s = sessionsByCore.get(core);
  if (!s) sessionsByCore.set(core, (s = new Map()));
  return s;
}

function checkRunning(rec: ContainerRecord): void {
  if (!rec.State.Running) throw conflict(`Container ${rec.Id} is not running`);
  if (rec.State.Paused) throw conflict(`Container ${rec.Id} is paused, unpause the container before exec`);
}

export async function execContainer(core: ContainerCore, ref: string, req: ExecRequest): Promise<ExecSession> {
  const rec = core.find(ref);
  checkRunning(rec);
  const rt = core.runtimeOf(rec);
  if (!isExecutor(rt)) throw notImplemented(`runtime ${rt.name} cannot exec`);
  const userSpec = req.user || rec.Config.User || '0';
  const [passwd, group] = await Promise.all([readInContainer(rec.State.Pid, '/etc/passwd'), readInContainer(rec.State.Pid, '/etc/group')]);
  const user = resolveUser(userSpec, passwd, group);
  // the user's groups from the container's /etc/group, --group-add, the primary gid (iSulad)
  const additionalGids = supplementaryGids(user, group, rec.HostConfig.GroupAdd ?? []);
  const env = mergeEnv(rec.Config.Env ?? [], req.env, req.tty);
  // HOME follows the user, as for the container's own process
  if (user.home && !req.env.some((e) => e.startsWith('HOME=')) && !(rec.Config.Env ?? []).some((e) => e.startsWith('HOME='))) {
    const i = env.findIndex((e) => e.startsWith('HOME='));
    if (i >= 0) env[i] = `HOME=${user.home}`;
  }
  const cwd = req.workdir || rec.Config.WorkingDir || undefined;
  const execId = randomBytes(32).toString('hex');
  const cmd = req.args.join(' ');
  core.emit(rec, `exec_create: ${cmd}`, { execID: execId });
  const proc = await rt.exec(rec.Id, {
    args: req.args,
    env,
    uid: user.uid,
    gid: user.gid,
    additionalGids,
    ...(cwd !== undefined ? { cwd } : {}),
    tty: req.tty,
    stdin: req.stdin,
    detach: req.detach,
    ...(req.size ? { size: req.size } : {}),
    ...(req.privileged ? { privileged: true } : {}),
  });
  core.emit(rec, `exec_start: ${cmd}`, { execID: execId });
  const sessions = sessionsOf(core);
  sessions.set(execId, { containerId: rec.Id, process: proc });
  void proc.exit
    .then(
      (code) => core.emit(rec, 'exec_die', { execID: execId, exitCode: String(code) }),
      (err: unknown) => log.with({ container: rec.Id }).warn('exec failed', err),
    )
    .finally(() => sessions.delete(execId));
  return { execId, process: proc };
}

/** Resize of an exec's terminal (ResizeRequest.suffix = exec id). */
export async function resizeExec(core: ContainerCore, ref: string, execId: string, size: { rows: number; cols: number }): Promise<void> {
  const rec = core.find(ref);
  const s = sessionsOf(core).get(execId);
  if (!s || s.containerId !== rec.Id) throw notFound(`No such exec instance: ${execId}`);
  // at debug, asked and done: a terminal left at the wrong size then shows whether the size came
  // and where it stopped (a failure is logged with the request)
  const l = log.with({ container: rec.Id, exec: execId, size: `${size.rows}x${size.cols}` });
  l.debug('resize the exec terminal');
  await s.process.resize(size);
  l.debug('exec terminal resized');
}
