// The StateStore contract: the only way engine metadata is written. Every record kind lives in
// one store per daemon root. Reads are served from memory; a write resolves only once it is
// durable (fsync'd), so an API call that returned success survives kill -9 and power loss.
//
// Values are stored as CBOR. What get/list return is the value as decoded back from its CBOR bytes
// and deep-frozen: it is shared, never a live alias of the object passed to put, and assigning to it
// throws (strict mode). To change a record, copy it ({ ...old, state }) and put the copy.
// A put's value must be CBOR-encodable plain data (objects, arrays, strings, numbers, booleans,
// null, Uint8Array, Date); functions and class instances are not kept as such.

export type RecordKind =
  | 'container'
  | 'image'
  | 'layer'
  | 'volume'
  | 'network'
  | 'sandbox'
  | 'exec'
  | 'meta';

export type StoreOp =
  | { op: 'put'; kind: RecordKind; id: string; value: unknown }
  | { op: 'delete'; kind: RecordKind; id: string };

export interface StateStoreReader {
  /** The record, frozen (see above), or undefined. */
  get<T>(kind: RecordKind, id: string): T | undefined;
  /** All records of one kind, frozen, in insertion order (a fresh array each call). */
  list<T>(kind: RecordKind): T[];
  /** ids of one kind, in insertion order (a re-put keeps its place; delete + put moves to the end) */
  ids(kind: RecordKind): string[];
}

export interface StateStoreWriter {
  /**
   * Resolves once durable; the new value is visible to readers from then on, not before. Put the
   * whole record: a re-put is written as a delta of the fields that changed, and an unchanged value
   * writes nothing, so there is no need to split records to save flash.
   */
  put(kind: RecordKind, id: string, value: unknown): Promise<void>;
  /** Deleting a missing id is not an error (and writes nothing). */
  delete(kind: RecordKind, id: string): Promise<void>;
  /** Applies all ops atomically: after a crash either all or none are visible. */
  batch(ops: StoreOp[]): Promise<void>;
}

export type StateStore = StateStoreReader &
  StateStoreWriter & {
    /** Flushes and closes; idempotent. */
    close(): Promise<void>;
  };

/** Counters for flash wear and group commit; all since open. */
export interface StoreStats {
  /** bytes handed to write() on the log and snapshot files (headers and frames) */
  bytesWritten: number;
  /** log frames appended (one per put/delete/batch that changed anything) */
  frames: number;
  /** write+fdatasync rounds; frames/commits is the group-commit factor */
  commits: number;
  compactions: number;
  /** current size of the log file */
  logBytes: number;
  /** estimated CBOR bytes of the live records (drives compaction) */
  liveBytes: number;
}

export interface StoreOptions {
  /**
   * Open a log whose middle is damaged by keeping the valid prefix before the damage. The damaged
   * file is kept aside as state.log.damaged-<time>. Without it such a log fails with `data-loss`.
   */
  repair?: boolean;
  /** Compact when the log is larger than this many bytes... (default 1 MiB) */
  compactMinBytes?: number;
  /** ...and larger than this many times the live data (default 4). */
  compactRatio?: number;
}

/** What openStore returns: the contract plus the store's own maintenance surface. */
export type LogStateStore = StateStore & {
  stats(): StoreStats;
  /** Rewrites the log as a snapshot of the live records now (normally automatic). */
  compact(): Promise<void>;
};
