// start, stop, kill, restart, pause, unpause, rename, wait. Every state change is committed to the
// store before its event is published; exits are recorded by exit-handler.ts only.
import { conflict, failedPrecondition, invalidArgument, kindOf, wrap } from '../../util/errors.ts';
import type { ExitInfo, StartOptions } from '../../runtime/runtime.ts';
import { nowRfc3339Nano } from './time.ts';
import { log } from '../../util/log.ts';
import { parseSignal } from '../../util/signals.ts';
import type { ContainerCore } from './core.ts';
import { handleExit } from './exit-handler.ts';
import { validateName } from './naming.ts';
import { startLocked } from './start.ts';
import { removeResources } from './remove-resources.ts';
import type { ContainerRecord } from './types.ts';

const SIGKILL = 9;
const SIGTERM = 15;
export const DEFAULT_STOP_TIMEOUT_S = 10;

export function stopSignalOf(rec: ContainerRecord): number {
  return parseSignal(rec.Config.StopSignal || 'SIGTERM') ?? SIGTERM;
}

export async function startContainer(core: ContainerCore, ref: string, opts: StartOptions = {}): Promise<ContainerRecord> {
  const { Id } = core.find(ref);
  return await core.withLock(Id, async () => {
    const rec = core.current(Id);
    if (rec.State.Paused) throw failedPrecondition('Cannot start a paused container, try unpause instead.');
    if (rec.State.Running) return rec;
    core.restarts.forget(Id);
    try {
      return await startLocked(core, rec, true, opts);
    } catch (err) {
      // docker/iSulad: a --rm container that cannot start is removed, not left behind
      if (rec.HostConfig.AutoRemove) {
        await removeResources(core, core.current(Id)).catch((e: unknown) => log.with({ container: Id }).warn('auto-remove after a failed start failed', e));
      }
      throw err;
    }
  });
}

export interface StopOptions {
  timeoutSec?: number;
  force?: boolean;
}

export async function stopContainer(core: ContainerCore, ref: string, opts: StopOptions = {}): Promise<ContainerRecord> {
  const { Id } = core.find(ref);
  const prepared = await core.withLock(Id, async () => {
    let rec = core.current(Id);
    core.restarts.cancel(Id);
    if (!rec.State.Running) {
      if (rec.State.Restarting) {
        rec = await core.commit(rec, { Restarting: false, ManuallyStopped: true });
        core.emit(rec, 'stop');
      }
      return undefined;
    }
    rec = await core.commit(rec, { ManuallyStopped: true });
    core.health.stop(Id);
    const rt = core.runtimeOf(rec);
    if (rec.State.Paused) {
      // a frozen init cannot act on the stop signal: thaw it first
      await rt.resume(Id);
      rec = await core.commit(rec, { Paused: false });
    }
    return rec;
  });
  if (!prepared) return core.current(Id);
  const rt = core.runtimeOf(prepared);
  const timeoutSec = opts.timeoutSec ?? DEFAULT_STOP_TIMEOUT_S;
  let exit: ExitInfo;
  try {
    exit = await rt.stop(Id, { signal: opts.force ? SIGKILL : stopSignalOf(prepared), timeoutMs: Math.max(0, timeoutSec) * 1000 });
  } catch (err) {
    // The record says running but the runtime disagrees (it ended unseen, or the runtime lost
    // track): believe the runtime's status, so a stop or rm -f can always finish.
    if (kindOf(err) !== 'failed-precondition') throw wrap(err, `stop container "${prepared.Name}"`);
    const st = await rt.status(Id).catch(() => undefined);
    if (st?.status === 'running' || st?.status === 'paused') throw wrap(err, `stop container "${prepared.Name}"`);
    log.with({ container: Id }).warn('stop: the runtime says the container is not running; recording it as exited', err);
    exit = st?.status === 'stopped' ? st.exit : { exitCode: -1, finishedAt: nowRfc3339Nano() };
  }
  // The runtime's onExit delivers the same exit; whichever comes first records it.
  await handleExit(core, Id, exit);
  const rec = core.tryCurrent(Id) ?? prepared;
  core.emit(rec, 'stop');
  return rec;
}

