// The isula proto set, loaded lazily: parsing costs milliseconds and megabytes, so nothing here
// runs until the first client or server asks (T11). The .proto text is inlined into the bundle.
//
// TO ADD A PROTO: drop proto/<name>.proto, add one import and one row to ISULA_PROTOS, run
// scripts/gen-proto-types.sh, and add its ProtoGrpcType to IsulaGrpc below. The CRI protos are
// NOT part of this set (the CLI must never pay for them); they get their own lazy loader, which
// can reuse loadProtoSet().

import protobuf from 'protobufjs';
import * as grpc from '@grpc/grpc-js';
import containersProto from '../../proto/containers.proto';
import volumesProto from '../../proto/volumes.proto';
import imagesProto from '../../proto/images.proto';
import networksProto from '../../proto/networks.proto';
import type { ProtoGrpcType as ContainersGrpc } from './generated/containers.ts';
import type { ProtoGrpcType as VolumesGrpc } from './generated/volumes.ts';
import type { ProtoGrpcType as ImagesGrpc } from './generated/images.ts';
import type { ProtoGrpcType as NetworksGrpc } from './generated/networks.ts';
import { serviceDefinition } from './service-def.ts';

/**
 * [package, file name, text]. Each file is self-contained (only google/protobuf imports), so a
 * package is parsed on first use: `isula version` parses containers.proto and nothing else.
 */
const ISULA_PROTOS: ReadonlyArray<readonly [string, string, string]> = [
  ['containers', 'containers.proto', containersProto],
  ['volume', 'volumes.proto', volumesProto],
  ['images', 'images.proto', imagesProto],
  ['network', 'networks.proto', networksProto],
];

export type IsulaGrpc = ContainersGrpc & VolumesGrpc & ImagesGrpc & NetworksGrpc;

let cached: IsulaGrpc | undefined;

/** The services by package (`containers.ContainerService`, `volume.VolumeService`, ...), each parsed lazily. */
export function isulaGrpc(): IsulaGrpc {
  if (cached) return cached;
  const tree: Record<string, unknown> = {};
  for (const [pkg, file, text] of ISULA_PROTOS) {
    let loaded: grpc.GrpcObject | undefined;
    Object.defineProperty(tree, pkg, {
      enumerable: true,
      get: () => (loaded ??= loadProtoSet([[file, text]])[pkg] as grpc.GrpcObject),
    });
  }
  cached = tree as unknown as IsulaGrpc;
  return cached;
}

/**
 * Parses a set of .proto texts into one namespace tree shaped like grpc.loadPackageDefinition's
 * result: `{ pkg: { Service: ServiceClientConstructor (with .service) } }`. Only
 * google/protobuf/* imports are allowed; protobufjs carries their definitions.
 */
export function loadProtoSet(protos: ReadonlyArray<readonly [string, string]>): grpc.GrpcObject {
  const root = new protobuf.Root();
  const imports = new Set<string>();
  for (const [name, text] of protos) {
    let parsed: protobuf.IParserResult;
    try {
      parsed = protobuf.parse(text, root, { keepCase: true });
    } catch (err) {
      throw new Error(`parse ${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    for (const imp of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) imports.add(imp);
  }
  for (const imp of imports) {
    const common = protobuf.common.get(imp);
    if (!common) throw new Error(`proto import ${imp} is not a well-known type`);
    root.addJSON(common.nested ?? {});
  }
  const tree: grpc.GrpcObject = {};
  const walk = (ns: protobuf.NamespaceBase, into: grpc.GrpcObject) => {
    for (const child of ns.nestedArray) {
      if (child instanceof protobuf.Service) {
        const ctor = grpc.makeGenericClientConstructor(serviceDefinition(child), child.name);
        into[child.name] = ctor;
      } else if (child instanceof protobuf.Namespace && !(child instanceof protobuf.Type)) {
        const sub: grpc.GrpcObject = {};
        walk(child, sub);
        if (Object.keys(sub).length > 0) into[child.name] = sub;
      }
    }
  };
  walk(root, tree);
  return tree;
}
