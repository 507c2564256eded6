// isula exec on an OCI runtime: `<runtime> exec --process <json> <id>`, a child of the daemon like
// lcr's lxc-attach (an exec does not survive a daemon restart). --process gives the exact
// environment: runc's --env flag appends to config.json's env, where getenv() would still find the
// container's value first.
// Without -t the exec goes through `conmon --exec --sync -l passthrough`: runc's foreground exec
// copies the process's output through pipes of its own and returns only at their EOF, which a
// background child of the process (`sh -c 'sleep 999 & exit'`) holds off for ever. conmon runs
// `runc exec --detach` (the process gets the daemon's pipes themselves), reaps the process as
// subreaper and exits with its code as soon as it ends; the daemon then closes the pipes.
// -t: the runtime wants a terminal of its own to proxy, so it runs under util-linux script(1).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecOptions, ExecProcess, Process } from '../runtime.ts';
import { failedPrecondition, notImplemented } from '../../util/errors.ts';
import { scriptArgs, spawnExec } from '../exec-child.ts';

export interface OciExecHost {
  runtime: string;
  globalArgs: string[];
  bundle: string;
  /** the container's process (caps, no_new_privs, apparmor): the exec inherits them */
  process: Process;
  /** the capabilities the host can grant (exec --privileged) */
  hostCaps?: readonly string[];
  script: string | undefined;
  /** conmon: the monitor of an exec without -t (absent: the runtime's foreground exec) */
  conmon?: string;
}

/** conmon's argv for an exec without a terminal: one fork (--sync), the daemon's stdio passed through. Pure. */
export function conmonExecArgs(id: string, runtime: string, runtimeArgs: readonly string[], files: { bundle: string; process: string; pid: string }): string[] {
  const a = [
    '--api-version', '1', '--sync', '-e', '--exec-process-spec', files.process,
    '-c', id, '-u', `exec-${id.slice(0, 12)}`, '-r', runtime, '-b', files.bundle, '-p', files.pid,
    '-l', 'passthrough', '--log-level', 'error', '--socket-dir-path', files.bundle,
  ];
  for (const r of runtimeArgs) a.push('--runtime-arg', r);
  return a;
}

/** The exec's process.json, from the container's process and the exec options. Pure. */
export function execProcess(base: Process, o: ExecOptions, hostCaps: readonly string[] = []): Process {
  // the container's rlimits are the exec's too (runc and docker give an exec the container's)
  const { oomScoreAdj: _o, ...rest } = base;
  // --privileged: every capability the host can grant (one it lacks would fail the exec)
  const caps = hostCaps.map((c) => (c.startsWith('CAP_') ? c : `CAP_${c.toUpperCase()}`));
  return {
    ...rest,
    ...(o.privileged ? { capabilities: { bounding: caps, effective: caps, permitted: caps } } : {}),
    terminal: o.tty,
    args: o.args,
    env: o.env,
    cwd: o.cwd && o.cwd !== '' ? o.cwd : '/',
    // the groups the daemon resolved for the exec's user; without them, as the container's own
    // user the exec has its supplementary groups too (image groups, --group-add, CRI
    // supplemental_groups), as docker and containerd do
    user: {
      uid: o.uid,
      gid: o.gid,
      ...(o.additionalGids !== undefined
        ? o.additionalGids.length > 0 ? { additionalGids: [...o.additionalGids] } : {}
        : o.uid === base.user.uid && o.gid === base.user.gid && base.user.additionalGids?.length ? { additionalGids: [...base.user.additionalGids] } : {}),
    },
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

export async function execInOci(id: string, o: ExecOptions, host: OciExecHost): Promise<ExecProcess> {
  if (o.args.length === 0) throw failedPrecondition(`exec in container "${id}": no command`);
  if (o.tty && host.script === undefined) throw notImplemented('exec -t needs util-linux script(1), not found');
  const procFile = join(host.bundle, `exec-${randomBytes(6).toString('hex')}.json`);
  await writeFile(procFile, JSON.stringify(execProcess(host.process, o, host.hostCaps ?? [])));
  // the runtime's own errors go to a JSON log we read when it fails (it prints them to stderr too)
  const logFile = `${procFile.slice(0, -5)}.log`;
  // the process's host pid: a signal for the exec goes to it, not to the runtime (SIGKILL to
  // `runc exec` would leave the process running in the container)
  const pidFile = `${procFile.slice(0, -5)}.pid`;
  const logArgs = ['--log', logFile, '--log-format', 'json'];
  const rtArgs = [...host.globalArgs, ...logArgs, 'exec', '--pid-file', pidFile, '--process', procFile, id];
  const viaConmon = host.conmon !== undefined && !o.tty && o.detach !== true;
  const [cmd, args] = o.tty
    ? [host.script as string, scriptArgs([host.runtime, ...rtArgs], o.size)]
    : viaConmon
      ? [host.conmon as string, conmonExecArgs(id, host.runtime, [...host.globalArgs, ...logArgs], { bundle: host.bundle, process: procFile, pid: pidFile })]
      : [host.runtime, rtArgs];
  const cleanup = () => Promise.all([rm(procFile, { force: true }), rm(logFile, { force: true }), rm(pidFile, { force: true })]);
  const { child, proc } = await spawnExec(id, cmd, args, { ...o, holdInput: true }, { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', SHELL: '/bin/sh' }, async (c) => {
    // conmon: the process's own code once the runtime wrote its pid; no pid file, the runtime failed
    const failed = viaConmon ? !(await readFile(pidFile, 'utf8').catch(() => '')).trim() : c === RUNTIME_FAILED;
    // the runtime itself failed; a command it could not start is 126/127 as in a shell
    const mapped = failed ? (execFailureCode(await readFile(logFile, 'utf8').catch(() => '')) ?? RUNTIME_FAILED) : undefined;
    await cleanup().catch(() => undefined);
    return mapped ?? c;
  });
  const killRuntime = proc.kill.bind(proc);
  proc.kill = (signal) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    let inner = 0;
    try {
      inner = Number(readFileSync(pidFile, 'utf8').trim());
    } catch {
      // not started yet: the runtime itself gets the signal
    }
    if (Number.isInteger(inner) && inner > 0) {
      try {
        process.kill(inner, signal);
        return;
      } catch {
        // gone already: the runtime is about to exit too
      }
    }
    killRuntime(signal);
  };
  return proc;
}
