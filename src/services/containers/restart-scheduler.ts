// The restart policy's timers: one pending restart per container, with back-off (iSulad's: the
// delay doubles while runs stay short, restart-policy.ts). The only owner of those timers.
import { nextBackoff } from './restart-policy.ts';

interface Entry {
  timer?: NodeJS.Timeout;
  /** the last back-off delay used (ms) */
  delayMs?: number;
}

export class RestartScheduler {
  readonly #entries = new Map<string, Entry>();
  #closed = false;

  /** Runs `fire` after the next back-off delay (a run of `ranMs` resets it when long enough). */
  schedule(id: string, ranMs: number, fire: () => void): void {
    if (this.#closed) return;
    const e = this.#entries.get(id) ?? {};
    if (e.timer) clearTimeout(e.timer);
    e.delayMs = nextBackoff(e.delayMs, ranMs);
    e.timer = setTimeout(() => {
      e.timer = undefined;
      fire();
    }, e.delayMs);
    e.timer.unref();
    this.#entries.set(id, e);
  }

  /** Drops a pending restart; the back-off is kept (a user's start does not reset it). */
  cancel(id: string): void {
    const e = this.#entries.get(id);
    if (e?.timer) clearTimeout(e.timer);
    if (e) e.timer = undefined;
  }

  /** Drops the pending restart and the back-off (stop, remove). */
  forget(id: string): void {
    this.cancel(id);
    this.#entries.delete(id);
  }

  /** Cancels every pending restart; later schedules do nothing. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const id of this.#entries.keys()) this.cancel(id);
  }
}
