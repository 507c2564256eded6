// Security options: privileged, capabilities, no-new-privileges, seccomp, devices, sysctls.
import { invalidArgument } from '../util/errors.ts';
import { ALL_CAPS, applyCapChanges } from './capabilities.ts';
import type { LinuxDevice, Seccomp, SpecOpt } from './types.ts';

function setCaps(caps: string[]): SpecOpt {
  return (s) => {
    s.process.capabilities = { bounding: [...caps], effective: [...caps], permitted: [...caps] };
  };
}

export function withCapabilities(add: string[], drop: string[]): SpecOpt {
  return (s, ctx) => setCaps(applyCapChanges(s.process.capabilities.bounding, add, drop))(s, ctx);
}

/** CRI masked_paths / readonly_paths: each given list replaces the default one. */
export function withPathRules(masked: readonly string[] | undefined, readonly: readonly string[] | undefined): SpecOpt {
  return (s) => {
    for (const p of [...(masked ?? []), ...(readonly ?? [])]) {
      if (!p.startsWith('/')) throw invalidArgument(`masked or read-only path "${p}" is not absolute`);
    }
    if (masked) s.linux.maskedPaths = [...masked];
    if (readonly) s.linux.readonlyPaths = [...readonly];
  };
}

/**
 * --privileged: every capability, no seccomp, no masked or read-only paths, /sys and cgroups
 * writable, all devices allowed by the device cgroup. Host device nodes are NOT populated (lcr
 * keeps LXC's autodev /dev); pass --device for the ones needed.
 */
export function withPrivileged(): SpecOpt {
  return (s, ctx) => {
    setCaps([...ALL_CAPS])(s, ctx);
    delete s.linux.seccomp;
    s.linux.maskedPaths = [];
    s.linux.readonlyPaths = [];
    s.linux.resources.devices = [{ allow: true, access: 'rwm' }];
    for (const m of s.mounts) {
      if (m.destination === '/sys' || m.destination === '/sys/fs/cgroup') m.options = m.options.filter((o) => o !== 'ro');
    }
  };
}

export function withNoNewPrivileges(on = true): SpecOpt {
  return (s) => {
    s.process.noNewPrivileges = on;
  };
}

/** seccomp=unconfined (undefined) or a parsed OCI/docker seccomp profile. */
export function withSeccomp(profile: Seccomp | undefined): SpecOpt {
  return (s) => {
    if (profile === undefined) delete s.linux.seccomp;
    else s.linux.seccomp = profile;
  };
}

