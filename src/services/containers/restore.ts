// Live restore at daemon start (iSulad containers_restore, containerd LoadExistingShims): every
// container in the store is reconciled with what the runtime really sees (pid + process start time,
// exit files the monitor wrote while the daemon was away). Running ones stay watched by the runtime,
// ended ones get their exit recorded and their restart policy or --rm applied, and nothing stays
// mounted for a container that is not running.
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isNotFound } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import type { ExitInfo, RuntimeStatus } from '../../runtime/runtime.ts';
import type { ContainerCore } from './core.ts';
import { handleExit, scheduleRestart } from './exit-handler.ts';
import { hasCniNetwork } from './network.ts';
import { removeResources } from './remove-resources.ts';
import { nowRfc3339Nano } from './time.ts';
import { ZERO_TIME } from './types.ts';
import { volatileLogDir } from './console-log.ts';

export interface RestoreSummary {
  running: number;
  exited: number;
  restarted: number;
  removed: number;
}

/**
 * A create cut short by a crash or power loss leaves its dir (made first) and maybe a layer and
 * runtime state, but no record (committed last): free whatever such an id holds.
 */
export async function sweepOrphans(core: ContainerCore): Promise<number> {
  const names: string[] = await readdir(core.deps.containersDir).catch(() => []);
  // a disabled-log container's output dir on the state tmpfs (console-log.ts)
  const volatile = core.deps.stateDir ? dirname(volatileLogDir(core.deps.stateDir, 'x')) : undefined;
  for (const id of volatile ? await readdir(volatile).catch(() => [] as string[]) : []) if (!names.includes(id)) names.push(id);
  // the runtime's own dirs too: a crash between removing the container dir and the runtime
  // state (or a runtime create whose rollback was cut) leaves ids only the runtime knows
  for (const rt of core.deps.runtimes.values()) {
    for (const id of (await rt.ids?.().catch(() => [])) ?? []) if (!names.includes(id)) names.push(id);
  }
  let swept = 0;
  for (const id of names) {
    if (!/^[0-9a-f]{64}$/.test(id) || core.tryCurrent(id)) continue;
    const l = log.with({ container: id });
    l.info('removing the leftovers of a create that did not finish');
    for (const rt of core.deps.runtimes.values()) await rt.delete(id).catch(() => undefined);
    await core.deps.layers.unmountContainerLayer(id).catch(() => undefined);
    await core.deps.layers.removeContainerLayer(id).catch((err: unknown) => {
      if (!isNotFound(err)) l.warn('sweep: layer removal failed', err);
    });
    await rm(join(core.deps.containersDir, id), { recursive: true, force: true });
    if (core.deps.stateDir) await rm(volatileLogDir(core.deps.stateDir, id), { recursive: true, force: true });
    swept++;
  }
  return swept;
}

/**
 * CNI CHECK of the networks of containers adopted at restore (libcni's CheckNetworkList against
 * the cached ADD result): did the network survive while the daemon was away? The verdict is
 * logged, never acted on: a failed check leaves the container running (a restart sets its
 * network up again). Runs after the restore: CRI pods' attachments first, then one container at
 * a time under its lock.
 */
export async function checkNetworks(core: ContainerCore, ids: readonly string[], podKeys: readonly string[] = []): Promise<void> {
  const net = core.deps.network;
  if (!net?.check) return;
  for (const key of podKeys) {
    if (core.closed) return;
    for (const v of await net.check(key)) {
      const l = log.with({ pod: key, network: v.network });
      if (!v.ok) l.warn('pod network check failed; the pod keeps running', v.error);
      else if (v.checked) l.info(`pod network check passed${v.skipped.map((s) => `; ${s.plugin} not checked: ${s.reason}`).join('')}`);
    }
  }
  for (const id of ids) {
    if (core.closed) return;
    await core.withLock(id, async () => {
      if (core.tryCurrent(id)?.State.Running !== true) return;
      for (const v of await net.check?.(id) ?? []) {
        const l = log.with({ container: id, network: v.network });
        if (!v.ok) l.warn('network check failed; the container keeps running, restart it to set its network up again', v.error);
        else if (v.checked) l.info(`network check passed${v.skipped.map((s) => `; ${s.plugin} not checked: ${s.reason}`).join('')}`);
      }
    }).catch((err: unknown) => log.with({ container: id }).warn('network check could not run', err));
  }
}

