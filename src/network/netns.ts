// Network namespaces owned by the engine: one per container or pod, created by `unshare --net=FILE`
// (util-linux pins the new namespace by bind-mounting its nsfs file on FILE, then exits: no process
// stays behind) under <state>/netns/<id>, and removed by unmounting and unlinking that file.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, invalidArgument, wrap } from '../util/errors.ts';
import { toolShell } from '../util/sh-runner.ts';

const ID_RE = /^[a-zA-Z0-9_.-]+$/;

/**
 * unshare, nsenter and umount run through the daemon's long-lived tool shell (util/sh-runner.ts),
 * not spawned from the daemon: a spawn forks the ~100 MB Node process (3-6 ms of its CPU each),
 * and RunPodSandbox made one per pod. A failure names the tool, its status and stderr's tail.
 */
function run(tool: string, args: string[]): Promise<void> {
  return toolShell.run(tool, args).catch((err: unknown) => {
    throw wrap(err, `${tool} ${args.join(' ')}`);
  });
}

/** The pinned netns path of `id` under `dir` (<state>/netns). */
export function netnsPath(dir: string, id: string): string {
  if (!ID_RE.test(id)) throw invalidArgument(`invalid netns name "${id}"`);
  return join(dir, id);
}

/** True if `path` is a mounted nsfs file (a pinned namespace). */
export async function isPinnedNetns(path: string): Promise<boolean> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const sep = f.indexOf('-');
    if (f[4]?.replace(/\\040/g, ' ') === path && sep > 0 && f[sep + 1] === 'nsfs') return true;
  }
  return false;
}

/**
 * Creates and pins a new netns at <dir>/<id>; an existing pinned one is kept (idempotent).
 * `loopbackUp`: `ip link set lo up` runs inside the new namespace in the same exec (unshare runs
 * it there instead of `true`); the kernel then gives lo 127.0.0.1/8 and ::1, as the CNI loopback
 * plugin would, without a Go plugin's start-up.
 */
export async function createNetns(dir: string, id: string, o: { loopbackUp?: boolean } = {}): Promise<string> {
  const path = netnsPath(dir, id);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  // a new pod's id has no file yet: mountinfo (a line per mount of the host) is read only for one that has
  if (await exists(path) && await isPinnedNetns(path)) {
    if (o.loopbackUp) await run('nsenter', [`--net=${path}`, 'ip', 'link', 'set', 'lo', 'up']);
    return path;
  }
  await writeFile(path, '', { mode: 0o444 });
  try {
    await run('unshare', [`--net=${path}`, ...(o.loopbackUp ? ['ip', 'link', 'set', 'lo', 'up'] : ['true'])]);
  } catch (err) {
    // unshare pins the namespace before it execs the command: a failed command leaves it mounted
    await removeNetns(path).catch(() => undefined);
    throw err;
  }
  return path;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
}

/** Unpins and removes a netns file; a missing one is fine (idempotent). */
export async function removeNetns(path: string): Promise<void> {
  if (!(await exists(path))) return;
  if (await isPinnedNetns(path)) {
    try {
      await run('umount', [path]);
    } catch {
      await run('umount', ['-l', path]);
    }
  }
  try {
    await rm(path, { force: true });
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
}
