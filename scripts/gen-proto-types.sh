#!/bin/sh
# Regenerates the TypeScript message/service types for every proto/*.proto into
# src/api/generated/ (committed; never edit by hand). Run after changing any .proto.
# The options must match the runtime loader in src/api/protos.ts (keepCase, longs as String,
# defaults on) so the types describe what handlers really receive.
set -eu
cd "$(dirname "$0")/.."
rm -rf src/api/generated
mkdir -p src/api/generated
./node_modules/.bin/proto-loader-gen-types \
  --keepCase --longs=String --defaults --arrays --objects \
  --grpcLib=@grpc/grpc-js --importFileExtension=.ts \
  -I proto -O src/api/generated $(cd proto && ls *.proto)
# proto-loader-gen-types emits `import type * as grpc` and plain type imports; nothing else to fix.
echo "generated: $(find src/api/generated -name '*.ts' | wc -l) files"
