// binfmt_misc for tests that run arm64 binaries on an x86 host (an arm64 image's busybox inside a
// container): mount binfmt_misc if it is not, and register qemu-aarch64-static with the F flag
// (the kernel opens the interpreter at registration, so it works inside a container's mount
// namespace where /usr/bin/qemu-aarch64-static does not exist). A registration that already has
// F is used as it is; one without F (Debian's qemu-user-binfmt wrapper) is left alone and ours is
// added in front of it (the kernel tries the newest entry first). release() removes only what
// ensure() added.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const DIR = '/proc/sys/fs/binfmt_misc';
const OURS = 'isulad-test-aarch64';
const QEMU = '/usr/bin/qemu-aarch64-static';
// ELF64, little-endian, e_machine 0xb7 (aarch64): the magic and mask qemu's own binfmt config uses
const MAGIC = '\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00';
const MASK = '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff';

export type BinfmtState = { ok: true; release: () => void } | { ok: false; reason: string };

function entryHasF(name: string): boolean {
  try {
    const text = readFileSync(`${DIR}/${name}`, 'utf8');
    return /^enabled$/m.test(text) && /^flags: .*F/m.test(text) && /^interpreter /m.test(text);
  } catch {
    return false;
  }
}

export function ensureAarch64Binfmt(): BinfmtState {
  if (!existsSync(QEMU)) return { ok: false, reason: `${QEMU} missing (make deps installs qemu-user-static)` };
  let mounted = false;
  if (!existsSync(`${DIR}/register`)) {
    const m = spawnSync('mount', ['-t', 'binfmt_misc', 'binfmt_misc', DIR], { encoding: 'utf8' });
    if (m.status !== 0) return { ok: false, reason: `the kernel refused to mount binfmt_misc: ${m.stderr.trim()}` };
    mounted = true;
  }
  const unmount = () => {
    if (mounted) spawnSync('umount', [DIR]);
  };
  try {
    if (readFileSync(`${DIR}/status`, 'utf8').trim() !== 'enabled') {
      unmount();
      return { ok: false, reason: 'binfmt_misc is disabled on this host' };
    }
  } catch (err) {
    unmount();
    return { ok: false, reason: `binfmt_misc status unreadable: ${String(err)}` };
  }
  if (entryHasF('qemu-aarch64') || entryHasF(OURS)) return { ok: true, release: unmount };
  try {
    writeFileSync(`${DIR}/register`, `:${OURS}:M::${MAGIC}:${MASK}:${QEMU}:F`);
  } catch (err) {
    unmount();
    return { ok: false, reason: `the kernel refused the qemu-aarch64 registration: ${String(err)}` };
  }
  return {
    ok: true,
    release: () => {
      try {
        writeFileSync(`${DIR}/${OURS}`, '-1');
      } catch { /* already gone */ }
      unmount();
    },
  };
}
