// Lets node --test import .proto files as text, as esbuild's `.proto: 'text'` loader does in the
// bundle. Import this first, then import() the modules that need protos:
//
//   import '../../helpers/proto-text-hooks.ts';
//   const { isulaGrpc } = await import('../../../src/api/protos.ts');

import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

// `x.proto?descriptor`: the parsed proto as JSON, as the bundle's proto-descriptor plugin
// (scripts/bundle.mjs) makes it at build time.
function protoDescriptor(text: string, name: string): unknown {
  const root = new protobuf.Root();
  const parsed = protobuf.parse(text, root, { keepCase: true });
  for (const imp of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) {
    const common = protobuf.common.get(imp);
    if (!common) throw new Error(`${name}: proto import ${imp} is not a well-known type`);
    root.addJSON(common.nested ?? {});
  }
  return root.toJSON();
}

registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith('file:') && url.endsWith('.proto?descriptor')) {
      const file = fileURLToPath(url);
      const json = protoDescriptor(readFileSync(file, 'utf8'), file);
      return { format: 'module', source: `export default ${JSON.stringify(json)};`, shortCircuit: true };
    }
    // `x.proto?descriptor-json`: the same as JSON text
    if (url.startsWith('file:') && url.endsWith('.proto?descriptor-json')) {
      const file = fileURLToPath(url);
      const json = JSON.stringify(protoDescriptor(readFileSync(file, 'utf8'), file));
      return { format: 'module', source: `export default ${JSON.stringify(json)};`, shortCircuit: true };
    }
    if (url.startsWith('file:') && url.endsWith('.proto')) {
      const text = readFileSync(fileURLToPath(url), 'utf8');
      return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
    }
    return nextLoad(url, context);
  },
});
