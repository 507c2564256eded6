// The daemon's V8 optimisation ceiling. V8 tiers hot functions up from the interpreter to
// Sparkplug, Maglev and finally TurboFan. TurboFan is ~10 MB of machine code in the executable
// plus its static tables, and the first optimisation maps a large part of it into the process:
// an idle daemon on a fresh root made exactly two TurboFan compiles at boot (the tar header
// checksum while seeding the embedded image, and path.normalize), and they alone kept ~4-5 MB of
// the executable's pages resident for the life of the process (pagemap of the idle daemon against
// a stock Node http2 server, docs/performance.md "Which pages of the executable"). Maglev's code
// is already mapped by Node's own start. The daemon's work is I/O and small objects, where Maglev
// code is close enough; the CLI face keeps the default (its flags come from the executable and it
// never runs long enough to reach TurboFan anyway).
//
// Set at run time, after the daemon bundle was compiled from its code cache: the flag is part of
// V8's flag hash, and a cache made under other flags is rejected. `--no-turbofan` is honoured when
// set then; `--max-opt=2` is not (its implication is resolved at V8's start only, and functions
// still reached TurboFan: test/unit/daemon/v8-tiers.test.ts).

import { setFlagsFromString } from 'node:v8';

export function capOptimisation(): void {
  setFlagsFromString('--no-turbofan');
}
