// The CRI proto (runtime.v1), loaded on the daemon's first registration of the CRI services and
// never by the CLI (scripts/bundle.mjs refuses a CLI path that reaches src/api/cri/).
import criProto from '../../../proto/cri.proto';
import type { ProtoGrpcType as CriGrpc } from '../generated/cri.ts';
import { loadProtoSet } from '../protos.ts';

let cached: CriGrpc | undefined;

export function criGrpc(): CriGrpc {
  cached ??= loadProtoSet([['cri.proto', criProto]]) as unknown as CriGrpc;
  return cached;
}
