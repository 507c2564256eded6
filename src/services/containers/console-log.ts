// --log-opt disable-log=true (iSulad: the console log file becomes "none" and `isula logs`
// answers "Container NAME disable console log!"): nothing of the container's output is written
// to persistent storage. attach, foreground run and start -a still follow a json-file log, kept
// on the daemon's state dir (a tmpfs, /var/run/isulad) instead of the container's dir, small and
// rotated (VOLATILE_LOG_MAX_FILE files of VOLATILE_LOG_MAX_SIZE), removed with the container.
import { join } from 'node:path';
import type { HostConfig } from './types.ts';

export const VOLATILE_LOG_MAX_SIZE = 128 * 1024;
export const VOLATILE_LOG_MAX_FILE = 2;

/** True when the container's console log is disabled (a CRI container's log is the kubelet's; 'none' writes nothing). Pure. */
export function logDisabled(h: HostConfig): boolean {
  return (h.LogConfig.Type === 'json-file' || h.LogConfig.Type === 'syslog') && h.LogConfig.Config['disable-log'] === 'true';
}

/** <state>/console-logs/<id>: where a disabled-log container's output is followed from. Pure. */
export function volatileLogDir(stateDir: string, id: string): string {
  return join(stateDir, 'console-logs', id);
}
