// --system-container and --ns-change-opt (iSulad): a container that runs a full init (systemd or
// busybox init) rather than one application. What iSulad does for it, kept here where it applies
// to stock LXC and runc:
//   - its own tmpfs on /run, /run/lock (mode 755) and /tmp (mode 1777), nosuid,noexec,nodev, each
//     capped at half the memory limit when -m is set (iSulad's systemcontainer_config.json mounts
//     and change_tmpfs_mount_size);
//   - the default capabilities plus CAP_SYS_BOOT (reboot(2) in a pid namespace ends the container's
//     init: the kernel's restart/halt), minus --cap-drop;
//   - mount, umount2, reboot, name_to_handle_at and unshare let through the seccomp filter (not
//     with seccomp=unconfined, which has no filter);
//   - the annotation system.container=true (set by the containers service in Config.Annotations).
// --ns-change-opt net|ipc: /proc/sys stays read-only except the namespaced sysctls of the net
// and/or ipc namespace, which the container may then set itself. The read-only part is expressed
// as one read-only path per other entry of /proc/sys (and of /proc/sys/kernel and /proc/sys/fs
// for ipc), so both runtimes apply it with their own readonlyPaths handling.
import type { SpecOpt } from './types.ts';

export const SYSTEM_CONTAINER_CAPS = [
  'CAP_SYS_BOOT', 'CAP_SETPCAP', 'CAP_NET_RAW', 'CAP_NET_BIND_SERVICE', 'CAP_AUDIT_WRITE', 'CAP_DAC_OVERRIDE', 'CAP_SETFCAP',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_MKNOD', 'CAP_CHOWN', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SYS_CHROOT',
] as const;

export const SYSTEM_CONTAINER_SYSCALLS = ['mount', 'umount2', 'reboot', 'name_to_handle_at', 'unshare'] as const;

export const SYSTEM_CONTAINER_ANNOTATION = 'system.container';

/** The tmpfs mounts of a system container; `memory` (bytes, 0 = none) caps each at half of it. */
export function withSystemContainerMounts(memory: number): SpecOpt {
  return (s) => {
    const size = memory > 0 ? [`size=${Math.floor(memory / 2048)}k`] : [];
    const mounts = [
      { destination: '/run', mode: '755' },
      { destination: '/run/lock', mode: '755' },
      { destination: '/tmp', mode: '1777' },
    ];
    for (const m of mounts) {
      s.mounts = s.mounts.filter((x) => x.destination !== m.destination);
      s.mounts.push({ destination: m.destination, type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'noexec', 'nodev', `mode=${m.mode}`, ...size] });
    }
  };
}

/** Capabilities and seccomp of a system container; run after the other security options. */
export function withSystemContainerSecurity(capDrop: readonly string[]): SpecOpt {
  return (s) => {
    const drop = new Set(capDrop.map((c) => {
      const up = c.trim().toUpperCase();
      return up.startsWith('CAP_') ? up : `CAP_${up}`;
    }));
    const c = s.process.capabilities;
    for (const cap of SYSTEM_CONTAINER_CAPS) {
      if (drop.has(cap) || drop.has('CAP_ALL')) continue;
      for (const set of [c.bounding, c.effective, c.permitted]) if (!set.includes(cap)) set.push(cap);
    }
    const seccomp = s.linux.seccomp;
    if (seccomp === undefined) return; // unconfined
    const open = new Set<string>(SYSTEM_CONTAINER_SYSCALLS);
    // a refusing rule without conditions stops naming them; a conditional one (args) stays as is
    seccomp.syscalls = (seccomp.syscalls ?? [])
      .map((r) => (r.action === 'SCMP_ACT_ALLOW' || (r.args && r.args.length > 0) ? r : { ...r, names: r.names.filter((n) => !open.has(n)) }))
      .filter((r) => r.names.length > 0);
    if (seccomp.defaultAction !== 'SCMP_ACT_ALLOW') seccomp.syscalls.push({ names: [...SYSTEM_CONTAINER_SYSCALLS], action: 'SCMP_ACT_ALLOW' });
  };
}

/**
 * --user-remap HOSTUID:HOSTGID:SIZE: a user namespace whose ids 0..SIZE-1 are the host's
 * HOSTUID.. and HOSTGID.. (iSulad's make_userns_remap; 0:0 asks for none).
 */
export function withUserRemap(remap: string): SpecOpt {
  return (s) => {
    const [uid = 0, gid = 0, size = 0] = remap.split(':').map(Number);
    if (uid === 0 && gid === 0) return;
    if (!s.linux.namespaces.some((n) => n.type === 'user')) s.linux.namespaces.push({ type: 'user' });
    s.linux.uidMappings = [{ containerID: 0, hostID: uid, size }];
    s.linux.gidMappings = [{ containerID: 0, hostID: gid, size }];
  };
}

/** The entries of /proc/sys, /proc/sys/kernel and /proc/sys/fs (names only), read on the host. */
export interface ProcSysEntries {
  top: readonly string[];
  kernel: readonly string[];
  fs: readonly string[];
}

/** The ipc namespace's sysctls (what iSulad lets a container write with --ns-change-opt ipc). */
export const IPC_KERNEL_SYSCTLS = ['shmmax', 'shmmni', 'shmall', 'shm_rmid_forced', 'msgmax', 'msgmni', 'msgmnb', 'sem'] as const;

/**
 * --ns-change-opt: /proc/sys read-only except net (the whole /proc/sys/net) and/or ipc
 * (kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue). Only where /proc/sys is read-only at all.
 */
export function withNsChangeOpt(kinds: readonly string[], entries: ProcSysEntries): SpecOpt {
  return (s) => {
    if (!s.linux.readonlyPaths.includes('/proc/sys')) return;
    const net = kinds.includes('net');
    const ipc = kinds.includes('ipc');
    const ro: string[] = [];
    for (const e of entries.top) {
      if (net && e === 'net') continue;
      if (ipc && e === 'kernel') {
        for (const k of entries.kernel) if (!(IPC_KERNEL_SYSCTLS as readonly string[]).includes(k)) ro.push(`/proc/sys/kernel/${k}`);
        continue;
      }
      if (ipc && e === 'fs') {
        for (const f of entries.fs) if (f !== 'mqueue') ro.push(`/proc/sys/fs/${f}`);
        continue;
      }
      ro.push(`/proc/sys/${e}`);
    }
    s.linux.readonlyPaths = [...s.linux.readonlyPaths.filter((p) => p !== '/proc/sys'), ...ro];
  };
}
