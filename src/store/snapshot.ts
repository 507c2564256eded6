// Writes a whole log file from a state: header plus the live records as put frames, all in commit
// group 0. Used for compaction, for creating a store, and for repair. The file is written aside,
// fsync'd, renamed over the log and the directory fsync'd, so a crash leaves either the old log or
// the new one, both holding the same state.
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Codec } from './codec.ts';
import { encodeOp, joinOps } from './codec.ts';
import { COMPACT_FILE, LOG_FILE, writeAllAt } from './files.ts';
import { syncDir } from '../util/durable-file.ts';
import { encodeFileHeader, encodeFrame } from './frame.ts';
import { RECORD_KINDS } from './kinds.ts';
import type { Records } from './records.ts';

/** Snapshot frames are cut at about this payload size, keeping read buffers modest. */
const SNAPSHOT_FRAME_BYTES = 256 * 1024;

export interface SnapshotResult {
  /** size of the new log */
  bytes: number;
  /** group number for the next commit */
  nextGroup: number;
  /**
   * Set when the rename happened but the directory fsync failed: the new log is in place, yet after
   * a power loss the directory might still name the old one. Appending on is not safe.
   */
  dirSyncError?: unknown;
}

export async function writeSnapshot(dir: string, records: Records, codec: Codec): Promise<SnapshotResult> {
  const payloads: Buffer[] = [];
  let ops: Buffer[] = [];
  let opBytes = 0;
  for (const kind of RECORD_KINDS) {
    const m = records.byKind.get(kind);
    if (!m) continue;
    for (const [id, entry] of m) {
      const op = encodeOp(codec, { op: 'put', kind, id, value: entry.value });
      entry.size = op.length; // exact from here on
      ops.push(op);
      opBytes += op.length;
      if (opBytes >= SNAPSHOT_FRAME_BYTES) {
        payloads.push(joinOps(ops));
        ops = [];
        opBytes = 0;
      }
    }
  }
  if (ops.length > 0) payloads.push(joinOps(ops));
  records.liveBytes = payloads.reduce((n, p) => n + p.length, 0);
  const chunks = [encodeFileHeader(), ...payloads.map((p, i) => encodeFrame(p, 0, i === payloads.length - 1))];
  const file = Buffer.concat(chunks);

  const tmp = join(dir, COMPACT_FILE);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await writeAllAt(fh, file, 0);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fh.close();
  await rename(tmp, join(dir, LOG_FILE));
  const result: SnapshotResult = { bytes: file.length, nextGroup: payloads.length > 0 ? 1 : 0 };
  try {
    await syncDir(dir);
  } catch (err) {
    result.dirSyncError = err;
  }
  return result;
}
