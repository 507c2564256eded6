// gRPC service definitions straight from a protobufjs Root, without @grpc/proto-loader.
// proto-loader also builds descriptor protos for every message (for reflection we never use);
// that cost ~40 ms of every `isula` start on a small device. Here each method gets lazy
// (de)serializers: a message type's codec is generated on its first use, so `isula version`
// only ever compiles VersionRequest and VersionResponse. The conversion options are the ones
// scripts/gen-proto-types.sh declares (keepCase, longs as String, enums as numbers, defaults).

import type * as grpc from '@grpc/grpc-js';
import type protobuf from 'protobufjs';

export const CONVERSION: protobuf.IConversionOptions = {
  longs: String,
  enums: Number,
  defaults: true,
  arrays: true,
  objects: true,
};

function codec(service: protobuf.Service, typeName: string) {
  let type: protobuf.Type | undefined;
  const get = () => (type ??= service.lookupType(typeName));
  return {
    serialize(value: unknown): Buffer {
      if (Array.isArray(value) || typeof value !== 'object' || value === null) {
        throw new TypeError(`serialize ${typeName}: expected an object`);
      }
      const t = get();
      const bytes = t.encode(t.fromObject(value as Record<string, unknown>)).finish();
      return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    deserialize(buf: Buffer): unknown {
      const t = get();
      return t.toObject(t.decode(buf), CONVERSION);
    },
  };
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The grpc-js ServiceDefinition of one protobufjs service (full name `pkg.Service`). */
export function serviceDefinition(service: protobuf.Service): grpc.ServiceDefinition {
  const fullName = service.fullName.replace(/^\./, '');
  const def: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const m of service.methodsArray) {
    const req = codec(service, m.requestType);
    const res = codec(service, m.responseType);
    def[m.name] = {
      path: `/${fullName}/${m.name}`,
      requestStream: m.requestStream === true,
      responseStream: m.responseStream === true,
      requestSerialize: req.serialize,
      requestDeserialize: req.deserialize,
      responseSerialize: res.serialize,
      responseDeserialize: res.deserialize,
      originalName: lowerFirst(m.name),
    };
  }
  return def;
}
