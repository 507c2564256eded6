// create: resolve the image, make the writable layer, build the OCI spec, let the runtime write
// its config, then commit the record and publish `create`. Each step pushes its undo (T13).
import { formatPlatform, parsePlatform, selectPlatform, type Platform } from '../../image/registry/platform.ts';
import { chown, mkdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { makeInRoot, resolveTargetInRoot } from '../../util/in-root.ts';
import { dirname, join } from 'node:path';
import { hostname } from 'node:os';
import { failedPrecondition, invalidArgument, notFound, wrap } from '../../util/errors.ts';
import { parseSize } from '../../util/units.ts';
import type { ImageRecord } from '../../image/types.ts';
import { ContainerCore, rollback } from './core.ts';
import { newContainerId, validateName } from './naming.ts';
import { hasRestartPolicy, validateRestartPolicy } from './restart-policy.ts';
import { containerNsRefs, nsJoinKey } from './spec-input.ts';
import { resolveMountPoints } from './volume-mounts.ts';
import { validateCreateRequest } from './validate.ts';
import { nowRfc3339Nano } from './time.ts';
import { ZERO_TIME } from './types.ts';
import { checkNetworkFlags, hasCniNetwork, mergeExposedPorts } from './network.ts';
import { networkFilePaths, writeNetworkFiles } from './network-files.ts';
import type { NetworkFileInput, NetworkFilePaths } from './network-files.ts';
import type { ContainerConfig, ContainerRecord, CreateRequest, HealthConfig, HostConfig } from './types.ts';
import { checkHostSupport } from './host-support.ts';
import { createHostChannel, removeHostChannel } from './host-channel.ts';
import { mountShareableShm, removeShareableShm, shmPathOf } from './ipc-shm.ts';
import { log } from '../../util/log.ts';
import { letMappedRootTraverse, remapOf, remapString } from './userns.ts';
import { DEFAULT_SHM_SIZE, SYSTEM_CONTAINER_ANNOTATION } from '../../spec/index.ts';
import { expandSyslogTag, syslogTargetOf, type TagFacts } from './syslog-tag.ts';
import { SYSLOG_FACILITIES, type SyslogTarget } from '../../runtime/syslog.ts';
import { logDisabled, VOLATILE_LOG_MAX_FILE, VOLATILE_LOG_MAX_SIZE, volatileLogDir } from './console-log.ts';
import { markDefaultUlimits } from './default-ulimits.ts';

export const DEFAULT_LOG_MAX_SIZE = 1024 * 1024;
export const DEFAULT_LOG_MAX_FILE = 7;

export function defaultHostConfig(): HostConfig {
  return {
    Binds: [],
    Mounts: [],
    Tmpfs: {},
    ReadonlyRootfs: false,
    Privileged: false,
    CapAdd: [],
    CapDrop: [],
    SecurityOpt: [],
    Devices: [],
    Sysctls: {},
    Ulimits: [],
    Memory: 0,
    MemorySwap: 0,
    NanoCpus: 0,
    CpuShares: 0,
    CpuQuota: 0,
    CpuPeriod: 0,
    CpusetCpus: '',
    PidsLimit: 0,
    OomScoreAdj: 0,
    ShmSize: DEFAULT_SHM_SIZE,
    NetworkMode: 'bridge',
    PidMode: '',
    IpcMode: '',
    UTSMode: '',
    LogConfig: { Type: 'json-file', Config: {} },
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    AutoRemove: false,
    Runtime: '',
  };
}

/** Env merge: the image's first, the user's override by key (docker semantics). */
export function mergeEnv(image: readonly string[], user: readonly string[]): string[] {
  const keyOf = (e: string) => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e);
  const out = [...image];
  for (const e of user) {
    const i = out.findIndex((x) => keyOf(x) === keyOf(e));
    if (i >= 0) out[i] = e;
    else out.push(e);
  }
  return out;
}

