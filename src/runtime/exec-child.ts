// What every runtime's `isula exec` shares: the exec runs as a child of the daemon (lcr's
// lxc-attach, an OCI runtime's `exec --process`), under util-linux script(1) when it wants a
// terminal. Spawning with the stdio the options ask for, the exit code as a shell reports it,
// -t output and resizing script's pty. The drivers keep only what differs (command line, kill).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { pipeline, Transform, Writable } from 'node:stream';
import type { Readable } from 'node:stream';
import { constants } from 'node:os';
import { existsSync } from 'node:fs';
import { readFile, readlink } from 'node:fs/promises';
import type { ExecOptions, ExecProcess } from './runtime.ts';
import { failedPrecondition, internal, wrap } from '../util/errors.ts';
import { coalesceLatest } from '../util/coalesce-latest.ts';
import { runTool } from './tools.ts';

/** POSIX sh single-quoting. Pure. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** 128+N for a signal death, as a shell reports it; 255 when neither is known. Pure. */
export function shellExitCode(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? constants.signals[signal] : undefined;
  return n !== undefined ? 128 + n : 255;
}

/**
 * -t output: the container pty turns \n into \r\n, and script's pty adds another \r whenever its
 * output processing is on: lxc-attach re-enables it, and runc was seen doing it too (1 exec -t in
 * 7). So "\r\r\n" becomes "\r\n" again, as lcr's run -t log copier does. Trailing \r bytes wait
 * for the next chunk.
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

/**
 * -t output. The daemon destroying it before its end (the client went away) hangs the terminal up:
 * script(1) is killed, its pty master closes and the kernel sends the session SIGHUP (lxc-attach
 * and runc pass the hang-up on to the process). script itself would run on: it ignores EPIPE on
 * its stdout and kept copying the output into the void (iSulad CI lcr_bigdata_stream.sh).
 */
