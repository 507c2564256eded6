// Types spec options work with. The OCI spec types themselves live in src/runtime/oci-spec.ts (low,
// type-only) so runtime drivers can consume a built spec without importing src/spec.
import type { ImageRuntimeConfig } from '../types/image-config.ts';
import type { Spec } from '../runtime/oci-spec.ts';

export type { LinuxCapabilities, PosixRlimit, User, Process, SpecMount, Namespace, DeviceRule, LinuxDevice, Resources, SeccompArg, SeccompAction, SeccompRule, Seccomp, Linux, Spec } from '../runtime/oci-spec.ts';

/** A host resource limit as read from /proc/self/limits; -1 = unlimited. */
export interface HostLimit {
  soft: number;
  hard: number;
}

/**
 * What options may read besides the spec. Filled once per create by loadSpecContext (the only I/O);
 * the options themselves are pure.
 */
export interface SpecContext {
  /** contents of the rootfs /etc/passwd and /etc/group ('' when absent) */
  passwd: string;
  group: string;
  /** hard limits of the daemon, by RLIMIT_* name: a container may not ask for more (no CAP_SYS_RESOURCE) */
  hostLimits: Record<string, HostLimit>;
  /** the current oom_score_adj of the daemon: a container may only raise it */
  hostOomScoreAdj: number;
  /** image config merged by withImageConfig; withArgs reads Entrypoint/Cmd from here */
  image?: ImageRuntimeConfig;
}

export type SpecOpt = (s: Spec, ctx: SpecContext) => void;