/** Image config + user config → the container's Config. A user entrypoint drops the image's Cmd. */
export function mergeConfig(user: Partial<ContainerConfig>, image: ImageRecord, imageRef: string): ContainerConfig {
  const ic = image.config.config ?? {};
  const entrypoint = user.Entrypoint ?? ic.Entrypoint ?? [];
  const cmd = user.Cmd && user.Cmd.length > 0 ? user.Cmd : user.Entrypoint ? [] : (ic.Cmd ?? []);
  return {
    Hostname: user.Hostname ?? '',
    User: user.User || ic.User || '',
    Env: mergeEnv(ic.Env ?? [], user.Env ?? []),
    Tty: user.Tty ?? false,
    OpenStdin: user.OpenStdin ?? false,
    ...(user.StdinOnce === true && user.OpenStdin === true ? { StdinOnce: true } : {}),
    Cmd: [...cmd],
    Entrypoint: [...entrypoint],
    Labels: { ...(ic.Labels ?? {}), ...(user.Labels ?? {}) },
    Annotations: { ...(user.Annotations ?? {}) },
    Volumes: { ...((ic.Volumes ?? {}) as Record<string, Record<string, never>>), ...(user.Volumes ?? {}) },
    Image: imageRef,
    ImageRef: `sha256:${image.id}`,
    WorkingDir: user.WorkingDir || ic.WorkingDir || '',
    StopSignal: user.StopSignal || ic.StopSignal || 'SIGTERM',
    ...(user.MacAddress ? { MacAddress: user.MacAddress } : {}),
    ...mergeHealthcheck(user.Healthcheck, ic.Healthcheck),
  };
}

/** --health-* fields override the image's HEALTHCHECK one by one (docker); none at all: omitted. */
function mergeHealthcheck(user: HealthConfig | undefined, image: HealthConfig | undefined): { Healthcheck?: HealthConfig } {
  if (!user && !image) return {};
  const h: HealthConfig = { ...(image ?? {}) };
  for (const [k, v] of Object.entries(user ?? {})) {
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) (h as Record<string, unknown>)[k] = v;
  }
  return { Healthcheck: h };
}

/** Refuses an image that is not of the --platform asked for (a missing variant matches). */
export function checkImagePlatform(image: ImageRecord, ref: string, platform: string): void {
  const want = parsePlatform(platform);
  const c = image.config;
  const have: Platform = c.variant ? { os: c.os, architecture: c.architecture, variant: c.variant } : { os: c.os, architecture: c.architecture };
  if (selectPlatform([{ platform: have }], want) < 0) {
    throw invalidArgument(`image ${ref} is ${formatPlatform(have)}, not the requested platform ${formatPlatform(want)}`);
  }
}

async function resolveImage(core: ContainerCore, req: CreateRequest): Promise<ImageRecord> {
  const pull = req.pull ?? 'missing';
  const local = pull === 'always' ? undefined : core.deps.images.resolve(req.image);
  if (local) {
    if (req.platform) checkImagePlatform(local, req.image, req.platform);
    return local;
  }
  if (pull === 'never' || !core.deps.pullImage) throw notFound(`No such image: ${req.image}`);
  try {
    return await core.deps.pullImage(req.image, undefined, req.platform);
  } catch (err) {
    // iSulad: the create fails with the pull's reason; the kind (not-found, unavailable, …) stays
    throw wrap(err, `No such image: ${req.image}: pull failed`);
  }
}

/**
 * The image of an --external-rootfs container with no config image ("none"): nothing to merge.
 * iSulad takes the IMAGE argument as a config image there (Env, Cmd, … merged; its layers unused).
 */
const NO_IMAGE: ImageRecord = {
  id: '', names: [], digests: [], topLayer: null, layers: [], size: 0, created: '', loaded: '',
  config: { architecture: '', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } },
};

const isNoneImage = (ref: string) => ref === 'none' || ref === 'none:latest';

/** --external-rootfs: an absolute path to an existing directory, resolved (iSulad's ext_detect/ext_prepare_rf). */
async function checkExternalRootfs(path: string): Promise<string> {
  if (!path.startsWith('/')) throw invalidArgument('Rootfs should be absolutely path');
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw notFound(`No such image:${path}`);
  }
  if (!(await stat(real)).isDirectory()) throw invalidArgument(`external rootfs ${path} is not a directory (a block device as rootfs is not supported)`);
  return real;
}

