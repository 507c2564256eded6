import { EngineError } from '../../../src/util/errors.ts';
import type { ErrorKind } from '../../../src/util/errors.ts';

/** assert.throws validator: an EngineError of that kind. */
export const isEngineKind = (kind: ErrorKind) => (err: unknown) => err instanceof EngineError && err.kind === kind;
