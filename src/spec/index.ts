// src/spec: the OCI runtime spec builder (defaults + image config + create options).
export type * from './types.ts';
export { defaults, DEFAULT_CAPS, DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, DEFAULT_PATH, DEFAULT_SHM_SIZE } from './defaults.ts';
export { buildSpec, loadSpecContext, parseProcLimits } from './build.ts';
export { specFromCreate, optsFromCreate } from './create-options.ts';
export type { CreateSpecOptions } from './create-options.ts';
export * from './opts-process.ts';
export * from './opts-security.ts';
export * from './opts-resources.ts';
export * from './opts-namespaces.ts';
export * from './opts-mounts.ts';
export { resolveBlockDevice, resolveDevice } from './devices.ts';
export type { DeviceSpec } from './devices.ts';
export { resolveUser } from './user.ts';
export { normalizeCap, applyCapChanges, ALL_CAPS } from './capabilities.ts';
export { defaultSeccompProfile, DEFAULT_DENIED_SYSCALLS } from './seccomp-default.ts';