/**
 * -m without --memory-swap: the memory+swap limit set is twice the memory, and the record says so
 * (iSulad's adapt_host_spec; inspect's HostConfig.MemorySwap, update's "already set memoryswap
 * limit"). Only where swap is accounted: elsewhere no swap limit applies and 0 stays.
 */
export function recordDefaultSwap(h: HostConfig, swapAccounted: boolean): void {
  if (h.Memory <= 0 || h.MemorySwap !== 0 || !swapAccounted) return;
  if (h.Memory > Number.MAX_SAFE_INTEGER / 2) throw invalidArgument('Memory swap out of range!');
  h.MemorySwap = h.Memory * 2;
}

export async function createContainer(core: ContainerCore, req: CreateRequest): Promise<ContainerRecord> {
  if (!req.image) throw invalidArgument('image name is required');
  validateCreateRequest(req);
  if (core.deps.hostSupport && req.hostConfig) {
    for (const w of checkHostSupport(req.hostConfig, core.deps.hostSupport)) log.warn(`create: ${w}`);
  }
  const hostConfig: HostConfig = { ...defaultHostConfig(), ...req.hostConfig };
  recordDefaultSwap(hostConfig, core.deps.hostSupport?.features.memorySwap ?? false);
  // the daemon's container-log syslog driver (iSulad: its opts join a container's of the same driver)
  const dl = core.deps.containerLog;
  if (dl?.driver === 'syslog') {
    const own = req.hostConfig?.LogConfig;
    if (own === undefined) hostConfig.LogConfig = { Type: 'syslog', Config: { ...dl.opts } };
    else if (own.Type === 'syslog') hostConfig.LogConfig = { Type: 'syslog', Config: { ...dl.opts, ...own.Config } };
  }
  // the daemon's disable-log (--container-log-opts disable-log=true) is a default of its driver's containers
  const dlDisable = dl?.opts['disable-log'];
  if (dlDisable !== undefined && hostConfig.LogConfig.Type === (dl?.driver ?? 'json-file') && hostConfig.LogConfig.Config['disable-log'] === undefined) {
    hostConfig.LogConfig = { Type: hostConfig.LogConfig.Type, Config: { ...hostConfig.LogConfig.Config, 'disable-log': dlDisable } };
  }
  const externalAsked = req.rootfs || hostConfig.ExternalRootfs;
  if (externalAsked) hostConfig.ExternalRootfs = await checkExternalRootfs(externalAsked);
  else delete hostConfig.ExternalRootfs;
  const external = hostConfig.ExternalRootfs;
  // iSulad's CI runs `--external-rootfs / --read-only`. Refused here: the daemon and LXC place mount
  // points in the rootfs before it is read-only (they would land in the host's own /), and runc's
  // sysfs on <rootfs>/sys hides the host cgroup mounts it then binds (the create fails).
  if (external === '/') throw invalidArgument('external rootfs / (the host\'s own root) is not supported: mount points would be made in the host\'s /');
  validateRestartPolicy(hostConfig.RestartPolicy);
  if (hostConfig.AutoRemove && hasRestartPolicy(hostConfig.RestartPolicy)) {
    throw invalidArgument('Conflicting options: --restart and --rm');
  }
  const runtimeName = req.runtime || hostConfig.Runtime || core.deps.defaultRuntime;
  const runtime = core.deps.runtimes.get(runtimeName);
  if (!runtime) throw invalidArgument(`Invalid runtime name: ${runtimeName}`);
  hostConfig.Runtime = runtimeName;
  // lxc-start has no such switch: LXC always pivots (iSulad: "oci runtime only")
  // LXC 5 gives every container a cgroup namespace of its own (lxc.namespace.keep = cgroup breaks
  // its /dev setup, and a shared one is unshared again)
  if (runtimeName === 'lcr' && (hostConfig.CgroupnsMode === 'host' || hostConfig.CgroupnsMode?.startsWith('container:'))) {
    throw invalidArgument(`--cgroupns ${hostConfig.CgroupnsMode} is not supported by lcr: LXC always gives the container its own cgroup namespace`);
  }
  if (hostConfig.UserRemap && core.deps.usernsRemap) throw invalidArgument('invalid --user-remap command option, daemon already configed --userns-remap');
  if (hostConfig.UsernsMode && hostConfig.UsernsMode !== 'host') throw invalidArgument(`Unsupported user mode ${hostConfig.UsernsMode}`);
  if (hostConfig.UserRemap && (!hostConfig.SystemContainer || !external || hostConfig.Privileged)) throw invalidArgument('--user-remap only available for system container');
  if (hostConfig.RestartPolicy.Name === 'on-reboot' && runtimeName === 'lcr') throw invalidArgument('--restart on-reboot is not supported by lcr: stock LXC restarts a rebooted container inside lxc-start itself, so its system containers get no CAP_SYS_BOOT (use --runtime runc)');
  if (hostConfig.NoPivotRoot && runtimeName === 'lcr') throw invalidArgument('--no-pivot is only supported by OCI runtimes (runc), not lcr');
  if (req.name !== undefined && req.name !== '') validateName(req.name);

  const logOpts = hostConfig.LogConfig.Config;
  checkLogConfig(hostConfig.LogConfig);
  const disabled = logDisabled(hostConfig);
  if (disabled && core.deps.stateDir === undefined) throw failedPrecondition('disable-log needs the daemon\'s state dir (its output is kept there)');
  const logMaxSize = disabled ? VOLATILE_LOG_MAX_SIZE : parseLogSize(logOpts['max-size'], core.deps.logMaxSize ?? DEFAULT_LOG_MAX_SIZE);
  const logMaxFile = disabled ? VOLATILE_LOG_MAX_FILE : parseLogFiles(logOpts['max-file'], core.deps.logMaxFile ?? DEFAULT_LOG_MAX_FILE);

  const image = external && isNoneImage(req.image) ? NO_IMAGE : await resolveImage(core, req);
  const config = mergeConfig(req.config ?? {}, image, req.image);
  // iSulad: an external rootfs is no image of the store; its config image only lends its config
  if (external) config.ImageRef = '';
  // iSulad marks a system container in its annotations (inspect .Config.Annotations, the OCI spec)
  if (hostConfig.SystemContainer) config.Annotations = { ...config.Annotations, [SYSTEM_CONTAINER_ANNOTATION]: 'true' };
  const exposed = mergeExposedPorts(image.config.config?.ExposedPorts, req.config?.ExposedPorts, hostConfig.PortBindings);
  if (exposed) config.ExposedPorts = exposed;
  else delete config.ExposedPorts;
  await checkNetworkFlags(core, hostConfig, config);
  if (hostConfig.NetworkMode === 'host' && config.Hostname === '') config.Hostname = hostname();
  const argv = [...config.Entrypoint, ...config.Cmd];
  if (argv.length === 0) throw invalidArgument('No command specified');

  const all = core.all();
  const id = newContainerId((x) => all.some((c) => c.Id === x));
  // docker/iSulad: the hostname defaults to the short id (not with a shared host UTS namespace)
  if (config.Hostname === '' && hostConfig.UTSMode !== 'host' && !hostConfig.UTSMode.startsWith('container:')) {
    config.Hostname = id.slice(0, 12);
  }
  const name = req.name || id;
  const releaseName = core.names.reserve(name, id, all);

  const undo: Array<() => Promise<void>> = [];
  try {
    const dir = join(core.deps.containersDir, id);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    undo.push(() => rm(dir, { recursive: true, force: true }));
    const remap = remapOf(hostConfig, core.deps.usernsRemap);
    if (remap) await letMappedRootTraverse(remapDirs(core, id));
    // The log exists from the start, so a reader primed before the first start holds an fd to it
    // (a --rm container's output stays readable through that fd after its dir is gone).
    // disable-log: the output is followed from the state tmpfs, never written under the root
    const volatile = disabled ? volatileLogDir(core.deps.stateDir as string, id) : undefined;
    const logPath = criLogPath(hostConfig) ?? (volatile ? join(volatile, 'console.log') : join(dir, 'console.log'));
    if (criLogPath(hostConfig)) await mkdir(dirname(logPath), { recursive: true });
    if (volatile) {
      await mkdir(volatile, { recursive: true, mode: 0o700 });
      undo.push(() => rm(volatile, { recursive: true, force: true }));
    }
    await writeFile(logPath, '', { flag: 'a', mode: 0o600 });

    if (hostConfig.StorageOpt?.['size'] !== undefined) await refuseStorageSize(core.deps.containersDir);
    await core.deps.layers.createContainerLayer(id, external ? null : image.topLayer, external).catch((err: unknown) => {
      throw wrap(err, 'create container layer');
    });
    undo.push(() => core.deps.layers.removeContainerLayer(id));
    // Mounted now because spec building reads the rootfs (/etc/passwd for -u); start reuses the
    // mount (mount is idempotent) and the exit handler releases it.
    const rootfs = await core.deps.layers.mountContainerLayer(id).catch((err: unknown) => {
      throw wrap(err, 'mount rootfs');
    });
    undo.push(() => core.deps.layers.unmountContainerLayer(id));

    if (hostConfig.EnvTargetFile) await writeEnvTargetFile(rootfs, hostConfig.EnvTargetFile, config.Env, remap ? { uid: remap.uid, gid: remap.gid } : undefined);
    const channel = hostConfig.HostChannel;
    if (channel) {
      await createHostChannel(channel);
      undo.push(() => removeHostChannel(channel));
    }
    if (hostConfig.IpcMode === 'shareable') {
      await mountShareableShm(core.deps.containersDir, id, hostConfig);
      undo.push(() => removeShareableShm(core.deps.containersDir, id, hostConfig));
    }
    // volumes need the mounted rootfs (copy-up); they stay held until the record is committed
    const mountPoints = await resolveMountPoints(core, { id, rootfs, config, hostConfig }, undo);
    const files = networkFilePaths(dir);
    const withFiles = !hostConfig.NetworkMode.startsWith('container:');
    if (withFiles) await writeNetworkFiles(files, networkFileInput(config, hostConfig, ''), hostConfig.NetworkMode === 'host');
    // --user-remap: the container's root is the mapped id; the files bound in are made its own
    // (iSulad's chown_network); they are rewritten in place later, so the owner stays
    if (withFiles && remap) {
      for (const f of [files.hostname, files.hosts, files.resolvConf]) await chown(f, remap.uid, remap.gid);
    }
    const nsKey = nsJoinKey(hostConfig, (r) => core.find(r));
    const spec = await core.deps.buildSpec({
      id, name, rootfs, config, hostConfig: specHostConfig(core, id, hostConfig), image, mountPoints, ...shmInput(core, id, hostConfig),
      ...(withFiles ? { networkFiles: networkFileBinds(files) } : {}),
    });
    await runtime.create({
      id,
      spec,
      logPath,
      logMaxSize: criLogPath(hostConfig) || hostConfig.LogConfig.Type === 'none' ? 0 : logMaxSize,
      logMaxFile,
      ...logFormatOf(hostConfig),
      ...syslogOf(hostConfig.LogConfig, { id, name, imageId: image.id, imageName: req.image }),
      openStdin: config.OpenStdin,
      terminal: config.Tty,
      ...(hostConfig.NoPivotRoot ? { noPivot: true } : {}),
    });
    undo.push(() => runtime.delete(id));
    await markDefaultUlimits(dir, core.deps.defaultUlimits ?? '');

    const rec: ContainerRecord = {
      Id: id,
      Name: name,
      Created: nowRfc3339Nano(),
      Image: req.image,
      ImageId: external ? '' : image.id,
      Runtime: runtimeName,
      Path: argv[0] as string,
      Args: argv.slice(1),
      Config: config,
      HostConfig: hostConfig,
      LogPath: logPath,
      RestartCount: 0,
      ...(mountPoints.length > 0 ? { MountPoints: mountPoints } : {}),
      ...(withFiles ? { HostnamePath: files.hostname, HostsPath: files.hosts, ResolvConfPath: files.resolvConf } : {}),
      State: {
        Running: false,
        Paused: false,
        Restarting: false,
        OOMKilled: false,
        Pid: 0,
        PStartTime: '',
        ExitCode: 0,
        Error: '',
        StartedAt: ZERO_TIME,
        FinishedAt: ZERO_TIME,
        ManuallyStopped: false,
      },
    };
    await core.deps.store.put('container', id, rec);
    if (nsKey !== undefined) core.nsJoined.set(id, nsKey);
    core.emit(rec, 'create');
    return rec;
  } catch (err) {
    await rollback(undo, { container: id });
    throw err;
  } finally {
    releaseName();
    core.deps.volumes?.release(id);
  }
}

