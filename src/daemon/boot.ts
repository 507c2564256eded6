// Daemon start and stop, in iSulad's order: log sink, directories, locks (root + pidfile), state
// store, layer and image stores, runtimes, services (their start() may restore containers), then the gRPC listeners — so a client
// that can connect talks to a fully booted daemon. Shutdown reverses it and never stops a
// container: containers outlive the daemon (ARCHITECTURE §2).

import { chmod, chown, mkdir, readFile, realpath, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { openStore } from '../store/index.ts';
import type { StateStore } from '../store/types.ts';
import { createGrpcServer, bindHosts, checkUnixHostsFree, shutdownServer, type BoundHost, type GrpcServer, type ServerTls } from '../api/server.ts';
import { drainStreams } from '../api/handler.ts';
import { registerIsulaServices } from '../api/isula/index.ts';
import { errnoCode, failedPrecondition, invalidArgument, messageOf, wrap } from '../util/errors.ts';
import { log, setLogLevel, setLogSink } from '../util/log.ts';
import type { DaemonConfig } from './config.ts';
import { openLogFile, type LogFile } from './log-file.ts';
import { acquirePidLock, type PidLock } from '../util/pid-lock.ts';
import { buildServices, closeServices, startServices, type WiredServices } from './wire.ts';
import { openImageStorage } from './storage.ts';
import { createRuntimes } from './runtimes.ts';
import { readCgroupLayout } from '../cgroups/hierarchy.ts';
import { probeCgroupFeatures } from '../cgroups/features.ts';
import { startIdleGc } from './idle-gc.ts';
import { ensureTmpDir } from './tmpdir.ts';
import { markCleanStop } from './layer-check.ts';

/** How long in-flight calls get to finish at shutdown before they are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface RunningDaemon {
  readonly config: DaemonConfig;
  readonly hosts: BoundHost[];
  readonly wired: WiredServices;
  /** idempotent; resolves when everything is closed and the pidfile and sockets are gone */
  shutdown(reason: string): Promise<void>;
}

export async function bootDaemon(config: DaemonConfig): Promise<RunningDaemon> {
  const t0 = process.hrtime.bigint();
  let last = t0;
  // Boot phases at DEBUG with their cost, to see what a slow start on a small device spends on.
  const phase = (name: string) => {
    const now = process.hrtime.bigint();
    log.debug(`boot: ${name} in ${(Number(now - last) / 1e6).toFixed(1)} ms`);
    last = now;
  };
  setLogLevel(config.logLevel);
  let logFile: LogFile | undefined;
  if (config.logDriver === 'file') {
    logFile = openLogFile(config.logFile);
    setLogSink(logFile.sink);
  } else {
    setLogSink((line) => process.stdout.write(line));
  }

  const undo: Array<() => Promise<void>> = [];
  const rollback = async () => {
    for (const u of undo.reverse()) await u().catch((e: unknown) => log.error(e, 'rollback step failed'));
  };
  try {
    await mkdir(config.graph, { recursive: true, mode: 0o700 });
    await mkdir(config.state, { recursive: true, mode: 0o700 });
    // iSulad works on the real paths of its graph and state (CI graph_root_test.sh): a link on the
    // way (a board's /var/lib/isulad -> /data/isulad) would otherwise reach LXC, which refuses a
    // rootfs path through a symlink ("Failed to setup rootfs")
    config = { ...config, graph: await realpath(config.graph), state: await realpath(config.state) };
    // ISULAD_TMPDIR (iSulad CI isulad_tmpdir.sh): made or checked before anything uses it
    config = { ...config, tmpDir: await ensureTmpDir(config.env.tmpDir, config.graph) };
    // before it existed, pulls kept their blobs in <graph>/tmp: nothing resumes from there now
    await rm(join(config.graph, 'tmp'), { recursive: true, force: true });
    await mkdir(dirname(config.pidfile), { recursive: true });

    const rootLock = await lockFile(join(config.graph, 'isulad.lock'), 'root directory lock', 'pid-and-start-time');
    undo.push(() => rootLock.release());
    const pidLock = await lockFile(config.pidfile, 'pidfile', 'pid');
    undo.push(() => pidLock.release());
    await checkUnixHostsFree(config.hosts);
    phase('directories and locks');

    const store = await openStore(join(config.graph, 'store')).catch((e: unknown) => {
      throw wrap(e, `open state store in ${config.graph}`);
    });
    undo.push(() => store.close());
    phase('state store opened');

    if (config.usernsRemap) await prepareRemappedGraph(config.graph, config.usernsRemap);
    const storage = await openImageStorage(config.graph, store, { state: config.state, enabled: config.imageLayerCheck }, config.usernsRemap).catch((e: unknown) => {
      throw wrap(e, `open layer and image stores in ${config.graph}`);
    });
    phase('layer and image stores opened');
    const runtimes = await createRuntimes(config);
    undo.push(() => runtimes.closeAll());
    phase('runtimes created');

    const layout = await readCgroupLayout();
    const cgroups = { layout, features: await probeCgroupFeatures(layout) };
    const wired = buildServices(config, { store, ...storage, runtimes, cgroups });
    undo.push(() => closeServices(wired));
    await startServices(wired);
    phase('services started');

    const server = createGrpcServer((line) => log.debug(line));
    registerIsulaServices(server, wired.services);
    // CRI (runtime.v1) on this same server and socket, as in iSulad; its protos are parsed only
    // when it is enabled (daemon.json enable-cri-v1, on by default).
    if (config.enableCriV1) {
      const cri = await (await import('../api/cri/index.ts')).registerCriServices(server, wired.services.cri);
      wired.lifecycle.push({ name: 'cri-streaming', service: cri });
    }
    const tls = config.hosts.some((h) => h.startsWith('tcp://')) ? await loadServerTls(config) : undefined;
    const gid = await groupId(config.group);
    undo.push(() => shutdownServer(server, 0));
    const hosts = await bindHosts(server, config.hosts, { tls, gid });
    undo.push(() => removeSockets(hosts));
    phase('listening');
    // garbage of a burst of calls is collected once the daemon is idle again (idle-gc.ts)
    const idleGc = startIdleGc({ checkMs: Number(process.env['ISULAD_IDLE_GC_MS']) || undefined });
    undo.push(async () => idleGc.stop());

    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    log.info(`iSulad successfully booted in ${secs.toFixed(3)} s`);
    return running(config, hosts, wired, server, store, [rootLock, pidLock], logFile);
  } catch (err) {
    log.error(err, 'start failed');
    await rollback();
    logFile?.close();
    throw err;
  }
}

