// The StateStore contract: the only way engine metadata is written. Every record kind lives in
// one store per daemon root. Reads are served from memory; a write resolves only once it is
// durable (fsync'd), so an API call that returned success survives kill -9 and power loss.

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
  get<T>(kind: RecordKind, id: string): T | undefined;
  list<T>(kind: RecordKind): T[];
  /** ids of one kind, in insertion order */
  ids(kind: RecordKind): string[];
}

export interface StateStoreWriter {
  put(kind: RecordKind, id: string, value: unknown): Promise<void>;
  delete(kind: RecordKind, id: string): Promise<void>;
  /** Applies all ops atomically: after a crash either all or none are visible. */
  batch(ops: StoreOp[]): Promise<void>;
}

export type StateStore = StateStoreReader &
  StateStoreWriter & {
    /** Flushes and closes; idempotent. */
    close(): Promise<void>;
  };
