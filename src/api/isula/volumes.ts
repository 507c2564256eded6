// VolumeService handlers: decode → volume service → encode (isula volume ls / rm / prune).
import type { VolumeServiceHandlers } from '../generated/volume/VolumeService.ts';
import type { VolumeService } from '../../services/volumes/service.ts';
import { unary } from '../handler.ts';
import { CC_SUCCESS } from '../status.ts';

export function volumeHandlers(s: { volumes: VolumeService }): Partial<VolumeServiceHandlers> {
  const volumes = s.volumes;
  return {
    List: unary('List', async () => ({ volumes: volumes.list().map((v) => ({ driver: v.Driver, name: v.Name })), cc: CC_SUCCESS, errmsg: '' })),
    Remove: unary('Remove', async (req) => {
      await volumes.remove(req.name);
      return { cc: CC_SUCCESS, errmsg: '' };
    }),
    Prune: unary('Prune', async () => ({ volumes: await volumes.prune(), cc: CC_SUCCESS, errmsg: '' })),
  };
}
