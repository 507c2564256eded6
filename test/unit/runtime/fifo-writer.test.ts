// openBridgedFifoWriter (run -i, StdinOnce): open before any reader, what is written waits in the
// FIFO, and once the bridge is released the writer's end is the reader's EOF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBridgedFifoWriter } from '../../../src/runtime/fifo-writer.ts';

/** One non-blocking read: the bytes, '' at EOF, or undefined when the FIFO is empty but has a writer. */
function readNow(fd: number): string | undefined {
  const buf = Buffer.alloc(64);
  try {
    return buf.subarray(0, readSync(fd, buf)).toString();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return undefined;
    throw err;
  }
}

test('bridged FIFO writer: input written and ended before the reader opens reaches it, then EOF once released', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fifo-writer-'));
  try {
    const path = join(dir, 'stdin.fifo');
    execFileSync('mkfifo', ['-m', '0600', path]);
    const { writer, release } = openBridgedFifoWriter(path);
    // the client's input ends before the container exists (echo t | isula run -i ...)
    await new Promise<void>((res) => writer.end(Buffer.from('t\n'), () => res()));
    await new Promise((res) => setImmediate(res)); // the Writable destroys itself once finished
    // the container's read-only open: the bridge is still a writer, so the data waits and no EOF yet
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      assert.equal(readNow(fd), 't\n');
      assert.equal(readNow(fd), undefined, 'no EOF while the bridge is held');
      release();
      assert.equal(readNow(fd), '', 'EOF once the bridge is released and the writer ended');
      release(); // idempotent
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
