// isula attach [--detach-keys KEYS] CONTAINER: the running container's output from now on (the
// daemon follows its json-file log, as for run) and, when it was created with -i, our stdin into
// its stdin FIFO. The detach sequence (iSulad's Ctrl-A q, or docker's --detach-keys) is never
// forwarded: it ends this client only, the container keeps running. Any number of clients may be
// attached at once. Exits with the container's code when it stops while attached.
// --no-stdin: output only, even for a -i container. --sig-proxy (default true, docker's): signals
// this client receives are sent to the container (Kill) instead of ending the client; not for a
// -t container, whose terminal sends Ctrl-C itself (docker does the same).
import { streamExitCode } from '../stream-exit.ts';
import { newMetadata, status } from '../../api/h2-client.ts';
import type { Command } from '../command.ts';
import { flagBool, flagString } from '../flags.ts';
import type { ParsedFlags } from '../flags.ts';
import { DEFAULT_DETACH_KEYS, detachMatcher, parseDetachKeys } from '../detach-keys.ts';
import { followWindow, resizeErrorReporter } from '../lib/window-size.ts';

/** What --sig-proxy forwards (docker forwards all but SIGCHLD, SIGPIPE, SIGURG, SIGWINCH; SIGKILL and SIGSTOP cannot be caught). */
const PROXIED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM'];

/** A bool flag with a default of true (--sig-proxy=false turns it off). */
function flagBoolOr(f: ParsedFlags, name: string, dflt: boolean): boolean {
  return f.values.has(name) ? flagBool(f, name) : dflt;
}

export const command: Command = {
  name: 'attach',
  usage: '[OPTIONS] CONTAINER',
  description: 'Attach to a running container',
  flags: [
    { long: 'detach-keys', kind: 'string', description: 'Override the key sequence for detaching a container (default "ctrl-a,q")' },
    { long: 'no-stdin', kind: 'bool', description: 'Do not attach STDIN' },
    { long: 'sig-proxy', kind: 'bool', description: 'Proxy all received signals to the process (default true)' },
  ],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const keys = parseDetachKeys(flagString(ctx.flags, 'detach-keys') ?? DEFAULT_DETACH_KEYS);
    const ref = ctx.args[0] as string;
    const c = await ctx.client();
    const info = JSON.parse((await c.call('containers', 'Inspect', { id: ref, bformat: false, timeout: 0 })).ContainerJSON) as {
      Id: string;
      Config?: { OpenStdin?: boolean; Tty?: boolean };
    };
    const stdin = info.Config?.OpenStdin === true && !flagBool(ctx.flags, 'no-stdin');
    const proxy = (flagBoolOr(ctx.flags, 'sig-proxy', true)) && info.Config?.Tty !== true;
    const md = newMetadata();
    md.set('container-id', info.Id);
    md.set('attach-stdin', String(stdin));
    md.set('attach-stdout', 'true');
    md.set('attach-stderr', 'true');
    const rawStdin = stdin && info.Config?.Tty === true && process.stdin.isTTY === true;
    // a -t container takes our window size now and on every change, as run -t does
    const onTerminal = info.Config?.Tty === true && process.stdout.isTTY === true;
    const sizes = onTerminal
      ? followWindow(process.stdout, (s) => c.call('containers', 'Resize', { id: info.Id, suffix: '', height: s.rows, width: s.cols }), { onError: resizeErrorReporter(ctx) })
      : undefined;
    sizes?.ready();
    const call = c.containers.Attach(md);
    const matcher = detachMatcher(keys);
    let detached = false;
    const onAbort = () => call.cancel();
    const forward = (name: NodeJS.Signals) => {
      void c.call('containers', 'Kill', { id: info.Id, signal: (process.getBuiltinModule('node:os') as typeof import('node:os')).constants.signals[name] }).catch(() => undefined);
    };
    const proxies = PROXIED.map((name) => [name, () => forward(name)] as const);
    if (proxy) for (const [name, h] of proxies) process.on(name, h);
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
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
    if (!flagBool(ctx.flags, 'no-stdin')) {
      process.stdin.on('data', onStdin);
      process.stdin.once('end', onStdinEnd);
    }
    if (!stdin) call.end();
    try {
      return await streamExitCode(call, { what: 'attach stream', toError: (err) => c.toError(err),
        exitOnError: (err) => (detached && err.code === status.CANCELLED ? 0 : undefined) });
    } finally {
      sizes?.stop();
      if (rawStdin) process.stdin.setRawMode(false);
      if (proxy) for (const [name, h] of proxies) process.removeListener(name, h);
      else ctx.signal.removeEventListener('abort', onAbort);
      process.stdin.removeListener('data', onStdin);
      process.stdin.removeListener('end', onStdinEnd);
      process.stdin.pause();
    }
  },
};