/**
 * Writes the runtime's side of an existing container again. The runtime keeps its state on tmpfs
 * (/var/run), so after a reboot or power loss it knows none of the stored containers; the record
 * has everything needed to rebuild it (image, Config, HostConfig).
 */
export async function recreateRuntimeState(core: ContainerCore, rec: ContainerRecord): Promise<void> {
  const image = rec.HostConfig.ExternalRootfs ? NO_IMAGE : core.deps.images.resolve(rec.ImageId);
  if (!image) throw notFound(`recreate container "${rec.Name}": its image ${rec.ImageId.slice(0, 12)} is gone`);
  const rootfs = await core.deps.layers.mountContainerLayer(rec.Id).catch((err: unknown) => {
    throw wrap(err, 'mount rootfs');
  });
  core.nsJoined.delete(rec.Id);
  const nsKey = nsJoinKey(rec.HostConfig, (r) => core.find(r));
  const spec = await core.deps.buildSpec({
    id: rec.Id,
    name: rec.Name,
    rootfs,
    config: rec.Config,
    hostConfig: specHostConfig(core, rec.Id, rec.HostConfig),
    image,
    ...(rec.MountPoints ? { mountPoints: rec.MountPoints } : {}),
    ...(rec.HostsPath ? { networkFiles: networkFileBinds(networkFilePaths(join(core.deps.containersDir, rec.Id))) } : {}),
    ...shmInput(core, rec.Id, rec.HostConfig),
  });
  const logOpts = rec.HostConfig.LogConfig.Config;
  const disabled = logDisabled(rec.HostConfig);
  await mkdir(join(core.deps.containersDir, rec.Id), { recursive: true, mode: 0o700 });
  // disable-log: its dir on the state tmpfs is gone after a reboot
  if (disabled) await mkdir(dirname(rec.LogPath), { recursive: true, mode: 0o700 });
  if (remapOf(rec.HostConfig, core.deps.usernsRemap)) await letMappedRootTraverse(remapDirs(core, rec.Id));
  await core.runtimeOf(rec).create({
    id: rec.Id,
    spec,
    logPath: rec.LogPath,
    ...logFormatOf(rec.HostConfig),
    logMaxSize: criLogPath(rec.HostConfig) || rec.HostConfig.LogConfig.Type === 'none' ? 0 : disabled ? VOLATILE_LOG_MAX_SIZE : parseLogSize(logOpts['max-size'], core.deps.logMaxSize ?? DEFAULT_LOG_MAX_SIZE),
    logMaxFile: disabled ? VOLATILE_LOG_MAX_FILE : parseLogFiles(logOpts['max-file'], core.deps.logMaxFile ?? DEFAULT_LOG_MAX_FILE),
    ...syslogOf(rec.HostConfig.LogConfig, { id: rec.Id, name: rec.Name, imageId: rec.ImageId, imageName: rec.Image }),
    openStdin: rec.Config.OpenStdin,
    terminal: rec.Config.Tty,
    ...(rec.HostConfig.NoPivotRoot ? { noPivot: true } : {}),
  });
  await markDefaultUlimits(join(core.deps.containersDir, rec.Id), core.deps.defaultUlimits ?? '');
  if (nsKey !== undefined) core.nsJoined.set(rec.Id, nsKey);
}