export async function restoreContainers(core: ContainerCore): Promise<RestoreSummary> {
  const summary: RestoreSummary = { running: 0, exited: 0, restarted: 0, removed: 0 };
  await sweepOrphans(core).catch((err: unknown) => log.error(err, 'restore: sweeping orphans failed'));
  const ended: Array<[string, ExitInfo]> = [];
  for (const snapshot of core.all()) {
    const id = snapshot.Id;
    const l = log.with({ container: id });
    await core
      .withLock(id, async () => {
        let rec = core.current(id);
        const rt = core.deps.runtimes.get(rec.Runtime);
        if (!rt) {
          l.warn(`restore: runtime ${rec.Runtime} is not configured; container left as is`);
          return;
        }
        let st: RuntimeStatus;
        try {
          st = await rt.status(id);
        } catch (err) {
          l.warn('restore: runtime status failed', err);
          st = { status: 'unknown' };
        }
        if (st.status === 'running' || st.status === 'paused') {
          // Running (or a start whose commit the crash cut off): adopt the live process.
          const paused = st.status === 'paused';
          if (!rec.State.Running && hasCniNetwork(core, rec.HostConfig)) {
            // A networked start cut off between the runtime's start and its commit: its address
            // and ports were never recorded, so it cannot be adopted as it is. It is stopped and
            // its exit recorded like any other; a restart policy or the user's next start
            // attaches it anew (the start's caller got an error, not a running container).
            l.info('restore: a start cut off before its commit left a networked container running: stopping it');
            const startedAt = nowRfc3339Nano();
            rec = await core.commit(rec, { Running: true, Restarting: false, Paused: false, Pid: st.pid, PStartTime: st.startTime, StartedAt: startedAt, ExitCode: 0, Error: '', ManuallyStopped: false });
            if (paused) await rt.resume(id).catch((err: unknown) => l.warn('restore: resume before stop failed', err));
            const exit = await rt.stop(id, { signal: 9, timeoutMs: 0 }).catch((err: unknown): ExitInfo => {
              l.warn('restore: stopping a half-started container failed', err);
              return { exitCode: 137, finishedAt: nowRfc3339Nano() };
            });
            ended.push([id, exit]);
            return;
          }
          if (!rec.State.Running || rec.State.Pid !== st.pid || rec.State.Paused !== paused || rec.State.PStartTime !== st.startTime) {
            // a start the crash cut off before its commit gets its start time now
            const started = rec.State.Running ? {} : { StartedAt: nowRfc3339Nano(), ExitCode: 0, Error: '', ManuallyStopped: false };
            rec = await core.commit(rec, { Running: true, Restarting: false, Paused: paused, Pid: st.pid, PStartTime: st.startTime, ...started });
          }
          core.health.start(rec);
          summary.running++;
          return;
        }
        if (rec.State.Running) {
          // It ended while we were away; a monitor that vanished without an exit file counts as -1.
          const exit: ExitInfo = st.status === 'stopped' ? st.exit : { exitCode: -1, finishedAt: nowRfc3339Nano() };
          ended.push([id, exit]);
          return;
        }
        await core.deps.layers.unmountContainerLayer(id).catch((err: unknown) => {
          if (!isNotFound(err)) l.warn('restore: unmount of a stopped container failed', err);
        });
        if (core.deps.layers.containerLayerPaths(id) === undefined) {
          // the record goes last in a removal: a record without its writable layer is an rm the
          // crash cut short (nothing can start it any more); finish it
          l.info('restore: finishing an interrupted removal');
          await removeResources(core, rec);
          summary.removed++;
          return;
        }
        if (core.deps.droppedImages?.has(rec.ImageId)) {
          // its image had a damaged layer (daemon.json image-layer-check): iSulad removes it
          l.warn(`restore: removing the container: its image ${rec.ImageId} had a damaged layer`);
          await removeResources(core, rec);
          summary.removed++;
          return;
        }
        if (rec.HostConfig.AutoRemove && rec.State.StartedAt !== ZERO_TIME) {
          // --rm container whose removal the crash interrupted
          await removeResources(core, rec);
          summary.removed++;
          return;
        }
        if (rec.State.Restarting && !rec.State.ManuallyStopped) {
          scheduleRestart(core, id, 0);
          summary.restarted++;
        }
      })
      .catch((err: unknown) => l.error(err, 'restore failed'));
  }
  // network attachments whose container is not running (a crash between start's attach and its
  // commit, or during a teardown) are torn down; pods (sandbox records) keep theirs
  // (a pod's attachments are keyed by its own key, not its id: a sandbox record owns the ids it
  // is stored under and the netns path it records)
  const net = core.deps.network;
  const podNetns = new Set(core.deps.store.list<{ netnsPath?: unknown }>('sandbox').map((s) => s.netnsPath).filter((p): p is string => typeof p === 'string' && p !== ''));
  await net?.collectOrphans((id) =>
    core.tryCurrent(id)?.State.Running === true || ended.some(([e]) => e === id) ||
    core.deps.store.get('sandbox', id) !== undefined || podNetns.has(net.netnsPath(id)))
    .catch((err: unknown) => log.error(err, 'restore: network garbage collection failed'));
  const adopted = core.all().filter((r) => r.State.Running && hasCniNetwork(core, r.HostConfig)).map((r) => r.Id);
  // pods: their attachments are keyed by the pod's key, the basename of the netns path they record
  const pods = net ? [...podNetns].map((p) => basename(p)).filter((k) => podNetns.has(net.netnsPath(k))) : [];
  if (adopted.length > 0 || pods.length > 0) void checkNetworks(core, adopted, pods);
  for (const [id, exit] of ended) {
    await handleExit(core, id, exit).catch((err: unknown) => log.with({ container: id }).error(err, 'restore: recording exit failed'));
    summary.exited++;
    const rec = core.tryCurrent(id);
    if (!rec) summary.removed++;
    else if (rec.State.Restarting) summary.restarted++;
  }
  return summary;
}
