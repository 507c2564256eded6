// Usage figures that live in /proc rather than in a cgroup: the host's total CPU time (the
// denominator of docker's CPU %) and a network namespace's interface counters, read through a
// process of that namespace (/proc/<pid>/net/dev shows the netns of <pid>, not the reader's).
import { readFile } from 'node:fs/promises';

/** USER_HZ: the unit of /proc/stat. 100 on every Linux architecture this engine targets. */
const CLOCK_TICKS = 100;

export interface SystemCpu {
  /** all CPU time of the host since boot (every field of the "cpu" line), in ns */
  totalNanos: number;
  /** number of cpuN lines: the CPUs online now */
  onlineCpus: number;
}

export function parseProcStat(text: string): SystemCpu {
  let totalNanos = 0;
  let onlineCpus = 0;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'cpu') {
      // user nice system idle iowait irq softirq steal (guest is already counted in user)
      const ticks = fields.slice(1, 9).reduce((sum, f) => sum + (/^\d+$/.test(f) ? Number(f) : 0), 0);
      totalNanos = (ticks * 1e9) / CLOCK_TICKS;
    } else if (/^cpu\d+$/.test(fields[0] ?? '')) onlineCpus++;
  }
  return { totalNanos, onlineCpus };
}

export async function readSystemCpu(): Promise<SystemCpu> {
  return parseProcStat(await readFile('/proc/stat', 'utf8'));
}

export interface NetCounters {
  rxBytes: number;
  txBytes: number;
}

/** /proc/net/dev: two header lines, then "iface: rx_bytes packets ... (8 rx fields) tx_bytes ...". lo is left out, as docker does. */
export function parseNetDev(text: string): NetCounters {
  let rxBytes = 0;
  let txBytes = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const iface = line.slice(0, colon).trim();
    if (iface === 'lo' || iface === '' || iface.includes('|')) continue;
    const f = line.slice(colon + 1).trim().split(/\s+/);
    if (f.length < 9 || !/^\d+$/.test(f[0] ?? '') || !/^\d+$/.test(f[8] ?? '')) continue;
    rxBytes += Number(f[0]);
    txBytes += Number(f[8]);
  }
  return { rxBytes, txBytes };
}

/** Counters of the netns that process pid lives in; undefined when it is gone. */
export async function readNetCounters(pid: number): Promise<NetCounters | undefined> {
  try {
    return parseNetDev(await readFile(`/proc/${pid}/net/dev`, 'utf8'));
  } catch {
    return undefined;
  }
}
