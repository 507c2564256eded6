// The CBOR state store: the only code that writes engine metadata. See docs/store-format.md.
export { openStore } from './open.ts';
export type {
  LogStateStore,
  RecordKind,
  StateStore,
  StateStoreReader,
  StateStoreWriter,
  StoreOp,
  StoreOptions,
  StoreStats,
} from './types.ts';
