// Errors carry a kind; numeric codes (gRPC status, exit codes) are chosen only at the edges
// (src/api/ and src/cli/), never deep in a service. See docs/errors.md.

export type ErrorKind =
  | 'not-found'
  | 'already-exists'
  | 'invalid-argument'
  | 'failed-precondition'
  | 'conflict'
  | 'unavailable'
  | 'permission-denied'
  | 'resource-exhausted'
  | 'deadline'
  | 'canceled'
  | 'not-implemented'
  | 'internal'
  | 'data-loss';

const codeOfKind: Record<ErrorKind, string> = {
  'not-found': 'ISULA_ERR_NOT_FOUND',
  'already-exists': 'ISULA_ERR_ALREADY_EXISTS',
  'invalid-argument': 'ISULA_ERR_INVALID_ARGUMENT',
  'failed-precondition': 'ISULA_ERR_FAILED_PRECONDITION',
  conflict: 'ISULA_ERR_CONFLICT',
  unavailable: 'ISULA_ERR_UNAVAILABLE',
  'permission-denied': 'ISULA_ERR_PERMISSION_DENIED',
  'resource-exhausted': 'ISULA_ERR_RESOURCE_EXHAUSTED',
  deadline: 'ISULA_ERR_DEADLINE',
  canceled: 'ISULA_ERR_CANCELED',
  'not-implemented': 'ISULA_ERR_NOT_IMPLEMENTED',
  internal: 'ISULA_ERR_INTERNAL',
  'data-loss': 'ISULA_ERR_DATA_LOSS',
};

export class EngineError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
    this.kind = kind;
    this.code = codeOfKind[kind];
  }
}

type Opts = { cause?: unknown };
export const notFound = (m: string, o?: Opts) => new EngineError('not-found', m, o);
export const alreadyExists = (m: string, o?: Opts) => new EngineError('already-exists', m, o);
export const invalidArgument = (m: string, o?: Opts) => new EngineError('invalid-argument', m, o);
export const failedPrecondition = (m: string, o?: Opts) => new EngineError('failed-precondition', m, o);
export const conflict = (m: string, o?: Opts) => new EngineError('conflict', m, o);
export const unavailable = (m: string, o?: Opts) => new EngineError('unavailable', m, o);
export const permissionDenied = (m: string, o?: Opts) => new EngineError('permission-denied', m, o);
export const resourceExhausted = (m: string, o?: Opts) => new EngineError('resource-exhausted', m, o);
export const deadline = (m: string, o?: Opts) => new EngineError('deadline', m, o);
export const canceled = (m: string, o?: Opts) => new EngineError('canceled', m, o);
export const notImplemented = (m: string, o?: Opts) => new EngineError('not-implemented', m, o);
export const internal = (m: string, o?: Opts) => new EngineError('internal', m, o);
export const dataLoss = (m: string, o?: Opts) => new EngineError('data-loss', m, o);

/** The kind of any thrown value: EngineError keeps its kind, errno errors map, the rest is internal. */
export function kindOf(err: unknown): ErrorKind {
  if (err instanceof EngineError) return err.kind;
  const code = errnoCode(err);
  switch (code) {
    case 'ENOENT':
      return 'not-found';
    case 'EEXIST':
      return 'already-exists';
    case 'EACCES':
    case 'EPERM':
      return 'permission-denied';
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EMFILE':
      return 'resource-exhausted';
    case 'EINVAL':
      return 'invalid-argument';
    case 'ABORT_ERR':
      return 'canceled';
    default:
      return 'internal';
  }
}

export const isNotFound = (err: unknown) => kindOf(err) === 'not-found';

/** Adds context to an error while keeping its kind (Go's `%w`): "outer: inner". */
export function wrap(err: unknown, context: string): EngineError {
  return new EngineError(kindOf(err), `${context}: ${messageOf(err)}`, { cause: err });
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const c = (err as { code: unknown }).code;
    return typeof c === 'string' ? c : undefined;
  }
  return undefined;
}
