// What happens when a container's init exits (reported by the runtime's monitor, or found at
// restore): record ExitCode/FinishedAt, unmount the rootfs, publish `die`, then either remove it
// (--rm) or apply the restart policy with back-off. Idempotent: a second report of the same exit,
// or a stale one from an earlier run, changes nothing.
import { isNotFound, messageOf } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import type { ExitInfo } from '../../runtime/runtime.ts';
import type { ContainerCore } from './core.ts';
import { removeResources } from './remove-resources.ts';
import { tearDownNetwork } from './network.ts';
import { shouldRestart } from './restart-policy.ts';
import { startLocked } from './start.ts';
import { timeMs } from './time.ts';
import type { ContainerRecord } from './types.ts';

/** An exit stamped before this run started belongs to an earlier run (compared at the writer's precision). */
export function isStaleExit(exit: ExitInfo, startedAt: string): boolean {
  const fin = timeMs(exit.finishedAt);
  const start = timeMs(startedAt);
  if (Number.isNaN(fin) || Number.isNaN(start)) return false;
  const wholeSeconds = !/\.\d/.test(exit.finishedAt);
  return fin < (wholeSeconds ? Math.floor(start / 1000) * 1000 : start);
}

export async function handleExit(core: ContainerCore, id: string, exit: ExitInfo): Promise<void> {
  let autoRemove = false;
  let code = exit.exitCode;
  const recorded = await core.withLock(id, async () => {
    const rec = core.tryCurrent(id);
    if (!rec || !rec.State.Running) return false;
    if (isStaleExit(exit, rec.State.StartedAt)) return false;
    core.health.stop(id);
    const ranMs = timeMs(exit.finishedAt) - timeMs(rec.State.StartedAt);
    await core.deps.layers.unmountContainerLayer(id).catch((err: unknown) => {
      if (!isNotFound(err)) log.with({ container: id }).warn('unmount rootfs after exit failed', err);
    });
    await tearDownNetwork(core, id).catch((err: unknown) => log.with({ container: id }).warn('network teardown after exit failed', err));
    const restart =
      !rec.HostConfig.AutoRemove &&
      !core.closed &&
      shouldRestart(rec.HostConfig.RestartPolicy, {
        exitCode: exit.exitCode,
        restartCount: rec.RestartCount,
        manuallyStopped: rec.State.ManuallyStopped,
      });
    const state = {
      Running: false,
      Paused: false,
      Restarting: restart,
      Pid: 0,
      PStartTime: '',
      ExitCode: exit.exitCode,
      FinishedAt: exit.finishedAt,
      OOMKilled: exit.oomKilled ?? false,
      // probing ended with the process: iSulad calls a container whose monitor stopped unhealthy
      // (CI health_check.sh: healthy, then killed -9 → unhealthy); start resets it to starting
      ...(rec.State.Health ? { Health: { ...rec.State.Health, Status: 'unhealthy' as const } } : {}),
    };
    autoRemove = rec.HostConfig.AutoRemove && !core.isBeingRemoved(id);
    // --rm: the record is deleted right below, so its exit state is not written first (one fsync
    // less per run --rm on flash; after a crash in between, restore finds the exit again)
    const cleared = rec.NetworkSettings ? { NetworkSettings: { ...rec.NetworkSettings, SandboxKey: '', IPAddress: '', IPPrefixLen: 0, Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, IPv6Gateway: '', MacAddress: '', Ports: {}, Networks: {} } } : undefined;
    const next = autoRemove ? { ...rec, State: { ...rec.State, ...state } } : await core.commit(rec, state, cleared);
    core.emit(next, 'die', { exitCode: String(exit.exitCode) });
    code = exit.exitCode;
    if (restart) scheduleRestart(core, id, Number.isNaN(ranMs) ? 0 : ranMs);
    if (autoRemove) {
      await removeResources(core, next).catch(async (err: unknown) => {
        log.with({ container: id }).error(err, 'auto-remove failed');
        await core.commit(rec, state).catch(() => undefined);
      });
    }
    return true;
  });
  // Waiters (wait, run's stream) learn of the exit only after --rm finished, so `run --rm` returns
  // with the container already gone.
  if (recorded) core.notifyExit(id, code);
}

/** The restart policy's next try, after the back-off (core.restarts owns the timers). */
export function scheduleRestart(core: ContainerCore, id: string, ranMs: number): void {
  core.restarts.schedule(id, ranMs, () => void restartNow(core, id));
}

async function restartNow(core: ContainerCore, id: string): Promise<void> {
  if (core.closed) return;
  await core
    .withLock(id, async () => {
      const rec: ContainerRecord | undefined = core.tryCurrent(id);
      if (!rec || !rec.State.Restarting || rec.State.ManuallyStopped || rec.State.Running) return;
      try {
        await startLocked(core, rec, false);
      } catch (err) {
        log.with({ container: id }).error(err, `restart policy: start failed: ${messageOf(err)}`);
        // always/unless-stopped keep trying with the back-off (a device must come back by itself
        // after a transient failure); on-failure gives up, its retries are counted runs
        const p = rec.HostConfig.RestartPolicy.Name;
        if ((p === 'always' || p === 'unless-stopped') && !core.closed) {
          await core.commit(core.current(id), { Restarting: true }).catch(() => undefined);
          scheduleRestart(core, id, 0);
        }
      }
    })
    .catch((err: unknown) => log.with({ container: id }).error(err, 'restart policy failed'));
}
