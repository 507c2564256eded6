// --ipc shareable (iSulad): the container's /dev/shm is a tmpfs the daemon mounts on the host at
// <containers>/<id>/mounts/shm (at create, again before a start), bound in at /dev/shm, so that a
// container joining it (--ipc container:X) binds the same tmpfs and shares X's POSIX shared memory,
// not only its SysV IPC namespace. Unmounted and removed with the container.
import { join } from 'node:path';
import { DEFAULT_SHM_SIZE } from '../../spec/index.ts';
import { mountHostChannel, removeHostChannel, type HostChannel } from './host-channel.ts';
import type { HostConfig } from './types.ts';

export function shmPathOf(containersDir: string, id: string): string {
  return join(containersDir, id, 'mounts', 'shm');
}

function channelOf(containersDir: string, id: string, h: HostConfig): HostChannel {
  return { PathOnHost: shmPathOf(containersDir, id), PathInContainer: '/dev/shm', Permissions: 'rw', Size: h.ShmSize || DEFAULT_SHM_SIZE };
}

/** Idempotent: mounts the shareable container's /dev/shm on the host (no-op for other modes). */
export async function mountShareableShm(containersDir: string, id: string, h: HostConfig): Promise<void> {
  if (h.IpcMode === 'shareable') await mountHostChannel(channelOf(containersDir, id, h));
}

/** Idempotent: unmounts and removes it. */
export async function removeShareableShm(containersDir: string, id: string, h: HostConfig): Promise<void> {
  if (h.IpcMode === 'shareable') await removeHostChannel(channelOf(containersDir, id, h));
}
