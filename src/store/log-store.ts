// The running store: reads from memory, writes through a group-committed append-only log.
//
// Writers queue encoded ops; one flush loop at a time takes everything queued (up to
// MAX_GROUP_BYTES), appends it as one commit group with a single pwrite + fdatasync, then applies
// the ops to memory and resolves their promises, in submission order. So 20 concurrent puts cost
// one or two fsyncs, not 20, and a value becomes visible to readers only once it is durable.
// Compaction runs inside the same loop, so it never races an append.
//
// What goes into a frame is decided at flush time, against the state the frame will follow: a
// re-put is written as a patch when that is smaller, and a put of an unchanged value or a delete
// of a missing id writes nothing at all (a call made only of those costs no fsync).
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { AppliedOp, Codec } from './codec.ts';
import { decodeOp, encodeOp, encodePatchOp, joinOps } from './codec.ts';
import { logPath, writeAllAt } from './files.ts';
import { MAX_PAYLOAD_BYTES, encodeFrame } from './frame.ts';
import { diff } from './patch.ts';
import type { PidLock } from '../util/pid-lock.ts';
import type { Records } from './records.ts';
import { writeSnapshot } from './snapshot.ts';
import type { LogStateStore, RecordKind, StoreOp, StoreOptions, StoreStats } from './types.ts';
import { EngineError, failedPrecondition, invalidArgument, unavailable, wrap } from '../util/errors.ts';
import { log } from '../util/log.ts';

/** Upper bound for one commit group's write; bigger queues take several rounds. */
const MAX_GROUP_BYTES = 1024 * 1024;
export const DEFAULT_COMPACT_MIN_BYTES = 1024 * 1024;
export const DEFAULT_COMPACT_RATIO = 4;

/** One op of a call: its full encoding and its canonical (decoded, frozen) form. */
interface QueuedOp {
  bytes: Buffer;
  op: AppliedOp;
}

