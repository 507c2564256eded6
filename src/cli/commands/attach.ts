// isula attach [--detach-keys KEYS] CONTAINER: the running container's output from now on (the
// daemon follows its json-file log, as for run) and, when it was created with -i, our stdin into
// its stdin FIFO. The detach sequence (iSulad's Ctrl-A q, or docker's --detach-keys) is never
// forwarded: it ends this client only, the container keeps running. Any number of clients may be
// attached at once. Exits with the container's code when it stops while attached.
import { streamExitCode } from '../stream-exit.ts';
import { newMetadata, status } from '../../api/h2-client.ts';
import type { Command } from '../command.ts';
import { flagString } from '../flags.ts';
import { DEFAULT_DETACH_KEYS, detachMatcher, parseDetachKeys } from '../detach-keys.ts';

export const command: Command = {
  name: 'attach',
  usage: '[OPTIONS] CONTAINER',
  description: 'Attach to a running container',
  flags: [{ long: 'detach-keys', kind: 'string', description: 'Override the key sequence for detaching a container (default "ctrl-a,q")' }],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const keys = parseDetachKeys(flagString(ctx.flags, 'detach-keys') ?? DEFAULT_DETACH_KEYS);
    const ref = ctx.args[0] as string;
    const c = await ctx.client();
    const info = JSON.parse((await c.call('containers', 'Inspect', { id: ref, bformat: false, timeout: 0 })).ContainerJSON) as {
      Id: string;
      Config?: { OpenStdin?: boolean; Tty?: boolean };
    };
    const stdin = info.Config?.OpenStdin === true;
    const md = newMetadata();
    md.set('container-id', info.Id);
    md.set('attach-stdin', String(stdin));
    md.set('attach-stdout', 'true');
    md.set('attach-stderr', 'true');
    const rawStdin = stdin && info.Config?.Tty === true && process.stdin.isTTY === true;
    // a -t container takes our window size now and on every change, as run -t does
    const onTerminal = info.Config?.Tty === true && process.stdout.isTTY === true;
    const onResize = () =>
      void c.call('containers', 'Resize', { id: info.Id, suffix: '', height: process.stdout.rows, width: process.stdout.columns }).catch(() => undefined);
    if (onTerminal) {
      onResize();
      process.stdout.on('resize', onResize);
    }
    const call = c.containers.Attach(md);
    const matcher = detachMatcher(keys);
    let detached = false;
    const onAbort = () => call.cancel();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    // the detach sequence is watched even without -i: it is how a terminal user leaves
    const onStdin = (b: Buffer) => {
      const { forward, detach } = matcher.feed(b);
      if (stdin && forward.length > 0) call.write({ stdin: forward });
      if (detach) {
        detached = true;
        call.cancel();
      }
    };
    const onStdinEnd = () => {
      if (!stdin) return;
      call.write({ finish: true });
      call.end();
    };
    if (rawStdin) process.stdin.setRawMode(true);
    process.stdin.on('data', onStdin);
    process.stdin.once('end', onStdinEnd);
    if (!stdin) call.end();
    try {
      return await streamExitCode(call, { what: 'attach stream', toError: (err) => c.toError(err),
        exitOnError: (err) => (detached && err.code === status.CANCELLED ? 0 : undefined) });
    } finally {
      if (onTerminal) process.stdout.removeListener('resize', onResize);
      if (rawStdin) process.stdin.setRawMode(false);
      ctx.signal.removeEventListener('abort', onAbort);
      process.stdin.removeListener('data', onStdin);
      process.stdin.removeListener('end', onStdinEnd);
      process.stdin.pause();
    }
  },
};