/** The daemon's dirs a remapped container's root must traverse (userns.ts letMappedRootTraverse). */
function remapDirs(core: ContainerCore, id: string): string[] {
  const c = core.deps.containersDir;
  const s = core.deps.stateDir;
  return [dirname(c), c, join(c, id), ...(s ? [s, dirname(volatileLogDir(s, id)), volatileLogDir(s, id)] : [])];
}

/** The HostConfig spec building sees: shared namespaces resolved, a CNI network → its netns path. */
function specHostConfig(core: ContainerCore, id: string, h: HostConfig): HostConfig {
  let out = resolveSharedNamespaces(core, h);
  // lcr: a system container gets no CAP_SYS_BOOT. Stock lxc-start answers the init's death by
  // reboot(2) (SIGHUP) by starting the container again inside the same lxc-start, which the
  // engine cannot follow (a stale pid, a rootfs that cannot be unmounted); without the
  // capability reboot(2) fails with EPERM instead.
  if (h.SystemContainer && h.Runtime === 'lcr') out = { ...out, CapDrop: [...out.CapDrop, 'SYS_BOOT'] };
  // the daemon's --userns-remap reaches the spec as the container's remap (not with --userns=host)
  const remap = remapOf(h, core.deps.usernsRemap);
  if (remap && !h.UserRemap) out = { ...out, UserRemap: remapString(remap) };
  if (hasCniNetwork(core, h) && core.deps.network) return { ...out, NetworkMode: core.deps.network.netnsPath(id) };
  return out;
}

