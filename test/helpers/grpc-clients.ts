// grpc-js client constructors for the daemon's services, made from the same definitions the
// daemon serves (src/api/protos.ts, src/api/cri/protos.ts): tests talk to the daemon's own gRPC
// server (src/api/grpc-server.ts) with a real, independent client.
//
//   const client = new (isulaGrpc().containers.ContainerService)(`unix://${sock}`, grpc.credentials.createInsecure());
import * as grpc from '@grpc/grpc-js';
import type { ProtoGrpcType as ContainersGrpc } from '../../src/api/generated/containers.ts';
import type { ProtoGrpcType as VolumesGrpc } from '../../src/api/generated/volumes.ts';
import type { ProtoGrpcType as ImagesGrpc } from '../../src/api/generated/images.ts';
import type { ProtoGrpcType as NetworksGrpc } from '../../src/api/generated/networks.ts';
import type { ProtoGrpcType as CriGrpc } from '../../src/api/generated/cri.ts';
import type { ServiceDefinition } from '../../src/api/grpc-server.ts';

const { isulaServices } = await import('../../src/api/protos.ts');
const { criServices } = await import('../../src/api/cri/protos.ts');

export type IsulaGrpc = ContainersGrpc & VolumesGrpc & ImagesGrpc & NetworksGrpc;

function constructors(tree: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(tree)) {
    const first = Object.values(v as Record<string, unknown>)[0] as { path?: unknown } | undefined;
    out[name] = first && typeof first.path === 'string'
      ? grpc.makeGenericClientConstructor(v as unknown as grpc.ServiceDefinition, name)
      : constructors(v as Record<string, unknown>);
  }
  return out;
}

let isula: IsulaGrpc | undefined;
let cri: CriGrpc | undefined;

/** `{ containers: { ContainerService: ctor (with .service) }, volume: ..., images: ..., network: ... }` */
export function isulaGrpc(): IsulaGrpc {
  const s = isulaServices() as unknown as Record<string, Record<string, ServiceDefinition>>;
  isula ??= constructors({ containers: s['containers'], volume: s['volume'], images: s['images'], network: s['network'] }) as unknown as IsulaGrpc;
  return isula;
}

/** `{ runtime: { v1: { RuntimeService, ImageService } } }` */
export function criGrpc(): CriGrpc {
  cri ??= constructors(criServices() as unknown as Record<string, unknown>) as unknown as CriGrpc;
  return cri;
}
