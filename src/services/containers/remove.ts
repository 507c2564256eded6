// rm [-f] [-v]: refuses a running or paused container without -f (iSulad's messages), otherwise
// kills it, waits for the exit to be recorded, and frees everything.
import { conflict } from '../../util/errors.ts';
import type { ContainerCore } from './core.ts';
import { stopContainer } from './lifecycle.ts';
import { removeResources } from './remove-resources.ts';
import type { ContainerRecord } from './types.ts';

export interface RemoveOptions {
  force?: boolean;
  /** -v: also remove the container's anonymous volumes no other container uses */
  volumes?: boolean;
}

function refuse(rec: ContainerRecord) {
  if (rec.State.Paused) {
    return conflict(
      `You cannot remove a paused container ${rec.Id}. Unpause and then stop the container before attempting removal or force remove`,
    );
  }
  return conflict(`You cannot remove a running container ${rec.Id}. Stop the container before attempting removal or force remove`);
}

export async function removeContainer(core: ContainerCore, ref: string, opts: RemoveOptions = {}): Promise<ContainerRecord> {
  const first = core.find(ref);
  const id = first.Id;
  if (first.State.Running && !opts.force) throw refuse(first);
  return core.removing(id, async () => {
    core.health.stop(id);
    if (first.State.Running) await stopContainer(core, id, { force: true, timeoutSec: 0 });
    return await core.withLock(id, async () => {
      const rec = core.tryCurrent(id);
      if (!rec) return first; // removed meanwhile (e.g. --rm)
      if (rec.State.Running) throw refuse(rec); // started again in between
      await removeResources(core, rec, { volumes: opts.volumes ?? false });
      return rec;
    });
  });
}
