// /etc/mtab in a container's rootfs (iSulad does this before every start, CI create_mtab_test.sh):
// many tools (mount, df, some init scripts) read /etc/mtab, and an image without one gets a link
// to /proc/mounts, which the kernel fills with the container's own mount table. Made in the
// mounted rootfs on the host, so it lands in the container's writable layer (or the external
// rootfs directory) whatever the runtime; an image's own /etc/mtab, even a dangling link, is kept.
import { lchown, lstat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../../util/errors.ts';
import { makeInRoot, resolveTargetInRoot } from '../../util/in-root.ts';
import { log } from '../../util/log.ts';

export const MTAB_TARGET = '/proc/mounts';

/**
 * Makes <rootfs>/etc/mtab → /proc/mounts when the image has none (an /etc link is followed inside
 * the rootfs). owner: a user-namespaced container's root on the host, who owns what is made.
 */
export async function ensureMtabLink(rootfs: string, owner?: { uid: number; gid: number }): Promise<void> {
  const etc = await resolveTargetInRoot(rootfs, '/etc');
  if ((await makeInRoot(rootfs, etc, 'dir', owner)) !== 'dir') {
    log.warn(`rootfs ${rootfs}: /etc is not a directory, no /etc/mtab made`);
    return;
  }
  const mtab = join(rootfs, etc, 'mtab');
  try {
    await lstat(mtab);
    return; // the image's own
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
  try {
    await symlink(MTAB_TARGET, mtab);
    if (owner) await lchown(mtab, owner.uid, owner.gid);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EEXIST') return;
    // iSulad: a read-only rootfs (an embedded image) keeps going without the link
    if (code === 'EROFS') log.warn(`rootfs ${rootfs} is read-only: no /etc/mtab made`);
    else throw err;
  }
}
