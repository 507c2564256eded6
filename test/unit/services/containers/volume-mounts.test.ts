// Pure parts of volume resolution: -v forms, --volumes-from modes, what --volumes-from inherits,
// the users of a volume rebuilt from container records, and inspect's Mounts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inheritedMounts, parseVolumesFrom, volumeUsersOf } from '../../../../src/services/containers/volume-mounts.ts';
import { parseVolumeSpec } from '../../../../src/util/volume-spec.ts';
import { mountPointsOf } from '../../../../src/services/containers/inspect.ts';
import { defaultHostConfig } from '../../../../src/services/containers/create.ts';
import type { ContainerRecord, VolumeMountPoint } from '../../../../src/services/containers/types.ts';

const specCases = [
  { spec: '/data', want: { kind: 'volume', name: undefined, destination: '/data', readonly: false, nocopy: false } },
  { spec: '/data/', want: { kind: 'volume', name: undefined, destination: '/data', readonly: false, nocopy: false } },
  { spec: 'vol:/etc', want: { kind: 'volume', name: 'vol', destination: '/etc', readonly: false, nocopy: false } },
  { spec: 'vol:/etc:ro,nocopy', want: { kind: 'volume', name: 'vol', destination: '/etc', readonly: true, nocopy: true } },
  { spec: 'vol:/etc:rw,z', want: { kind: 'volume', name: 'vol', destination: '/etc', readonly: false, nocopy: false } },
  { spec: '/host:/dst:ro', want: { kind: 'bind', source: '/host', destination: '/dst', readonly: true, mode: 'ro' } },
  { spec: '/host:/dst/:rw,rslave', want: { kind: 'bind', source: '/host', destination: '/dst', readonly: false, propagation: 'rslave', mode: 'rw,rslave' } },
];
for (const c of specCases) test(`parseVolumeSpec ${c.spec}`, () => assert.deepEqual(parseVolumeSpec(c.spec), c.want));

const badSpecs = ['data', 'vol:rel', 'vol:/', '/', 'a:/b:c:d', ':/x', 'vol:/x:bogus', 'vol:/a/../b', '/a:/b:bogus'];
for (const s of badSpecs) test(`parseVolumeSpec refuses ${s}`, () => assert.throws(() => parseVolumeSpec(s), /invalid/));

test('parseVolumesFrom', () => {
  assert.deepEqual(parseVolumesFrom('web'), { ref: 'web', rw: undefined });
  assert.deepEqual(parseVolumesFrom('web:ro'), { ref: 'web', rw: false });
  assert.deepEqual(parseVolumesFrom('web:rw'), { ref: 'web', rw: true });
  assert.throws(() => parseVolumesFrom('web:xx'), /invalid mode/);
});

function rec(id: string, mountPoints: VolumeMountPoint[], binds: string[] = []): ContainerRecord {
  return { Id: id, HostConfig: { ...defaultHostConfig(), Binds: binds }, MountPoints: mountPoints } as unknown as ContainerRecord;
}
const vol = (name: string, dst: string, anon = false): VolumeMountPoint => ({ Type: 'volume', Name: name, Source: `/g/volumes/${name}/_data`, Destination: dst, RW: true, Anonymous: anon });

test('volumeUsersOf counts each container once per volume', () => {
  const users = volumeUsersOf([rec('a', [vol('v1', '/x'), vol('v1', '/y')]), rec('b', [vol('v1', '/x'), vol('v2', '/z')]), rec('c', [])]);
  assert.deepEqual([...users.entries()], [['v1', ['a', 'b']], ['v2', ['b']]]);
});

test('inheritedMounts: volumes and host binds of the source, volumes win a shared destination', () => {
  const src = rec('s', [vol('v1', '/x')], ['/h:/b:ro,rshared', 'named:/n', '/h2:/x']);
  assert.deepEqual(inheritedMounts(src), [
    vol('v1', '/x'),
    { Type: 'bind', Name: '', Source: '/h', Destination: '/b', RW: false, Anonymous: false, Propagation: 'rshared' },
  ]);
});

test('mountPointsOf lists volumes once, with driver local', () => {
  const r = rec('a', [vol('v1', '/x')], ['v1:/x', '/h:/b']);
  const m = mountPointsOf(r);
  assert.deepEqual(m.map((x) => [x.Type, x.Name, x.Destination, x.Driver, x.RW]), [['volume', 'v1', '/x', 'local', true], ['bind', '', '/b', '', true]]);
});
