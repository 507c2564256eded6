// `make bench`: runs every bench/*.bench.ts in turn, each in its own Node process (so one bench's
// heap and loaded modules do not colour the next), and fails if any of them fails.
// `node bench/run.ts startup` runs only the benches whose file name contains "startup".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function main(): number {
  const dir = import.meta.dirname;
  const filter = process.argv[2] ?? '';
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
    .sort();
  if (files.length === 0) {
    process.stderr.write(`bench: nothing matches ${JSON.stringify(filter)}\n`);
    return 1;
  }
  const failed: string[] = [];
  for (const f of files) {
    process.stdout.write(`\n=== ${f}\n`);
    const r = spawnSync(process.execPath, [join(dir, f)], {
      stdio: 'inherit',
      env: { ...process.env, CBOR_NATIVE_ACCELERATION_DISABLED: 'true' },
    });
    if (r.status !== 0) failed.push(`${f} (exit ${r.status ?? r.signal})`);
  }
  if (failed.length > 0) process.stderr.write(`bench: failed: ${failed.join(', ')}\n`);
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = main();
