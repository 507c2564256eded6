// ContainerService.Stats: one sample of raw counters per container (the CLI polls it and computes
// CPU % between samples). Decode → ContainerService.stats → encode.
import type { ContainerServiceHandlers } from '../generated/containers/ContainerService.ts';
import type { Container_info } from '../generated/containers/Container_info.ts';
import type { ContainerService } from '../../services/containers/service.ts';
import type { ContainerStatsSample } from '../../services/containers/stats.ts';
import { unary } from '../handler.ts';
import { CC_SUCCESS } from '../status.ts';

export function statsToProto(s: ContainerStatsSample): Container_info {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    pids_current: s.pidsCurrent,
    cpu_use_nanos: s.cpuUseNanos,
    cpu_system_use: s.systemCpuNanos,
    online_cpus: s.onlineCpus,
    blkio_read: s.blkioRead,
    blkio_write: s.blkioWrite,
    mem_used: s.memUsed,
    mem_limit: s.memLimit,
    cache: s.cache,
    cache_total: s.cache,
    inactive_file_total: s.inactiveFile,
    net_rx_bytes: s.netRx,
    net_tx_bytes: s.netTx,
  };
}

export function statsHandlers(deps: { containers: ContainerService }): Pick<ContainerServiceHandlers, 'Stats'> {
  return {
    Stats: unary('Stats', async (req) => ({
      containers: (await deps.containers.stats(req.containers, req.all)).map(statsToProto),
      cc: CC_SUCCESS,
      errmsg: '',
    })),
  };
}
