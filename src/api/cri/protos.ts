// The CRI services (runtime.v1), made on the daemon's first registration of the CRI services
// from the build-time descriptor of proto/cri.proto, and never by the CLI (scripts/bundle.mjs
// refuses a CLI path that reaches src/api/cri/).
import criDescriptor from '../../../proto/cri.proto?descriptor';
import type { ProtoGrpcType as CriGrpc } from '../generated/cri.ts';
import type { Descriptor } from '../pb.ts';
import { grpcPackage } from '../protos.ts';

let cached: CriGrpc | undefined;

export function criGrpc(): CriGrpc {
  cached ??= { runtime: { v1: grpcPackage(criDescriptor as Descriptor, 'runtime.v1') } } as unknown as CriGrpc;
  return cached;
}