function ttyOutput(src: Readable, child: ChildProcess, ready: () => void): Readable {
  const t = collapseDoubleCr();
  pipeline(src, stripRawMark(ready), t, () => undefined); // errors end t; the exit code still comes from the process
  t.once('close', () => {
    if (!t.readableEnded && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return t;
}

/** A terminal's end-of-input character (^D), what a pty's reader takes as EOF at a line start. */
export const TTY_EOF = 0x04;

/**
 * Printed by script(1)'s shell once `stty raw -echo rows R cols C` holds (a DCS string, which
 * terminals ignore), stripped from the output. A resize waits for it: applied earlier, that stty
 * put the first size back (or script's child, whose pty it is, did not exist yet). With holdInput,
 * input waits for it too: what reached script's pty before was taken in canonical mode: echoed
 * into the output, and an end-of-input turned into a NUL that the runtime then read as data ("^@"
 * ahead of `exec -ti C pwd </dev/null` on runc, 3 to 7 runs in 10).
 */
export const TTY_RAW_MARK = '\x1bPisulad-raw\x1b\\';

/**
 * script(1)'s command line for -t: a raw pty (no echo, no second \r) of the given size running argv,
 * announced by TTY_RAW_MARK. Pure.
 * argv is not exec'd but run by script's shell: script stops itself when its child stops, and
 * only a SIGCONT to script would resume it, so a SIGSTOP/SIGCONT of lxc-attach or runc froze
 * the exec for good (iSulad CI lcr_bigdata_stream.sh). The shell does no job control and so never
 * sees its child stop.
 */
export function scriptArgs(argv: string[], size?: { rows: number; cols: number }): string[] {
  const sz = size && size.rows > 0 && size.cols > 0 ? ` rows ${size.rows} cols ${size.cols}` : '';
  return ['-q', '-e', '-c', `stty raw -echo${sz} 2>/dev/null; printf '\\033Pisulad-raw\\033\\\\'; ${argv.map(shQuote).join(' ')}; exit $?`, '/dev/null'];
}

/** How far into the output the mark is looked for; past it, ready() is called without it. */
const MARK_SEARCH_BYTES = 64 * 1024;

/**
 * -t output: TTY_RAW_MARK taken out of the stream, ready() once it has passed (or at the end, or
 * when none came in the first MARK_SEARCH_BYTES). It is the first output unless input reached
 * script's pty before it (lcr does not hold input): the echo of that input comes first, and was
 * taken for the go-ahead, so a resize ran before script's child had its pty. Output that could
 * be the start of a mark split across chunks waits for the next chunk.
 */
export function stripRawMark(ready: () => void): Transform {
  const mark = Buffer.from(TTY_RAW_MARK, 'latin1');
  let held: Buffer = Buffer.alloc(0);
  let looked = 0;
  let found = false;
  const go = () => {
    if (found) return;
    found = true;
    ready();
  };
  /** how many bytes at the end of b could begin a mark */
  const partial = (b: Buffer) => {
    for (let k = Math.min(mark.length - 1, b.length); k > 0; k--) if (b.subarray(b.length - k).equals(mark.subarray(0, k))) return k;
    return 0;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (found) return done(null, chunk);
      const buf = held.length > 0 ? Buffer.concat([held, chunk]) : chunk;
      const at = buf.indexOf(mark);
      looked += chunk.length;
      if (at >= 0 || looked > MARK_SEARCH_BYTES) {
        held = Buffer.alloc(0);
        go();
        const out = at >= 0 ? Buffer.concat([buf.subarray(0, at), buf.subarray(at + mark.length)]) : buf;
        return done(null, out.length > 0 ? out : undefined);
      }
      const keep = partial(buf);
      held = buf.subarray(buf.length - keep);
      done(null, keep < buf.length ? buf.subarray(0, buf.length - keep) : undefined);
    },
    flush(done) {
      const rest = held;
      held = Buffer.alloc(0);
      go();
      // a mark cut short by the end is dropped
      done(null, rest.length > 0 && !mark.subarray(0, rest.length).equals(rest) ? rest : undefined);
    },
  });
}

/**
 * -t input, written once script's pty is raw. The end of the client's input must not end script's
 * stdin: util-linux 2.38's script answers EOF on a pipe by writing its pty's VEOF into it. The end
 * is passed on as a terminal's own, one ^D, and script's stdin stays open until the process exits
 * (Node destroys it then).
 */
export function ttyInput(dst: Writable, raw: Promise<void>): Writable {
  dst.on('error', () => undefined); // EPIPE once the process exited
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      void raw.then(() => {
        if (dst.destroyed) return done();
        dst.write(chunk, () => done());
      });
    },
    final(done) {
      void raw.then(() => {
        if (!dst.destroyed) dst.write(Buffer.of(TTY_EOF));
        done();
      });
    },
  });
}

