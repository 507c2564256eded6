import '../../helpers/proto-text-hooks.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const { isulaGrpc, isulaPackageDefinition } = await import('../../../src/api/protos.ts');

const CONTAINER_RPCS = [
  'Create', 'Start', 'RemoteStart', 'Top', 'Stop', 'Restart', 'Kill', 'Delete', 'Pause', 'Resume', 'Inspect', 'List',
  'Stats', 'Wait', 'Events', 'Exec', 'RemoteExec', 'Version', 'Info', 'Update', 'Attach', 'Export',
  'CopyFromContainer', 'CopyToContainer', 'Rename', 'Logs', 'Resize',
];

test('ContainerService has every iSulad RPC with the right streaming shape', () => {
  const svc = isulaGrpc().containers.ContainerService.service;
  assert.deepEqual(Object.keys(svc).sort(), [...CONTAINER_RPCS].sort());
  const shape = (n: string) => `${svc[n as 'Version'].requestStream ? 's' : 'u'}${svc[n as 'Version'].responseStream ? 's' : 'u'}`;
  for (const n of ['RemoteStart', 'RemoteExec', 'Attach']) assert.equal(shape(n), 'ss', n);
  for (const n of ['Events', 'CopyFromContainer', 'Logs']) assert.equal(shape(n), 'us', n);
  assert.equal(shape('CopyToContainer'), 'su');
  assert.equal(shape('Create'), 'uu');
  assert.equal(svc.Version.path, '/containers.ContainerService/Version');
});

test('VolumeService: List, Remove, Prune', () => {
  assert.deepEqual(Object.keys(isulaGrpc().volume.VolumeService.service).sort(), ['List', 'Prune', 'Remove']);
});

test('the definition is built once and int64 fields decode as strings with defaults', () => {
  assert.equal(isulaPackageDefinition(), isulaPackageDefinition());
  const info = isulaPackageDefinition()['containers.InfoResponse'];
  assert.ok(info && 'format' in info);
  const svc = isulaGrpc().containers.ContainerService.service;
  const bytes = svc.Info.responseSerialize({ total_mem: '25769803776', cpus: 2 });
  const back = svc.Info.responseDeserialize(bytes);
  assert.equal(back.total_mem, '25769803776');
  assert.equal(back.cpus, 2);
  assert.equal(back.version, '');
  assert.equal(back.cc, 0);
});
