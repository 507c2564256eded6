// NetworkService handlers: decode → network service → encode (isula network create / inspect /
// ls / rm / prune).
import type { NetworkServiceHandlers } from '../generated/network/NetworkService.ts';
import type { NetworkService } from '../../services/networks/service.ts';
import { unary } from '../handler.ts';
import { CC_SUCCESS } from '../status.ts';

export function networkHandlers(s: { networks: NetworkService }): Partial<NetworkServiceHandlers> {
  const networks = s.networks;
  return {
    Create: unary('Create', async (req) => {
      const rec = await networks.create({
        name: req.name, driver: req.driver, internal: req.internal, labels: req.labels ?? {},
        ...(req.subnet ? { subnet: req.subnet } : {}),
        ...(req.gateway ? { gateway: req.gateway } : {}),
      });
      return { name: rec.Name, cc: CC_SUCCESS, errmsg: '' };
    }),
    Inspect: unary('Inspect', async (req) => ({ NetworkJSON: JSON.stringify(networks.inspect(req.name)), cc: CC_SUCCESS, errmsg: '' })),
    List: unary('List', async (req) => ({
      networks: networks.listFiltered(req.filters ?? []).map((n) => ({
        name: n.Name, version: n.CniVersion, plugins: networks.confList(n).plugins.map((p) => p.type), driver: n.Driver, subnet: n.IPv6Subnet ? `${n.Subnet},${n.IPv6Subnet}` : n.Subnet, id: n.Id, labels: n.Labels,
      })),
      cc: CC_SUCCESS,
      errmsg: '',
    })),
    Remove: unary('Remove', async (req) => ({ name: (await networks.remove(req.name)).Name, cc: CC_SUCCESS, errmsg: '' })),
    Prune: unary('Prune', async () => ({ networks: await networks.prune(), cc: CC_SUCCESS, errmsg: '' })),
  };
}
