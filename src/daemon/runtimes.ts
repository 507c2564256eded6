// Runtime construction for the daemon: one row per runtime it can drive. To add a runtime (runc or
// crun through conmon, src/runtime/oci/), add a row: `make` builds it from the daemon's paths (it
// may read host facts), or returns undefined when the host cannot run it (the daemon then boots
// without it, and a container asking for it gets "runtime NAME is not configured").
import { join } from 'node:path';
import type { Runtime } from '../runtime/runtime.ts';
import { RuntimeRegistry } from '../runtime/registry.ts';
import { createLcrRuntime } from '../runtime/lcr/driver.ts';
import { createOciRuntime, findExecutable } from '../runtime/oci/driver.ts';
import { probeCgroupRefusal } from '../runtime/oci/probe.ts';
import { UnusableRuntime } from '../runtime/unusable.ts';
import { readCgroupLayout } from '../cgroups/hierarchy.ts';
import { log } from '../util/log.ts';
import type { DaemonConfig } from './config.ts';

export interface RuntimeContext {
  config: DaemonConfig;
  /** the daemon's cgroup parent, defaulted ("isulad") */
  cgroupParent: string;
}

export interface RuntimeFactory {
  name: string;
  make(ctx: RuntimeContext): Promise<Runtime | undefined>;
}

export const RUNTIME_FACTORIES: readonly RuntimeFactory[] = [
  {
    name: 'lcr',
    make: ({ config, cgroupParent }) =>
      createLcrRuntime({ lxcPath: join(config.state, 'lcr'), stateDir: join(config.state, 'lcr'), helperDir: join(config.graph, 'engines', 'lcr'), cgroupParent }),
  },
  { name: 'runc', make: (ctx) => makeOci(ctx, 'runc', 'runc', []) },
  { name: 'crun', make: (ctx) => makeOci(ctx, 'crun', 'crun', []) },
];

/** conmon outside PATH on some distributions (podman's libexec) */
const CONMON_DIRS = ['/usr/libexec/podman', '/usr/local/libexec/podman'];

/** An OCI runtime through conmon; undefined (with the reason logged) when the binaries are missing. */
async function makeOci({ config, cgroupParent }: RuntimeContext, name: string, path: string, runtimeArgs: string[]): Promise<Runtime | undefined> {
  const [runtimePath, conmon] = await Promise.all([findExecutable(path), findExecutable('conmon', CONMON_DIRS)]);
  if (runtimePath === undefined || conmon === undefined) {
    log.info(`runtime ${name}: ${runtimePath === undefined ? `${path} not found` : 'conmon not found'}`);
    return undefined;
  }
  const stateDir = join(config.state, name);
  const layout = await readCgroupLayout();
  // asked once here, so the runtime is listed as unusable with the reason, not failing at first run
  const refusal = await probeCgroupRefusal(runtimePath, stateDir, layout, cgroupParent);
  if (refusal !== undefined) {
    log.warn(`runtime ${name} is unusable on this host: ${refusal}`);
    return new UnusableRuntime(name, refusal);
  }
  return createOciRuntime({ name, runtimePath, runtimeArgs, conmon, stateDir, cgroupParent });
}

/** daemon.json "runtimes": {name: {path, runtime-args}}, each an OCI runtime (a row replaces a built-in one of that name). */
export function configuredRuntimeFactories(config: DaemonConfig): RuntimeFactory[] {
  return Object.entries(config.runtimes).map(([name, r]) => ({ name, make: (ctx: RuntimeContext) => makeOci(ctx, name, r.path, r['runtime-args']) }));
}

/** The daemon's cgroup parent: daemon.json/--cgroup-parent, or "isulad". */
export const cgroupParentOf = (config: DaemonConfig): string => config.cgroupParent || 'isulad';

/** The default runtime's name: daemon.json/--default-runtime, or "lcr". */
export const defaultRuntimeOf = (config: DaemonConfig): string => config.defaultRuntime || 'lcr';

/** Builds every runtime of the table that this host can run. */
export async function createRuntimes(config: DaemonConfig, builtIn: readonly RuntimeFactory[] = RUNTIME_FACTORIES): Promise<RuntimeRegistry> {
  const registry = new RuntimeRegistry();
  const configured = configuredRuntimeFactories(config);
  const factories = [...builtIn.filter((f) => !configured.some((c) => c.name === f.name)), ...configured];
  const ctx: RuntimeContext = { config, cgroupParent: cgroupParentOf(config) };
  try {
    for (const f of factories) {
      const rt = await f.make(ctx);
      if (rt) registry.register(f.name, rt);
      else log.info(`runtime ${f.name} is not available on this host`);
    }
  } catch (err) {
    await registry.closeAll();
    throw err;
  }
  return registry;
}
