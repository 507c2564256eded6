// Daemon face (`isulad`): flags → config → boot → wait for SIGTERM/SIGINT → orderly shutdown.
// Exit codes: 0 after a clean shutdown, --help or --version; 1 when the daemon cannot start
// (bad flag or config, another daemon holds the root, a socket cannot be bound).

import { buildInfo } from '../api/build-info.ts';
import { messageOf } from '../util/errors.ts';
import { log } from '../util/log.ts';
import { flagBool, formatOptions, parseFlags, type ParsedFlags } from '../util/flags.ts';
import { DAEMON_FLAGS, loadDaemonConfig } from './config.ts';
import { bootDaemon, type RunningDaemon } from './boot.ts';
import { openNotifier, type Notifier } from './notify.ts';
import { capOptimisation } from './v8-tiers.ts';
import { installIsoDate } from './iso-date.ts';
import { sizeThreadPool } from './thread-pool.ts';

function usage(): string {
  return (
    '\nUsage:  isulad [OPTIONS]\n\n' +
    'lightweight container runtime daemon (iSulad Edge)\n\n' +
    formatOptions([...DAEMON_FLAGS, { long: 'help', kind: 'bool', description: 'Show help' }]) +
    '\n'
  );
}

export async function runDaemon(args: string[]): Promise<void> {
  let parsed: ParsedFlags;
  try {
    parsed = parseFlags(DAEMON_FLAGS, args);
    if (parsed.args.length > 0) throw new Error(`unexpected argument "${parsed.args[0]}"; see isulad --help`);
  } catch (err) {
    process.stderr.write(`${messageOf(err)}\n`);
    process.exitCode = 1;
    return;
  }
  if (parsed.help) {
    process.stdout.write(usage());
    return;
  }
  if (flagBool(parsed, 'version')) {
    const b = buildInfo();
    process.stdout.write(`Version ${b.version}, commit ${b.gitCommit}\n`);
    return;
  }

  // Signal handlers go in before anything is created: a SIGTERM that lands between the socket
  // appearing and the end of boot must shut down cleanly, not kill the process with the pidfile
  // and socket left behind. A stop asked for during boot runs as soon as boot finishes.
  let daemon: RunningDaemon | undefined;
  let notifier: Notifier | undefined;
  let stopAsked: NodeJS.Signals | undefined;
  const stop = (d: RunningDaemon, sig: NodeJS.Signals) => {
    notifier?.send('STOPPING=1');
    d.shutdown(`received ${sig}`).then(
      async () => {
        await notifier?.close();
        process.exit(0);
      },
      (err: unknown) => {
        log.error(err, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopAsked) return;
    stopAsked = sig;
    if (daemon) stop(daemon, sig);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // SIGHUP and SIGPIPE are ignored (iSulad does the same: no reload, no death by a closed pipe).
  process.on('SIGHUP', () => log.debug('SIGHUP ignored'));
  process.on('SIGPIPE', () => undefined);
  process.on('unhandledRejection', (reason) => log.error(reason, 'unhandled promise rejection'));
  // A bug that throws out of an event handler leaves the process in an unknown state: record why
  // in isulad.log (stderr is usually nobody's) and exit; containers keep running, and the next
  // start takes over the stale pidfile and restores them.
  process.on('uncaughtException', (err) => {
    log.error(err, 'uncaught exception, exiting');
    if (err instanceof Error && err.stack) log.error(err.stack, 'stack');
    process.exit(70);
  });

  // No TurboFan in the daemon, and no ICU time-zone tables for ISO dates: their pages of the
  // executable would stay resident (v8-tiers.ts, iso-date.ts).
  capOptimisation();
  installIsoDate();
  // Eight libuv threads instead of four: a pull's extraction chains wait less (thread-pool.ts).
  sizeThreadPool();
  try {
    const config = await loadDaemonConfig({ parsed, env: process.env });
    // iSulad's --sup-groups: the daemon runs with these supplementary groups (socket and file access)
    if (config.supGroups.length > 0) process.setgroups?.(config.supGroups);
    // Read once; the tools the daemon spawns (lxc, conmon, CNI) must not inherit it.
    delete process.env['NOTIFY_SOCKET'];
    notifier = openNotifier(config.env.notifySocket);
    daemon = await bootDaemon(config);
    // bootDaemon returns once every API socket is bound and listening.
    notifier?.send(`READY=1\nMAINPID=${process.pid}`);
  } catch (err) {
    process.stderr.write(`isulad: ${messageOf(err)}\n`);
    process.exit(1);
  }
  if (stopAsked) stop(daemon, stopAsked);
}
