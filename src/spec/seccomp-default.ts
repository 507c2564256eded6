// The default seccomp profile, written for this engine from what the kernel interfaces do (not a
// copy of docker's 300-name allow-list). It is a DENY-list: everything is allowed except syscalls
// that reach outside the container or the kernel itself, which return EPERM.
//
// Why a deny-list: LXC compiles every rule for each arch context (x86, x32, x86_64), and a ~440-line
// allow-list added ~10 ms to each start on this host (research/runtime-lab.md §2(g)); ~60 names cost
// little. What it gives up: a syscall added to a future kernel is allowed until listed here. Most of
// the names below also need a capability the default set lacks; the profile is the second fence for
// --cap-add cases and for syscalls no capability guards (userfaultfd, keyctl, perf_event_open, bpf).
import type { Seccomp } from './types.ts';

const EPERM = 1;
const ENOSYS = 38;

/** Grouped by what they would let a container touch. */
const DENIED: Record<string, string[]> = {
  // load or replace kernel code
  kernel: ['init_module', 'finit_module', 'delete_module', 'create_module', 'query_module', 'get_kernel_syms',
    'kexec_load', 'kexec_file_load', 'bpf', 'uselib'],
  // host clock, power, swap, accounting, quotas
  host: ['reboot', 'settimeofday', 'stime', 'clock_settime', 'clock_settime64', 'clock_adjtime', 'clock_adjtime64', 'adjtimex',
    'swapon', 'swapoff', 'acct', 'quotactl', 'quotactl_fd', 'nfsservctl', 'vhangup', 'lookup_dcookie', '_sysctl', 'sysfs',
    'ustat', 'syslog'],
  // mounts and namespace escapes (the container's mount table is set up before the filter applies)
  mounts: ['mount', 'umount', 'umount2', 'pivot_root', 'fsopen', 'fsconfig', 'fsmount', 'fspick', 'move_mount',
    'open_tree', 'mount_setattr', 'unshare', 'setns', 'name_to_handle_at', 'open_by_handle_at'],
  // other processes' memory and kernel object inspection
  inspect: ['ptrace', 'process_vm_readv', 'process_vm_writev', 'kcmp', 'perf_event_open', 'userfaultfd',
    'pidfd_getfd'],
  // kernel keyring (not namespaced)
  keys: ['add_key', 'request_key', 'keyctl'],
  // raw I/O ports, legacy x86 modes, NUMA placement of host memory
  hardware: ['iopl', 'ioperm', 'vm86', 'vm86old', 'mbind', 'set_mempolicy', 'migrate_pages', 'move_pages'],
};

/** Every name the default profile refuses with EPERM (exported for tests and docs). */
export const DEFAULT_DENIED_SYSCALLS: readonly string[] = Object.values(DENIED).flat();

/** clone(2) flag bits that create namespaces; CLONE_NEWUSER needs no capability, hence the rule. */
export const CLONE_NEWUSER = 0x10000000;

export function defaultSeccompProfile(): Seccomp {
  return {
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32', 'SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
    syscalls: [
      { names: [...DEFAULT_DENIED_SYSCALLS], action: 'SCMP_ACT_ERRNO', errnoRet: EPERM },
      // clone3 passes flags in memory seccomp cannot read: ENOSYS makes libc fall back to clone(2)
      { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS },
      // no new user namespaces (they would hand out a full capability set inside)
      {
        names: ['clone'],
        action: 'SCMP_ACT_ERRNO',
        errnoRet: EPERM,
        args: [{ index: 0, value: CLONE_NEWUSER, valueTwo: CLONE_NEWUSER, op: 'SCMP_CMP_MASKED_EQ' }],
      },
    ],
  };
}
