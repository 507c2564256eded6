// src/spec: the OCI runtime spec builder (defaults + image config + the container's Config/HostConfig).
export type * from './types.ts';
export { defaults, DEFAULT_CAPS, DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, DEFAULT_PATH, DEFAULT_SHM_SIZE, MIN_MEMORY } from './defaults.ts';
export { buildSpec, loadSpecContext, parseProcLimits } from './build.ts';
export { buildContainerSpec, containerSpec, containerSpecOpts, hostValuesOf } from './container.ts';
export type { ContainerSpecInput, HostValues, SpecDaemon } from './container.ts';
export { readHookSpec } from './hooks.ts';
export * from './opts-process.ts';
export * from './opts-security.ts';
export * from './opts-resources.ts';
export * from './opts-namespaces.ts';
export * from './opts-mounts.ts';
export * from './opts-system.ts';
export { resolveBlockDevice, resolveDevice } from './devices.ts';
export type { DeviceSpec } from './devices.ts';
export { resolveUser } from './user.ts';
export { normalizeCap, applyCapChanges, ALL_CAPS } from './capabilities.ts';
export { defaultSeccompProfile, DEFAULT_DENIED_SYSCALLS } from './seccomp-default.ts';
