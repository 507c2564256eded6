// File layout of the lcr driver. LXC config: <lxcPath>/<id>/{config,seccomp,hook-*.sh}; the
// daemon wires lxcPath to the state dir (a tmpfs, /var/run/isulad/lcr), so a container's LXC
// files are written to memory, not to the board's flash: they are made again from the container's
// record when a start finds them gone (a reboot). Runtime state: <stateDir>/<id>/{create.json,
// monitor,init,lxc.log,monitor.log,stdin.fifo,out.fifo,err.fifo} and one flat <stateDir>/exits/
// dir so a single fs.watch sees every exit file. The lcr helper executable lives in helperDir
// (persistent, /var/lib/isulad/engines/lcr: a tmpfs may be mounted noexec).
import { join } from 'node:path';
import { checkId } from '../state-files.ts';

export interface LcrPaths {
  lxcPath: string;
  stateDir: string;
  /** where the helper executable is written (default lxcPath); per-container dirs of older builds may remain there */
  helperDir?: string;
}

export const files = (p: LcrPaths, id: string) => {
  const st = join(p.stateDir, checkId(id));
  return {
    lxcDir: join(p.lxcPath, id),
    config: join(p.lxcPath, id, 'config'),
    seccomp: join(p.lxcPath, id, 'seccomp'),
    stateDir: st,
    meta: join(st, 'create.json'),
    monitor: join(st, 'monitor'),
    init: join(st, 'init'),
    lxcLog: join(st, 'lxc.log'),
    monitorLog: join(st, 'monitor.log'),
    stdin: join(st, 'stdin.fifo'),
    oom: join(st, 'oom'),
    outFifo: join(st, 'out.fifo'),
    errFifo: join(st, 'err.fifo'),
    exit: join(p.stateDir, 'exits', id),
    /** LXC's own per-container lock (liblxc: /run/lxc/lock/<lxcpath>/.<name>); never removed by LXC */
    lxcLock: join('/run/lxc/lock', p.lxcPath, `.${id}`),
  };
};

export const exitsDir = (p: LcrPaths) => join(p.stateDir, 'exits');
export const monitorScript = (p: LcrPaths) => join(p.stateDir, 'lcr-monitor.sh');
export const logAwk = (p: LcrPaths) => join(p.stateDir, 'lcr-log.awk');
export const rootfsMount = (p: LcrPaths) => join(p.stateDir, '.rootfs');
/** where a -v DIR:/dev container's scratch /dev is moved aside in its own mount namespace (lxc-config.ts devScratchLines) */
export const devScratchMount = (p: LcrPaths) => join(p.stateDir, '.devscratch');
/** The lcr helper's asset name and where the driver writes it. */
export const HELPER_ASSET = 'lcr-helper';
export const helperPath = (p: LcrPaths) => join(p.helperDir ?? p.lxcPath, '.lcr-helper');
