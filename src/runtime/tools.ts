// Runs one tool (LXC tools, mkfifo, the OCI runtimes, conmon) and turns a failure into an
// EngineError that names the tool, its exit status and the tail of its stderr (STYLE T6).
import { execFile } from 'node:child_process';
import { EngineError } from '../util/errors.ts';
import type { ErrorKind } from '../util/errors.ts';

export interface ToolResult {
  stdout: string;
  stderr: string;
}

function tail(s: string, lines = 5): string {
  return s.trim().split('\n').slice(-lines).join('; ');
}

export function runTool(tool: string, args: string[], opts: { timeoutMs?: number; kind?: ErrorKind } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { timeout: opts.timeoutMs ?? 30_000, encoding: 'utf8', maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err === null) return resolve({ stdout, stderr });
      const e = err as NodeJS.ErrnoException & { code?: string | number; signal?: string | null; killed?: boolean };
      const status =
        typeof e.code === 'number' ? `exited with status ${e.code}`
        : e.code === 'ENOENT' ? 'not found in PATH'
        : e.signal ? `killed by ${e.signal}${e.killed ? ' (timeout)' : ''}`
        : String(e.code ?? e.message);
      const msg = `${tool} ${status}${stderr.trim() ? `: ${tail(stderr)}` : ''}`;
      reject(new EngineError(opts.kind ?? (e.code === 'ENOENT' ? 'unavailable' : 'internal'), msg, { cause: err }));
    });
  });
}

/** ERROR lines of an LXC log, the useful part when a start fails. */
export function lxcLogErrors(log: string, max = 3): string {
  const errs = log.split('\n').filter((l) => / ERROR /.test(l)).map((l) => l.replace(/^.*? - [^ ]+ - /, ''));
  // the first errors are the cause; the last ones are LXC's generic "failed to start" trailer
  return errs.slice(0, max).join('; ');
}
