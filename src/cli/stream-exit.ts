// The end of an attached stream (run, start -a, attach, exec): the daemon sends stdout/stderr
// chunks, then ends the stream with the process's exit code in the trailing metadata
// `exit_code` (iSulad's convention). Both the end of the data and the status must have arrived
// before the code is known, so no output is lost after the code.
import type * as grpc from '@grpc/grpc-js';
import { internal } from '../util/errors.ts';

export interface OutputChunk {
  stdout: Buffer;
  stderr: Buffer;
}

export interface StreamExitOptions {
  /** names the stream in the error when the daemon sends no exit code ("exec stream") */
  what: string;
  toError: (err: grpc.ServiceError) => Error;
  /** an error that is really an end (attach's own detach cancel): its exit code, else undefined */
  exitOnError?: (err: grpc.ServiceError) => number | undefined;
}

/** Copies the stream's output to our stdout/stderr and resolves with the exit code. */
export function streamExitCode<Req, Res extends OutputChunk>(
  call: grpc.ClientDuplexStream<Req, Res>,
  opts: StreamExitOptions,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let code: number | undefined;
    let ended = false;
    let status: grpc.StatusObject | undefined;
    const settle = () => {
      if (!ended || !status || status.code !== 0) return;
      if (code === undefined) reject(internal(`the daemon ended the ${opts.what} without an exit code`));
      else resolve(code);
    };
    call.on('data', (m: Res) => {
      if (m.stdout.length > 0) process.stdout.write(m.stdout);
      if (m.stderr.length > 0) process.stderr.write(m.stderr);
    });
    call.on('status', (s: grpc.StatusObject) => {
      status = s;
      const v = s.metadata.get('exit_code')[0];
      if (v !== undefined) code = Number(v);
      settle();
    });
    call.on('error', (err: grpc.ServiceError) => {
      const exit = opts.exitOnError?.(err);
      if (exit !== undefined) resolve(exit);
      else reject(opts.toError(err));
    });
    call.on('end', () => {
      ended = true;
      settle();
    });
  });
}
