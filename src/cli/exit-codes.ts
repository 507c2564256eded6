// The CLI's one table from gRPC status to error kind (containerd's ToNative) and from kind to
// iSulad's exit codes (research/isulad.md §2.1): 0 ok, 1 generic (ECOMMON), 125 invalid
// arguments or server error, 126 access denied, 127 command not found; image commands use 2 (image
// busy), 3 (name conflict), 20 (not found); run and start -a report daemon errors as 125 (126 or
// 127 when the daemon's message says the command could not be run: iSulad's util_contain_errmsg)
// and otherwise return the container's own code. Every other command (create, start without -a,
// exec, stop, kill, rm, rename, update, wait, ...) exits 1 for whatever the daemon refused: 125 is
// only its own argument checks (iSulad's create.c, start.c, exec.c, update.c: a failed client call
// is ECOMMON there).

import { kindOf, type ErrorKind } from '../util/errors.ts';

export const EXIT_OK = 0;
export const EXIT_COMMON = 1;
export const EXIT_INVALID_ARGS = 125;
export const EXIT_SERVER_ERROR = 125;
export const EXIT_ACCESS = 126;
export const EXIT_COMMAND_NOT_FOUND = 127;
export const EXIT_IMAGE_BUSY = 2;
export const EXIT_IMAGE_NAME_CONFLICT = 3;
export const EXIT_IMAGE_NOT_FOUND = 20;

/**
 * gRPC status code (the index) → kind. Plain numbers rather than grpc-js's enum so that
 * `isula --help` and flag errors never load grpc-js; a unit test checks them against grpc-js.
 */
const KIND_BY_STATUS: readonly ErrorKind[] = [
  'internal', // 0 OK (never an error)
  'canceled', // 1 CANCELLED
  'internal', // 2 UNKNOWN
  'invalid-argument', // 3 INVALID_ARGUMENT
  'deadline', // 4 DEADLINE_EXCEEDED
  'not-found', // 5 NOT_FOUND
  'already-exists', // 6 ALREADY_EXISTS
  'permission-denied', // 7 PERMISSION_DENIED
  'resource-exhausted', // 8 RESOURCE_EXHAUSTED
  'failed-precondition', // 9 FAILED_PRECONDITION
  'conflict', // 10 ABORTED
  'invalid-argument', // 11 OUT_OF_RANGE
  'not-implemented', // 12 UNIMPLEMENTED
  'internal', // 13 INTERNAL
  'unavailable', // 14 UNAVAILABLE
  'data-loss', // 15 DATA_LOSS
  'permission-denied', // 16 UNAUTHENTICATED
];

export function kindOfStatus(code: number): ErrorKind {
  return KIND_BY_STATUS[code] ?? 'internal';
}

/** How a command family turns failures into exit codes. */
export type ExitProfile = 'default' | 'image' | 'run' | 'start';

export function exitCodeOf(kind: ErrorKind, profile: ExitProfile = 'default', fromDaemon = false): number {
  if (fromDaemon && profile === 'default') return EXIT_COMMON;
  if (kind === 'permission-denied') return EXIT_ACCESS;
  if (kind === 'invalid-argument') return EXIT_INVALID_ARGS;
  if (profile === 'image') {
    if (kind === 'conflict' || kind === 'failed-precondition') return EXIT_IMAGE_BUSY;
    if (kind === 'already-exists') return EXIT_IMAGE_NAME_CONFLICT;
    if (kind === 'not-found') return EXIT_IMAGE_NOT_FOUND;
  }
  if (profile === 'run' || profile === 'start') return EXIT_SERVER_ERROR;
  return EXIT_COMMON;
}

/**
 * A start the daemon refused because the container's command (or an OCI hook) could not be run:
 * iSulad's client reads it from the message (util_contain_errmsg), 127 for a missing file or a
 * path through a non-directory, 126 for a permission refused; undefined otherwise.
 */
export function startFailureCode(message: string): number | undefined {
  const m = message.toLowerCase();
  if (m.includes('executable file not found') || m.includes('no such file or directory') || m.includes('not a directory')) return EXIT_COMMAND_NOT_FOUND;
  if (m.includes('permission denied')) return EXIT_ACCESS;
  return undefined;
}

/** The exit code for an error a command failed with: the daemon's answers are told apart by name. */
export function exitCodeOfError(err: unknown, profile: ExitProfile = 'default'): number {
  const fromDaemon = err instanceof Error && err.name === 'DaemonError';
  if (profile === 'start' && fromDaemon) {
    const code = startFailureCode((err as Error).message);
    if (code !== undefined) return code;
  }
  return exitCodeOf(kindOf(err), profile, fromDaemon);
}
