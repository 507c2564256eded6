// Facts for `isula version` and `isula info`: build info, host facts (kernel, OS, arch, CPUs,
// memory, hugepage size) and engine counts. Counts come from the container and image services
// through the small CountSources seam, so this file depends on neither.

import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { buildInfo } from '../api/build-info.ts';
import type { DaemonConfig } from './config.ts';
import type { ContainerCounts, InfoFacts, SystemInfoService, VersionFacts } from '../services/system-info-types.ts';

export type { ContainerCounts, InfoFacts, SystemInfoService, VersionFacts };

export interface CountSources {
  containers?: () => ContainerCounts;
  images?: () => number;
}

const ZERO: ContainerCounts = { total: 0, running: 0, paused: 0, stopped: 0 };

export function createSystemInfoService(config: DaemonConfig, counts: CountSources): SystemInfoService {
  // Host facts that cannot change while we run are read once, on first use.
  let hostFacts: Promise<{ operatingSystem: string; hugePageSize: string }> | undefined;
  return {
    version: () => ({ ...buildInfo(), rootPath: config.graph }),
    async info() {
      hostFacts ??= readHostFacts();
      const h = await hostFacts;
      return {
        version: buildInfo().version,
        containers: counts.containers?.() ?? ZERO,
        images: counts.images?.() ?? 0,
        storageDriver: config.storageDriver,
        storageStatus: [`Backing Filesystem: ${await backingFilesystem(config.graph)}`, 'Supports d_type: true'],
        loggingDriver: config.containerLog.driver,
        cgroupDriver: config.systemdCgroup ? 'systemd' : 'cgroupfs',
        hugePageSize: h.hugePageSize,
        kernelVersion: os.release(),
        operatingSystem: h.operatingSystem,
        osType: os.type(),
        architecture: os.machine(),
        cpus: os.availableParallelism(),
        totalMemoryBytes: os.totalmem(),
        name: os.hostname(),
        rootDir: config.graph,
        httpProxy: config.env.httpProxy,
        httpsProxy: config.env.httpsProxy,
        noProxy: config.env.noProxy,
      };
    },
    async close() {},
  };
}

async function readHostFacts(): Promise<{ operatingSystem: string; hugePageSize: string }> {
  return { operatingSystem: await osPrettyName(), hugePageSize: await hugePageSize() };
}

/** PRETTY_NAME from os-release, as iSulad prints it. */
export function prettyNameFromOsRelease(text: string): string | undefined {
  const m = /^PRETTY_NAME=(.*)$/m.exec(text);
  if (!m) return undefined;
  return (m[1] ?? '').trim().replace(/^["']|["']$/g, '');
}

async function osPrettyName(): Promise<string> {
  for (const f of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      const name = prettyNameFromOsRelease(await readFile(f, 'utf8'));
      if (name) return name;
    } catch { /* try the next */ }
  }
  return 'unknown';
}

/** "Hugepagesize: 2048 kB" → "2MB" (iSulad's format). */
export function hugePageSizeFromMeminfo(text: string): string {
  const m = /^Hugepagesize:\s+(\d+)\s*kB/m.exec(text);
  if (!m) return '';
  const kb = Number(m[1]);
  if (kb >= 1024 * 1024 && kb % (1024 * 1024) === 0) return `${kb / (1024 * 1024)}GB`;
  if (kb >= 1024 && kb % 1024 === 0) return `${kb / 1024}MB`;
  return `${kb}KB`;
}

async function hugePageSize(): Promise<string> {
  try {
    return hugePageSizeFromMeminfo(await readFile('/proc/meminfo', 'utf8'));
  } catch {
    return '';
  }
}

/** The filesystem type of the mount holding `path`, from /proc/self/mounts (longest prefix). */
async function backingFilesystem(path: string): Promise<string> {
  try {
    const text = await readFile('/proc/self/mounts', 'utf8');
    let best = '';
    let type = 'unknown';
    for (const line of text.split('\n')) {
      const [, mnt, fstype] = line.split(' ');
      if (!mnt || !fstype) continue;
      const m = mnt.replace(/\\040/g, ' ');
      if ((path === m || path.startsWith(m.endsWith('/') ? m : `${m}/`)) && m.length >= best.length) {
        best = m;
        type = fstype;
      }
    }
    return type;
  } catch {
    return 'unknown';
  }
}
