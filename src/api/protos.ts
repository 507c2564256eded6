// The isula services' definitions for the daemon's server (./grpc-server.ts), made from
// build-time descriptors of proto/*.proto with ./pb.ts codecs: nothing is parsed at run time,
// and each package's definitions are made on first use. (Tests make grpc-js clients of the same
// definitions: test/helpers/grpc-clients.ts.)
//
// TO ADD A PROTO: drop proto/<name>.proto, add one import and one row to ISULA_PROTOS, run
// scripts/gen-proto-types.sh, and add its services to IsulaServiceDefs below. The CRI proto is
// NOT part of this set (the CLI must never pay for it); see cri/protos.ts.

import containersDescriptor from '../../proto/containers.proto?descriptor';
import volumesDescriptor from '../../proto/volumes.proto?descriptor';
import imagesDescriptor from '../../proto/images.proto?descriptor';
import networksDescriptor from '../../proto/networks.proto?descriptor';
import type { Descriptor } from './pb.ts';
import type { ServiceDefinition } from './grpc-server.ts';
import { serviceDefinition } from './service-def.ts';

/** [package, descriptor]: every service of the package is exposed. */
export const ISULA_PROTOS: ReadonlyArray<readonly [string, unknown]> = [
  ['containers', containersDescriptor],
  ['volume', volumesDescriptor],
  ['images', imagesDescriptor],
  ['network', networksDescriptor],
];

export interface IsulaServiceDefs {
  containers: { ContainerService: ServiceDefinition };
  volume: { VolumeService: ServiceDefinition };
  images: { ImagesService: ServiceDefinition };
  network: { NetworkService: ServiceDefinition };
}

let cached: IsulaServiceDefs | undefined;

/** The services by package (`containers.ContainerService`, `volume.VolumeService`, ...), each package made lazily. */
export function isulaServices(): IsulaServiceDefs {
  if (cached) return cached;
  const tree: Record<string, unknown> = {};
  for (const [pkg, descriptor] of ISULA_PROTOS) {
    let loaded: Record<string, ServiceDefinition> | undefined;
    Object.defineProperty(tree, pkg, {
      enumerable: true,
      get: () => (loaded ??= servicePackage(descriptor as Descriptor, pkg)),
    });
  }
  cached = tree as unknown as IsulaServiceDefs;
  return cached;
}

/** The service definitions of package `pkg` (dotted, e.g. `runtime.v1`) by service name. */
export function servicePackage(descriptor: Descriptor, pkg: string): Record<string, ReturnType<typeof serviceDefinition>> {
  let ns: Descriptor | undefined = descriptor;
  for (const part of pkg.split('.')) ns = ns?.nested?.[part];
  if (!ns) throw new Error(`proto package ${pkg} not in its descriptor`);
  const out: Record<string, ReturnType<typeof serviceDefinition>> = {};
  for (const [name, node] of Object.entries(ns.nested ?? {})) {
    if (!('methods' in node) || !node.methods) continue;
    out[name] = serviceDefinition(descriptor, `${pkg}.${name}`);
  }
  return out;
}
