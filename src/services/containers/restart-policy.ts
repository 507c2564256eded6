// Restart policies (iSulad restartmanager.c): whether an exited container comes back, and after how
// long. Pure functions; the timers live in exit-handler.ts.
import { invalidArgument } from '../../util/errors.ts';
import type { RestartPolicy } from './types.ts';

export const BACKOFF_START_MS = 100;
/** a system container's init after reboot(2) (the kernel's SIGHUP), iSulad's CONTAINER_ACTION_REBOOT */
export const REBOOT_EXIT_CODE = 129;
export const BACKOFF_MAX_MS = 60_000;
/** a run at least this long resets the back-off to the start value */
export const BACKOFF_RESET_AFTER_MS = 10_000;

/** The policy as it arrives (JSON from a client): a known name and a sane retry count. */
export function validateRestartPolicy(p: RestartPolicy): void {
  if (!['', 'no', 'always', 'on-failure', 'unless-stopped', 'on-reboot'].includes(p.Name)) throw invalidArgument(`invalid restart policy '${p.Name}'`);
  if (!Number.isInteger(p.MaximumRetryCount) || p.MaximumRetryCount < 0) {
    throw invalidArgument(`maximum retry count must be a non-negative integer: ${p.MaximumRetryCount}`);
  }
  if (p.Name !== 'on-failure' && p.MaximumRetryCount !== 0) {
    throw invalidArgument(`maximum retry count cannot be used with restart policy '${p.Name}'`);
  }
}

export function hasRestartPolicy(p: RestartPolicy): boolean {
  return p.Name !== '' && p.Name !== 'no';
}

export interface ExitFacts {
  exitCode: number;
  /** restarts already done by the policy since the last manual start */
  restartCount: number;
  manuallyStopped: boolean;
}

export function shouldRestart(p: RestartPolicy, f: ExitFacts): boolean {
  if (f.manuallyStopped) return false;
  switch (p.Name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return f.exitCode !== 0 && (p.MaximumRetryCount === 0 || f.restartCount < p.MaximumRetryCount);
    case 'on-reboot':
      // iSulad: the init ended by reboot(2) in its pid namespace (SIGHUP from the kernel: 128+1)
      return f.exitCode === REBOOT_EXIT_CODE;
    default:
      return false;
  }
}

/** Delay before the next restart: doubling from 100 ms to 1 min, reset after a run of 10 s or more. */
export function nextBackoff(previousMs: number | undefined, ranMs: number): number {
  if (previousMs === undefined || ranMs >= BACKOFF_RESET_AFTER_MS) return BACKOFF_START_MS;
  return Math.min(previousMs * 2, BACKOFF_MAX_MS);
}
