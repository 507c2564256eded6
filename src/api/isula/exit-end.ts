// How iSulad ends RemoteStart, Attach and RemoteExec: a `{finish: true}` message, then trailing
// metadata `cc` (success) and `exit_code` (the process's code, as the CLI exits with it).
import type { StreamEnd } from '../handler.ts';
import { CC_SUCCESS } from '../status.ts';

export function exitCodeEnd(code: number): StreamEnd<{ finish?: boolean }> {
  return { last: { finish: true }, trailers: { cc: String(CC_SUCCESS), exit_code: String(code) } };
}
