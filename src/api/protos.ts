// The isula services as grpc-js constructors (`.service` is the ServiceDefinition the daemon
// registers), made from build-time descriptors of proto/*.proto with ./pb.ts codecs: nothing is
// parsed at run time, and each package's definitions are made on first use.
//
// TO ADD A PROTO: drop proto/<name>.proto, add one import and one row to ISULA_PROTOS, run
// scripts/gen-proto-types.sh, and add its ProtoGrpcType to IsulaGrpc below. The CRI proto is
// NOT part of this set (the CLI must never pay for it); see cri/protos.ts.

import * as grpc from '@grpc/grpc-js';
import containersDescriptor from '../../proto/containers.proto?descriptor';
import volumesDescriptor from '../../proto/volumes.proto?descriptor';
import imagesDescriptor from '../../proto/images.proto?descriptor';
import networksDescriptor from '../../proto/networks.proto?descriptor';
import type { ProtoGrpcType as ContainersGrpc } from './generated/containers.ts';
import type { ProtoGrpcType as VolumesGrpc } from './generated/volumes.ts';
import type { ProtoGrpcType as ImagesGrpc } from './generated/images.ts';
import type { ProtoGrpcType as NetworksGrpc } from './generated/networks.ts';
import type { Descriptor } from './pb.ts';
import { serviceDefinition } from './service-def.ts';

/** [package, descriptor]: every service of the package is exposed. */
const ISULA_PROTOS: ReadonlyArray<readonly [string, unknown]> = [
  ['containers', containersDescriptor],
  ['volume', volumesDescriptor],
  ['images', imagesDescriptor],
  ['network', networksDescriptor],
];

export type IsulaGrpc = ContainersGrpc & VolumesGrpc & ImagesGrpc & NetworksGrpc;

let cached: IsulaGrpc | undefined;

/** The services by package (`containers.ContainerService`, `volume.VolumeService`, ...), each made lazily. */
export function isulaGrpc(): IsulaGrpc {
  if (cached) return cached;
  const tree: Record<string, unknown> = {};
  for (const [pkg, descriptor] of ISULA_PROTOS) {
    let loaded: grpc.GrpcObject | undefined;
    Object.defineProperty(tree, pkg, {
      enumerable: true,
      get: () => (loaded ??= grpcPackage(descriptor as Descriptor, pkg)),
    });
  }
  cached = tree as unknown as IsulaGrpc;
  return cached;
}

/**
 * The services of package `pkg` (dotted, e.g. `runtime.v1`) as a tree shaped like
 * grpc.loadPackageDefinition's result: `{ Service: ServiceClientConstructor (with .service) }`.
 */
export function grpcPackage(descriptor: Descriptor, pkg: string): grpc.GrpcObject {
  let ns: Descriptor | undefined = descriptor;
  for (const part of pkg.split('.')) ns = ns?.nested?.[part];
  if (!ns) throw new Error(`proto package ${pkg} not in its descriptor`);
  const out: grpc.GrpcObject = {};
  for (const [name, node] of Object.entries(ns.nested ?? {})) {
    if (!('methods' in node) || !node.methods) continue;
    out[name] = grpc.makeGenericClientConstructor(serviceDefinition(descriptor, `${pkg}.${name}`), name);
  }
  return out;
}
