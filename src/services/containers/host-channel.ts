// --host-channel HOST:CONTAINER:MODE:SIZE (iSulad): shared memory between the host and a
// container — a tmpfs of SIZE the daemon mounts on HOST (which must not exist before), bound into
// the container at CONTAINER. Mounted at create (LXC checks bind sources then) and again before a
// start when a reboot took it away; unmounted and removed with the container.
import { mkdir, readFile, rmdir, stat } from 'node:fs/promises';
import { runTool } from '../../storage/fs-tools.ts';
import { errnoCode, invalidArgument } from '../../util/errors.ts';
import type { HostConfig } from './types.ts';

export type HostChannel = NonNullable<HostConfig['HostChannel']>;

async function isMountPoint(path: string): Promise<boolean> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text.split('\n').some((l) => (l.split(' ')[4] ?? '').replace(/\\040/g, ' ') === path);
}

/** Create: the host path must be new (iSulad: "Host path '...' already exists"). */
export async function createHostChannel(c: HostChannel): Promise<void> {
  try {
    await stat(c.PathOnHost);
    throw invalidArgument(`Host path '${c.PathOnHost}' already exists`);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
  await mountHostChannel(c);
}

/** Idempotent: makes the directory and mounts the tmpfs unless it is mounted already. */
export async function mountHostChannel(c: HostChannel): Promise<void> {
  await mkdir(c.PathOnHost, { recursive: true, mode: 0o700 });
  if (await isMountPoint(c.PathOnHost)) return;
  await runTool('mount', ['-t', 'tmpfs', '-o', `size=${c.Size},mode=1777,nosuid,nodev`, 'tmpfs', c.PathOnHost]);
}

/** Idempotent: unmounts and removes the host directory. */
export async function removeHostChannel(c: HostChannel): Promise<void> {
  if (await isMountPoint(c.PathOnHost)) await runTool('umount', [c.PathOnHost]);
  await rmdir(c.PathOnHost).catch((err: unknown) => {
    if (errnoCode(err) !== 'ENOENT') throw err;
  });
}
