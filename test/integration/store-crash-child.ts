// Crash test child: opens the store and performs calls start, start+1, ... in rounds of up to 8
// concurrent calls. Prints "a<i>" before issuing call i and "c<i>" once its promise resolved.
// Lines go out with a blocking write(2) on fd 1, not process.stdout: on POSIX, writes to a pipe
// through process.stdout are asynchronous and could still sit in this process when the SIGKILL
// comes, and a lost "a" line would make the parent undercount what was attempted.
import { writeSync } from 'node:fs';
import { openStore } from '../../src/store/index.ts';
import { callAt } from './store-crash-ops.ts';
import type { Call } from './store-crash-ops.ts';
import type { LogStateStore } from '../../src/store/index.ts';

function report(line: string): void {
  const buf = Buffer.from(`${line}\n`);
  let done = 0;
  while (done < buf.length) {
    try {
      done += writeSync(1, buf, done);
    } catch (err) {
      if ((err as { code?: string }).code !== 'EAGAIN') throw err; // only if fd 1 were non-blocking
    }
  }
}

function issue(store: LogStateStore, c: Call): Promise<void> {
  if (c.call === 'put') return store.put(c.kind, c.id, c.value);
  if (c.call === 'delete') return store.delete(c.kind, c.id);
  return store.batch(c.ops);
}

async function main(): Promise<void> {
  const [dir, seedArg, startArg, endArg] = process.argv.slice(2);
  if (!dir || !seedArg || !startArg || !endArg) throw new Error('usage: crash-child <dir> <seed> <start> <end>');
  const seed = Number(seedArg);
  const end = Number(endArg);
  // Small thresholds: compactions happen every few dozen calls, so kills land in them too.
  const store = await openStore(dir, { compactMinBytes: 48 * 1024, compactRatio: 2 });
  report('ready');
  let i = Number(startArg);
  while (i < end) {
    const round: Promise<void>[] = [];
    const size = 1 + ((i * 7) % 8);
    for (let k = 0; k < size && i < end; k++, i++) {
      const n = i;
      report(`a${n}`);
      round.push(issue(store, callAt(seed, n)).then(() => report(`c${n}`)));
    }
    await Promise.all(round);
  }
  await store.close();
  report('done');
}

main().catch((err: unknown) => {
  process.stderr.write(`crash-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(3);
});
