// Facts for `isula version` and `isula info`: build info, host facts (kernel, OS, arch, CPUs,
// memory, hugepage size) and engine counts. Counts come from the container and image services
// through the small CountSources seam, so this file depends on neither.

import { access, constants, readFile, readdir, stat, statfs } from 'node:fs/promises';
import os from 'node:os';
import { isAbsolute, join } from 'node:path';
import { DEFAULT_CNI_BIN_DIRS } from '../network/plugin.ts';
import { buildInfo } from '../api/build-info.ts';
import type { DaemonConfig } from './config.ts';
import type { ContainerCounts, InfoFacts, SystemInfoService, VersionFacts } from '../services/system-info-types.ts';

export type { ContainerCounts, InfoFacts, SystemInfoService, VersionFacts };

export interface CountSources {
  containers?: () => ContainerCounts;
  images?: () => number;
  /** the runtimes the daemon drives (its registry): usable names and "name: reason" for the others */
  runtimes?: () => { usable: string[]; unusable: string[] };
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
        httpProxy: maskProxy(config.env.httpProxy),
        httpsProxy: maskProxy(config.env.httpsProxy),
        noProxy: config.env.noProxy,
        cgroupVersion: await cgroupVersion(),
        ...(await spaceOf(config.graph)),
        ...(counts.runtimes ? { runtimes: counts.runtimes().usable, unusableRuntimes: counts.runtimes().unusable } : { runtimes: await runtimesFound(config), unusableRuntimes: [] }),
        defaultRuntime: config.defaultRuntime,
        cniPlugins: await cniPluginsIn(cniBinDirs(config)),
        cniBinDirs: cniBinDirs(config),
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

/** "2" when /sys/fs/cgroup is the unified hierarchy, "1" for legacy or hybrid, "" if unmounted. */
export function cgroupVersionFromMounts(text: string): string {
  let version = '';
  for (const line of text.split('\n')) {
    const [, mnt, fstype] = line.split(' ');
    if (mnt === '/sys/fs/cgroup' && fstype === 'cgroup2') return '2';
    if (mnt?.startsWith('/sys/fs/cgroup/') && fstype === 'cgroup') version = '1';
  }
  return version;
}

async function cgroupVersion(): Promise<string> {
  try {
    return cgroupVersionFromMounts(await readFile('/proc/self/mounts', 'utf8'));
  } catch {
    return '';
  }
}

async function spaceOf(path: string): Promise<{ rootDirFree: number; rootDirSize: number }> {
  try {
    const s = await statfs(path);
    return { rootDirFree: s.bavail * s.bsize, rootDirSize: s.blocks * s.bsize };
  } catch {
    return { rootDirFree: 0, rootDirSize: 0 };
  }
}

async function isExecutableFile(p: string): Promise<boolean> {
  try {
    if (!(await stat(p)).isFile()) return false;
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string, path: string): Promise<boolean> {
  if (isAbsolute(name)) return isExecutableFile(name);
  for (const dir of path.split(':')) {
    if (dir !== '' && (await isExecutableFile(join(dir, name)))) return true;
  }
  return false;
}

/** Built-in runtimes with the executable each needs, plus daemon.json `runtimes` entries. */
const KNOWN_RUNTIMES: Record<string, string> = { lcr: 'lxc-start', runc: 'runc', crun: 'crun' };

async function runtimesFound(config: DaemonConfig): Promise<string[]> {
  const wanted: Record<string, string> = { ...KNOWN_RUNTIMES };
  for (const [name, r] of Object.entries(config.runtimes)) wanted[name] = r.path || name;
  const found: string[] = [];
  for (const [name, exe] of Object.entries(wanted)) if (await onPath(exe, config.env.path)) found.push(name);
  return found.sort();
}

function cniBinDirs(config: DaemonConfig): string[] {
  return [...new Set([config.cniBinDir, ...DEFAULT_CNI_BIN_DIRS].filter((d) => d !== ''))];
}

async function cniPluginsIn(dirs: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const d of dirs) {
    let names: string[];
    try {
      names = await readdir(d);
    } catch {
      continue;
    }
    for (const n of names) if (await isExecutableFile(join(d, n))) found.add(n);
  }
  return [...found].sort();
}

/**
 * A proxy URL as `info` shows it (iSulad): user and password masked as xxxx:xxxx; one that cannot
 * be a URL (no colon, or a "@" before the first colon) is left out, as is an unset one.
 */
export function maskProxy(p: string): string {
  if (p === '') return '';
  const colon = p.indexOf(':');
  if (colon < 0) return '';
  const at = p.lastIndexOf('@');
  if (at < 0) return p;
  if (at < colon) return '';
  return `${p.slice(0, colon)}://xxxx:xxxx${p.slice(at)}`;
}