let setprivPath: string | null | undefined;
/** util-linux setpriv(1), if installed (cached). */
function setpriv(): string | null {
  if (setprivPath === undefined) {
    const dirs = (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').filter(Boolean);
    setprivPath = dirs.map((d) => `${d}/setpriv`).find((f) => existsSync(f)) ?? null;
  }
  return setprivPath;
}

export interface ExecChild {
  child: ChildProcess;
  /** the ExecProcess as most runtimes want it: the child's pipes, resize through script's pty, kill the child */
  proc: ExecProcess;
}

/**
 * Spawns the exec's process: stdin a pipe when asked for (or for script(1), which needs one it
 * can read), stderr apart unless -t merges it, nothing when detached. Resolves once spawned (or
 * failed: then the error comes through `exit`, and pid is 0). mapExit may replace the code (after cleanup).
 * fd3, when given, is inherited as the child's fd 3 (the caller closes its own copy afterwards).
 * -t (cmd is script(1) with scriptArgs): holdInput makes input wait for TTY_RAW_MARK (the OCI
 * runtimes; lxc-attach flushes its terminal's pending input when it sets it up, so there the input
 * cannot go in early and script's own end of input is kept).
 */
export async function spawnExec(id: string, cmd: string, args: string[], o: Pick<ExecOptions, 'stdin' | 'tty' | 'detach'> & { holdInput?: boolean }, env: Record<string, string>, mapExit?: (code: number) => Promise<number>, fd3?: number): Promise<ExecChild> {
  const detach = o.detach === true;
  const io: Array<'pipe' | 'ignore' | number> = detach ? ['ignore', 'ignore', 'ignore'] : [o.stdin || o.tty ? 'pipe' : 'ignore', 'pipe', o.tty ? 'ignore' : 'pipe'];
  // -t: the daemon's death must hang the terminal up too (script would copy into the void for
  // ever, see ttyOutput): script gets SIGKILL when its parent dies. setpriv execs it in place.
  const sp = o.tty && !detach ? setpriv() : null;
  if (sp !== null) [cmd, args] = [sp, ['--pdeathsig', 'KILL', '--', cmd, ...args]];
  const child = spawn(cmd, args, {
    cwd: '/',
    env,
    // fd3: a file the child inherits as its fd 3 (lcr: the helper lxc-attach runs from /proc/self/fd/3)
    stdio: fd3 === undefined ? (detach ? 'ignore' : io) : [...io, fd3],
    detached: detach,
  });
  const exit = new Promise<number>((resolve, reject) => {
    child.once('error', (err) => reject(internal(`exec in container "${id}": ${cmd}: ${err.message}`, { cause: err })));
    child.once('exit', (code, signal) => {
      const c = shellExitCode(code, signal);
      if (mapExit === undefined) return resolve(c);
      mapExit(c).then(resolve, () => resolve(c));
    });
  });
  await new Promise<void>((resolve) => {
    child.once('spawn', resolve);
    child.once('error', () => resolve());
  });
  if (child.pid === undefined) await exit;
  if (detach) child.unref();
  const pid = child.pid ?? 0;
  let rawNow = () => undefined as void;
  const raw = new Promise<void>((resolve) => (rawNow = resolve));
  void exit.then(rawNow, rawNow);
  // detached, nobody reads the output the mark is in
  if (detach) rawNow();
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  // a size asked for before the mark waits for it; the latest one is applied, one stty at a time
  const applySize = coalesceLatest(async (size: { rows: number; cols: number }) => {
    await raw;
    if (ended()) throw failedPrecondition(`exec in container "${id}" has ended`);
    try {
      await resizeScriptPty(pid, size);
    } catch (err) {
      throw wrap(err, `resize exec in container "${id}" to ${size.rows}x${size.cols}`);
    }
  });
  const proc: ExecProcess = {
    pid,
    stdin: o.stdin && child.stdin ? (o.tty && o.holdInput ? ttyInput(child.stdin, raw) : child.stdin) : null,
    stdout: o.tty && child.stdout ? ttyOutput(child.stdout, child, rawNow) : child.stdout,
    stderr: child.stderr,
    exit,
    async resize(size) {
      if (!o.tty) throw failedPrecondition(`exec in container "${id}" has no terminal`);
      await applySize(size);
    },
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
  return { child, proc };
}

/**
 * -t resize: the processes script(1) runs (its child's process group) read script's pty; set that
 * pty's size and send the group SIGWINCH (lxc-attach and runc both pass the size on to the container's pty).
 */
export async function resizeScriptPty(scriptPid: number, size: { rows: number; cols: number }): Promise<void> {
  const kids = (await readFile(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8')).trim().split(/\s+/);
  const pid = Number(kids[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw failedPrecondition('exec has no terminal process yet');
  const pty = await readlink(`/proc/${pid}/fd/0`);
  if (!pty.startsWith('/dev/pts/')) throw internal(`exec terminal is not a pty (${pty})`);
  await runTool('stty', ['-F', pty, 'rows', String(size.rows), 'cols', String(size.cols)]);
  // script's child is the session's shell, which runs the runtime in its own process group
  process.kill(-pid, 'SIGWINCH');
}
