// The container service: the use-cases behind ContainerService (and later CRI). It orchestrates
// image → storage → spec → runtime → store → events; handlers in src/api only translate to it.
import { log } from '../../util/log.ts';
import { ContainerCore } from './core.ts';
import { createContainer } from './create.ts';
import { handleExit } from './exit-handler.ts';
import { inspectJson } from './inspect.ts';
import { HealthMonitor } from './health.ts';
import {
  killContainer,
  pauseContainer,
  renameContainer,
  restartContainer,
  startContainer,
  stopContainer,
  unpauseContainer,
  waitContainer,
} from './lifecycle.ts';
import type { StopOptions } from './lifecycle.ts';
import { listContainers } from './list.ts';
import type { ListFilters } from './list.ts';
import { attachOutput, containerLogs, keepFlushing, openStartStdin, openStdin, resizeTerminal, type AttachOptions } from './output.ts';
import type { StartStdin } from './output.ts';
import type { LogsOptions, OutputEvent } from './output.ts';
import { removeContainer } from './remove.ts';
import type { RemoveOptions } from './remove.ts';
import { restoreContainers } from './restore.ts';
import { updateContainer } from './update.ts';
import type { UpdatePatch } from './update.ts';
import { execContainer, resizeExec } from './exec.ts';
import { isLogReopener } from '../../runtime/runtime.ts';
import type { ExecRequest, ExecSession } from './exec.ts';
import { topContainer } from './top.ts';
import type { TopResult } from './top.ts';
import { containerStats } from './stats.ts';
import type { ContainerStatsSample } from './stats.ts';
import type { RestoreSummary } from './restore.ts';
import { copyFromContainer, copyToContainer, exportContainer } from './copy.ts';
import type { ChunkSink, ContainerPathStat, CopyToRequest } from './copy.ts';
import { withContainerChanges } from './changes.ts';
import type { ContainerChanges } from './changes.ts';
import type { ContainerRecord, ContainerServiceDeps, CreateRequest } from './types.ts';
import type { LogEntry } from '../../logs/json-file-reader.ts';
import type { Writable } from 'node:stream';

export class ContainerService {
  private readonly core: ContainerCore;
  private started = false;

  constructor(deps: ContainerServiceDeps) {
    // an unhealthy container with --health-exit-on-unhealthy is stopped like `isula stop` does
    this.core = new ContainerCore(deps, (core) => new HealthMonitor(core, (id) => stopContainer(core, id)));
  }

  /** Lifecycle start for the daemon wiring. */
  async start(): Promise<void> {
    await this.startAndRestore();
  }

  /** Subscribes to runtime exits, then reconciles every stored container (live restore). */
  async startAndRestore(): Promise<RestoreSummary> {
    if (this.started) return { running: 0, exited: 0, restarted: 0, removed: 0 };
    this.started = true;
    for (const rt of this.core.deps.runtimes.values()) {
      rt.onExit((id, exit) => {
        void handleExit(this.core, id, exit).catch((err: unknown) => log.with({ container: id }).error(err, 'recording exit failed'));
      });
    }
    const summary = await restoreContainers(this.core);
    log.info(`containers restored: ${summary.running} running, ${summary.exited} exited while down, ${summary.restarted} restarting, ${summary.removed} removed`);
    return summary;
  }

  /**
   * Stops restart timers and health probes; containers keep running (they outlive the daemon).
   * Idempotent. The runtimes (and their exit watching) are closed by their owner, the wiring.
   */
  async close(): Promise<void> {
    this.core.close();
  }

