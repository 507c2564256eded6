// Shared by the test/compat suites: each suite re-expresses what one or more of iSulad's own CI
// scripts (CI/test_cases/**, listed in docs/isulad-ci-cases.md) check, written from scratch against
// our isula CLI and a real daemon (one per file). Tests are named after the script they stand for.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Daemon, RunResult } from '../helpers/daemon.ts';
import { deleteLink, ipForward, iptablesSave, linkExists, removeSharedChainsCreatedSince, restoreIpForward } from '../helpers/net.ts';
import { ok, suiteDaemon } from '../integration/container-fixture.ts';
export { assertCleanAfterRemovingAll, canRun, inspectField, ok, skipReason, suiteDaemon, until } from '../integration/container-fixture.ts';

/** A command that must fail: its exit code and stderr are returned for the message checks. */
export async function fails(d: Daemon, args: string[], code?: number): Promise<RunResult> {
  const r = await d.isula(args, { timeoutMs: 120_000 });
  if (code === undefined) assert.notEqual(r.code, 0, `isula ${args.join(' ')} should fail: ${r.stdout}`);
  else assert.equal(r.code, code, `isula ${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
  return r;
}

/** inspect -f '{{.State.Status}}' (iSulad's CI helper `testcontainer NAME STATE`). */
export async function state(d: Daemon, ref: string): Promise<string> {
  const r = await d.isula(['inspect', '-f', '{{.State.Status}}', ref]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

/** A cgroup v1 file of a container, read on the host (the kernel's view, not the engine's). */
export function cgroupFile(d: Daemon, controller: string, id: string, file: string): string {
  return readFileSync(`/sys/fs/cgroup/${controller}/${d.cgroupParent}/${id}/${file}`, 'utf8').trim();
}

/** Full id of a container reference. */
export async function idOf(d: Daemon, ref: string): Promise<string> {
  const r = await d.isula(['inspect', '-f', '{{.Id}}', ref]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

/**
 * The suite daemon (lcr) of a network case that makes one CNI network: after the suite its bridge,
 * the shared iptables chains the engine added and ip_forward are put back as they were.
 */
export function networkCaseDaemon(use: (d: Daemon) => void): { makeNetwork(d: Daemon, name: string): Promise<string> } {
  let saved = '';
  let forward = '';
  let bridge = '';
  suiteDaemon(use, {
    runtime: 'lcr',
    afterStop: () => {
      if (bridge && linkExists(bridge)) deleteLink(bridge);
      removeSharedChainsCreatedSince(saved);
      if (forward === '0') restoreIpForward(forward);
    },
  });
  return {
    /** `isula network create NAME`; the bridge it made. */
    async makeNetwork(d, name) {
      saved = iptablesSave();
      forward = ipForward();
      await ok(d, ['network', 'create', name]);
      bridge = (await ok(d, ['network', 'inspect', '-f', '{{.Bridge}}', name])).stdout.trim();
      return bridge;
    },
  };
}
