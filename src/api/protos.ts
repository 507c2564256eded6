// The isula proto set, loaded lazily: parsing costs milliseconds and megabytes, so nothing here
// runs until the first client or server asks (T11). The .proto text is inlined into the bundle.
//
// TO ADD A PROTO: drop proto/<name>.proto, add one import and one row to ISULA_PROTOS, run
// scripts/gen-proto-types.sh, and add its ProtoGrpcType to IsulaGrpc below. The CRI protos are
// NOT part of this set (the CLI must never pay for them); they get their own lazy loader.

import protobuf from 'protobufjs';
import { fromJSON, type PackageDefinition } from '@grpc/proto-loader';
import * as grpc from '@grpc/grpc-js';
import containersProto from '../../proto/containers.proto';
import volumesProto from '../../proto/volumes.proto';
import imagesProto from '../../proto/images.proto';
import type { ProtoGrpcType as ContainersGrpc } from './generated/containers.ts';
import type { ProtoGrpcType as VolumesGrpc } from './generated/volumes.ts';
import type { ProtoGrpcType as ImagesGrpc } from './generated/images.ts';

/** [file name, text]; the name only labels parse errors. */
const ISULA_PROTOS: ReadonlyArray<readonly [string, string]> = [
  ['containers.proto', containersProto],
  ['volumes.proto', volumesProto],
  ['images.proto', imagesProto],
];

export type IsulaGrpc = ContainersGrpc & VolumesGrpc & ImagesGrpc;

/** Must match scripts/gen-proto-types.sh so the generated types tell the truth. */
export const LOADER_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: Number,
  defaults: true,
  arrays: true,
  objects: true,
} as const;

let cached: { definition: PackageDefinition; grpc: IsulaGrpc } | undefined;

export function isulaPackageDefinition(): PackageDefinition {
  return loadIsula().definition;
}

/** The loaded services (`containers.ContainerService`, `volume.VolumeService`, ...). */
export function isulaGrpc(): IsulaGrpc {
  return loadIsula().grpc;
}

function loadIsula(): { definition: PackageDefinition; grpc: IsulaGrpc } {
  if (cached) return cached;
  const root = new protobuf.Root();
  const wellKnown = new Set<string>();
  for (const [name, text] of ISULA_PROTOS) {
    let parsed: protobuf.IParserResult;
    try {
      parsed = protobuf.parse(text, root, { keepCase: true });
    } catch (err) {
      throw new Error(`parse ${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    for (const imp of parsed.imports ?? []) wellKnown.add(imp);
    for (const imp of parsed.weakImports ?? []) wellKnown.add(imp);
  }
  // Only google/protobuf/* imports are allowed; protobufjs carries their definitions.
  for (const imp of wellKnown) {
    const common = protobuf.common.get(imp);
    if (!common) throw new Error(`proto import ${imp} is not a well-known type`);
    root.addJSON(common.nested ?? {});
  }
  root.resolveAll();
  const definition = fromJSON(root.toJSON(), LOADER_OPTIONS);
  const loaded = grpc.loadPackageDefinition(definition) as unknown as IsulaGrpc;
  cached = { definition, grpc: loaded };
  return cached;
}
