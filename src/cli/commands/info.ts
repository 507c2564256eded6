// isula info: system-wide information, in iSulad's line order (research/isulad.md §2.3).

import type { Command } from '../command.ts';
import type { InfoResponse__Output } from '../../api/generated/containers/InfoResponse.ts';

/** iSulad prints whole GB; a device with less than 1 GB gets MB instead of a useless 0. */
export function formatTotalMemory(bytes: number): string {
  const gb = Math.floor(bytes / 1024 ** 3);
  if (gb >= 1) return `${gb} GB`;
  return `${Math.floor(bytes / 1024 ** 2)} MB`;
}

/** 1.5 GB, 300 MB, 12 KB: one decimal below 10, powers of 1024 as `Total Memory` uses. */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u > 0 && v < 10 ? v.toFixed(1) : Math.floor(v)} ${units[u]}`;
}

export function formatInfo(i: InfoResponse__Output): string {
  const lines = [
    `Containers: ${i.containers_num}`,
    ` Running: ${i.c_running}`,
    ` Paused: ${i.c_paused}`,
    ` Stopped: ${i.c_stopped}`,
    `Images: ${i.images_num}`,
    `Server Version: ${i.version}`,
    `Storage Driver: ${i.driver_name}`,
    ...(i.driver_status ? i.driver_status.split('\n').map((l) => ` ${l}`) : []),
    `Logging Driver: ${i.logging_driver}`,
    `Cgroup Driver: ${i.cgroup_driver}`,
    `Cgroup Version: ${i.cgroup_version || 'unknown'}`,
    `Runtimes: ${i.runtimes.length > 0 ? i.runtimes.join(' ') : 'none found'}`,
    ...i.unusable_runtimes.map((u) => ` Unusable: ${u}`),
    `Default Runtime: ${i.default_runtime}`,
    `CNI Plugins: ${i.cni_plugins.length > 0 ? i.cni_plugins.join(' ') : 'none found'}`,
    ` Plugin Dirs: ${i.cni_bin_dirs.join(' ')}`,
    `Hugetlb Pagesize: ${i.huge_page_size}`,
    `Kernel Version: ${i.kversion}`,
    `Operating System: ${i.operating_system}`,
    `OSType: ${i.os_type}`,
    `Architecture: ${i.architecture}`,
    `CPUs: ${i.cpus}`,
    `Total Memory: ${formatTotalMemory(Number(i.total_mem))}`,
    `Name: ${i.nodename}`,
    `iSulad Root Dir: ${i.isulad_root_dir}`,
    ` Free Space: ${formatBytes(Number(i.root_dir_free))} of ${formatBytes(Number(i.root_dir_size))}`,
    // iSulad prints a proxy line only when that proxy is set
    ...(i.http_proxy ? [`Http Proxy: ${i.http_proxy}`] : []),
    ...(i.https_proxy ? [`Https Proxy: ${i.https_proxy}`] : []),
    ...(i.no_proxy ? [`No Proxy: ${i.no_proxy}`] : []),
  ];
  return lines.join('\n') + '\n';
}

export const command: Command = {
  name: 'info',
  usage: '[OPTIONS]',
  description: 'Display system-wide information',
  async run(ctx) {
    const c = await ctx.client();
    const info = await c.call('containers', 'Info', {}, { timeoutMs: 30_000 });
    ctx.out(formatInfo(info));
    return 0;
  },
};