const ACTIONS = new Set(['SCMP_ACT_KILL', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_TRAP', 'SCMP_ACT_ERRNO', 'SCMP_ACT_TRACE', 'SCMP_ACT_ALLOW', 'SCMP_ACT_LOG']);

/** Parses a --security-opt seccomp=FILE profile (docker format: names or legacy name; OCI format). */
export function parseSeccompProfile(json: string): Seccomp {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw invalidArgument(`decoding seccomp profile failed: ${(err as Error).message}`);
  }
  const p = raw as { defaultAction?: unknown; defaultErrnoRet?: unknown; architectures?: unknown; syscalls?: unknown };
  if (typeof p !== 'object' || p === null || typeof p.defaultAction !== 'string' || !ACTIONS.has(p.defaultAction)) {
    throw invalidArgument('decoding seccomp profile failed: missing or invalid defaultAction');
  }
  const rules: Seccomp['syscalls'] = [];
  for (const r of Array.isArray(p.syscalls) ? (p.syscalls as Array<Record<string, unknown>>) : []) {
    const names = Array.isArray(r.names) ? (r.names as string[]) : typeof r.name === 'string' ? [r.name] : [];
    if (typeof r.action !== 'string' || !ACTIONS.has(r.action)) throw invalidArgument(`seccomp rule for ${names.join(',')}: invalid action`);
    rules.push({
      names,
      action: r.action as Seccomp['defaultAction'],
      ...(typeof r.errnoRet === 'number' ? { errnoRet: r.errnoRet } : {}),
      ...(Array.isArray(r.args) && r.args.length > 0 ? { args: r.args as NonNullable<Seccomp['syscalls'][number]['args']> } : {}),
    });
  }
  return {
    defaultAction: p.defaultAction as Seccomp['defaultAction'],
    ...(typeof p.defaultErrnoRet === 'number' ? { defaultErrnoRet: p.defaultErrnoRet } : {}),
    ...(Array.isArray(p.architectures) ? { architectures: p.architectures as string[] } : {}),
    syscalls: rules,
  };
}

/** --device: nodes resolved by resolveDevice (spec/devices.ts); each also gets a cgroup allow rule. */
export function withDevices(devs: Array<LinuxDevice & { permissions?: string }>): SpecOpt {
  return (s) => {
    for (const d of devs) {
      if (!/^[rwm]{1,3}$/.test(d.permissions ?? 'rwm')) throw invalidArgument(`invalid device mode: ${d.permissions}`);
      const { permissions = 'rwm', ...dev } = d;
      s.linux.devices = s.linux.devices.filter((x) => x.path !== dev.path);
      s.linux.devices.push(dev);
      if (dev.type === 'c' || dev.type === 'b') {
        s.linux.resources.devices.push({ allow: true, type: dev.type, major: dev.major, minor: dev.minor, access: permissions });
      }
    }
  };
}

const IPC_SYSCTLS = new Set(['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced']);

/** --sysctl: only namespaced keys (ipc, fs.mqueue, net unless the net namespace is the host's). */
export function withSysctls(sysctls: Record<string, string>): SpecOpt {
  return (s) => {
    const hostNet = !s.linux.namespaces.some((n) => n.type === 'network');
    const hostIpc = !s.linux.namespaces.some((n) => n.type === 'ipc');
    for (const [k, v] of Object.entries(sysctls)) {
      const ipc = IPC_SYSCTLS.has(k) || k.startsWith('fs.mqueue.');
      const net = k.startsWith('net.');
      if (!ipc && !net) throw invalidArgument(`sysctl '${k}' is not whitelisted`);
      if (ipc && hostIpc) throw invalidArgument(`sysctl '${k}' is not allowed when sharing the host's IPC namespace`);
      if (net && hostNet) throw invalidArgument(`sysctl '${k}' is not allowed in host network mode`);
      s.linux.sysctl = { ...(s.linux.sysctl ?? {}), [k]: v };
    }
  };
}

function splitOpt(o: string): [string, string] {
  const i = o.search(/[=:]/);
  return i < 0 ? [o, ''] : [o.slice(0, i), o.slice(i + 1)];
}

/** --security-opt: only seccomp, no-new-privileges and label (ignored) exist here. */
export function validateSecurityOpts(opts: readonly string[]): void {
  for (const o of opts) {
    const [k] = splitOpt(o);
    if (k !== 'seccomp' && k !== 'no-new-privileges' && k !== 'label') throw invalidArgument(`Invalid --security-opt: ${o}`);
  }
}

export function noNewPrivilegesOf(opts: readonly string[]): boolean {
  return opts.some((o) => {
    const [k, v] = splitOpt(o);
    return k === 'no-new-privileges' && (v === '' || v === 'true');
  });
}

/** seccomp=unconfined, seccomp=<profile JSON> (the CLI reads the file), or undefined: the default profile. */
export function seccompOf(opts: readonly string[]): 'unconfined' | Seccomp | undefined {
  // several seccomp= options: the last one wins (iSulad's parse_security_opt keeps the last)
  let last: string | undefined;
  for (const o of opts) {
    const [k, v = ''] = splitOpt(o);
    if (k === 'seccomp') last = v;
  }
  if (last === undefined) return undefined;
  return last === 'unconfined' ? 'unconfined' : parseSeccompProfile(last);
}