function networkFileBinds(f: NetworkFilePaths): Array<{ source: string; destination: string }> {
  return [
    { source: f.hostname, destination: '/etc/hostname' },
    { source: f.hosts, destination: '/etc/hosts' },
    { source: f.resolvConf, destination: '/etc/resolv.conf' },
  ];
}

export function networkFileInput(c: ContainerConfig, h: HostConfig, ip: string): NetworkFileInput {
  return { hostname: c.Hostname, ip, extraHosts: h.ExtraHosts ?? [], dns: h.Dns ?? [], dnsSearch: h.DnsSearch ?? [], dnsOptions: h.DnsOptions ?? [] };
}

/** The /dev/shm to bind: its own for --ipc shareable, X's for --ipc container:X when X is shareable. */
function shmInput(core: ContainerCore, id: string, h: HostConfig): { shmPath?: string } {
  if (h.IpcMode === 'shareable') return { shmPath: shmPathOf(core.deps.containersDir, id) };
  if (h.IpcMode.startsWith('container:')) {
    const other = core.find(h.IpcMode.slice('container:'.length));
    if (other.HostConfig.IpcMode === 'shareable') return { shmPath: shmPathOf(core.deps.containersDir, other.Id) };
  }
  return {};
}

/** container:<ref> namespace modes → the running container's /proc/<pid>/ns/<kind> path. */
function resolveSharedNamespaces(core: ContainerCore, h: HostConfig): HostConfig {
  const refs = containerNsRefs(h);
  if (refs.length === 0) return h;
  const out = { ...h };
  for (const r of refs) {
    const other = core.find(r.ref);
    if (!other.State.Running) throw failedPrecondition(`Can not join namespace of a non running container ${other.Id}`);
    out[r.field] = `/proc/${other.State.Pid}/ns/${r.kind}`;
  }
  return out;
}

