// isula exec for lcr: one `lxc-attach` per exec, a child of the daemon (an exec does not survive a
// daemon restart). Stock LXC 5 traps handled here (research: runtime-lab §2(d)):
// - lxc-attach keeps the caller's whole environment unless told --clear-env; the process gets
//   exactly the env it is given (-v K=V), so nothing of the daemon leaks in;
// - it has no cwd option and chdirs to the *caller's* cwd when that path exists in the container:
//   we spawn it with cwd "/" (lands on "/"), and for any other directory run the command through
//   the container's own shell, `sh -c 'cd "$0" && exec "$@"' DIR CMD...` (exec keeps the pid,
//   signals and 126/127 exit codes). A container without /bin/sh cannot get a workdir: refused;
// - -t: lxc-attach gives the process a pty only when its own stdin is a terminal, so it runs
//   under util-linux script(1) as the monitor does for `run -t`; resize sets the size on the pty
//   lxc-attach reads (script's) and sends it SIGWINCH, which lxc-attach passes on.
import { spawn } from 'node:child_process';
import { pipeline, Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { access, readFile, readlink } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import type { ExecOptions, ExecProcess } from '../runtime.ts';
import { failedPrecondition, internal, notImplemented } from '../../util/errors.ts';
import { runTool } from './tools.ts';

/** POSIX sh single-quoting (driver.ts has the same for the monitor; kept apart to avoid an import cycle). */
function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The shell program that enters the workdir, then becomes the command ($0 = dir, $@ = command). */
export const CD_AND_EXEC = 'cd "$0" && exec "$@"';

export interface AttachArgs {
  id: string;
  lxcPath: string;
  args: string[];
  env: string[];
  uid: number;
  gid: number;
  cwd?: string;
}

/** True when the process must change directory itself (lxc-attach starts it in "/"). */
export function needsWorkdir(cwd: string | undefined): cwd is string {
  return cwd !== undefined && cwd !== '' && cwd.replace(/\/+$/, '') !== '';
}

/** The lxc-attach command line (without the tool name). Pure. */
export function lxcAttachArgs(o: AttachArgs): string[] {
  const a = ['-n', o.id, '-P', o.lxcPath, '--clear-env'];
  for (const kv of o.env) a.push('-v', kv);
  a.push('-u', String(o.uid), '-g', String(o.gid), '--');
  if (needsWorkdir(o.cwd)) a.push('/bin/sh', '-c', CD_AND_EXEC, o.cwd, ...o.args);
  else a.push(...o.args);
  return a;
}

/** The script(1) command line for -t: a pty for lxc-attach, set raw (no echo, no second \r). */
export function scriptArgs(lxcAttach: string[], size?: { rows: number; cols: number }): string[] {
  const sz = size && size.rows > 0 && size.cols > 0 ? ` rows ${size.rows} cols ${size.cols}` : '';
  const cmd = `stty raw -echo${sz} 2>/dev/null; exec lxc-attach ${lxcAttach.map(shQuote).join(' ')}`;
  return ['-q', '-e', '-c', cmd, '/dev/null'];
}

/**
 * -t output: the container pty turns \n into \r\n and lxc-attach's own terminal (script's pty) adds
 * another \r (lxc-attach re-enables output processing on it), so "\r\r\n" becomes "\r\n" again,
 * as the run -t log copier does. Trailing \r bytes wait for the next chunk.
 */
export function collapseDoubleCr(): Transform {
  let held = '';
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      let text = held + chunk.toString('latin1');
      const m = /\r{1,2}$/.exec(text);
      held = m ? m[0] : '';
      if (m) text = text.slice(0, -held.length);
      done(null, Buffer.from(text.replace(/\r\r\n/g, '\r\n'), 'latin1'));
    },
    flush(done) {
      done(null, held ? Buffer.from(held, 'latin1') : null);
    },
  });
}

function ttyOutput(src: Readable): Readable {
  const t = collapseDoubleCr();
  pipeline(src, t, () => undefined); // errors end t; the exit code still comes from the process
  return t;
}

/** 128+N for a signal death, as a shell reports it. */
function codeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? SIGNAL_NUMBERS[signal] : undefined;
  return n !== undefined ? 128 + n : 255;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 };

