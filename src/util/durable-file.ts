// Durable small-file writes for state that must survive power loss: write aside, fsync, rename
// over; fsync the directory to make the rename (or a new entry) itself durable.
import { open, rename } from 'node:fs/promises';

/** fsyncs a directory, making renames and new entries in it durable. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Replaces `path` with `data` (mode 0600) so a reader sees the old or the new content, never a
 * torn one: written to `tmp` (default `<path>.tmp`), fsynced, renamed over. The caller syncs the
 * directory when the rename itself must be durable.
 */
export async function writeFileDurable(path: string, data: Buffer, opts: { tmp?: string } = {}): Promise<void> {
  const tmp = opts.tmp ?? `${path}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}
