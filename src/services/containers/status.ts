// Derived container status (iSulad container_state_judge_status): one string from the flags.
import { ZERO_TIME } from './types.ts';
import type { ContainerState } from './types.ts';

/** inspect's State.Status: inited | running | paused | restarting | exited */
export type InspectStatus = 'inited' | 'running' | 'paused' | 'restarting' | 'exited';

export function inspectStatus(s: ContainerState): InspectStatus {
  if (s.Running) {
    if (s.Paused) return 'paused';
    return 'running';
  }
  if (s.Restarting) return 'restarting';
  if (s.StartedAt === ZERO_TIME && s.FinishedAt === ZERO_TIME) return 'inited';
  return 'exited';
}

/** ps --filter status= vocabulary: created | running | paused | restarting | exited */
export function listStatus(s: ContainerState): 'created' | 'running' | 'paused' | 'restarting' | 'exited' {
  const st = inspectStatus(s);
  return st === 'inited' ? 'created' : st;
}
