// A process's start time: field 22 of /proc/<pid>/stat, in clock ticks since boot. With the pid it
// names one process for good, so a lock or pid file left by a dead process is told from a live
// holder whose pid was recycled.
import { readFile } from 'node:fs/promises';

/** Start time of pid, or undefined when the process is gone or a zombie. */
export async function processStartTime(pid: number): Promise<string | undefined> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // comm (field 2) may hold spaces and parentheses: count fields from the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (rest[0] === 'Z' || rest[0] === 'X') return undefined; // dead, waiting to be reaped
  return rest[22 - 3];
}
