// The system-info service's contract (`isula version` / `isula info` facts), in a low module so
// the api handlers depend on it without importing the daemon that implements it
// (src/daemon/system-info.ts).

export interface ContainerCounts { total: number; running: number; paused: number; stopped: number }

/** Build facts (src/api/build-info.ts BuildInfo) plus the daemon's root path. */
export interface VersionFacts { version: string; gitCommit: string; built: string; rootPath: string }

export interface InfoFacts {
  version: string;
  containers: ContainerCounts;
  images: number;
  storageDriver: string;
  /** "key: value" lines printed under Storage Driver */
  storageStatus: string[];
  loggingDriver: string;
  cgroupDriver: string;
  hugePageSize: string;
  kernelVersion: string;
  operatingSystem: string;
  osType: string;
  architecture: string;
  cpus: number;
  totalMemoryBytes: number;
  name: string;
  rootDir: string;
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
  /** "2" (unified), "1" (legacy or hybrid), "" when no cgroup mount was found */
  cgroupVersion: string;
  /** bytes free to unprivileged users, and the size, of the filesystem holding rootDir */
  rootDirFree: number;
  rootDirSize: number;
  /** runtimes whose executables exist (lcr: lxc-start), sorted */
  runtimes: string[];
  /** runtimes known but refused by this host, "name: reason" (crun on a hybrid cgroup layout) */
  unusableRuntimes: string[];
  defaultRuntime: string;
  /** CNI plugin executables found in cniBinDirs, sorted, each once */
  cniPlugins: string[];
  cniBinDirs: string[];
}

export interface SystemInfoService {
  version(): VersionFacts;
  info(): Promise<InfoFacts>;
  close(): Promise<void>;
}
