// The container side of `isula commit`: what the container changed (its writable layer as a layer
// tar) plus the configuration it runs with, handed to the images service. The container's lock is
// held throughout, so no start/stop/rm interleaves; a running container is frozen while its layer
// is read (unless --pause=false) and thawed after, even on error, as docker does. A container the
// user paused stays paused.
import type { Readable } from 'node:stream';
import { failedPrecondition, isNotFound } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import type { ContainerCore } from './core.ts';
import type { ContainerConfig } from './types.ts';
import { remapOf } from './userns.ts';

/** What a commit reads from a container (plain data and the tar). */
export interface ContainerChanges {
  id: string;
  name: string;
  /** config digest hex of the container's image ('' when it has none) */
  imageId: string;
  config: ContainerConfig;
  /** the command line, for the history entry's created_by */
  path: string;
  args: string[];
  /** the writable layer as a tar; fully read before fn's promise settles */
  tar: Readable;
}

export async function withContainerChanges<T>(
  core: ContainerCore,
  ref: string,
  opts: { pause: boolean; signal?: AbortSignal },
  fn: (c: ContainerChanges) => Promise<T>,
): Promise<T> {
  const found = core.find(ref);
  return core.withLock(found.Id, async () => {
    const rec = core.current(found.Id);
    const rt = core.runtimeOf(rec);
    const st = await rt.status(rec.Id).catch((err: unknown) => {
      if (isNotFound(err)) return { status: 'stopped' as const };
      throw err;
    });
    if (st.status === 'unknown') throw failedPrecondition(`container ${rec.Name} is in an unknown state`);
    const frozen = st.status === 'running' && opts.pause;
    if (frozen) await rt.pause(rec.Id);
    try {
      // a user-namespaced container's layer is committed with its ids, not the host's (id-shift.ts)
      const tar = await core.deps.layers.containerChanges(rec.Id, opts.signal, remapOf(rec.HostConfig, core.deps.usernsRemap));
      try {
        return await fn({ id: rec.Id, name: rec.Name, imageId: rec.ImageId, config: rec.Config, path: rec.Path, args: rec.Args, tar });
      } finally {
        tar.destroy();
      }
    } finally {
      if (frozen) {
        await rt.resume(rec.Id).catch((err: unknown) => log.with({ container: rec.Id }).error(err, 'thawing the container after a commit'));
      }
    }
  });
}
