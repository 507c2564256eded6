// File layout of an OCI runtime driver (one per runtime name: runc, crun, a daemon.json entry).
// Everything is runtime state (tmpfs on a device, /var/run/isulad/<name>), absolute, and made
// before conmon needs it (conmon dies silently on a missing --persist-dir):
//   <stateDir>/root/            the runtime's own --root (runc/crun state, per daemon)
//   <stateDir>/exits/<id>       conmon's exit file (one flat dir: one fs.watch sees every exit)
//   <stateDir>/sock/            conmon's --socket-dir-path (attach socket links)
//   <stateDir>/<id>/            bundle: config.json; create.json (driver meta); conmon.pid,
//                               pid (init, written by the runtime), init ("pid starttime");
//                               persist/ (conmon: exit, oom); stdin.fifo (-i); conmon.log;
//                               log.fifo + copier ("pid starttime") when the log rotates
//   <stateDir>/log-rotate.awk   the log copier's program (log-copier.ts)
import { join } from 'node:path';
import { checkId } from '../state-files.ts';

export const ociFiles = (stateDir: string, id: string) => {
  const b = join(stateDir, checkId(id));
  return {
    bundle: b,
    config: join(b, 'config.json'),
    meta: join(b, 'create.json'),
    conmonPid: join(b, 'conmon.pid'),
    pidFile: join(b, 'pid'),
    init: join(b, 'init'),
    persist: join(b, 'persist'),
    oom: join(b, 'persist', 'oom'),
    stdin: join(b, 'stdin.fifo'),
    conmonLog: join(b, 'conmon.log'),
    ctl: join(b, 'ctl'),
    logFifo: join(b, 'log.fifo'),
    copier: join(b, 'copier'),
    exit: join(stateDir, 'exits', id),
  };
};

export const ociRoot = (stateDir: string) => join(stateDir, 'root');
export const ociExits = (stateDir: string) => join(stateDir, 'exits');
export const ociSockets = (stateDir: string) => join(stateDir, 'sock');
export const ociRotateAwk = (stateDir: string) => join(stateDir, 'log-rotate.awk');
export const ociStdinWrapper = (stateDir: string) => join(stateDir, 'stdin-runtime.sh');