export async function killContainer(core: ContainerCore, ref: string, signal: number = SIGKILL): Promise<ContainerRecord> {
  const { Id } = core.find(ref);
  return await core.withLock(Id, async () => {
    let rec = core.current(Id);
    if (!rec.State.Running) throw conflict(`Cannot kill container: Container ${rec.Id} is not running`);
    const rt = core.runtimeOf(rec);
    // A kill meant to end the container cancels the restart policy (iSulad: a manual kill cancels
    // pending restarts); other signals are just delivered.
    if (signal === SIGKILL || signal === stopSignalOf(rec)) {
      core.health.stop(Id);
      core.restarts.cancel(Id);
      rec = await core.commit(rec, { ManuallyStopped: true });
    }
    await rt.kill(Id, signal);
    if (rec.State.Paused && signal === SIGKILL) {
      await rt.resume(Id).catch((err: unknown) => log.with({ container: Id }).warn('thaw after kill failed', err));
    }
    core.emit(rec, 'kill', { signal: String(signal) });
    return rec;
  });
}

export async function restartContainer(core: ContainerCore, ref: string, timeoutSec?: number): Promise<ContainerRecord> {
  const { Id } = core.find(ref);
  await stopContainer(core, Id, { timeoutSec });
  const rec = await startContainer(core, Id);
  core.emit(rec, 'restart');
  return rec;
}

export async function pauseContainer(core: ContainerCore, ref: string): Promise<ContainerRecord> {
  const { Id } = core.find(ref);
  return await core.withLock(Id, async () => {
    const rec = core.current(Id);
    if (!rec.State.Running) throw conflict(`Container ${rec.Id} is not running`);
    if (rec.State.Paused) throw conflict(`Container ${rec.Id} is already paused`);
    core.health.stop(Id);
    await core.runtimeOf(rec).pause(Id);
    const next = await core.commit(rec, { Paused: true });
    core.emit(next, 'pause');
    return next;
  });
}

export async function unpauseContainer(core: ContainerCore, ref: string): Promise<ContainerRecord> {
  const { Id } = core.find(ref);
  return await core.withLock(Id, async () => {
    const rec = core.current(Id);
    if (!rec.State.Running || !rec.State.Paused) throw conflict(`Container ${rec.Id} is not paused`);
    await core.runtimeOf(rec).resume(Id);
    const next = await core.commit(rec, { Paused: false });
    core.emit(next, 'unpause');
    core.health.start(next);
    return next;
  });
}

export async function renameContainer(core: ContainerCore, oldRef: string, newName: string): Promise<ContainerRecord> {
  const n = newName.startsWith('/') ? newName.slice(1) : newName;
  validateName(n, 'container new name');
  const { Id } = core.find(oldRef);
  return await core.withLock(Id, async () => {
    const rec = core.current(Id);
    if (rec.Name === n) throw invalidArgument('Renaming a container with the same name as its current name');
    // reserved from the check to the commit, so a concurrent create or rename cannot take it too
    const release = core.names.reserve(n, Id, core.all());
    try {
      const next = await core.commit(rec, undefined, { Name: n });
      core.emit(next, 'rename', { oldName: rec.Name });
      return next;
    } finally {
      release();
    }
  });
}

/** Resolves with the exit code once the container is not running (at once if it is not). */
export async function waitContainer(core: ContainerCore, ref: string, signal?: AbortSignal): Promise<number> {
  const rec = core.find(ref);
  if (!rec.State.Running) return rec.State.ExitCode;
  const exit = core.nextExit(rec.Id);
  if (!signal) return await exit;
  signal.throwIfAborted();
  return await new Promise<number>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void exit.then((c) => {
      signal.removeEventListener('abort', onAbort);
      resolve(c);
    });
  });
}
