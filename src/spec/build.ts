// buildSpec applies options to a base spec; loadSpecContext does the reads options need (rootfs
// passwd/group, the daemon's hard rlimits and oom_score_adj) once, so the options stay pure.
import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostLimit, Spec, SpecContext, SpecOpt } from './types.ts';

export function buildSpec(base: Spec, ctx: SpecContext, ...opts: SpecOpt[]): Spec {
  for (const o of opts) o(base, ctx);
  return base;
}

/** /proc/self/limits names → RLIMIT_* */
const LIMIT_ROWS: Record<string, string> = {
  'Max cpu time': 'RLIMIT_CPU', 'Max file size': 'RLIMIT_FSIZE', 'Max data size': 'RLIMIT_DATA',
  'Max stack size': 'RLIMIT_STACK', 'Max core file size': 'RLIMIT_CORE', 'Max resident set': 'RLIMIT_RSS',
  'Max processes': 'RLIMIT_NPROC', 'Max open files': 'RLIMIT_NOFILE', 'Max locked memory': 'RLIMIT_MEMLOCK',
  'Max address space': 'RLIMIT_AS', 'Max file locks': 'RLIMIT_LOCKS', 'Max pending signals': 'RLIMIT_SIGPENDING',
  'Max msgqueue size': 'RLIMIT_MSGQUEUE', 'Max nice priority': 'RLIMIT_NICE', 'Max realtime priority': 'RLIMIT_RTPRIO',
  'Max realtime timeout': 'RLIMIT_RTTIME',
};

/** Parses /proc/<pid>/limits text; "unlimited" = -1. */
export function parseProcLimits(text: string): Record<string, HostLimit> {
  const out: Record<string, HostLimit> = {};
  for (const line of text.split('\n')) {
    const m = /^(Max [a-z ]+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    const type = m ? LIMIT_ROWS[m[1]!] : undefined;
    if (!m || type === undefined) continue;
    const n = (v: string) => (v === 'unlimited' ? -1 : Number(v));
    out[type] = { soft: n(m[2]!), hard: n(m[3]!) };
  }
  return out;
}

async function readOr(path: string, fallback: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return fallback;
  }
}

/**
 * Reads what spec options need. The rootfs files are read through their real paths inside the
 * mounted rootfs; a symlinked /etc/passwd pointing outside is not followed beyond the rootfs
 * because readFile on the host path would escape, so absolute links are resolved under rootfs.
 */
export async function loadSpecContext(rootfs: string): Promise<SpecContext> {
  const [passwd, group, limits, oom] = await Promise.all([
    readRootfsFile(rootfs, '/etc/passwd'),
    readRootfsFile(rootfs, '/etc/group'),
    readOr('/proc/self/limits', ''),
    readOr('/proc/self/oom_score_adj', '0'),
  ]);
  return { passwd, group, hostLimits: parseProcLimits(limits), hostOomScoreAdj: Number(oom.trim()) || 0 };
}

async function readRootfsFile(rootfs: string, path: string): Promise<string> {
  let p = path;
  for (let hops = 0; hops < 8; hops++) {
    const host = join(rootfs, p);
    try {
      const st = await lstat(host);
      if (!st.isSymbolicLink()) return await readFile(host, 'utf8');
      const target = await readlink(host);
      p = target.startsWith('/') ? target : join(p, '..', target);
    } catch {
      return '';
    }
  }
  return '';
}