/**
 * LogConfig { Type: 'cri', Config: { path } }: the CRI's log file (LogDirectory/LogPath), written
 * in the CRI format and rotated by the kubelet, not by the engine.
 */
export function criLogPath(h: HostConfig): string | undefined {
  if (h.LogConfig.Type !== 'cri') return undefined;
  const p = h.LogConfig.Config['path'] ?? '';
  if (!p.startsWith('/')) throw invalidArgument(`cri log path "${p}" is not absolute`);
  return p;
}

/** The runtime's log format: the CRI's, none (output dropped: the CRI's pause container), or json-file. */
function logFormatOf(h: HostConfig): { logFormat?: 'cri' | 'none' } {
  if (criLogPath(h)) return { logFormat: 'cri' };
  return h.LogConfig.Type === 'none' ? { logFormat: 'none' } : {};
}

/** "10m", "1g", "512k", "100" (bytes, src/util/units.ts); iSulad's max-size units are base 1024. */
export function parseLogSize(v: string | undefined, dflt: number): number {
  if (v === undefined || v === '') return dflt;
  const n = parseSize(v);
  if (n === undefined) throw invalidArgument(`Invalid value for log-opt max-size: ${v}`);
  return n;
}

export function parseLogFiles(v: string | undefined, dflt: number): number {
  if (v === undefined || v === '') return dflt;
  if (!/^[0-9]+$/.test(v) || Number(v) < 1) throw invalidArgument(`Invalid value for log-opt max-file: ${v}`);
  return Number(v);
}

