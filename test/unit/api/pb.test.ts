// The codec of the CLI and the daemon (src/api/pb.ts) against protobufjs with the conversion
// options the daemon used before it (src/api/service-def.ts), for EVERY message of every proto,
// CRI included: each side decodes what the other encodes into the same object, empty messages
// get the same defaults.
import '../../helpers/proto-text-hooks.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import type { Descriptor } from '../../../src/api/pb.ts';

const { CONVERSION } = await import('../../../src/api/service-def.ts');
const { Registry, encodeMessage, decodeMessage } = await import('../../../src/api/pb.ts');
const { default: containersProto } = await import('../../../proto/containers.proto');
const { default: volumesProto } = await import('../../../proto/volumes.proto');
const { default: imagesProto } = await import('../../../proto/images.proto');
const { default: networksProto } = await import('../../../proto/networks.proto');
const { default: criProto } = await import('../../../proto/cri.proto');

function rootOf(text: string): protobuf.Root {
  const root = new protobuf.Root();
  const parsed = protobuf.parse(text, root, { keepCase: true });
  for (const imp of parsed.imports ?? []) root.addJSON(protobuf.common.get(imp)?.nested ?? {});
  root.resolveAll();
  return root;
}

function messages(ns: protobuf.NamespaceBase, out: protobuf.Type[] = []): protobuf.Type[] {
  for (const c of ns.nestedArray) {
    if (c instanceof protobuf.Type) out.push(c);
    if (c instanceof protobuf.Namespace || c instanceof protobuf.Type) messages(c as protobuf.NamespaceBase, out);
  }
  return out;
}

const SAMPLE: Record<string, unknown> = {
  string: 'x é, "1"',
  int32: -5,
  uint32: 4000000000,
  sint32: -7,
  int64: '-9007199254740993',
  uint64: '18446744073709551615',
  sint64: '-3',
  fixed64: '77',
  sfixed64: '-77',
  fixed32: 9,
  sfixed32: -9,
  bool: true,
  bytes: Buffer.from([0, 1, 255]),
  double: 1.25,
  float: 0.5,
};

function sample(t: protobuf.Type, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const f of t.fieldsArray) {
    f.resolve();
    let one: () => unknown;
    if (f.resolvedType instanceof protobuf.Type) {
      if (depth > 2) continue;
      const rt = f.resolvedType;
      one = () => sample(rt, depth + 1);
    } else if (f.resolvedType instanceof protobuf.Enum) {
      const values = Object.values(f.resolvedType.values);
      one = () => values[values.length - 1];
    } else one = () => SAMPLE[f.type];
    if (f.map) o[f.name] = { a: one(), 'b,c': one() };
    else if (f.repeated) o[f.name] = [one(), one()];
    else o[f.name] = one();
  }
  return o;
}

const PROTOS = [['containers', containersProto], ['volumes', volumesProto], ['images', imagesProto], ['networks', networksProto], ['cri', criProto]] as const;
for (const [file, text] of PROTOS) {
  test(`pb.ts and protobufjs agree on every message of ${file}.proto`, async () => {
    const root = rootOf(text);
    const { default: descriptor } = await import(`../../../proto/${file}.proto?descriptor`);
    const reg = new Registry(descriptor as Descriptor);
    const types = messages(root).filter((t) => !t.fullName.startsWith('.google.'));
    assert.ok(types.length > 5);
    for (const t of types) {
      const name = t.fullName.slice(1);
      const mine = reg.message(name);
      const theirsOf = (buf: Uint8Array) => t.toObject(t.decode(buf), CONVERSION);
      // empty: the same defaults
      assert.deepEqual(decodeMessage(mine, Buffer.alloc(0)), theirsOf(new Uint8Array(0)), `${name} defaults`);
      const obj = sample(t, 0);
      const theirBytes = t.encode(t.fromObject(obj)).finish();
      const expected = theirsOf(theirBytes);
      assert.deepEqual(decodeMessage(mine, Buffer.from(theirBytes)), expected, `${name}: pb decodes protobufjs`);
      assert.deepEqual(theirsOf(encodeMessage(mine, obj)), expected, `${name}: protobufjs decodes pb`);
    }
  });
}

test('pb.ts: lenient input as protobufjs fromObject (numbers for int64, enum names, base64 bytes, nulls)', async () => {
  const root = rootOf(containersProto);
  const { default: descriptor } = await import('../../../proto/containers.proto?descriptor');
  const reg = new Registry(descriptor as Descriptor);
  const t = root.lookupType('containers.Container');
  const obj = { id: 'a', created: 12, restartcount: 3, status: 'RUNNING', pid: null, name: undefined, ram: 2 };
  const expected = t.toObject(t.decode(t.encode(t.fromObject(obj)).finish()), CONVERSION);
  assert.deepEqual(t.toObject(t.decode(encodeMessage(reg.message('containers.Container'), obj)), CONVERSION), expected);
  const bytesType = root.lookupType('containers.AttachRequest');
  const enc = encodeMessage(reg.message('containers.AttachRequest'), { stdin: Buffer.from('hi').toString('base64') });
  assert.equal(String(bytesType.toObject(bytesType.decode(enc), CONVERSION)['stdin']), 'hi');
  assert.throws(() => decodeMessage(reg.message('containers.Container'), Buffer.from([0x0a, 0x05, 0x61])), RangeError);
});

