// Shared machinery of the container service: record access, per-container serialisation, exit
// waiters, event emission, and the owners of in-memory state (restart timers, name reservations,
// removals in progress, the health monitor), each changed only through its methods. The verbs
// (create.ts, lifecycle.ts, remove.ts, exit-handler.ts, ...) are functions over this core so each
// file keeps one job.
import { log } from '../../util/log.ts';
import { KeyedMutex } from '../../util/keyed-mutex.ts';
import { internal, isNotFound, notFound } from '../../util/errors.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { findContainer, NameReservations } from './naming.ts';
import { RestartScheduler } from './restart-scheduler.ts';
import type { ContainerRecord, ContainerServiceDeps, ContainerState, HealthState } from './types.ts';

/** The healthcheck monitor as the verbs see it (health.ts, built by the service's factory). */
export interface HealthControl {
  /** begins probing a running container that has a healthcheck (no-op otherwise) */
  start(rec: ContainerRecord): void;
  /** ends probing (stop, kill, pause, exit, remove); a probe in flight is killed */
  stop(id: string): void;
  /** the live state (newer Log than the record) while probing */
  current(id: string): HealthState | undefined;
  /** ends every probe (daemon shutdown) */
  stopAll(): void;
}

export class ContainerCore {
  readonly deps: ContainerServiceDeps;
  private readonly locks = new KeyedMutex();
  private readonly exitWaiters = new Map<string, Array<(code: number) => void>>();
  /** ids an explicit rm is removing, so the exit of its forced stop does not auto-remove too */
  private readonly removals = new Set<string>();
  private closedFlag = false;
  readonly restarts = new RestartScheduler();
  readonly names = new NameReservations();
  readonly health: HealthControl;
  /**
   * For containers joining another's namespaces (container:X): the joined containers' pid and
   * start time as the runtime's config was written with them (nsJoinKey), in this daemon's life.
   * A start whose key is the same keeps that config instead of writing it again.
   */
  readonly nsJoined = new Map<string, string>();

  /** `health` builds the monitor over this core (it probes through the core's verbs). */
  constructor(deps: ContainerServiceDeps, health: (core: ContainerCore) => HealthControl) {
    this.deps = deps;
    this.health = health(this);
  }

  /** True once the service closed: no restarts, no probes. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** Stops restart timers and probes (containers keep running). Idempotent. */
  close(): void {
    this.closedFlag = true;
    this.health.stopAll();
    this.restarts.close();
  }

  /** Runs an explicit rm's steps; meanwhile the exit of its forced stop is not an auto-remove. */
  async removing<T>(id: string, fn: () => Promise<T>): Promise<T> {
    this.removals.add(id);
    try {
      return await fn();
    } finally {
      this.removals.delete(id);
    }
  }

  isBeingRemoved(id: string): boolean {
    return this.removals.has(id);
  }

  all(): ContainerRecord[] {
    return this.deps.store.list<ContainerRecord>('container');
  }

  /** Resolves a user reference (id, name, id prefix) or throws not-found. */
  find(ref: string): ContainerRecord {
    return findContainer(this.all(), ref);
  }

  /** The current record by full id (after a lock was taken the record may have changed). */
  current(id: string): ContainerRecord {
    const rec = this.deps.store.get<ContainerRecord>('container', id);
    if (!rec) throw notFound(`No such container: ${id}`);
    return rec;
  }

  tryCurrent(id: string): ContainerRecord | undefined {
    return this.deps.store.get<ContainerRecord>('container', id);
  }

  runtimeOf(rec: ContainerRecord): Runtime {
    const rt = this.deps.runtimes.get(rec.Runtime);
    if (!rt) throw internal(`container ${rec.Id}: runtime ${rec.Runtime} is not configured`);
    return rt;
  }

  /** Writes a changed record (records from the store are frozen: always copy). Durable on return. */
  async commit(rec: ContainerRecord, state?: Partial<ContainerState>, extra?: Partial<ContainerRecord>): Promise<ContainerRecord> {
    const next: ContainerRecord = { ...rec, ...extra, State: { ...rec.State, ...state } };
    await this.deps.store.put('container', next.Id, next);
    return next;
  }

  /** Publishes after the commit that made it true. Attributes follow iSulad: image, name, then extras and labels. */
  emit(rec: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    try {
      this.deps.events.publish({
        type: 'container',
        action,
        id: rec.Id,
        attributes: { image: rec.Image, name: rec.Name, ...extra, ...rec.Config.Labels },
      });
    } catch (err) {
      log.with({ container: rec.Id }).warn('event publish failed', err);
    }
  }

  /** Runs fn with the container's lock: operations on one container never interleave. */
  withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(id, fn);
  }

  /** Resolves with the exit code of the container's next exit (call while it runs). */
  nextExit(id: string): Promise<number> {
    return new Promise((resolve) => {
      const list = this.exitWaiters.get(id) ?? [];
      list.push(resolve);
      this.exitWaiters.set(id, list);
    });
  }

  notifyExit(id: string, code: number): void {
    const list = this.exitWaiters.get(id);
    if (!list) return;
    this.exitWaiters.delete(id);
    for (const r of list) r(code);
  }
}

/** Runs undo steps in reverse, logging (not throwing) their failures; not-found counts as done. */
export async function rollback(undo: Array<() => Promise<void>>, context: Record<string, string>): Promise<void> {
  for (const u of undo.reverse()) {
    try {
      await u();
    } catch (err) {
      if (!isNotFound(err)) log.with(context).warn('rollback step failed', err);
    }
  }
}
