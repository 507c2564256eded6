// The start step shared by a user's start and a restart policy's: mount the rootfs, start the
// runtime, record pid and start time, publish `start`. Call with the container's lock held.
import { isNotFound, messageOf, wrap } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import type { StartOptions, StartResult } from '../../runtime/runtime.ts';
import { dirname, join } from 'node:path';
import { networkFileInput, recreateRuntimeState } from './create.ts';
import { containerNsRefs, nsJoinKey } from './spec-input.ts';
import { setUpNetwork, tearDownNetwork } from './network.ts';
import { networkFilePaths, writeNetworkFiles } from './network-files.ts';
import { rollback } from './core.ts';
import type { ContainerCore } from './core.ts';
import { nowRfc3339Nano } from './time.ts';
import type { ContainerRecord } from './types.ts';
import { probeArgs } from './health.ts';
import { mountHostChannel } from './host-channel.ts';
import { mountShareableShm } from './ipc-shm.ts';
import { ensureMtabLink } from './mtab.ts';
import { remapOf } from './userns.ts';
import { builtDefaultUlimits } from './default-ulimits.ts';

const SIGKILL = 9;

/**
 * Mounts the rootfs and starts the runtime; call with the container's lock held. `manual` resets
 * the restart count (a user start), otherwise it counts one policy restart.
 */
export async function startLocked(core: ContainerCore, rec: ContainerRecord, manual: boolean, opts: StartOptions = {}): Promise<ContainerRecord> {
  const rt = core.runtimeOf(rec);
  const undo: Array<() => Promise<void>> = [];
  try {
    const rootfs = await core.deps.layers.mountContainerLayer(rec.Id).catch((err: unknown) => {
      throw wrap(err, 'mount rootfs');
    });
    undo.push(() => core.deps.layers.unmountContainerLayer(rec.Id));
    const remap = remapOf(rec.HostConfig, core.deps.usernsRemap);
    await ensureMtabLink(rootfs, remap ? { uid: remap.uid, gid: remap.gid } : undefined);
    // the netns exists and is attached before the runtime joins it (lxc.namespace.share.net)
    const netSettings = await setUpNetwork(core, rec);
    if (netSettings) {
      undo.push(() => tearDownNetwork(core, rec.Id));
      if (rec.HostsPath) {
        const others = Object.values(netSettings.Networks).slice(1).flatMap((n) => [n.IPAddress, n.GlobalIPv6Address ?? ''].filter((a) => a !== ''));
        await writeNetworkFiles(networkFilePaths(dirname(rec.HostsPath)), { ...networkFileInput(rec.Config, rec.HostConfig, netSettings.IPAddress), ip6: netSettings.GlobalIPv6Address ?? '', otherIps: others }, false);
      }
    }
    await core.deps.beforeStart?.(rec);
    if (rec.HostConfig.HostChannel) await mountHostChannel(rec.HostConfig.HostChannel);
    await mountShareableShm(core.deps.containersDir, rec.Id, rec.HostConfig);
    // Namespaces joined from another container (--net/--pid/--ipc/--uts container:X) are
    // /proc/<pid>/ns paths in the runtime's config: X may have restarted since (a new pid), so
    // the runtime's side is written again with X's current pid (iSulad CI share_ns_test.sh),
    // unless it was written in this daemon's life with the same pids (core.nsJoined: a CRI
    // container started right after its create joins the pause container it was created with).
    // The same for --device: its node is read again from the host (iSulad CI dev_cgroup_rule.sh
    // replaces /dev/x 88:88 by 99:99 while the container is stopped; the next start has 99:99).
    // And when the daemon's default ulimits are not those the runtime state was built with (the
    // daemon restarted with other --default-ulimit values; iSulad CI ulimit.sh).
    const joins = containerNsRefs(rec.HostConfig).length > 0;
    const sameJoins = joins && core.nsJoined.get(rec.Id) !== undefined && core.nsJoined.get(rec.Id) === nsJoinKey(rec.HostConfig, (r) => core.find(r));
    const otherDefaults = (await builtDefaultUlimits(join(core.deps.containersDir, rec.Id))) !== (core.deps.defaultUlimits ?? '');
    if ((joins && !sameJoins) || (rec.HostConfig.Devices?.length ?? 0) > 0 || otherDefaults) {
      await rt.delete(rec.Id).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
      await recreateRuntimeState(core, rec);
    }
    // Taken before the runtime starts: an exit stamped earlier than this belongs to a previous run.
    const startedAt = nowRfc3339Nano();
    let res: StartResult;
    try {
      res = await rt.start(rec.Id, opts);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      // the runtime lost its (tmpfs) state: a reboot or power loss; rebuild it from the record
      log.with({ container: rec.Id }).info('runtime has no state for this container (reboot?): recreating it');
      await recreateRuntimeState(core, rec);
      res = await rt.start(rec.Id, opts);
    }
    undo.push(() => rt.kill(rec.Id, SIGKILL));
    const next = await core.commit(
      rec,
      {
        Running: true,
        Paused: false,
        Restarting: false,
        OOMKilled: false,
        Pid: res.pid,
        PStartTime: res.startTime,
        StartedAt: startedAt,
        ExitCode: 0,
        Error: '',
        ManuallyStopped: false,
        Health: probeArgs(rec.Config.Healthcheck) ? { Status: 'starting', FailingStreak: 0, Log: [] } : undefined,
      },
      { RestartCount: manual ? 0 : rec.RestartCount + 1, ...(netSettings ? { NetworkSettings: netSettings } : {}) },
    );
    core.emit(next, 'start', { pid: String(res.pid) });
    core.health.start(next);
    return next;
  } catch (err) {
    await rollback(undo, { container: rec.Id });
    const e = wrap(err, `start container "${rec.Name}"`);
    await core.commit(rec, { Restarting: false, Error: messageOf(err) }).catch(() => undefined);
    throw e;
  }
}

