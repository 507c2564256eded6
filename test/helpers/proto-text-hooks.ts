// Lets node --test import .proto files as text, as esbuild's `.proto: 'text'` loader does in the
// bundle. Import this first, then import() the modules that need protos:
//
//   import '../../helpers/proto-text-hooks.ts';
//   const { isulaGrpc } = await import('../../../src/api/protos.ts');

import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith('file:') && url.endsWith('.proto')) {
      const text = readFileSync(fileURLToPath(url), 'utf8');
      return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
    }
    return nextLoad(url, context);
  },
});
