// runtime.v1.RuntimeService: pod sandboxes, containers, ExecSync, stats. Translation only: the
// pod service (src/services/pods/) owns the rules.
import type { RuntimeServiceHandlers } from '../generated/runtime/v1/RuntimeService.ts';
import type { Container } from '../generated/runtime/v1/Container.ts';
import type { ContainerStats } from '../generated/runtime/v1/ContainerStats.ts';
import type { ContainerStatus } from '../generated/runtime/v1/ContainerStatus.ts';
import type { NamespaceMode } from '../generated/runtime/v1/NamespaceMode.ts';
import type { MountPropagation } from '../generated/runtime/v1/MountPropagation.ts';
import type { PodSandbox } from '../generated/runtime/v1/PodSandbox.ts';
import type { PodSandboxStatus } from '../generated/runtime/v1/PodSandboxStatus.ts';
import type { CriContainerView, PodService, SandboxView } from '../../services/pods/service.ts';
import type { ContainerStatsSample } from '../../services/containers/stats.ts';
import type { ContainerConfigIn, PodConfigIn } from '../../services/pods/types.ts';
import type { PodSandboxStats } from '../generated/runtime/v1/PodSandboxStats.ts';
import type { SandboxStatsView } from '../../services/pods/service.ts';
import { serverStream, unary } from '../handler.ts';
import { invalidArgument, isNotFound } from '../../util/errors.ts';

function sandboxOf(v: SandboxView): PodSandbox {
  const r = v.record;
  return {
    id: r.id,
    metadata: { ...r.metadata },
    state: v.ready ? 0 : 1,
    created_at: r.createdAt,
    labels: r.labels,
    annotations: r.annotations,
    runtime_handler: r.runtimeHandler,
  };
}

function sandboxStatusOf(v: SandboxView): PodSandboxStatus {
  const r = v.record;
  return {
    ...sandboxOf(v),
    network: { ip: r.ip, additional_ips: r.additionalIps.map((ip) => ({ ip })) },
    linux: { namespaces: { options: { network: r.netMode as NamespaceMode, pid: r.pidMode as NamespaceMode, ipc: r.ipcMode as NamespaceMode, target_id: '' } } },
  };
}

function containerOf(v: CriContainerView): Container {
  return {
    id: v.id,
    pod_sandbox_id: v.sandboxId,
    metadata: { name: v.meta.name, attempt: v.meta.attempt },
    image: { image: v.meta.image, annotations: {} },
    image_ref: `sha256:${v.record.ImageId}`,
    state: v.state,
    created_at: v.createdNs,
    labels: v.meta.labels,
    annotations: v.meta.annotations,
  };
}

function containerStatusOf(v: CriContainerView): ContainerStatus {
  const h = v.record.HostConfig;
  return {
    id: v.id,
    metadata: { name: v.meta.name, attempt: v.meta.attempt },
    state: v.state,
    created_at: v.createdNs,
    started_at: v.startedNs,
    finished_at: v.finishedNs,
    exit_code: v.exitCode,
    image: { image: v.meta.image, annotations: {} },
    image_ref: `sha256:${v.record.ImageId}`,
    reason: v.reason,
    message: v.message,
    labels: v.meta.labels,
    annotations: v.meta.annotations,
    mounts: v.meta.mounts.map((m) => ({ ...m, propagation: m.propagation as MountPropagation })),
    log_path: v.meta.logPath,
    resources: {
      linux: {
        cpu_period: String(h.CpuPeriod),
        cpu_quota: String(h.CpuQuota),
        cpu_shares: String(h.CpuShares),
        memory_limit_in_bytes: String(h.Memory),
        oom_score_adj: String(h.OomScoreAdj),
        cpuset_cpus: h.CpusetCpus,
        cpuset_mems: '',
        memory_swap_limit_in_bytes: String(h.MemorySwap > 0 ? h.MemorySwap : 0),
      },
    },
  };
}

