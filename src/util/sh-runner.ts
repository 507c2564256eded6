// Runs short tools (mount, umount) through a long-lived /bin/sh instead of spawning each one from
// the daemon. A spawn forks the caller: for the daemon, a ~100 MB Node process, that is 3-6 ms of
// its CPU each (page tables copied, charged to the parent), and `isula run` did two (mount at
// create, umount at exit). The shell is small; it forks the tool for us.
//
// Protocol on the shell's stdin/stdout, one request at a time per shell (its queue keeps order):
//   out=$( { cd 'DIR' && exec 'CMD' 'ARG'...; } 2>&1 </dev/null >/dev/null ); printf '%s %s\000' "$?" "$out"
// so each answer is "<exit status> <stderr text>" ended by a NUL (a tool's messages hold none).
// The shell exits at EOF on its stdin, so it never outlives the daemon; if it dies, the requests
// it held fail and the next request starts a new one.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { internal } from './errors.ts';

const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

interface Pending {
  cmd: string;
  resolve: () => void;
  reject: (e: Error) => void;
}

/** One shell and the requests it was given, answered in order. */
class Shell {
  readonly #child: ChildProcessByStdio<Writable, Readable, null>;
  readonly #pending: Pending[] = [];
  #buf = '';
  dead = false;

  constructor(shell: string, onDeath: (s: Shell) => void) {
    this.#child = spawn(shell, [], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, LC_ALL: 'C' } });
    this.#child.stdout.setEncoding('utf8');
    this.#child.stdout.on('data', (s: string) => this.#read(s));
    const die = (why: string) => {
      if (this.dead) return;
      this.dead = true;
      onDeath(this);
      for (const p of this.#pending.splice(0)) p.reject(internal(`${p.cmd}: the tool shell ${why}`));
    };
    this.#child.on('error', (e) => die(`failed: ${e.message}`));
    this.#child.on('exit', (code, signal) => die(`exited with ${code ?? signal}`));
    this.#child.stdin.on('error', () => die('closed its input'));
    // idle, the shell must not keep the daemon's event loop alive
    this.#unref();
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get load(): number {
    return this.#pending.length;
  }

  #ref(): void {
    this.#child.ref();
    (this.#child.stdout as Readable & { ref?: () => void }).ref?.();
  }

  #unref(): void {
    this.#child.unref();
    (this.#child.stdout as Readable & { unref?: () => void }).unref?.();
  }

  run(cmd: string, args: readonly string[], cwd: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#pending.length === 0) this.#ref();
      this.#pending.push({ cmd, resolve, reject });
      const argv = [cmd, ...args].map(q).join(' ');
      this.#child.stdin.write(`out=$( { cd ${q(cwd)} && exec ${argv}; } 2>&1 </dev/null >/dev/null ); printf '%s %s\\000' "$?" "$out"\n`);
    });
  }

  #read(s: string): void {
    this.#buf += s;
    for (let i = this.#buf.indexOf('\0'); i >= 0; i = this.#buf.indexOf('\0')) {
      const answer = this.#buf.slice(0, i);
      this.#buf = this.#buf.slice(i + 1);
      const p = this.#pending.shift();
      if (this.#pending.length === 0) this.#unref();
      if (!p) continue;
      const sp = answer.indexOf(' ');
      const code = Number(answer.slice(0, sp));
      if (code === 0) {
        p.resolve();
        continue;
      }
      const tail = answer.slice(sp + 1).trim().split('\n').slice(-3).join('; ');
      p.reject(internal(`${p.cmd} exited with ${code}${tail ? `: ${tail}` : ''}`));
    }
  }

  close(): void {
    this.#child.stdin.end();
  }
}

/** A few shells, each request to the least busy one. */
export class ShRunner {
  readonly #shell: string;
  readonly #size: number;
  #shells: Shell[] = [];

  constructor(opts: { shell?: string; size?: number } = {}) {
    this.#shell = opts.shell ?? '/bin/sh';
    this.#size = opts.size ?? 2;
  }

  /**
   * Runs `cmd args` in `cwd` (absolute) with stdin and stdout on /dev/null; resolves on exit
   * status 0, else rejects naming the tool, its status and the tail of its stderr (as runTool).
   */
  run(cmd: string, args: readonly string[], opts: { cwd?: string } = {}): Promise<void> {
    const cwd = opts.cwd ?? '/';
    if (!cwd.startsWith('/')) return Promise.reject(internal(`${cmd}: working directory ${JSON.stringify(cwd)} is not absolute`));
    let s = this.#shells.reduce<Shell | undefined>((best, x) => (best === undefined || x.load < best.load ? x : best), undefined);
    if (s === undefined || (s.load > 0 && this.#shells.length < this.#size)) {
      s = new Shell(this.#shell, (dead) => (this.#shells = this.#shells.filter((x) => x !== dead)));
      this.#shells.push(s);
    }
    return s.run(cmd, args, cwd);
  }

  /** Pids of the running shells (tests). */
  pids(): number[] {
    return this.#shells.flatMap((s) => (s.pid === undefined ? [] : [s.pid]));
  }

  /** Ends the shells once their queued requests are done. */
  close(): void {
    for (const s of this.#shells) s.close();
    this.#shells = [];
  }
}

/** The daemon's tool shells, shared by the modules that run such tools (mount, umount, unshare). */
export const toolShell = new ShRunner();
