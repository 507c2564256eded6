// gRPC service definitions for the daemon's grpc-js server, made from the descriptors the build
// derives from proto/*.proto (scripts/bundle.mjs), with ./pb.ts as the codec: no .proto parsing,
// no protobufjs and no per-type generated code at run time (protobufjs and its parsed roots were
// ~5 MiB of the idle daemon's anonymous memory, docs/performance.md). The objects handlers get
// and give are what protobufjs produced with CONVERSION below (test/unit/api/pb.test.ts checks
// pb.ts against protobufjs for every message of every proto).

import type * as grpc from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import { serviceMethods, type Descriptor } from './pb.ts';

/** The conversion pb.ts reproduces: keepCase names, int64 as strings, enums as numbers, defaults. */
export const CONVERSION: protobuf.IConversionOptions = {
  longs: String,
  enums: Number,
  defaults: true,
  arrays: true,
  objects: true,
};

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The grpc-js ServiceDefinition of service `pkg.Service` in a build-time descriptor. */
export function serviceDefinition(descriptor: Descriptor, fullName: string): grpc.ServiceDefinition {
  const def: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, m] of serviceMethods(descriptor, fullName)) {
    def[name] = {
      path: m.path,
      requestStream: m.requestStream,
      responseStream: m.responseStream,
      requestSerialize: m.req.serialize,
      requestDeserialize: m.req.deserialize,
      responseSerialize: m.res.serialize,
      responseDeserialize: m.res.deserialize,
      originalName: lowerFirst(name),
    };
  }
  return def;
}
