// The runtimes a daemon drives, by name ("lcr", later "runc", "crun"). Filled once by the daemon
// wiring (src/daemon/runtimes.ts); services only look runtimes up. It is a ReadonlyMap to them.
import type { Runtime } from './runtime.ts';
import { log } from '../util/log.ts';

export class RuntimeRegistry extends Map<string, Runtime> {
  /** Adds a runtime under `name`; a name is registered once. */
  register(name: string, runtime: Runtime): void {
    if (this.has(name)) throw new Error(`runtime ${name} is already registered`);
    this.set(name, runtime);
  }

  /** Closes every runtime (exit watching ends; containers keep running). One failure does not keep the others open. */
  async closeAll(): Promise<void> {
    for (const [name, rt] of this) {
      await rt.close().catch((err: unknown) => log.with({ runtime: name }).error(err, 'close failed'));
    }
  }
}