/**
 * --env-target-file (iSulad): the container's environment, one KEY=VALUE per line, in a file of
 * its rootfs, written at create into the writable layer. The path is resolved under the rootfs
 * (links followed there, never out of it) and made like a mount target.
 */
export async function writeEnvTargetFile(rootfs: string, path: string, env: readonly string[], owner?: { uid: number; gid: number }): Promise<void> {
  const inRoot = await resolveTargetInRoot(rootfs, path);
  if (inRoot === '/') throw invalidArgument(`env target file ${path}: not a file`);
  await makeInRoot(rootfs, dirname(inRoot), 'dir', owner);
  const kind = await makeInRoot(rootfs, inRoot, 'file', owner);
  if (kind !== 'file') throw invalidArgument(`env target file ${path}: is a directory`);
  await writeFile(join(rootfs, inRoot), env.map((e) => `${e}\n`).join(''), { mode: 0o644 });
}

/**
 * --storage-opt size=: overlay can only cap a container's writable layer with project quotas
 * (xfs mounted with pquota, or ext4 with prjquota). This engine does not set project quotas, so
 * the option is refused, naming what the backing filesystem lacks (docker's wording).
 */
async function refuseStorageSize(dir: string): Promise<void> {
  const fs = await backingFs(dir);
  const quota = fs !== undefined && /(^|,)(pquota|prjquota|prjjquota)(,|$)/.test(fs.options);
  throw invalidArgument(quota
    ? `--storage-opt size: project quotas on ${fs.type} are not supported by this engine`
    : `--storage-opt is supported only for overlay over xfs with 'pquota' mount option (the backing filesystem is ${fs?.type ?? 'unknown'} without project quotas)`);
}

async function backingFs(dir: string): Promise<{ type: string; options: string } | undefined> {
  const text = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  let best: { point: string; type: string; options: string } | undefined;
  for (const line of text.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const point = (line.slice(0, dash).split(' ')[4] ?? '').replace(/\\040/g, ' ');
    const [type = '', , superOpts = ''] = line.slice(dash + 3).split(' ');
    if ((dir === point || dir.startsWith(point === '/' ? '/' : `${point}/`)) && (!best || point.length >= best.point.length)) best = { point, type, options: superOpts };
  }
  return best;
}

/** The runtime's syslog option (--log-driver syslog), spread into its create options. */
function syslogOf(log: HostConfig['LogConfig'], f: TagFacts): { syslog?: SyslogTarget } {
  const t = syslogTargetOf(log, f);
  return t ? { syslog: t } : {};
}

/** The daemon's own check of a LogConfig (the CLI checks first, with the same words). */
export function checkLogConfig(log: HostConfig['LogConfig']): void {
  if (!['json-file', 'syslog', 'cri', 'none'].includes(log.Type)) throw invalidArgument(`Unsupported log driver: ${log.Type}`);
  const dis = log.Config['disable-log'];
  if (dis !== undefined && dis !== 'true' && dis !== 'false') throw invalidArgument(`Invalid log opt value for disable-log: ${dis} (true or false)`);
  const f = log.Config['syslog-facility'];
  if (f !== undefined && !(SYSLOG_FACILITIES as readonly string[]).includes(f)) throw invalidArgument(`Invalid option 'syslog-facility', value:${f}`);
  // placeholders are checked now, expanded at the runtime's create
  if (log.Type === 'syslog' && log.Config['syslog-tag']) expandSyslogTag(log.Config['syslog-tag'], { id: '', name: '', imageId: '', imageName: '' });
}
