// Record kinds travel on disk as small integers, not strings: a few bytes saved on every frame.
// The numbers are part of the file format (docs/store-format.md): never renumber, only append.
import type { RecordKind } from './types.ts';

const numberOfKind: Record<RecordKind, number> = {
  container: 1,
  image: 2,
  layer: 3,
  volume: 4,
  network: 5,
  sandbox: 6,
  exec: 7,
  meta: 8,
};

const kindOfNumber = new Map<number, RecordKind>(
  (Object.entries(numberOfKind) as Array<[RecordKind, number]>).map(([k, n]) => [n, k]),
);

export const RECORD_KINDS = Object.keys(numberOfKind) as RecordKind[];

export function kindNumber(kind: RecordKind): number | undefined {
  return Object.hasOwn(numberOfKind, kind) ? numberOfKind[kind] : undefined;
}

export function kindFromNumber(n: unknown): RecordKind | undefined {
  return typeof n === 'number' ? kindOfNumber.get(n) : undefined;
}
