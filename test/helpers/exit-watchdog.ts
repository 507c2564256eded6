// Loaded into every test file's process (`--import`, see the Makefile). A CI run once hung for
// 70 minutes after the last test of a file had passed: the file's process never ended, so the
// runner waited until CI's time ran out and every later file counted as failed. This module makes
// such a hang short, visible and diagnosable instead:
//  - once every test and hook of the file is done, a timer (unref'd: it never keeps the process
//    alive) waits for the process to end on its own; if it has not, it prints what still holds
//    the process (active handles, child processes, threads' kernel wait channels) and exits with
//    the code the tests earned;
//  - a worker thread does the same where the main thread itself is stuck in a system call, and
//    then ends the process with SIGKILL (the file fails, with the diagnosis in its output);
//  - at exit, a process that still holds this file's stdout or stderr pipe can only be a stray
//    of this file's tests (the pipes are private to it); the runner would wait for it, so it is
//    named and killed.
// In the runner's own process (no NODE_TEST_CONTEXT) and in other programs it does nothing.

import { readdirSync, readFileSync, readlinkSync, writeSync } from 'node:fs';
import { after } from 'node:test';
import { Worker } from 'node:worker_threads';

const STUCK_AFTER_MS = Number(process.env.ISULA_TEST_EXIT_GRACE_MS ?? 240_000);
const KILL_AFTER_MS = STUCK_AFTER_MS * 2.5;

function say(text: string): void {
  try { writeSync(2, `\n[exit-watchdog ${process.pid}] ${text}\n`); } catch { /* stderr gone: nothing to tell */ }
}

/** The inodes behind our stdout and stderr ("pipe:[123]"; the runner's are socketpairs, "socket:[123]"). */
function ownPipes(): Set<string> {
  const pipes = new Set<string>();
  for (const fd of [1, 2]) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith('pipe:') || target.startsWith('socket:')) pipes.add(target);
    } catch { /* closed */ }
  }
  return pipes;
}

function cmdline(pid: string): string {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim(); } catch { return '?'; }
}

/** Other processes holding one of our output pipes. */
function pipeHolders(pipes: Set<string>): string[] {
  const holders: string[] = [];
  if (pipes.size === 0) return holders;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    let fds: string[];
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      let target: string;
      try { target = readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { continue; }
      if (pipes.has(target)) { holders.push(pid); break; }
    }
  }
  return holders;
}

/** Children of a pid, from /proc/PID/task/TID/children. */
function childrenOf(pid: number): string[] {
  const out: string[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try { out.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean)); } catch { /* gone */ }
    }
  } catch { /* gone */ }
  return out;
}

/** What the kernel says each of our threads waits in. */
function threadWaits(pid: number): string {
  const lines: string[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const read = (f: string): string => { try { return readFileSync(`/proc/${pid}/task/${tid}/${f}`, 'utf8').trim(); } catch { return '?'; } };
      lines.push(`  thread ${tid} ${read('comm')}: wchan ${read('wchan')}`);
    }
  } catch { /* gone */ }
  return lines.join('\n');
}

function diagnosis(): string {
  const kids = childrenOf(process.pid).map((p) => `  child ${p}: ${cmdline(p)}`).join('\n') || '  no child process';
  const holders = pipeHolders(ownPipes()).map((p) => `  ${p}: ${cmdline(p)}`).join('\n') || '  none';
  let handles = '?';
  try { handles = process.getActiveResourcesInfo().join(', '); } catch { /* not on the main thread */ }
  return `active resources: ${handles}\n${kids}\nother holders of this file's output pipes:\n${holders}\n${threadWaits(process.pid)}`;
}

function killStrays(): void {
  for (const pid of pipeHolders(ownPipes())) {
    say(`process ${pid} (${cmdline(pid)}) still holds this test file's output pipe after its tests: killed, or the runner would wait for it`);
    try { process.kill(Number(pid), 'SIGKILL'); } catch { /* already gone */ }
  }
}

/** The worker's part: if the main thread has not ended the process by then, diagnose and kill it. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { readdirSync, readFileSync, writeSync } = require('node:fs');
setTimeout(() => {
  const pid = workerData.pid;
  const lines = [];
  for (const tid of readdirSync('/proc/' + pid + '/task')) {
    const read = (f) => { try { return readFileSync('/proc/' + pid + '/task/' + tid + '/' + f, 'utf8').trim(); } catch { return '?'; } };
    lines.push('  thread ' + tid + ' ' + read('comm') + ': wchan ' + read('wchan') + '\\n' + read('stack'));
  }
  try { writeSync(2, '\\n[exit-watchdog ' + pid + '] the main thread is stuck ' + workerData.ms + ' ms after the last test; killing this test file\\n' + lines.join('\\n') + '\\n'); } catch {}
  process.kill(pid, 'SIGKILL');
}, workerData.ms);
`;

function arm(): void {
  const timer = setTimeout(() => {
    say(`the tests ended ${STUCK_AFTER_MS} ms ago and this process has not exited (something still holds it):\n${diagnosis()}`);
    killStrays();
    process.exit();
  }, STUCK_AFTER_MS);
  timer.unref();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { pid: process.pid, ms: KILL_AFTER_MS } });
  worker.unref();
}

// Only in a test file's process: a program that a test starts with process.execArgv inherits the
// --import and NODE_TEST_CONTEXT, and must not grow a test root of its own.
if (process.env.NODE_TEST_CONTEXT && /\.test\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  // Armed when the root's `after` hooks start: every test is done then, but the file's own root
  // cleanup may still be running (hooks registered after a test started run after this one), so
  // the grace is far longer than any file's cleanup takes.
  after(arm);
  process.on('exit', killStrays);
}