function statsOf(v: CriContainerView, s: ContainerStatsSample | undefined): ContainerStats {
  const ts = String(BigInt(Date.now()) * 1_000_000n);
  const u64 = (n: number) => ({ value: String(Math.max(0, Math.round(n))) });
  return {
    attributes: { id: v.id, metadata: { name: v.meta.name, attempt: v.meta.attempt }, labels: v.meta.labels, annotations: v.meta.annotations },
    cpu: { timestamp: ts, usage_core_nano_seconds: u64(s?.cpuUseNanos ?? 0) },
    memory: {
      timestamp: ts,
      working_set_bytes: u64(s ? Math.max(0, s.memUsed - s.inactiveFile) : 0),
      usage_bytes: u64(s?.memUsed ?? 0),
      available_bytes: u64(s ? Math.max(0, s.memLimit - s.memUsed) : 0),
    },
    writable_layer: { timestamp: ts, fs_id: { mountpoint: '' }, used_bytes: u64(0), inodes_used: u64(0) },
  };
}

function podStatsOf(p: SandboxStatsView): PodSandboxStats {
  const r = p.sandbox.record;
  const ts = String(BigInt(Date.now()) * 1_000_000n);
  const u64 = (n: number) => ({ value: String(Math.max(0, Math.round(n))) });
  const samples = [p.pause, ...p.containers.map((c) => c.sample)].filter((s) => s !== undefined);
  const sum = (f: (s: ContainerStatsSample) => number) => samples.reduce((a, s) => a + f(s), 0);
  // every container of the pod is in the pause container's netns: its counters are the pod's
  const iface = p.pause && r.netMode !== 2
    ? { name: 'eth0', rx_bytes: u64(p.pause.netRx), rx_errors: u64(0), tx_bytes: u64(p.pause.netTx), tx_errors: u64(0) }
    : undefined;
  return {
    attributes: { id: r.id, metadata: { ...r.metadata }, labels: r.labels, annotations: r.annotations },
    linux: {
      cpu: { timestamp: ts, usage_core_nano_seconds: u64(sum((s) => s.cpuUseNanos)) },
      memory: {
        timestamp: ts,
        working_set_bytes: u64(sum((s) => Math.max(0, s.memUsed - s.inactiveFile))),
        usage_bytes: u64(sum((s) => s.memUsed)),
      },
      ...(iface ? { network: { timestamp: ts, default_interface: iface, interfaces: [iface] } } : {}),
      process: { timestamp: ts, process_count: u64(sum((s) => s.pidsCurrent)) },
      containers: p.containers.map((c) => statsOf(c.view, c.sample)),
    },
  };
}

