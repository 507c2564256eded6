// A runtime the daemon knows but cannot drive on this host (crun on a hybrid cgroup layout, …).
// It is registered so `isula info` lists it with the reason, and a container asking for it gets
// that reason at create instead of a puzzling failure at its first start.
import type { ExitInfo, Runtime, RuntimeStatus, StartResult, StdioPaths } from './runtime.ts';
import { failedPrecondition, notFound } from '../util/errors.ts';

export class UnusableRuntime implements Runtime {
  readonly name: string;
  /** why it cannot run containers here */
  readonly unusable: string;

  constructor(name: string, reason: string) {
    this.name = name;
    this.unusable = reason;
  }

  #refuse(): never {
    throw failedPrecondition(`runtime ${this.name} cannot run containers on this host: ${this.unusable}`);
  }

  async create(): Promise<void> {
    this.#refuse();
  }
  async start(): Promise<StartResult> {
    this.#refuse();
  }
  async kill(): Promise<void> {
    this.#refuse();
  }
  async stop(): Promise<ExitInfo> {
    this.#refuse();
  }
  async pause(): Promise<void> {
    this.#refuse();
  }
  async resume(): Promise<void> {
    this.#refuse();
  }
  async status(id: string): Promise<RuntimeStatus> {
    throw notFound(`no such container "${id}" in runtime ${this.name}`);
  }
  stdio(id: string): StdioPaths {
    throw notFound(`no such container "${id}" in runtime ${this.name}`);
  }
  onExit(): void {}
  async delete(id: string): Promise<void> {
    throw notFound(`no such container "${id}" in runtime ${this.name}`);
  }
  async close(): Promise<void> {}
}

export function isUnusable(r: Runtime): r is UnusableRuntime {
  return r instanceof UnusableRuntime;
}
