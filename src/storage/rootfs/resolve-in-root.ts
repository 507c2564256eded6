// The chrooted path walk lives in util/in-root.ts so that the runtime and network layers (mount
// destinations, /etc/hosts) use the same code as cp and extraction; re-exported for storage users.
export { resolveInRoot } from '../../util/in-root.ts';
export type { ResolvedPath } from '../../util/in-root.ts';
