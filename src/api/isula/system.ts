// ContainerService.Version and .Info: daemon facts for `isula version` and `isula info`.

import type { ContainerServiceHandlers } from '../generated/containers/ContainerService.ts';
import type { InfoResponse } from '../generated/containers/InfoResponse.ts';
import type { VersionResponse } from '../generated/containers/VersionResponse.ts';
import type { InfoFacts, SystemInfoService, VersionFacts } from '../../services/system-info-types.ts';
import { unary } from '../handler.ts';
import { CC_SUCCESS } from '../status.ts';

export function versionResponseFrom(v: VersionFacts): VersionResponse {
  return { version: v.version, git_commit: v.gitCommit, build_time: v.built, root_path: v.rootPath, cc: CC_SUCCESS, errmsg: '' };
}

export function infoResponseFrom(i: InfoFacts): InfoResponse {
  return {
    cc: CC_SUCCESS,
    errmsg: '',
    version: i.version,
    containers_num: i.containers.total,
    c_running: i.containers.running,
    c_paused: i.containers.paused,
    c_stopped: i.containers.stopped,
    images_num: i.images,
    kversion: i.kernelVersion,
    os_type: i.osType,
    architecture: i.architecture,
    nodename: i.name,
    cpus: i.cpus,
    operating_system: i.operatingSystem,
    cgroup_driver: i.cgroupDriver,
    logging_driver: i.loggingDriver,
    huge_page_size: i.hugePageSize,
    isulad_root_dir: i.rootDir,
    total_mem: String(i.totalMemoryBytes),
    http_proxy: i.httpProxy,
    https_proxy: i.httpsProxy,
    no_proxy: i.noProxy,
    driver_name: i.storageDriver,
    driver_status: i.storageStatus.join('\n'),
    cgroup_version: i.cgroupVersion,
    root_dir_free: String(i.rootDirFree),
    root_dir_size: String(i.rootDirSize),
    runtimes: i.runtimes,
    unusable_runtimes: i.unusableRuntimes,
    default_runtime: i.defaultRuntime,
    cni_plugins: i.cniPlugins,
    cni_bin_dirs: i.cniBinDirs,
  };
}

export function systemHandlers(deps: { system: SystemInfoService }): Pick<ContainerServiceHandlers, 'Version' | 'Info'> {
  return {
    Version: unary('Version', async () => versionResponseFrom(deps.system.version())),
    Info: unary('Info', async () => infoResponseFrom(await deps.system.info())),
  };
}
