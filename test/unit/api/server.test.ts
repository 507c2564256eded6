import '../../helpers/proto-text-hooks.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../../../src/util/errors.ts';

const { parseHost, createGrpcServer, bindHosts, shutdownServer } = await import('../../../src/api/server.ts');

const good = [
  { h: 'unix:///var/run/isulad.sock', want: { kind: 'unix', path: '/var/run/isulad.sock' } },
  { h: 'tcp://127.0.0.1:2376', want: { kind: 'tcp', host: '127.0.0.1', port: 2376 } },
  { h: 'tcp://:2375', want: { kind: 'tcp', host: '0.0.0.0', port: 2375 } },
  { h: 'tcp://[::1]:2376', want: { kind: 'tcp', host: '[::1]', port: 2376 } },
];
for (const c of good) test(`parseHost(${c.h})`, () => assert.deepEqual(parseHost(c.h), c.want));

const bad = ['unix://relative.sock', 'http://x:1', 'tcp://host', 'tcp://host:99999', '/var/run/isulad.sock', ''];
for (const h of bad) {
  test(`parseHost refuses ${JSON.stringify(h)}`, () =>
    assert.throws(() => parseHost(h), (e: unknown) => e instanceof EngineError && e.kind === 'invalid-argument'));
}

test('binding a unix socket replaces a stale file, makes it 0660 and restores the umask', async (t) => {
  const umask = process.umask();
  const dir = await mkdtemp(join(tmpdir(), 'bind-'));
  const server = createGrpcServer();
  t.after(async () => {
    await shutdownServer(server, 100);
    await rm(dir, { recursive: true, force: true });
  });
  const sock = join(dir, 'sub', 'x.sock');
  await bindHosts(server, [`unix://${join(dir, 'first.sock')}`], {}); // creates parents as needed
  await writeFile(join(dir, 'stale.sock'), 'left over');
  await bindHosts(server, [`unix://${join(dir, 'stale.sock')}`, `unix://${sock}`], {});
  for (const p of [join(dir, 'stale.sock'), sock]) {
    const st = await stat(p);
    assert.ok(st.isSocket(), p);
    assert.equal(st.mode & 0o777, 0o660);
  }
  assert.equal(process.umask(), umask);
});

test('a tcp host without TLS material is refused', async (t) => {
  const server = createGrpcServer();
  t.after(() => shutdownServer(server, 100));
  await assert.rejects(bindHosts(server, ['tcp://127.0.0.1:0'], {}), /tcp hosts need TLS/);
});