function running(
  config: DaemonConfig,
  hosts: BoundHost[],
  wired: WiredServices,
  server: GrpcServer,
  store: StateStore,
  locks: PidLock[],
  logFile: LogFile | undefined,
): RunningDaemon {
  let stopping: Promise<void> | undefined;
  const stop = async (reason: string) => {
    log.info(`shutting down: ${reason}`);
    // Stop accepting; unary calls in flight get SHUTDOWN_GRACE_MS to finish, long-lived streams
    // (events, logs -f, attach) are ended now so they cannot hold the shutdown up.
    const drained = shutdownServer(server, SHUTDOWN_GRACE_MS);
    drainStreams();
    await drained;
    await closeServices(wired);
    await store.close().catch((e: unknown) => log.error(e, 'close state store'));
    await removeSockets(hosts);
    // a clean stop: the next start needs no image layer check (layer-check.ts)
    await markCleanStop(config.graph).catch((e: unknown) => log.error(e, 'remove the layer check flag'));
    for (const l of [...locks].reverse()) await l.release();
    log.info('iSulad stopped');
    logFile?.close();
  };
  return {
    config,
    hosts,
    wired,
    shutdown: (reason) => (stopping ??= stop(reason)),
  };
}

/** One daemon per root and per pidfile (world-readable: scripts read the pidfile). */
function lockFile(path: string, what: string, content: 'pid' | 'pid-and-start-time'): Promise<PidLock> {
  return acquirePidLock(path, {
    content,
    mode: 0o644,
    heldBy: (pid) => failedPrecondition(`${what} ${path} is held by running process ${pid}: another isulad is using it`),
    contended: () => failedPrecondition(`${what} ${path}: could not take it over`),
  });
}

async function removeSockets(hosts: BoundHost[]): Promise<void> {
  for (const h of hosts) {
    if (h.address.kind !== 'unix') continue;
    await unlink(h.address.path).catch((e: unknown) => {
      if (errnoCode(e) !== 'ENOENT') log.warn(`remove socket ${h.address.kind === 'unix' ? h.address.path : ''}`, e);
    });
  }
}

async function loadServerTls(config: DaemonConfig): Promise<ServerTls> {
  if (!config.tls.enabled) {
    throw invalidArgument('tcp hosts need TLS: give --tlsverify with --tlscacert, --tlscert and --tlskey');
  }
  const read = async (what: string, path: string) => {
    try {
      return await readFile(path);
    } catch (e) {
      throw invalidArgument(`read TLS ${what} ${path}: ${messageOf(e)}`);
    }
  };
  return {
    ca: await read('CA certificate', config.tls.files.ca),
    cert: await read('certificate', config.tls.files.cert),
    key: await read('key', config.tls.files.key),
    verifyClients: config.tls.verify,
  };
}

/** gid of `name` from /etc/group, or undefined when the group does not exist (socket stays root's). */
export async function groupId(name: string): Promise<number | undefined> {
  if (name === '') return undefined;
  let text: string;
  try {
    text = await readFile('/etc/group', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [g, , gid] = line.split(':');
    if (g === name && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  return undefined;
}

/**
 * --userns-remap (iSulad's layout, CI userns_remap.sh): <graph>/UID.GID is traversable by the
 * mapped root, and its engines, storage (with storage/overlay) and volumes dirs are that root's,
 * so the container's root walks to its rootfs, volumes and lcr files (LXC mounts them from inside
 * the user namespace).
 */
async function prepareRemappedGraph(graph: string, remap: { uid: number; gid: number }): Promise<void> {
  await chmod(graph, 0o711);
  // the graph given (<graph> of <graph>/UID.GID) too: x for group and others, never r
  const parent = await stat(dirname(graph));
  if ((parent.mode & 0o011) !== 0o011) await chmod(dirname(graph), (parent.mode & 0o7777) | 0o011);
  for (const d of ['engines', 'storage', join('storage', 'overlay'), 'volumes']) {
    await mkdir(join(graph, d), { recursive: true, mode: 0o700 });
    await chown(join(graph, d), remap.uid, remap.gid);
  }
}
