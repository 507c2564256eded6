// Recursive removal that also works for trees deeper than PATH_MAX. node's fs.rm builds whole paths
// and fails with ENAMETOOLONG on a container layer holding a directory chain thousands of levels
// deep (iSulad CI rm.sh makes one with `mkdir` in a loop); GNU rm walks with openat and does not.
// Never follows symlinks (neither does fs.rm) and stays on one file system.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';

export async function rmTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENAMETOOLONG') throw err;
    await rmRf(path);
  }
}

function rmRf(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('rm', ['-rf', '--one-file-system', '--', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`rm -rf ${path}: ${stderr.trim() || `exit ${code}`}`))));
  });
}
