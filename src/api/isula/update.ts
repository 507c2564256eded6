// ContainerService.Update: hostconfig JSON (docker's names: Memory, MemorySwap, NanoCpus,
// CpuShares, CpuQuota, CpuPeriod, CpusetCpus, PidsLimit, RestartPolicy) → ContainerService.update.
import type { ContainerServiceHandlers } from '../generated/containers/ContainerService.ts';
import type { ContainerService } from '../../services/containers/service.ts';
import type { UpdatePatch } from '../../services/containers/update.ts';
import type { RestartPolicy } from '../../services/containers/types.ts';
import { invalidArgument, messageOf } from '../../util/errors.ts';
import { unary } from '../handler.ts';
import { CC_SUCCESS } from '../status.ts';

const NUMBER_KEYS = ['Memory', 'MemorySwap', 'NanoCpus', 'CpuShares', 'CpuQuota', 'CpuPeriod', 'PidsLimit'] as const;

export function updatePatchFrom(json: string): UpdatePatch {
  let v: unknown;
  try {
    v = JSON.parse(json === '' ? '{}' : json);
  } catch (err) {
    throw invalidArgument(`invalid hostconfig JSON: ${messageOf(err)}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidArgument('invalid hostconfig JSON: not an object');
  const o = v as Record<string, unknown>;
  const p: UpdatePatch = {};
  for (const k of NUMBER_KEYS) {
    const x = o[k];
    if (x === undefined) continue;
    if (typeof x !== 'number' || !Number.isSafeInteger(x)) throw invalidArgument(`invalid hostconfig: ${k} must be an integer`);
    p[k] = x;
  }
  if (o['CpusetCpus'] !== undefined) {
    if (typeof o['CpusetCpus'] !== 'string') throw invalidArgument('invalid hostconfig: CpusetCpus must be a string');
    p.CpusetCpus = o['CpusetCpus'];
  }
  const rp = o['RestartPolicy'];
  if (rp !== undefined) {
    const r = rp as Partial<RestartPolicy> | null;
    if (typeof r !== 'object' || r === null || typeof r.Name !== 'string') throw invalidArgument('invalid hostconfig: RestartPolicy');
    p.RestartPolicy = { Name: r.Name, MaximumRetryCount: typeof r.MaximumRetryCount === 'number' ? r.MaximumRetryCount : 0 };
  }
  return p;
}

export function updateHandlers(deps: { containers: ContainerService }): Pick<ContainerServiceHandlers, 'Update'> {
  return {
    Update: unary('Update', async (req) => {
      const rec = await deps.containers.update(req.id, updatePatchFrom(req.hostconfig));
      return { id: rec.Id, cc: CC_SUCCESS, errmsg: '' };
    }),
  };
}