test('pb.ts decoding: unknown fields of every wire type and known fields of the wrong wire type are skipped; the last value wins', async () => {
  const { default: descriptor } = await import('../../../proto/containers.proto?descriptor');
  const reg = new Registry(descriptor as Descriptor);
  const type = reg.message('containers.Container');
  const known = encodeMessage(type, { id: 'abc', pid: 7, name: 'n1', exit_code: 3 });
  const tag = (id: number, wire: number) => { const out: number[] = []; let v = id * 8 + wire; while (v > 0x7f) { out.push((v & 0x7f) | 0x80); v = Math.floor(v / 128); } out.push(v); return out; };
  const junk = Buffer.from([
    ...tag(1000, 0), 0x96, 0x01, // varint, two bytes
    ...tag(2001, 1), 1, 2, 3, 4, 5, 6, 7, 8, // fixed64
    ...tag(3002, 2), 3, 9, 9, 9, // length-delimited
    ...tag(4003, 5), 1, 2, 3, 4, // fixed32
    ...tag(2, 2), 1, 0x41, // pid (a varint field) as length-delimited: skipped
  ]);
  const again = encodeMessage(type, { name: 'n2' });
  const got = decodeMessage(type, Buffer.concat([known, junk, again]));
  assert.equal(got['id'], 'abc');
  assert.equal(got['pid'], 7);
  assert.equal(got['exit_code'], 3);
  assert.equal(got['name'], 'n2');
  assert.equal(got['image'], '');
  // each message gets its own repeated/map containers
  const a = decodeMessage(reg.message('containers.ListResponse'), Buffer.alloc(0));
  const b = decodeMessage(reg.message('containers.ListResponse'), Buffer.alloc(0));
  assert.notEqual(a['containers'], b['containers']);
  assert.throws(() => decodeMessage(type, Buffer.from([...tag(1, 2), 5, 0x41])), RangeError);
});

test('pb.ts encoding: sub-messages written in place whose length needs 1, 2 or 3 bytes, int64 fast and BigInt paths; protobufjs reads the same', async () => {
  const { default: descriptor } = await import('../../../proto/containers.proto?descriptor');
  const reg = new Registry(descriptor as Descriptor);
  const type = reg.message('containers.ListResponse');
  const t = rootOf(containersProto).lookupType('containers.ListResponse');
  const list = [125, 126, 127, 128, 300, 16381, 16382, 16383, 16384, 70000].map((n, i) => ({ id: 'x'.repeat(n), name: `n${i}`, restartcount: String(i) }));
  const obj = {
    containers: [
      ...list,
      { command: 'é'.repeat(70), restartcount: '18446744073709551615', pid: -5 },
      { restartcount: 123456789012345, image: '' },
      { restartcount: '9007199254740993' },
    ],
    errmsg: 'e',
  };
  const buf = encodeMessage(type, obj);
  const back = t.toObject(t.decode(buf), CONVERSION) as { containers: Record<string, unknown>[]; errmsg: string };
  assert.equal(back.errmsg, 'e');
  assert.equal(back.containers.length, list.length + 3);
  list.forEach((c, i) => {
    assert.equal(back.containers[i]?.['id'], c.id);
    assert.equal(back.containers[i]?.['name'], c.name);
    assert.equal(back.containers[i]?.['restartcount'], String(i));
  });
  assert.equal(back.containers[list.length]?.['command'], 'é'.repeat(70));
  assert.equal(back.containers[list.length]?.['restartcount'], '18446744073709551615');
  assert.equal(back.containers[list.length]?.['pid'], -5);
  assert.equal(back.containers[list.length + 1]?.['restartcount'], '123456789012345');
  assert.equal(back.containers[list.length + 2]?.['restartcount'], '9007199254740993');
  assert.deepEqual(decodeMessage(type, buf), back);
});

test('pb.ts keepEncoding: a kept sub-message is encoded once and its bytes reused, per field and type; the bytes equal a fresh encoding', async () => {
  const { default: descriptor } = await import('../../../proto/containers.proto?descriptor');
  const { keepEncoding } = await import('../../../src/api/pb.ts');
  const reg = new Registry(descriptor as Descriptor);
  const list = reg.message('containers.ListResponse');
  // sub-messages whose length needs 1 and 2 bytes, and one never marked
  const small = keepEncoding({ id: 'a', name: 'n1', restartcount: '3', status: 3 });
  const big = keepEncoding({ id: 'b'.repeat(300), command: 'é'.repeat(10) });
  const plain = { id: 'c' };
  const obj = { containers: [small, big, plain], errmsg: '' };
  const fresh = encodeMessage(list, { containers: [{ ...small }, { ...big }, { ...plain }], errmsg: '' });
  const first = encodeMessage(list, obj);
  assert.deepEqual(first, fresh);
  // The contract is that a kept object never changes; changing one anyway shows the reuse: the
  // second encoding still carries the first bytes, while the unmarked object is encoded anew.
  (small as { name: string }).name = 'changed';
  plain.id = 'd';
  const second = encodeMessage(list, obj);
  const back = decodeMessage(list, second) as { containers: { id: string; name: string }[] };
  assert.equal(back.containers[0]?.name, 'n1');
  assert.equal(back.containers[1]?.id, 'b'.repeat(300));
  assert.equal(back.containers[2]?.id, 'd');
  // the same object encoded as a whole message of another type is encoded for that type
  const one = reg.message('containers.InspectContainerRequest');
  assert.deepEqual(decodeMessage(one, encodeMessage(one, small)), decodeMessage(one, encodeMessage(one, { ...small })));
});
