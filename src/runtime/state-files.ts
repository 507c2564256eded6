// Small files of a runtime's state dir (lcr and the OCI runtimes): JSON records, "pid starttime"
// files, the exit file, and atomic replacement (tmp + rename) for everything a crash could
// otherwise leave half-written.
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import type { ExitInfo } from './runtime.ts';
import { errnoCode, invalidArgument } from '../util/errors.ts';

/** Ids become path components (and LXC names): checked before any path is made of one. */
export function checkId(id: string): string {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/.test(id)) throw invalidArgument(`invalid container id "${id}"`);
  return id;
}

export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

export async function readPidFile(path: string): Promise<{ pid: number; startTime: string } | undefined> {
  try {
    const [pid, startTime = ''] = (await readFile(path, 'utf8')).trim().split(' ');
    return { pid: Number(pid), startTime };
  } catch {
    return undefined;
  }
}

export async function writeAtomic(path: string, data: string): Promise<void> {
  await writeFile(`${path}.tmp`, data);
  await rename(`${path}.tmp`, path);
}

/**
 * The exit file: code on its first line, finishedAt = its mtime (ns), mtime for dedupe.
 * oomPath: the stop hook's copy of the cgroup's oom_kill counter (absent = no memory limit).
 */
export async function readExitFile(path: string, oomPath?: string): Promise<(ExitInfo & { mtime: bigint }) | undefined> {
  try {
    const [text, st, oom] = await Promise.all([
      readFile(path, 'utf8'),
      stat(path, { bigint: true }),
      oomPath === undefined ? undefined : readFile(oomPath, 'utf8').catch(() => undefined),
    ]);
    const m = /^\s*(-?\d+)/.exec(text); // an empty or torn file is a lost status, not exit 0
    const code = m ? Number(m[1]) : -1;
    const ms = st.mtimeNs / 1_000_000n;
    const ns = (st.mtimeNs % 1_000_000_000n).toString().padStart(9, '0');
    const finishedAt = new Date(Number(ms)).toISOString().replace(/\.\d{3}Z$/, `.${ns}Z`);
    const oomKilled = oom !== undefined && Number(oom.trim()) > 0;
    return { exitCode: code, finishedAt, mtime: st.mtimeNs, ...(oom !== undefined ? { oomKilled } : {}) };
  } catch {
    return undefined;
  }
}