interface Pending {
  ops: QueuedOp[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface LogStoreInit {
  dir: string;
  fh: FileHandle;
  logBytes: number;
  nextGroup: number;
  records: Records;
  codec: Codec;
  lock: PidLock;
  options: StoreOptions;
}

export class LogStore implements LogStateStore {
  readonly #dir: string;
  #fh: FileHandle;
  #logBytes: number;
  #nextGroup: number;
  readonly #records: Records;
  readonly #codec: Codec;
  readonly #lock: PidLock;
  readonly #compactMin: number;
  readonly #compactRatio: number;
  /** auto-compaction is not retried below this log size after a failure */
  #compactFloor = 0;

  #pending: Pending[] = [];
  #compactWaiters: Waiter[] = [];
  #flushing: Promise<void> | undefined;
  /** set when the file can no longer be trusted to match memory; every later write fails */
  #broken: EngineError | undefined;
  #closing: Promise<void> | undefined;

  #bytesWritten = 0;
  #frames = 0;
  #commits = 0;
  #compactions = 0;

  constructor(init: LogStoreInit) {
    this.#dir = init.dir;
    this.#fh = init.fh;
    this.#logBytes = init.logBytes;
    this.#nextGroup = init.nextGroup;
    this.#records = init.records;
    this.#codec = init.codec;
    this.#lock = init.lock;
    this.#compactMin = init.options.compactMinBytes ?? DEFAULT_COMPACT_MIN_BYTES;
    this.#compactRatio = init.options.compactRatio ?? DEFAULT_COMPACT_RATIO;
  }

  get<T>(kind: RecordKind, id: string): T | undefined {
    return this.#records.get(kind, id) as T | undefined;
  }

  list<T>(kind: RecordKind): T[] {
    return this.#records.list(kind) as T[];
  }

  ids(kind: RecordKind): string[] {
    return this.#records.ids(kind);
  }

  put(kind: RecordKind, id: string, value: unknown): Promise<void> {
    return this.batch([{ op: 'put', kind, id, value }]);
  }

  delete(kind: RecordKind, id: string): Promise<void> {
    return this.batch([{ op: 'delete', kind, id }]);
  }

  batch(ops: StoreOp[]): Promise<void> {
    if (this.#closing) return Promise.reject(failedPrecondition('store: closed'));
    if (this.#broken) return Promise.reject(this.#broken);
    if (ops.length === 0) return Promise.resolve();
    let queued: QueuedOp[];
    try {
      // Encode now: the bytes capture the value as it is at the call, whatever the caller does
      // with its object afterwards, and a bad value fails this call alone. The decoded form is
      // what readers will get and what deltas are computed from.
      queued = ops.map((op) => {
        const bytes = encodeOp(this.#codec, op);
        return { bytes, op: decodeOp(this.#codec, bytes) };
      });
    } catch (err) {
      return Promise.reject(err);
    }
    // A frame must stay readable by every build; refusing here fails this call alone rather than
    // the whole commit group it would have joined.
    const size = queued.reduce((n, q) => n + q.bytes.length, 9);
    if (size > MAX_PAYLOAD_BYTES) {
      return Promise.reject(invalidArgument(`store: a call of ${size} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte frame limit`));
    }
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ ops: queued, resolve, reject });
      this.#kick();
    });
  }

  compact(): Promise<void> {
    if (this.#closing) return Promise.reject(failedPrecondition('store: closed'));
    return new Promise<void>((resolve, reject) => {
      this.#compactWaiters.push({ resolve, reject });
      this.#kick();
    });
  }

  stats(): StoreStats {
    return {
      bytesWritten: this.#bytesWritten,
      frames: this.#frames,
      commits: this.#commits,
      compactions: this.#compactions,
      logBytes: this.#logBytes,
      liveBytes: this.#records.liveBytes,
    };
  }

  close(): Promise<void> {
    this.#closing ??= this.#drainAndClose();
    return this.#closing;
  }

  async #drainAndClose(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    try {
      await this.#fh.close();
    } finally {
      await this.#lock.release();
    }
  }

  /** Starts the flush loop on the next microtask, so ops submitted in the same tick share a group. */
  #kick(): void {
    this.#flushing ??= Promise.resolve()
      .then(() => this.#flushLoop())
      .catch((err: unknown) => {
        // Not expected (each step handles its errors), but never leave writers hanging.
        this.#broken ??= unavailable('store: internal failure in the commit loop; restart to recover', { cause: err });
        this.#failAll(this.#broken);
      })
      .finally(() => {
        this.#flushing = undefined;
        if (this.#pending.length > 0 || this.#compactWaiters.length > 0) this.#kick();
      });
  }

  async #flushLoop(): Promise<void> {
    for (;;) {
      if (this.#broken) {
        this.#failAll(this.#broken);
        return;
      }
      if (this.#pending.length > 0) {
        await this.#commitGroup();
        // A failed auto-compaction has logged and, if it matters, marked the store broken.
        if (this.#shouldAutoCompact()) await this.#compactNow(false).catch(() => {});
        continue;
      }
      if (this.#compactWaiters.length > 0) {
        const waiters = this.#compactWaiters;
        this.#compactWaiters = [];
        try {
          await this.#compactNow(true);
          for (const w of waiters) w.resolve();
        } catch (err) {
          for (const w of waiters) w.reject(err);
        }
        continue;
      }
      return;
    }
  }

  #takeGroup(): Pending[] {
    let bytes = 0;
    let n = 0;
    while (n < this.#pending.length) {
      const size = this.#pending[n]!.ops.reduce((sum, q) => sum + q.bytes.length, 0);
      if (n > 0 && bytes + size > MAX_GROUP_BYTES) break;
      bytes += size;
      n++;
    }
    return this.#pending.splice(0, n);
  }

  /**
   * Decides each call's frame against the state it will follow (the committed records plus the
   * group's earlier calls): deltas for re-puts where smaller, nothing for no-ops.
   */
  #planGroup(group: Pending[]): Array<{ payload: Buffer | undefined; applied: AppliedOp[] }> {
    const GONE = Symbol('gone');
    const overlay = new Map<string, unknown>();
    const lookup = (kind: RecordKind, id: string): { exists: boolean; value: unknown } => {
      const key = `${kind}\0${id}`;
      if (overlay.has(key)) {
        const v = overlay.get(key);
        return v === GONE ? { exists: false, value: undefined } : { exists: true, value: v };
      }
      return { exists: this.#records.has(kind, id), value: this.#records.get(kind, id) };
    };
    return group.map((p) => {
      const parts: Buffer[] = [];
      const applied: AppliedOp[] = [];
      for (const { bytes, op } of p.ops) {
        const base = lookup(op.kind, op.id);
        const key = `${op.kind}\0${op.id}`;
        if (op.type === 'delete') {
          overlay.set(key, GONE);
          if (!base.exists) continue;
        } else if (op.type === 'put') {
          overlay.set(key, op.value);
          if (base.exists) {
            const patch = diff(base.value, op.value);
            if (patch.length === 0) continue;
            const delta = encodePatchOp(this.#codec, op.kind, op.id, patch);
            if (delta.length < bytes.length) {
              parts.push(delta);
              applied.push({ type: 'patch', kind: op.kind, id: op.id, patch, size: op.size });
              continue;
            }
          }
        }
        parts.push(bytes);
        applied.push(op);
      }
      return { payload: parts.length > 0 ? joinOps(parts) : undefined, applied };
    });
  }

  async #commitGroup(): Promise<void> {
    const group = this.#takeGroup();
    const groupNo = this.#nextGroup;
    let plan;
    let buf: Buffer;
    try {
      plan = this.#planGroup(group);
      const payloads = plan.flatMap((c) => (c.payload ? [c.payload] : []));
      buf = Buffer.concat(payloads.map((payload, i) => encodeFrame(payload, groupNo, i === payloads.length - 1)));
    } catch (err) {
      for (const p of group) p.reject(wrap(err, 'store: frame'));
      return;
    }
    if (buf.length > 0) {
      try {
        await writeAllAt(this.#fh, buf, this.#logBytes);
      } catch (err) {
        // Nothing was acknowledged: cut any partial write off so the log ends on a group boundary.
        const failure = wrap(err, 'store: append to log');
        try {
          await this.#fh.truncate(this.#logBytes);
        } catch (truncErr) {
          this.#broken = unavailable('store: log is in an unknown state after a failed append; restart to recover', {
            cause: truncErr,
          });
        }
        for (const p of group) p.reject(failure);
        return;
      }
      try {
        await this.#fh.datasync();
      } catch (err) {
        // After a failed fsync Linux may drop the dirty pages and report success next time; the
        // only safe way on is to reopen (recovery decides what reached the disk).
        this.#broken = unavailable('store: fdatasync failed; restart to recover', { cause: err });
        for (const p of group) p.reject(this.#broken);
        return;
      }
      this.#nextGroup++;
      this.#logBytes += buf.length;
      this.#bytesWritten += buf.length;
      this.#frames += plan.filter((c) => c.payload).length;
      this.#commits++;
    }
    group.forEach((p, i) => {
      // The same code path as replay at open: memory holds exactly what a reopen would read.
      this.#records.applyAll(plan[i]!.applied);
      p.resolve();
    });
  }

  #shouldAutoCompact(): boolean {
    return (
      this.#logBytes > this.#compactMin &&
      this.#logBytes > this.#compactFloor &&
      this.#logBytes > this.#compactRatio * this.#records.liveBytes
    );
  }

  async #compactNow(requested: boolean): Promise<void> {
    const before = this.#logBytes;
    let result;
    try {
      result = await writeSnapshot(this.#dir, this.#records, this.#codec);
    } catch (err) {
      // Failed before or at the rename: the old log is still the log, and still valid.
      const e = wrap(err, 'store: compaction');
      this.#compactFloor = this.#logBytes + this.#compactMin;
      log.with({ dir: this.#dir }).error(e, 'store: compaction failed, keeping the current log');
      if (requested) throw e;
      return;
    }
    this.#bytesWritten += result.bytes;
    this.#compactions++;
    await this.#reopenLog();
    this.#nextGroup = result.nextGroup;
    this.#compactFloor = 0;
    if (result.dirSyncError !== undefined) {
      this.#broken = unavailable('store: directory fsync after compaction failed; restart to recover', {
        cause: result.dirSyncError,
      });
      throw this.#broken;
    }
    log.with({ dir: this.#dir, before, after: result.bytes }).debug('store: compacted log');
  }

  /** Points the append handle at whatever file is now the log (a rename swaps inodes). */
  async #reopenLog(): Promise<void> {
    let fh: FileHandle;
    try {
      fh = await open(logPath(this.#dir), 'r+');
    } catch (err) {
      this.#broken = unavailable('store: cannot reopen log after compaction; restart to recover', { cause: err });
      throw this.#broken;
    }
    const size = (await fh.stat()).size;
    await this.#fh.close().catch(() => {});
    this.#fh = fh;
    this.#logBytes = size;
  }

  #failAll(err: EngineError): void {
    for (const p of this.#pending.splice(0)) p.reject(err);
    for (const w of this.#compactWaiters.splice(0)) w.reject(err);
  }
}
