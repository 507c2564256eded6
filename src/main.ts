// One executable, three faces. The face is picked from basename(argv0): `isulad` runs the daemon,
// anything else (normally `isula`) is the CLI. In a dev run (`node dist/isula.cjs ...`) the first
// argument may name the face instead: `node dist/isula.cjs isulad -g /tmp/root`.
// Each face is loaded with import() inside its branch so the CLI never evaluates daemon code.

import { basename } from 'node:path';

type Face = 'isulad' | 'isula';

function pickFace(argv0: string, args: string[]): { face: Face; args: string[] } {
  const name = basename(argv0);
  if (name === 'isulad' || name === 'isula') return { face: name, args };
  const first = args[0];
  if (first === 'isulad' || first === 'isula') return { face: first, args: args.slice(1) };
  const env = process.env['ISULA_FACE'];
  if (env === 'isulad' || env === 'isula') return { face: env, args };
  return { face: 'isula', args };
}

/** Resolves once everything written so far has been handed to the OS (or the pipe broke). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write('', () => resolve());
  });
}

async function main(): Promise<void> {
  const { face, args } = pickFace(process.argv0, process.argv.slice(2));
  if (face === 'isulad') {
    const { runDaemon } = await import('./daemon/index.ts');
    await runDaemon(args);
  } else {
    const { runCli } = await import('./cli/index.ts');
    const code = await runCli(args);
    // Exit as soon as the command is done, so a handle some command forgot to close cannot leave
    // the CLI hanging, but only after stdout and stderr are flushed: writes to a pipe are
    // asynchronous, and exiting early would cut `isula inspect x | jq` short.
    process.exitCode = code;
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
