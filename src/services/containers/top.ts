// isula top CONTAINER [ps OPTIONS]: the host's `ps` (default -ef, as iSulad/docker) filtered to
// the rows whose PID is in the container's cgroup (the runtime's ProcessLister). ps runs on the
// host, so its PIDs are host pids, which is what cgroup.procs holds.
import { execFile } from 'node:child_process';
import { conflict, EngineError, invalidArgument, notImplemented } from '../../util/errors.ts';
import { isProcessLister } from '../../runtime/runtime.ts';
import type { ContainerCore } from './core.ts';

export interface TopResult {
  titles: string;
  processes: string[];
}

/** Keeps the header and the rows whose PID column is one of pids. Pure. */
export function filterPsOutput(output: string, pids: ReadonlySet<number>): TopResult {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  const titles = lines[0] ?? '';
  const col = titles.trim().split(/\s+/).indexOf('PID');
  if (col < 0) throw invalidArgument(`Couldn't find PID field in ps output`);
  const processes = lines.slice(1).filter((l) => pids.has(Number(l.trim().split(/\s+/)[col])));
  return { titles, processes };
}

function runPs(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ps', args, { encoding: 'utf8', maxBuffer: 16 << 20, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err === null) return resolve(stdout);
      const why = stderr.trim().split('\n').slice(-3).join('; ') || err.message;
      reject(new EngineError('invalid-argument', `ps: ${why}`, { cause: err }));
    });
  });
}

export async function topContainer(core: ContainerCore, ref: string, psArgs: string[]): Promise<TopResult> {
  const rec = core.find(ref);
  if (!rec.State.Running) throw conflict(`Container ${rec.Id} is not running`);
  const rt = core.runtimeOf(rec);
  if (!isProcessLister(rt)) throw notImplemented(`runtime ${rt.name} cannot list processes`);
  const pids = new Set(await rt.pids(rec.Id));
  return filterPsOutput(await runPs(psArgs.length > 0 ? psArgs : ['-ef']), pids);
}
