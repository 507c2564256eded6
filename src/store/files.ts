// Names and small durable-file helpers for the store directory. Everything the store keeps on disk
// lives in one directory: the log, a transient compaction file, the lock, damaged logs set aside.
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export const LOG_FILE = 'state.log';
/** A snapshot being written; renamed over the log when complete, deleted when found at open. */
export const COMPACT_FILE = 'state.log.compact';
export const LOCK_FILE = 'store.lock';

export function damagedName(now: Date): string {
  return `${LOG_FILE}.damaged-${now.toISOString().replace(/[:.]/g, '')}`;
}

/** pwrite the whole buffer at `position`, looping over short writes. */
export async function writeAllAt(fh: FileHandle, buf: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, position + done);
    if (bytesWritten <= 0) throw new Error(`short write at offset ${position + done}`);
    done += bytesWritten;
  }
}

export function logPath(dir: string): string {
  return join(dir, LOG_FILE);
}
