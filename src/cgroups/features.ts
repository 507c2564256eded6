// What the host's cgroups can limit (iSulad's sysinfo): probed once at daemon start from the
// controller roots, so a create asking for a limit the kernel cannot apply is refused with
// iSulad's message instead of failing later in lxc-start or runc. Also the cpu.rt_* budget the
// daemon writes into a container's parent cgroups before a start (iSulad's cpurt init).
import { access, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { release } from 'node:os';
import type { CgroupLayout } from './hierarchy.ts';

export interface CgroupFeatures {
  /** swap is accounted (v1 memory.memsw.*; v2 the memory controller): a memory+swap limit applies */
  memorySwap: boolean;
  memoryReservation: boolean;
  memorySwappiness: boolean;
  /** a kernel memory limit is enforced (the file exists and the kernel is older than 6.1, which ignores it) */
  kernelMemory: boolean;
  oomKillDisable: boolean;
  cpuRealtime: boolean;
  cpuset: boolean;
  blkioWeight: boolean;
  blkioWeightDevice: boolean;
  blkioThrottle: boolean;
  /** huge page sizes a container limit can name ("2MB", "1GB"); empty: no usable hugetlb controller */
  hugePageSizes: string[];
  /** the default huge page size ("2MB"), for --hugetlb-limit without a size */
  defaultHugePageSize: string;
  /** openEuler's files cgroup */
  filesLimit: boolean;
}

const exists = (p: string) => access(p).then(() => true, () => false);

/** "hugepages-2048kB" → "2MB" */
export function pageSizeName(kb: number): string {
  if (kb % (1024 * 1024) === 0) return `${kb / (1024 * 1024)}GB`;
  if (kb % 1024 === 0) return `${kb / 1024}MB`;
  return `${kb}KB`;
}

/** Linux release "6.18.44-x" ≥ major.minor */
export function kernelAtLeast(rel: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(rel);
  if (!m) return false;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a > major || (a === major && b >= minor);
}

export async function probeCgroupFeatures(layout: CgroupLayout): Promise<CgroupFeatures> {
  const v1 = (c: string, file: string) => (layout.v1[c] ? exists(`${layout.v1[c]}/${file}`) : Promise.resolve(false));
  const unifiedControllers = layout.unified
    ? (await readFile(`${layout.unified}/cgroup.controllers`, 'utf8').catch(() => '')).split(/\s+/).filter(Boolean)
    : [];
  const sizes = await readdir('/sys/kernel/mm/hugepages').catch(() => [] as string[]);
  const allSizes = sizes.map((d) => /^hugepages-(\d+)kB$/.exec(d)).filter((m): m is RegExpExecArray => m !== null).map((m) => pageSizeName(Number(m[1])));
  const meminfo = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const def = /Hugepagesize:\s+(\d+) kB/.exec(meminfo);
  if (layout.version === 'v2') {
    const has = (c: string) => unifiedControllers.includes(c);
    return {
      memorySwap: has('memory'),
      memoryReservation: has('memory'),
      memorySwappiness: false,
      kernelMemory: false,
      oomKillDisable: false,
      cpuRealtime: false,
      cpuset: has('cpuset'),
      blkioWeight: has('io') && (await exists(`${layout.unified}/io.bfq.weight`)),
      blkioWeightDevice: has('io') && (await exists(`${layout.unified}/io.bfq.weight`)),
      blkioThrottle: has('io'),
      hugePageSizes: has('hugetlb') ? allSizes : [],
      defaultHugePageSize: def ? pageSizeName(Number(def[1])) : '',
      filesLimit: has('files'),
    };
  }
  // v1 and hybrid: the runtimes set limits on the v1 hierarchies only (LXC's lxc.cgroup.* keys,
  // runc's v1 manager), so a controller that lives only on the hybrid's cgroup2 mount is not usable
  const [memsw, reservation, swappiness, kmem, oom, rt, cpuset, weight, bfq, weightDev, bfqDev, throttle] = await Promise.all([
    v1('memory', 'memory.memsw.limit_in_bytes'), v1('memory', 'memory.soft_limit_in_bytes'), v1('memory', 'memory.swappiness'), v1('memory', 'memory.kmem.limit_in_bytes'),
    v1('memory', 'memory.oom_control'), v1('cpu', 'cpu.rt_runtime_us'), v1('cpuset', 'cpuset.mems'),
    v1('blkio', 'blkio.weight'), v1('blkio', 'blkio.bfq.weight'), v1('blkio', 'blkio.weight_device'), v1('blkio', 'blkio.bfq.weight_device'),
    v1('blkio', 'blkio.throttle.read_bps_device'),
  ]);
  return {
    memorySwap: memsw,
    memoryReservation: reservation,
    memorySwappiness: swappiness,
    kernelMemory: kmem && !kernelAtLeast(release(), 6, 1),
    oomKillDisable: oom,
    cpuRealtime: rt,
    cpuset,
    blkioWeight: weight || bfq,
    blkioWeightDevice: weightDev || bfqDev,
    blkioThrottle: throttle,
    hugePageSizes: layout.v1['hugetlb'] ? allSizes : [],
    defaultHugePageSize: def ? pageSizeName(Number(def[1])) : '',
    filesLimit: layout.v1['files'] !== undefined,
  };
}

/**
 * Writes the daemon's cpu.rt_period_us / cpu.rt_runtime_us into every parent of a container's
 * cgroup (v1 cpu controller), top down: a child's rt runtime can never exceed its parent's, and
 * a new cgroup starts with 0, so without this no container can get an rt runtime. Done before
 * each start (iSulad does the same: the values do not survive a reboot). No-op when both are 0.
 */
export async function writeCpuRtParents(layout: CgroupLayout, cgroupsPath: string, rt: { period: number; runtime: number }): Promise<void> {
  const root = layout.v1['cpu'];
  if (root === undefined || (rt.period === 0 && rt.runtime === 0)) return;
  const parts = cgroupsPath.replace(/^\/+|\/+$/g, '').split('/').filter(Boolean).slice(0, -1);
  let dir = root;
  for (const p of parts) {
    dir = `${dir}/${p}`;
    await mkdir(dir, { recursive: true });
    if (rt.period !== 0) await writeFile(`${dir}/cpu.rt_period_us`, String(rt.period));
    if (rt.runtime !== 0) await writeFile(`${dir}/cpu.rt_runtime_us`, String(rt.runtime));
  }
}
