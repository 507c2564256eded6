// Exit delivery, one job: tell the daemon's listeners once about each exit a monitor records.
// Monitors (lcr's sh monitor, conmon) rename an exit file into one flat dir per runtime; the
// watcher (exit-watcher.ts) reports names, possibly several times per file and also for files
// that appeared while no daemon ran; here each (id, exit file mtime) is delivered once. What an
// exit file means (its code, OOM, whether the id is still a container) is the driver's: it
// passes a reader. Used by every driver (lcr, OCI runtimes).
import type { ExitInfo } from './runtime.ts';
import { log } from '../util/log.ts';
import { watchExits } from './exit-watcher.ts';
import type { ExitWatcher } from './exit-watcher.ts';

/** An exit as read from its file; mtime (ns) tells a new run's exit from the last one's. */
export type ExitRecord = ExitInfo & { mtime: bigint };

/** ExitInfo without the dedupe key. Pure. */
export function exitInfo(e: ExitRecord): ExitInfo {
  const { mtime: _mtime, ...info } = e;
  return info;
}

export interface ExitSource {
  /** the flat dir the monitors rename exit files into */
  dir: string;
  /** the exit recorded for id; undefined when none, or when id is no container of this runtime */
  read(id: string): Promise<ExitRecord | undefined>;
  /** once, when watching starts: records the exits of monitors that vanished while nobody watched */
  reconcile(): Promise<void>;
}

export type ExitListener = (id: string, exit: ExitInfo) => void;

export class ExitDelivery {
  readonly #src: ExitSource;
  readonly #listeners: ExitListener[] = [];
  readonly #delivered = new Map<string, bigint>();
  #watcher: ExitWatcher | undefined;
  #closed = false;

  constructor(src: ExitSource) {
    this.#src = src;
  }

  /** Adds a listener; the first one starts the watch (and the reconciliation). */
  subscribe(listener: ExitListener): void {
    this.#listeners.push(listener);
    if (this.#watcher === undefined && !this.#closed) {
      this.#watcher = watchExits(this.#src.dir, (id) => void this.#deliver(id));
      void this.#src.reconcile().catch((err: unknown) => log.warn('exit reconciliation failed', err));
    }
  }

  /** The container is gone: a later container with its id starts afresh. */
  forget(id: string): void {
    this.#delivered.delete(id);
  }

  close(): void {
    this.#closed = true;
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#listeners.length = 0;
  }

  async #deliver(id: string): Promise<void> {
    if (this.#closed) return;
    const exit = await this.#src.read(id).catch(() => undefined);
    // check and mark with no await between: overlapping events for one file deliver it once
    if (exit === undefined || this.#closed || this.#delivered.get(id) === exit.mtime) return;
    this.#delivered.set(id, exit.mtime);
    const info = exitInfo(exit);
    for (const l of this.#listeners) {
      try {
        l(id, info);
      } catch (err) {
        log.with({ container: id }).error(err, 'exit listener failed');
      }
    }
  }
}