export function criPodHandlers(pods: PodService): Partial<RuntimeServiceHandlers> {
  return {
    RunPodSandbox: unary('RunPodSandbox', async (req) => {
      if (!req.config) throw invalidArgument('RunPodSandbox: config is required');
      return { pod_sandbox_id: await pods.runSandbox(req.config as unknown as PodConfigIn, req.runtime_handler) };
    }),
    StopPodSandbox: unary('StopPodSandbox', async (req) => {
      await pods.stopSandbox(req.pod_sandbox_id);
      return {};
    }),
    RemovePodSandbox: unary('RemovePodSandbox', async (req) => {
      await pods.removeSandbox(req.pod_sandbox_id);
      return {};
    }),
    PodSandboxStatus: unary('PodSandboxStatus', async (req) => {
      const v = pods.sandboxStatus(req.pod_sandbox_id);
      const info: Record<string, string> = req.verbose ? { info: JSON.stringify({ pid: 0, sandboxRecord: v.record }) } : {};
      return { status: sandboxStatusOf(v), info, containers_statuses: [], timestamp: String(BigInt(Date.now()) * 1_000_000n) };
    }),
    ListPodSandbox: unary('ListPodSandbox', async (req) => {
      const f = req.filter;
      const list = pods.listSandboxes({
        ...(f?.id ? { id: f.id } : {}),
        ...(f?.state ? { state: f.state.state as 0 | 1 } : {}),
        ...(f?.label_selector ? { labels: f.label_selector } : {}),
      });
      return { items: list.map(sandboxOf) };
    }),
    CreateContainer: unary('CreateContainer', async (req) => {
      if (!req.config) throw invalidArgument('CreateContainer: config is required');
      return { container_id: await pods.createContainer(req.pod_sandbox_id, req.config as unknown as ContainerConfigIn) };
    }),
    StartContainer: unary('StartContainer', async (req) => {
      await pods.startContainer(req.container_id);
      return {};
    }),
    StopContainer: unary('StopContainer', async (req) => {
      await pods.stopContainer(req.container_id, Number(req.timeout));
      return {};
    }),
    RemoveContainer: unary('RemoveContainer', async (req) => {
      await pods.removeContainer(req.container_id);
      return {};
    }),
    ListContainers: unary('ListContainers', async (req) => {
      const f = req.filter;
      const list = pods.listContainers({
        ...(f?.id ? { id: f.id } : {}),
        ...(f?.state ? { state: f.state.state } : {}),
        ...(f?.pod_sandbox_id ? { sandboxId: f.pod_sandbox_id } : {}),
        ...(f?.label_selector ? { labels: f.label_selector } : {}),
      });
      return { containers: list.map(containerOf) };
    }),
    ContainerStatus: unary('ContainerStatus', async (req) => {
      const v = pods.findContainer(req.container_id);
      const info: Record<string, string> = req.verbose ? { info: JSON.stringify({ pid: v.record.State.Pid, config: v.record.Config, hostConfig: v.record.HostConfig }) } : {};
      return { status: containerStatusOf(v), info };
    }),
    UpdateContainerResources: unary('UpdateContainerResources', async (req) => {
      await pods.updateResources(req.container_id, req.linux as never);
      return {};
    }),
    ReopenContainerLog: unary('ReopenContainerLog', async (req) => {
      await pods.reopenLog(req.container_id);
      return {};
    }),
    ExecSync: unary('ExecSync', async (req, ctx) => {
      const r = await pods.execSync(req.container_id, req.cmd, Number(req.timeout), ctx.signal);
      return { stdout: r.stdout, stderr: r.stderr, exit_code: r.exitCode };
    }),
    ContainerStats: unary('ContainerStats', async (req) => {
      const v = pods.findContainer(req.container_id);
      const s = v.state === 1 ? await pods.stats([v.id]) : new Map<string, ContainerStatsSample>();
      return { stats: statsOf(v, s.get(v.id)) };
    }),
    ListContainerStats: unary('ListContainerStats', async (req) => {
      const f = req.filter;
      const list = pods.listContainers({
        ...(f?.id ? { id: f.id } : {}),
        ...(f?.pod_sandbox_id ? { sandboxId: f.pod_sandbox_id } : {}),
        ...(f?.label_selector ? { labels: f.label_selector } : {}),
      });
      const running = list.filter((v) => v.state === 1);
      const s = await pods.stats(running.map((v) => v.id));
      return { stats: list.map((v) => statsOf(v, s.get(v.id))) };
    }),
    PodSandboxStats: unary('PodSandboxStats', async (req) => {
      const [p] = await pods.sandboxStats({ id: req.pod_sandbox_id });
      return { stats: p ? podStatsOf(p) : null };
    }),
    ListPodSandboxStats: unary('ListPodSandboxStats', async (req) => {
      const f = req.filter;
      const list = await pods.sandboxStats({
        ...(f?.id ? { id: f.id } : {}),
        ...(f?.label_selector ? { labels: f.label_selector } : {}),
      }).catch((err: unknown) => {
        if (f?.id && isNotFound(err)) return [];
        throw err;
      });
      return { stats: list.map(podStatsOf) };
    }),
    GetContainerEvents: serverStream('GetContainerEvents', async (_req, out, ctx) => {
      for await (const e of pods.containerEvents(ctx.signal)) {
        await out.write({
          container_id: e.containerId,
          container_event_type: e.type,
          created_at: String(e.createdAt),
          pod_sandbox_status: e.sandbox ? sandboxStatusOf(e.sandbox) : null,
          containers_statuses: e.containers.map(containerStatusOf),
        });
      }
    }),
    ListMetricDescriptors: unary('ListMetricDescriptors', async () => ({ descriptors: [] })),
    ListPodSandboxMetrics: unary('ListPodSandboxMetrics', async () => ({ pod_metrics: [] })),
  };
}
