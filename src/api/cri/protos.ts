// The CRI services (runtime.v1), made on the daemon's first registration of the CRI services
// from the build-time descriptor of proto/cri.proto, and never by the CLI (scripts/bundle.mjs
// refuses a CLI path that reaches src/api/cri/).
import criDescriptor from '../../../proto/cri.proto?descriptor';
import type { Descriptor } from '../pb.ts';
import type { ServiceDefinition } from '../grpc-server.ts';
import { servicePackage } from '../protos.ts';

export interface CriServiceDefs {
  runtime: { v1: { RuntimeService: ServiceDefinition; ImageService: ServiceDefinition } };
}

let cached: CriServiceDefs | undefined;

export function criServices(): CriServiceDefs {
  cached ??= { runtime: { v1: servicePackage(criDescriptor as Descriptor, 'runtime.v1') } } as unknown as CriServiceDefs;
  return cached;
}

/** The descriptor, for tests that make clients of it. */
export { criDescriptor };
