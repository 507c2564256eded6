// Frees everything a container holds, in the order that leaves a retryable state after a crash:
// runtime state, rootfs mount and layer, the service's own dir, then the store record (the record
// goes last, so a half-done removal is found and finished by the next rm).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isNotFound, wrap } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import type { ContainerCore } from './core.ts';
import { tearDownNetwork } from './network.ts';
import { removeHostChannel } from './host-channel.ts';
import { removeShareableShm } from './ipc-shm.ts';
import type { ContainerRecord } from './types.ts';
import { volatileLogDir } from './console-log.ts';

async function ignoreNotFound(p: Promise<void>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/**
 * Call with the container's lock held and the container stopped. Anonymous volumes go too with
 * rm -v and for --rm containers (docker's rule), unless another container still uses them.
 */
export async function removeResources(core: ContainerCore, rec: ContainerRecord, opts: { volumes?: boolean } = {}): Promise<void> {
  const id = rec.Id;
  core.restarts.forget(id);
  try {
    // runtime state and the rootfs are independent: free them side by side (each step is
    // idempotent, so a partial failure is finished by the next rm)
    const results = await Promise.allSettled([
      ignoreNotFound(core.runtimeOf(rec).delete(id)),
      ignoreNotFound(tearDownNetwork(core, id)),
      (async () => {
        await ignoreNotFound(core.deps.layers.unmountContainerLayer(id));
        await ignoreNotFound(core.deps.layers.removeContainerLayer(id));
      })(),
    ]);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
    if (rec.HostConfig.HostChannel) await removeHostChannel(rec.HostConfig.HostChannel);
    await removeShareableShm(core.deps.containersDir, id, rec.HostConfig);
    await rm(join(core.deps.containersDir, id), { recursive: true, force: true });
    if (core.deps.stateDir) await rm(volatileLogDir(core.deps.stateDir, id), { recursive: true, force: true });
  } catch (err) {
    throw wrap(err, `remove container "${rec.Name}"`);
  }
  await core.deps.store.delete('container', id);
  core.nsJoined.delete(id);
  core.emit(rec, 'destroy');
  if (opts.volumes || rec.HostConfig.AutoRemove) await removeAnonymousVolumes(core, rec);
}

/** After the record is gone (so it no longer counts as a user); failures are logged, not thrown. */
async function removeAnonymousVolumes(core: ContainerCore, rec: ContainerRecord): Promise<void> {
  const volumes = core.deps.volumes;
  if (!volumes) return;
  for (const m of rec.MountPoints ?? []) {
    if (m.Type !== 'volume' || !m.Anonymous) continue;
    await volumes.removeIfUnused(m.Name).catch((err: unknown) => log.with({ container: rec.Id, volume: m.Name }).warn('remove anonymous volume failed', err));
  }
}
