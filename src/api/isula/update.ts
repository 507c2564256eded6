// ContainerService.Update: hostconfig JSON (docker's names: Memory, MemorySwap, NanoCpus,
// CpuShares, CpuQuota, CpuPeriod, CpusetCpus, PidsLimit, RestartPolicy) → ContainerService.update.
import type { ContainerServiceHandlers } from '../generated/containers/ContainerService.ts';
import type { ContainerService } from '../../services/containers/service.ts';
import type { UpdatePatch } from '../../services/containers/update.ts';
import { updatePatchOf } from '../../services/containers/validate.ts';
import { invalidArgument, messageOf } from '../../util/errors.ts';
import { unary } from '../handler.ts';
import { CC_SUCCESS } from '../status.ts';

/** The request's hostconfig JSON; its fields are type-checked by the services' validator. */
export function updatePatchFrom(json: string): UpdatePatch {
  let v: unknown;
  try {
    v = JSON.parse(json === '' ? '{}' : json);
  } catch (err) {
    throw invalidArgument(`invalid hostconfig JSON: ${messageOf(err)}`);
  }
  return updatePatchOf(v);
}

export function updateHandlers(deps: { containers: ContainerService }): Pick<ContainerServiceHandlers, 'Update'> {
  return {
    Update: unary('Update', async (req) => {
      const rec = await deps.containers.update(req.id, updatePatchFrom(req.hostconfig));
      return { id: rec.Id, cc: CC_SUCCESS, errmsg: '' };
    }),
  };
}