  create(req: CreateRequest): Promise<ContainerRecord> {
    return createContainer(this.core, req);
  }
  startContainer(ref: string): Promise<ContainerRecord> {
    return startContainer(this.core, ref);
  }
  stop(ref: string, opts?: StopOptions): Promise<ContainerRecord> {
    return stopContainer(this.core, ref, opts);
  }
  kill(ref: string, signal?: number): Promise<ContainerRecord> {
    return killContainer(this.core, ref, signal);
  }
  restart(ref: string, timeoutSec?: number): Promise<ContainerRecord> {
    return restartContainer(this.core, ref, timeoutSec);
  }
  pause(ref: string): Promise<ContainerRecord> {
    return pauseContainer(this.core, ref);
  }
  unpause(ref: string): Promise<ContainerRecord> {
    return unpauseContainer(this.core, ref);
  }
  remove(ref: string, opts?: RemoveOptions): Promise<ContainerRecord> {
    return removeContainer(this.core, ref, opts);
  }
  rename(ref: string, newName: string): Promise<ContainerRecord> {
    return renameContainer(this.core, ref, newName);
  }
  wait(ref: string, signal?: AbortSignal): Promise<number> {
    return waitContainer(this.core, ref, signal);
  }
  get(ref: string): ContainerRecord {
    return this.core.find(ref);
  }
  list(opts: { all?: boolean; filters?: ListFilters } = {}): ContainerRecord[] {
    return listContainers(this.core.all(), opts);
  }
  inspect(ref: string): Record<string, unknown> {
    const found = this.core.find(ref);
    const live = this.core.health.current(found.Id);
    const rec = live ? { ...found, State: { ...found.State, Health: live } } : found;
    return inspectJson(rec, this.core.deps.layers.containerLayerPaths(rec.Id));
  }
  logs(ref: string, opts: LogsOptions): AsyncGenerator<LogEntry> {
    return containerLogs(this.core, ref, opts);
  }
  /** run without -d / start -a: output from now on, then { kind: 'exit' }. */
  attach(ref: string, opts: AttachOptions): AsyncGenerator<OutputEvent> {
    return attachOutput(this.core, ref, opts);
  }
  resize(ref: string, size: { rows: number; cols: number }): Promise<void> {
    return resizeTerminal(this.core, ref, size);
  }
  stdin(ref: string): Writable {
    return openStdin(this.core, ref);
  }
  /** stdin of run -i / start -a -i: opened before the start (StdinOnce, see output.ts) */
  startStdin(ref: string): StartStdin {
    return openStartStdin(this.core, ref);
  }
  /** While following a running container's log: partly written lines are flushed to it; call the result to stop. */
  keepFlushing(ref: string): () => void {
    return keepFlushing(this.core, this.core.find(ref).Id);
  }
  /** CRI ReopenContainerLog: the runtime's log writer reopens the log at its path (if it holds it open). */
  async reopenLog(ref: string): Promise<void> {
    const rec = this.core.find(ref);
    const rt = this.core.runtimeOf(rec);
    if (isLogReopener(rt)) await rt.reopenLog(rec.Id);
  }
  /** isula stats: refs empty = running containers (all: every container). */
  stats(refs: string[], all: boolean): Promise<ContainerStatsSample[]> {
    return containerStats(this.core, refs, all);
  }
  /** isula exec: a process in the running container; its streams and exit are the caller's to follow. */
  exec(ref: string, req: ExecRequest): Promise<ExecSession> {
    return execContainer(this.core, ref, req);
  }
  resizeExec(ref: string, execId: string, size: { rows: number; cols: number }): Promise<void> {
    return resizeExec(this.core, ref, execId, size);
  }
  /** isula top: host ps rows of the container's processes. */
  top(ref: string, psArgs: string[]): Promise<TopResult> {
    return topContainer(this.core, ref, psArgs);
  }
  /** isula update: limits (live and for the next start) and restart policy; all or nothing. */
  update(ref: string, patch: UpdatePatch): Promise<ContainerRecord> {
    return updateContainer(this.core, ref, patch);
  }
  /** isula cp CONTAINER:SRC: the path's stat, then its tar (container frozen meanwhile). */
  copyFrom(ref: string, path: string, opts: { follow: boolean; signal: AbortSignal; sendStat: (s: ContainerPathStat) => void; sink: ChunkSink }): Promise<void> {
    return copyFromContainer(this.core, ref, path, opts);
  }
  /** isula cp SRC CONTAINER:DEST: extracts the tar with docker's destination rules. */
  copyTo(ref: string, req: CopyToRequest, tar: AsyncIterable<Buffer>, signal: AbortSignal): Promise<void> {
    return copyToContainer(this.core, ref, req, tar, signal);
  }
  /** isula commit: runs fn with the container's changes (its writable layer as a tar) and config. */
  withChanges<T>(ref: string, opts: { pause: boolean; signal?: AbortSignal }, fn: (c: ContainerChanges) => Promise<T>): Promise<T> {
    return withContainerChanges(this.core, ref, opts, fn);
  }

  /** isula export: the merged rootfs as a tar, streamed. */
  exportTar(ref: string, sink: ChunkSink, signal: AbortSignal): Promise<void> {
    return exportContainer(this.core, ref, sink, signal);
  }
  /** Containers (names) using an image, for rmi's check. */
  containersUsingImage(imageId: string): string[] {
    return this.core.all().filter((c) => c.ImageId === imageId).map((c) => c.Name);
  }

  /** Counts for `isula info`. */
  counts(): { total: number; running: number; paused: number; stopped: number } {
    const all = this.core.all();
    const running = all.filter((c) => c.State.Running && !c.State.Paused).length;
    const paused = all.filter((c) => c.State.Running && c.State.Paused).length;
    return { total: all.length, running, paused, stopped: all.length - running - paused };
  }
}
