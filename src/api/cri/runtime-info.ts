// runtime.v1.RuntimeService: Version, Status, RuntimeConfig, UpdateRuntimeConfig.
import type { RuntimeServiceHandlers } from '../generated/runtime/v1/RuntimeService.ts';
import type { PodService } from '../../services/pods/service.ts';
import { unary } from '../handler.ts';

/** The CRI version this server speaks (VersionResponse.version is the kubelet API version). */
const KUBE_API_VERSION = '0.1.0';
const CGROUP_DRIVER = { systemd: 0, cgroupfs: 1 } as const;

export function criInfoHandlers(pods: PodService): Partial<RuntimeServiceHandlers> {
  return {
    Version: unary('Version', async () => {
      const v = pods.version();
      return { version: KUBE_API_VERSION, runtime_name: v.name, runtime_version: v.version, runtime_api_version: 'v1' };
    }),
    Status: unary('Status', async (req) => {
      const s = await pods.status();
      const conditions = s.conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message }));
      return { status: { conditions }, info: (req.verbose ? { config: JSON.stringify(s.info) } : {}) as Record<string, string> };
    }),
    RuntimeConfig: unary('RuntimeConfig', async () => ({ linux: { cgroup_driver: CGROUP_DRIVER[pods.cgroupDriver()] } })),
    UpdateRuntimeConfig: unary('UpdateRuntimeConfig', async (req) => {
      pods.updateRuntimeConfig({ podCidr: req.runtime_config?.network_config?.pod_cidr ?? '' });
      return {};
    }),
  };
}
