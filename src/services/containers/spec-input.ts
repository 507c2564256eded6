// The containers service's side of spec building: the SpecBuilder the daemon wires in (the record's
// Config/HostConfig go to src/spec as they are), and which namespaces a HostConfig shares with
// other containers (create.ts resolves them to /proc/<pid>/ns/<kind> before the spec is built).
import { buildContainerSpec } from '../../spec/index.ts';
import type { SpecDaemon } from '../../spec/index.ts';
import type { OciSpec } from '../../runtime/runtime.ts';
import type { HostConfig, SpecBuilder, SpecInput } from './types.ts';

/** The SpecBuilder the daemon wires in. */
export function specBuilder(daemon: SpecDaemon): SpecBuilder {
  return (input: SpecInput): Promise<OciSpec> => buildContainerSpec({ ...input, image: input.image.config.config ?? {} }, daemon);
}

/** Modes that share another container's namespace ("container:<ref>"), by kind. */
type NsField = 'NetworkMode' | 'PidMode' | 'IpcMode' | 'UTSMode' | 'CgroupnsMode';

export function containerNsRefs(h: HostConfig): Array<{ field: NsField; kind: string; ref: string }> {
  const out: Array<{ field: NsField; kind: string; ref: string }> = [];
  const fields = [
    ['NetworkMode', 'net'],
    ['PidMode', 'pid'],
    ['IpcMode', 'ipc'],
    ['UTSMode', 'uts'],
    ['CgroupnsMode', 'cgroup'],
  ] as const;
  for (const [field, kind] of fields) {
    const v = h[field] ?? '';
    if (v.startsWith('container:')) out.push({ field, kind, ref: v.slice('container:'.length) });
  }
  return out;
}

/**
 * What the /proc/<pid>/ns paths of a container's runtime config depend on: each container:X
 * it joins, by id, pid and process start time. undefined when it joins none, or one is not
 * running or gone (the config would be refused or stale).
 */
export function nsJoinKey(h: HostConfig, find: (ref: string) => { Id: string; State: { Running: boolean; Pid: number; PStartTime: string } }): string | undefined {
  const refs = containerNsRefs(h);
  if (refs.length === 0) return undefined;
  const parts: string[] = [];
  for (const r of refs) {
    let other;
    try {
      other = find(r.ref);
    } catch {
      return undefined;
    }
    if (!other.State.Running || other.State.Pid <= 0) return undefined;
    parts.push(`${r.kind}=${other.Id}:${other.State.Pid}:${other.State.PStartTime}`);
  }
  return parts.join(' ');
}
