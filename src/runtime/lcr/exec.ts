// isula exec for lcr: one `lxc-attach` per exec, a child of the daemon (an exec does not survive a
// daemon restart). Stock LXC 5 traps handled here (research: runtime-lab §2(d)):
// - lxc-attach keeps the caller's whole environment unless told --clear-env; the process gets
//   exactly the env it is given (-v K=V), so nothing of the daemon leaks in;
// - it has no cwd option and chdirs to the *caller's* cwd when that path exists in the container:
//   we spawn it with cwd "/" (lands on "/"), and for any other directory run the command through
//   the container's own shell, `sh -c 'cd "$0" && exec "$@"' DIR CMD...` (exec keeps the pid,
//   signals and 126/127 exit codes; a missing DIR is made first, as iSulad does). A container
//   without /bin/sh cannot get a workdir: refused;
// - -t: lxc-attach gives the process a pty only when its own stdin is a terminal, so it runs
//   under util-linux script(1) as the monitor does for `run -t`; resize sets the size on the pty
//   lxc-attach reads (script's) and sends it SIGWINCH, which lxc-attach passes on.
import { access } from 'node:fs/promises';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import type { ExecOptions, ExecProcess } from '../runtime.ts';
import { failedPrecondition, notImplemented } from '../../util/errors.ts';
import { scriptArgs, spawnExec } from '../exec-child.ts';

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The shell program that enters the workdir, then becomes the command ($0 = dir, $@ = command). A
 * missing workdir is made first, as iSulad's lcr exec does (iSulad CI lcr_exec.sh: --workdir /workdir).
 */
export const CD_AND_EXEC = '[ -d "$0" ] || mkdir -p "$0" 2>/dev/null; cd "$0" && exec "$@"';

export interface AttachArgs {
  id: string;
  lxcPath: string;
  args: string[];
  env: string[];
  uid: number;
  gid: number;
  cwd?: string;
  /** lxc-attach -e CAP: keep lxc-attach's capabilities (the cgroup and LSM stay the container's) */
  privileged?: boolean;
  /**
   * supplementary groups: lxc-attach drops them all and cannot set any, so it runs the helper
   * (inherited as fd 3) as root, which sets groups, gid and uid, then execs the command
   */
  groups?: number[];
}

/** The fd the helper reaches lxc-attach on. */
export const HELPER_FD = 3;

/** True when the process must change directory itself (lxc-attach starts it in "/"). */
export function needsWorkdir(cwd: string | undefined): cwd is string {
  return cwd !== undefined && cwd !== '' && cwd.replace(/\/+$/, '') !== '';
}

/** The lxc-attach command line (without the tool name). Pure. */
export function lxcAttachArgs(o: AttachArgs): string[] {
  const a = ['-n', o.id, '-P', o.lxcPath, '--clear-env'];
  if (o.privileged) a.push('--elevated-privileges=CAP');
  for (const kv of o.env) a.push('-v', kv);
  if (o.groups && o.groups.length > 0) {
    a.push('-u', '0', '-g', '0', '--', `/proc/self/fd/${HELPER_FD}`, 'exec', String(HELPER_FD), String(o.uid), String(o.gid), o.groups.join(','));
  } else {
    a.push('-u', String(o.uid), '-g', String(o.gid), '--');
  }
  if (needsWorkdir(o.cwd)) a.push('/bin/sh', '-c', CD_AND_EXEC, o.cwd, ...o.args);
  else a.push(...o.args);
  return a;
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
  /** the container's own user (create.json), whose supplementary groups an exec as that user keeps */
  user?: { uid: number; gid: number; groups: number[] };
  /** the lcr helper executable (absent in builds without it: the exec then has no supplementary groups) */
  helper?: string;
}

const CAP_SETGID = 6n;
const CAP_SETUID = 7n;

/** True when a CapBnd line (hex) of /proc/<pid>/status holds CAP_SETGID and CAP_SETUID. Pure. */
export function canSwitchUser(status: string): boolean {
  const m = /^CapBnd:\s*([0-9a-f]+)/m.exec(status);
  if (!m) return false;
  const v = BigInt(`0x${m[1]}`);
  return ((v >> CAP_SETGID) & 1n) === 1n && ((v >> CAP_SETUID) & 1n) === 1n;
}

/**
 * The supplementary groups an exec gets: those the daemon resolved for its user (the user's groups
 * in the container's /etc/group, --group-add, the primary gid), else the container user's when the
 * exec runs as that user; only when the helper exists and the container may change its user at
 * all (the helper runs as root bounded by the container's capabilities).
 */
export function execGroups(o: Pick<ExecOptions, 'uid' | 'gid' | 'additionalGids'>, host: ExecHost): number[] {
  const u = host.user;
  let groups: number[];
  if (o.additionalGids !== undefined) groups = o.additionalGids;
  else if (u && o.uid === u.uid && o.gid === u.gid) groups = u.groups;
  else groups = [];
  // root with only its own group needs no helper (lxc-attach's empty list costs it nothing)
  if (o.uid === 0 && groups.every((g) => g === o.gid)) return [];
  if (groups.length === 0 || host.helper === undefined) return [];
  try {
    return canSwitchUser(readFileSync(`/proc/${host.initPid}/status`, 'utf8')) ? groups : [];
  } catch {
    return [];
  }
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
  const groups = execGroups(o, host);
  const attach = lxcAttachArgs({ id, lxcPath: host.lxcPath, args: o.args, env: o.env, uid: o.uid, gid: o.gid, ...(o.cwd !== undefined ? { cwd: o.cwd } : {}), ...(o.privileged ? { privileged: true } : {}), ...(groups.length > 0 ? { groups } : {}) });
  if (o.tty && host.script === undefined) throw notImplemented('lcr: exec -t needs util-linux script(1), not found');
  const [cmd, args] = o.tty ? [host.script as string, scriptArgs(['lxc-attach', ...attach], o.size)] : ['lxc-attach', attach];
  const fd = groups.length > 0 ? openSync(host.helper as string, 'r') : undefined;
  let spawned;
  try {
    spawned = await spawnExec(id, cmd, args, o, { PATH, SHELL: '/bin/sh' }, undefined, fd);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const { child, proc } = spawned;
  const pid = proc.pid;
  return {
    ...proc,
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
