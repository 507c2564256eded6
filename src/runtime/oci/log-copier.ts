// Log rotation for OCI runtime containers (--log-opt max-size / max-file, as lcr does them).
// conmon 2.1.6 cannot rotate: at --log-size-max it opens <log>.tmp with O_TRUNC and renames it over
// the log, so the old lines are gone. So when a size is set, conmon writes its k8s-file lines into
// a FIFO in the bundle and one awk reads them and appends them to the log, rotating it to
// <log>.1 … <log>.(max-file − 1) exactly at max-size (a line never straddles two files). The awk
// is detached like conmon (it outlives the daemon) and ends at EOF, when conmon exits; the driver
// reports an exit only once the copier is gone, so the log is complete when `run` stops reading.
// Cost: one busybox awk per container (0.11 MB PSS with 20 running). CRI containers (size 0:
// the kubelet rotates) keep conmon writing the file itself.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { internal } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { isAlive, readProcStat } from '../proc.ts';
import { readPidFile, writeAtomic } from '../state-files.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { syslogEnv, type SyslogTarget } from '../syslog.ts';

/**
 * The copier program. Input: conmon's k8s-file lines (every line ends in \n: conmon marks a
 * partial one with P and adds the newline). LOG_SIZE is the log's size when the copier starts
 * (a restart appends). Rotation runs in sh with the paths from the environment (no quoting).
 */
export const ROTATE_AWK = String.raw`function rotate() {
	close(path)
	system(shift)
	size = 0
}
BEGIN {
	path = ENVIRON["LOG_PATH"]; max = ENVIRON["LOG_MAX"] + 0; size = ENVIRON["LOG_SIZE"] + 0
	slout = ENVIRON["LOG_SYSLOG_OUT"]; slerr = ENVIRON["LOG_SYSLOG_ERR"]
	shift = "p=$LOG_PATH; n=$((LOG_FILES - 1)); if [ \"$n\" -lt 1 ]; then rm -f \"$p\"; exit 0; fi; " \
		"rm -f \"$p.$n\"; while [ \"$n\" -gt 1 ]; do m=$((n - 1)); [ ! -e \"$p.$m\" ] || mv -f \"$p.$m\" \"$p.$n\"; n=$m; done; " \
		"mv -f \"$p\" \"$p.1\""
}
{
	len = length($0) + 1
	if (max > 0 && size > 0 && size + len > max) rotate()
	print >> path
	fflush(path)
	size += len
	# --log-driver syslog: the text (after "TIME STREAM F|P ") to logger(1), one message per line
	if (slout != "") {
		t = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", t)
		sl = ($2 == "stderr") ? slerr : slout
		print t | sl; fflush(sl)
	}
}
`;

export interface CopierParams {
  /** "busybox awk" or "mawk -W interactive" (lcr's detectAwk) */
  awk: string;
  /** the awk program file (ROTATE_AWK, written once into the state dir) */
  program: string;
  fifo: string;
  logPath: string;
  logMaxSize: number;
  logMaxFile: number;
  /** "pid starttime" of the copier, for the exit wait */
  pidFile: string;
  /** where the copier's own errors go */
  errorLog: string;
  /** --log-driver syslog: each line's text also goes to logger(1) */
  syslog?: SyslogTarget;
}

/**
 * Starts the copier before conmon: sh opens the FIFO (blocking until conmon opens it for
 * writing, so the daemon never blocks) and execs the awk, which stays the only process.
 */
export async function startLogCopier(p: CopierParams): Promise<void> {
  const size = await stat(p.logPath).then((s) => s.size, () => 0);
  const errFd = openSync(p.errorLog, 'a');
  let pid: number | undefined;
  try {
    const child = spawn('/bin/sh', ['-c', `exec ${p.awk} -f "$1" <"$2"`, 'oci-log-copier', p.program, p.fifo], {
      detached: true, // setsid: the copier survives the daemon, like conmon
      stdio: ['ignore', 'ignore', errFd],
      env: {
        PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        LOG_PATH: p.logPath,
        LOG_MAX: String(p.logMaxSize),
        LOG_FILES: String(p.logMaxFile),
        LOG_SIZE: String(size),
        ...syslogEnv(p.syslog),
      },
    });
    child.on('error', (err) => log.error(err, 'log copier spawn failed'));
    child.unref();
    pid = child.pid;
  } finally {
    closeSync(errFd);
  }
  if (pid === undefined) throw internal(`cannot spawn the log copier (${p.awk})`);
  const st = await readProcStat(pid);
  await writeAtomic(p.pidFile, `${pid} ${st?.startTime ?? ''}\n`);
}

/** Kills a copier whose conmon never opened the FIFO (a failed start): it would wait forever. */
export async function killLogCopier(pidFile: string): Promise<void> {
  const c = await readPidFile(pidFile);
  if (c === undefined || !(await isAlive(c.pid, c.startTime))) return;
  try {
    process.kill(c.pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

/**
 * Waits until the copier has written conmon's last lines (it ends at EOF, right after conmon).
 * Bounded: a copier that cannot finish must not hold an exit back forever.
 */
export async function waitLogCopier(pidFile: string, limitMs = 5_000): Promise<void> {
  const c = await readPidFile(pidFile);
  if (c === undefined) return;
  const until = Date.now() + limitMs;
  while (await isAlive(c.pid, c.startTime)) {
    if (Date.now() >= until) {
      log.warn(`log copier ${c.pid} still running ${limitMs} ms after its container exited`);
      return;
    }
    await sleep(10);
  }
}
