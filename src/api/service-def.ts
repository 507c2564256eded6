// gRPC service definitions for the daemon's server (./grpc-server.ts; grpc-js's MethodDefinition shape), made from the descriptors the build
// derives from proto/*.proto (scripts/bundle.mjs), with ./pb.ts as the codec: no .proto parsing,
// no protobufjs and no per-type generated code at run time (protobufjs and its parsed roots were
// ~5 MiB of the idle daemon's anonymous memory, docs/performance.md). The objects handlers get
// and give are what protobufjs produced with CONVERSION below (test/unit/api/pb.test.ts checks
// pb.ts against protobufjs for every message of every proto).

import type protobuf from 'protobufjs';
import { serviceMethods, type Descriptor } from './pb.ts';
import type { MethodDefinition, ServiceDefinition } from './grpc-server.ts';

/** The conversion pb.ts reproduces: keepCase names, int64 as strings, enums as numbers, defaults. */
export const CONVERSION: protobuf.IConversionOptions = {
  longs: String,
  enums: Number,
  defaults: true,
  arrays: true,
  objects: true,
};

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The ServiceDefinition of service `pkg.Service` in a build-time descriptor (grpc-js's shape: tests make clients of it). */
export function serviceDefinition(descriptor: Descriptor, fullName: string): ServiceDefinition & Record<string, MethodDefinition & { requestSerialize(v: unknown): Buffer; responseDeserialize(b: Buffer): unknown }> {
  const def: Record<string, MethodDefinition & { requestSerialize(v: unknown): Buffer; responseDeserialize(b: Buffer): unknown }> = {};
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
