// The one table from error kind to gRPC status (T6). The CLI has the reverse in
// src/cli/exit-codes.ts; nothing else picks a status code.

import { status as Status } from './grpc-common.ts';
import type { ErrorKind } from '../util/errors.ts';

export const statusOfKind: Record<ErrorKind, number> = {
  'not-found': Status.NOT_FOUND,
  'already-exists': Status.ALREADY_EXISTS,
  'invalid-argument': Status.INVALID_ARGUMENT,
  'failed-precondition': Status.FAILED_PRECONDITION,
  conflict: Status.ABORTED,
  unavailable: Status.UNAVAILABLE,
  'permission-denied': Status.PERMISSION_DENIED,
  'resource-exhausted': Status.RESOURCE_EXHAUSTED,
  deadline: Status.DEADLINE_EXCEEDED,
  canceled: Status.CANCELLED,
  'not-implemented': Status.UNIMPLEMENTED,
  internal: Status.INTERNAL,
  'data-loss': Status.DATA_LOSS,
};

/** iSulad's `cc` values (errno-like); 0 is success. Responses carry them beside the status. */
export const CC_SUCCESS = 0;
export const CC_ERR_INPUT = 4;
export const CC_ERR_EXEC = 5;
export const CC_ERR_INTERNAL = 6;

export function ccOfKind(kind: ErrorKind): number {
  if (kind === 'invalid-argument') return CC_ERR_INPUT;
  if (kind === 'internal' || kind === 'data-loss') return CC_ERR_INTERNAL;
  return CC_ERR_EXEC;
}
