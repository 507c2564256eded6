import '../../helpers/proto-text-hooks.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const { isulaGrpc } = await import('../../helpers/grpc-clients.ts');

const CONTAINER_RPCS = [
  'Create', 'Start', 'RemoteStart', 'Top', 'Stop', 'Restart', 'Kill', 'Delete', 'Pause', 'Resume', 'Inspect', 'List',
  'Stats', 'Wait', 'Events', 'Exec', 'RemoteExec', 'Version', 'Info', 'Update', 'Attach', 'Export',
  'CopyFromContainer', 'CopyToContainer', 'Rename', 'Logs', 'Resize',
  'ExportStream', // ours: export streamed to the client (remote clients, stdout)
];

test('ContainerService has every iSulad RPC with the right streaming shape', () => {
  const svc = isulaGrpc().containers.ContainerService.service;
  assert.deepEqual(Object.keys(svc).sort(), [...CONTAINER_RPCS].sort());
  const shape = (n: string) => `${svc[n as 'Version'].requestStream ? 's' : 'u'}${svc[n as 'Version'].responseStream ? 's' : 'u'}`;
  for (const n of ['RemoteStart', 'RemoteExec', 'Attach']) assert.equal(shape(n), 'ss', n);
  for (const n of ['Events', 'CopyFromContainer', 'Logs', 'ExportStream']) assert.equal(shape(n), 'us', n);
  assert.equal(shape('CopyToContainer'), 'su');
  assert.equal(shape('Create'), 'uu');
  assert.equal(svc.Version.path, '/containers.ContainerService/Version');
});

test('VolumeService: List, Remove, Prune', () => {
  assert.deepEqual(Object.keys(isulaGrpc().volume.VolumeService.service).sort(), ['List', 'Prune', 'Remove']);
});

test('the services are built once and int64 fields decode as strings with defaults', () => {
  assert.equal(isulaGrpc(), isulaGrpc());
  const svc = isulaGrpc().containers.ContainerService.service;
  const bytes = svc.Info.responseSerialize({ total_mem: '25769803776', cpus: 2 });
  const back = svc.Info.responseDeserialize(bytes);
  assert.equal(back.total_mem, '25769803776');
  assert.equal(back.cpus, 2);
  assert.equal(back.version, '');
  assert.equal(back.cc, 0);
});

test('round trips: maps, repeated, enums as numbers, bytes as Buffer, timestamps', () => {
  const svc = isulaGrpc().containers.ContainerService.service;
  const list = svc.List.responseDeserialize(svc.List.responseSerialize({
    containers: [{ id: 'a', status: 3, restartcount: '7', created: '1732700000123456789' }],
  }));
  assert.equal(list.containers[0]?.status, 3);
  assert.equal(list.containers[0]?.restartcount, '7');
  assert.equal(list.containers[0]?.created, '1732700000123456789');
  const ev = svc.Events.responseDeserialize(svc.Events.responseSerialize({
    timestamp: { seconds: '1732700000', nanos: 5 }, opt: 'container start', id: 'x', annotations: { name: 'web' },
  }));
  assert.deepEqual(ev.annotations, { name: 'web' });
  assert.equal(ev.timestamp?.seconds, '1732700000');
  const out = svc.Attach.responseDeserialize(svc.Attach.responseSerialize({ stdout: Buffer.from('hi') }));
  assert.ok(Buffer.isBuffer(out.stdout));
  assert.equal(out.stdout.toString(), 'hi');
  const req = svc.List.requestDeserialize(svc.List.requestSerialize({ filters: { status: 'running' }, all: true }));
  assert.deepEqual(req.filters, { status: 'running' });
});

test('a non-object message is refused at serialization', () => {
  const svc = isulaGrpc().containers.ContainerService.service;
  assert.throws(() => svc.Version.requestSerialize([] as never));
});

test('clients get both the RPC name and its camelCase alias', () => {
  const Ctor = isulaGrpc().containers.ContainerService;
  assert.equal(typeof Ctor.prototype.Version, 'function');
  assert.equal(typeof Ctor.prototype.version, 'function');
  assert.equal(typeof Ctor.prototype.copyFromContainer, 'function');
});

test('ImagesService is part of the isula set', () => {
  assert.ok(isulaGrpc().images.ImagesService.service);
});
