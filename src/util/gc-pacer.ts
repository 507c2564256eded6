// Paced garbage collection for streaming work. A pull moves ~3x its bytes through short-lived
// Buffers (socket chunks, reads of the partial blob, gunzip output); V8 frees a Buffer's memory
// only when a GC finds its wrapper dead, and the daemon allocates so few JS objects per chunk that
// the young generation rarely fills, so the garbage piles up until V8's external-memory trigger
// (~64 MB of growth) starts a full GC. The pacer asks for a minor GC (a scavenge: cost grows with
// what survives, i.e. almost nothing here) after every `everyBytes` of data, which frees the dead
// young Buffers' memory. A major GC at the same pace bounded memory as well but made a 100 MB pull
// ~1.5 s slower on the 2-core VM (docs/registry.md). `gc` is exposed at run time (v8 flag, then a
// fresh context), so the executable needs no command-line flag; where that fails the pacer does
// nothing.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFn = (opts?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

let gcFn: GcFn | null | undefined;

function gcFunction(): GcFn | null {
  if (gcFn !== undefined) return gcFn;
  try {
    const existing = (globalThis as { gc?: GcFn }).gc;
    if (typeof existing === 'function') return (gcFn = existing);
    setFlagsFromString('--expose-gc');
    const fn = runInNewContext('gc') as unknown;
    gcFn = typeof fn === 'function' ? (fn as GcFn) : null;
  } catch {
    gcFn = null;
  }
  return gcFn;
}

export class GcPacer {
  readonly #every: number;
  #pending = 0;
  /** scavenges asked for so far (tests read it) */
  count = 0;

  constructor(everyBytes: number) {
    this.#every = everyBytes;
  }

  /** Counts n bytes of streamed data; past the pace, asks V8 for a minor GC. */
  add(n: number): void {
    this.#pending += n;
    if (this.#pending < this.#every) return;
    this.#pending = 0;
    const gc = gcFunction();
    if (!gc) return;
    gc({ type: 'minor' });
    this.count++;
  }
}
