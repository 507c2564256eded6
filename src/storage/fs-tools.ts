// Filesystem operations Node has no primitive for (mknod, setxattr, syncfs, mount), done by
// spawning the standard tools: mknod/sync/mount/umount (coreutils, util-linux or busybox) and
// setfattr (the `attr` package). Each is batched so a layer costs a few spawns, not one per file.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { internal } from '../util/errors.ts';
import { toolShell as shared } from '../util/sh-runner.ts';

export interface ToolOptions {
  cwd?: string;
  input?: string;
}

/** Runs a tool; a failure names it, with its exit status and the tail of its stderr. */
export function runTool(cmd: string, args: string[], opts: ToolOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => reject(internal(`${cmd}: ${e.message}`, { cause: e })));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      const tail = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join('; ');
      reject(internal(`${cmd} exited with ${code ?? signal}${tail ? `: ${tail}` : ''}`));
    });
    child.stdin.on('error', () => {}); // the tool may exit before reading everything
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * Runs a tool whose output is not needed (mount, umount) through a long-lived shell instead of a
 * spawn from this process (util/sh-runner.ts: the daemon's fork is its CPU); fails as runTool.
 */
export function runToolViaShell(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<void> {
  return shared.run(cmd, args, opts.cwd !== undefined ? { cwd: resolve(opts.cwd) } : {});
}

/** Single-quotes a string for sh. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

export interface SpecialNode {
  path: string; // relative to cwd, never starting with '-'
  type: 'char' | 'block' | 'fifo';
  mode: number;
  major: number;
  minor: number;
}

/** Creates device nodes and fifos with one shell for the whole batch. */
export async function makeSpecialNodes(cwd: string, nodes: SpecialNode[]): Promise<void> {
  if (nodes.length === 0) return;
  const lines = ['set -e'];
  for (const n of nodes) {
    const mode = (n.mode & 0o7777).toString(8).padStart(4, '0');
    const kind = n.type === 'char' ? `c ${n.major} ${n.minor}` : n.type === 'block' ? `b ${n.major} ${n.minor}` : 'p';
    lines.push(`mknod -m ${mode} ${shellQuote('./' + n.path)} ${kind}`);
  }
  await runTool('sh', ['-s'], { cwd, input: lines.join('\n') + '\n' });
}

/** Sets xattrs without following symlinks: one setfattr per distinct (name, value), many paths each. */
export async function setXattrs(cwd: string, items: Array<{ path: string; name: string; value: Buffer }>): Promise<void> {
  const groups = new Map<string, { name: string; hex: string; paths: string[] }>();
  for (const it of items) {
    const hex = '0x' + it.value.toString('hex');
    const key = `${it.name}\0${hex}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { name: it.name, hex, paths: [] }));
    g.paths.push('./' + it.path);
  }
  for (const g of groups.values()) {
    // Keep each argv well under ARG_MAX.
    for (let i = 0; i < g.paths.length; ) {
      const batch: string[] = [];
      let bytes = 0;
      while (i < g.paths.length && (batch.length === 0 || bytes < 64 * 1024)) {
        const p = g.paths[i++] as string;
        batch.push(p);
        bytes += p.length + 1;
      }
      await runTool('setfattr', ['-h', '-n', g.name, '-v', g.hex, '--', ...batch], { cwd });
    }
  }
}

/**
 * Flushes the filesystem holding path to stable storage (syncfs), so a commit after it is durable.
 * `sync -f` runs through the tool shell: a spawn from the daemon forks ~100 MB of Node on its main
 * thread (40-60 ms each in a profile of a pull, which syncs once per group commit).
 */
export async function syncFilesystem(path: string): Promise<void> {
  await runToolViaShell('sync', ['-f', resolve(path)]);
}