/** The pty lxc-attach reads under script(1): script's child, its fd 0. */
async function attachPty(scriptPid: number): Promise<{ pid: number; pty: string }> {
  const children = (await readFile(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8')).trim().split(/\s+/);
  const pid = Number(children[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw failedPrecondition('exec has no terminal process yet');
  const pty = await readlink(`/proc/${pid}/fd/0`);
  if (!pty.startsWith('/dev/pts/')) throw internal(`exec terminal is not a pty (${pty})`);
  return { pid, pty };
}

/** Pids below `pid` (children first-level order), from /proc/<pid>/task/<tid>/children. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number, depth: number) => {
    if (depth > 64) return;
    let kids: number[] = [];
    try {
      for (const t of readdirSync(`/proc/${p}/task`)) {
        kids = kids.concat(readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
      }
    } catch {
      return;
    }
    for (const k of kids) {
      out.push(k);
      walk(k, depth + 1);
    }
  };
  if (pid > 0) walk(pid, 0);
  return out;
}

export interface ExecHost {
  lxcPath: string;
  /** util-linux script(1), needed for tty */
  script: string | undefined;
  /** pid of the container's init: its /proc/<pid>/root is the container's root */
  initPid: number;
}

export async function execInLcr(id: string, o: ExecOptions, host: ExecHost): Promise<ExecProcess> {
  if (o.args.length === 0) throw failedPrecondition(`exec in container "${id}": no command`);
  if (needsWorkdir(o.cwd)) {
    try {
      await access(`/proc/${host.initPid}/root/bin/sh`);
    } catch {
      throw failedPrecondition(`exec in container "${id}": a working directory needs /bin/sh in the container`);
    }
  }
  const attach = lxcAttachArgs({ id, lxcPath: host.lxcPath, args: o.args, env: o.env, uid: o.uid, gid: o.gid, ...(o.cwd !== undefined ? { cwd: o.cwd } : {}) });
  if (o.tty && host.script === undefined) throw notImplemented('lcr: exec -t needs util-linux script(1), not found');
  const [cmd, args] = o.tty ? [host.script as string, scriptArgs(attach, o.size)] : ['lxc-attach', attach];
  const detach = o.detach === true;
  const child = spawn(cmd, args, {
    cwd: '/',
    env: { PATH, SHELL: '/bin/sh' },
    // with tty, script(1) needs a stdin it can read; an unused one is a pipe we simply never write
    stdio: detach ? 'ignore' : [o.stdin || o.tty ? 'pipe' : 'ignore', 'pipe', o.tty ? 'ignore' : 'pipe'],
    detached: detach,
  });
  const exit = new Promise<number>((resolve, reject) => {
    child.once('error', (err) => reject(internal(`exec in container "${id}": ${cmd}: ${err.message}`, { cause: err })));
    child.once('exit', (code, signal) => resolve(codeOf(code, signal)));
  });
  // a spawn failure (ENOENT) is reported through exit; the pid is then undefined
  await new Promise<void>((resolve) => {
    child.once('spawn', resolve);
    child.once('error', () => resolve());
  });
  if (child.pid === undefined) await exit;
  if (detach) child.unref();
  const pid = child.pid ?? 0;
  return {
    pid,
    stdin: o.stdin ? child.stdin : null,
    stdout: o.tty && child.stdout ? ttyOutput(child.stdout) : child.stdout,
    stderr: child.stderr,
    exit,
    async resize(size) {
      if (!o.tty) throw failedPrecondition(`exec in container "${id}" has no terminal`);
      const t = await attachPty(pid);
      await runTool('stty', ['-F', t.pty, 'rows', String(size.rows), 'cols', String(size.cols)]);
      process.kill(t.pid, 'SIGWINCH');
    },
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) {
        // the command runs as lxc-attach's child in the container; lxc-attach does not pass
        // SIGKILL on, so the process tree below it is signalled. lxc-attach itself is left to
        // reap its child and exit (a killed lxc-attach would leave a zombie in the container
        // until its init reaps, and many inits never do); it is killed only if it lingers.
        const below = descendants(pid);
        for (const d of below) {
          try {
            process.kill(d, signal);
          } catch {
            // already gone
          }
        }
        if (below.length === 0) child.kill(signal);
        else setTimeout(() => { if (child.exitCode === null && child.signalCode === null) child.kill(signal); }, 2000).unref();
      }
    },
  };
}
