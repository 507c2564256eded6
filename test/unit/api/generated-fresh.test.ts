// src/api/generated/ must be what scripts/gen-proto-types.sh makes from proto/*.proto today:
// a proto edited without regenerating would give handlers types that lie about the wire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)));
  }
  return out.sort();
}

test('src/api/generated matches proto/*.proto (run scripts/gen-proto-types.sh)', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'gen-proto-'));
  t.after(() => rm(out, { recursive: true, force: true }));
  const protos = (await readdir(join(REPO, 'proto'))).filter((f) => f.endsWith('.proto')).sort();
  // same options as scripts/gen-proto-types.sh
  execFileSync(process.execPath, [
    join(REPO, 'node_modules/@grpc/proto-loader/build/bin/proto-loader-gen-types.js'),
    '--keepCase', '--longs=String', '--defaults', '--arrays', '--objects',
    '--grpcLib=@grpc/grpc-js', '--importFileExtension=.ts',
    '-I', 'proto', '-O', out, ...protos,
  ], { cwd: REPO, stdio: 'pipe' });
  const committed = join(REPO, 'src/api/generated');
  assert.deepEqual(await files(committed), await files(out), 'file set differs');
  for (const f of await files(out)) {
    assert.equal(await readFile(join(committed, f), 'utf8'), await readFile(join(out, f), 'utf8'), `${f} is stale`);
  }
});
