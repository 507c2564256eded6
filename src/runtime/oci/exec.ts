// isula exec on an OCI runtime: `<runtime> exec --process <json> <id>`, a child of the daemon like
// lcr's lxc-attach (an exec does not survive a daemon restart). Not through conmon --exec: that
// would add a monitor process per exec for nothing the daemon needs (the runtime already returns
// the exit code and passes stdio through). --process gives the exact environment: runc's --env
// flag appends to config.json's env, where getenv() would still find the container's value first.
// -t: the runtime wants a terminal of its own to proxy, so it runs under util-linux script(1).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecOptions, ExecProcess, Process } from '../runtime.ts';
import { failedPrecondition, internal, notImplemented } from '../../util/errors.ts';
import { runTool } from '../lcr/tools.ts';

export interface OciExecHost {
  runtime: string;
  globalArgs: string[];
  bundle: string;
  /** the container's process (caps, no_new_privs, apparmor): the exec inherits them */
  process: Process;
  script: string | undefined;
}

/** The exec's process.json, from the container's process and the exec options. Pure. */
export function execProcess(base: Process, o: ExecOptions): Process {
  const { rlimits: _r, oomScoreAdj: _o, ...rest } = base;
  return {
    ...rest,
    rlimits: [],
    terminal: o.tty,
    args: o.args,
    env: o.env,
    cwd: o.cwd && o.cwd !== '' ? o.cwd : '/',
    user: { uid: o.uid, gid: o.gid },
    // the size must be on the pty before the process starts: runc copies its own terminal's size
    // only after the process runs, and a quick `stty size` would see 0x0
    ...(o.tty && o.size && o.size.rows > 0 && o.size.cols > 0 ? { consoleSize: { height: o.size.rows, width: o.size.cols } } : {}),
  };
}

const RUNTIME_FAILED = 255;

/** The exit code a shell gives a command the runtime could not start (from its JSON log), if any. */
export function execFailureCode(logText: string): number | undefined {
  for (const line of logText.split('\n')) {
    let msg: unknown;
    try {
      msg = (JSON.parse(line) as { msg?: unknown }).msg;
    } catch {
      continue;
    }
    if (typeof msg !== 'string' || !msg.includes('exec failed')) continue;
    if (/executable file not found|no such file or directory/i.test(msg)) return 127;
    if (/permission denied|exec format error|is a directory/i.test(msg)) return 126;
  }
  return undefined;
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 };

function codeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? SIGNAL_NUMBERS[signal] : undefined;
  return n !== undefined ? 128 + n : 255;
}

export async function execInOci(id: string, o: ExecOptions, host: OciExecHost): Promise<ExecProcess> {
  if (o.args.length === 0) throw failedPrecondition(`exec in container "${id}": no command`);
  if (o.tty && host.script === undefined) throw notImplemented('exec -t needs util-linux script(1), not found');
  const procFile = join(host.bundle, `exec-${randomBytes(6).toString('hex')}.json`);
  await writeFile(procFile, JSON.stringify(execProcess(host.process, o)));
  // the runtime's own errors go to a JSON log we read when it fails (it prints them to stderr too)
  const logFile = `${procFile.slice(0, -5)}.log`;
  const rtArgs = [...host.globalArgs, '--log', logFile, '--log-format', 'json', 'exec', '--process', procFile, id];
  const sz = o.size && o.size.rows > 0 && o.size.cols > 0 ? ` rows ${o.size.rows} cols ${o.size.cols}` : '';
  const [cmd, args] = o.tty
    ? [host.script as string, ['-q', '-e', '-c', `stty raw -echo${sz} 2>/dev/null; exec ${[host.runtime, ...rtArgs].map(shQuote).join(' ')}`, '/dev/null']]
    : [host.runtime, rtArgs];
  const detach = o.detach === true;
  const child = spawn(cmd, args, {
    cwd: '/',
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', SHELL: '/bin/sh' },
    stdio: detach ? 'ignore' : [o.stdin || o.tty ? 'pipe' : 'ignore', 'pipe', o.tty ? 'ignore' : 'pipe'],
    detached: detach,
  });
  const exit = new Promise<number>((resolve, reject) => {
    child.once('error', (err) => reject(internal(`exec in container "${id}": ${cmd}: ${err.message}`, { cause: err })));
    child.once('exit', (code, signal) => {
      const c = codeOf(code, signal);
      const done = () => Promise.all([rm(procFile, { force: true }), rm(logFile, { force: true })]).then(() => c);
      // 255: the runtime itself failed; a command it could not start is 126/127 as in a shell
      if (c !== RUNTIME_FAILED) return void done().then(resolve, () => resolve(c));
      void readFile(logFile, 'utf8').then(
        (text) => {
          const mapped = execFailureCode(text);
          void done().then(() => resolve(mapped ?? c), () => resolve(mapped ?? c));
        },
        () => void done().then(resolve, () => resolve(c)),
      );
    });
  });
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
    stdout: child.stdout,
    stderr: child.stderr,
    exit,
    async resize(size) {
      if (!o.tty) throw failedPrecondition(`exec in container "${id}" has no terminal`);
      // the runtime reads its terminal's size (script's pty) on SIGWINCH and passes it on
      const kids = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim().split(/\s+/);
      const rpid = Number(kids[0]);
      if (!Number.isInteger(rpid) || rpid <= 0) throw failedPrecondition('exec has no terminal process yet');
      const pty = await readlink(`/proc/${rpid}/fd/0`);
      if (!pty.startsWith('/dev/pts/')) throw internal(`exec terminal is not a pty (${pty})`);
      await runTool('stty', ['-F', pty, 'rows', String(size.rows), 'cols', String(size.cols)]);
      process.kill(rpid, 'SIGWINCH');
    },
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
