// The spec the daemon would build from a few Config/HostConfig fields (docker names), for tests and
// benches that drive a runtime without a daemon: the rest of Config empty, HostConfig the service's
// defaults.
import { buildContainerSpec, containerSpec } from '../../src/spec/container.ts';
import type { Spec, SpecContext } from '../../src/spec/types.ts';
import type { ImageRuntimeConfig } from '../../src/image/types.ts';
import type { ContainerConfig, HostConfig } from '../../src/types/container-config.ts';
import { defaultHostConfig } from '../../src/services/containers/create.ts';

/** Config and HostConfig fields (the two share no name) and the image's runtime config. */
export type SpecFields = Partial<ContainerConfig & HostConfig> & { image?: ImageRuntimeConfig };

export const EMPTY_CONFIG: ContainerConfig = {
  Hostname: '', User: '', Env: [], Tty: false, OpenStdin: false, Cmd: [], Entrypoint: [], Labels: {}, Annotations: {}, Volumes: {},
  Image: '', ImageRef: '', WorkingDir: '', StopSignal: '',
};

function inputOf(id: string, rootfs: string, o: SpecFields) {
  const { image, ...fields } = o;
  const both = { ...EMPTY_CONFIG, ...defaultHostConfig(), ...fields };
  return { id, rootfs, config: both, hostConfig: both, ...(image ? { image } : {}) };
}

/** With the reads the daemon does (rootfs passwd/group, device nodes, hook file). */
export function specOf(id: string, rootfs: string, cgroupParent: string, o: SpecFields): Promise<Spec> {
  return buildContainerSpec(inputOf(id, rootfs, o), { cgroupParent });
}

/** Pure, with a context already read (no devices, block devices or hooks). */
export function specOfSync(id: string, rootfs: string, cgroupParent: string, o: SpecFields, ctx: SpecContext): Spec {
  return containerSpec(inputOf(id, rootfs, o), { cgroupParent, devices: [] }, ctx);
}
