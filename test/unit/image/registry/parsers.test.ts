// Pure parsers of the registry client: WWW-Authenticate, manifests, platforms, endpoints.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseWwwAuthenticate } from '../../../../src/image/registry/www-authenticate.ts';
import { parseManifest } from '../../../../src/image/registry/manifest.ts';
import { MT } from '../../../../src/image/registry/media-types.ts';
import { hostPlatform, parsePlatform, selectPlatform } from '../../../../src/image/registry/platform.ts';
import { resolveReference } from '../../../../src/image/registry/endpoints.ts';
import { chainIdsOf } from '../../../../src/image/registry/pull-image.ts';
import { schema1Payload } from '../../../../src/image/registry/client.ts';

const D = (c: string) => `sha256:${c.repeat(64)}`;

const authCases = [
  { name: 'bearer', h: 'Bearer realm="http://127.0.0.1:5057/token",service="reg",scope="repository:busybox:pull"', want: [{ scheme: 'bearer', params: { realm: 'http://127.0.0.1:5057/token', service: 'reg', scope: 'repository:busybox:pull' } }] },
  { name: 'basic', h: 'Basic realm="rtlab-registry"', want: [{ scheme: 'basic', params: { realm: 'rtlab-registry' } }] },
  { name: 'two challenges, escaped quote, token value', h: 'Basic realm="a\\"b", Bearer realm=x,error="insufficient_scope"', want: [{ scheme: 'basic', params: { realm: 'a"b' } }, { scheme: 'bearer', params: { realm: 'x', error: 'insufficient_scope' } }] },
  { name: 'scope with several actions', h: 'Bearer realm="r",scope="repository:a/b:pull,push"', want: [{ scheme: 'bearer', params: { realm: 'r', scope: 'repository:a/b:pull,push' } }] },
  { name: 'empty', h: '', want: [] },
];
for (const c of authCases) test(`www-authenticate: ${c.name}`, () => assert.deepEqual(parseWwwAuthenticate(c.h), c.want));

const image = (over: object = {}) =>
  Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT.ociManifest, config: { mediaType: MT.ociConfig, digest: D('a'), size: 10 }, layers: [{ mediaType: MT.ociLayerGzip, digest: D('b'), size: 20 }], ...over }));

test('manifest: OCI image', () => {
  const m = parseManifest(image());
  assert.equal(m.kind, 'image');
  if (m.kind === 'image') assert.deepEqual(m.layers.map((l) => l.size), [20]);
});

test('manifest: OCI index without mediaType is recognised by shape; platform kept', () => {
  const m = parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MT.ociManifest, digest: D('c'), size: 5, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }] })), 'application/json');
  assert.equal(m.kind, 'index');
  if (m.kind === 'index') assert.deepEqual(m.manifests[0]?.platform, { os: 'linux', architecture: 'arm64', variant: 'v8' });
});

const badManifests: Array<[string, Buffer, RegExp]> = [
  ['not JSON', Buffer.from('{'), /not JSON/],
  ['bad digest', image({ layers: [{ mediaType: MT.ociLayerGzip, digest: 'sha256:xyz', size: 1 }] }), /invalid digest/],
  ['negative size', image({ layers: [{ mediaType: MT.ociLayerGzip, digest: D('b'), size: -1 }] }), /invalid size/],
  ['fractional size', image({ layers: [{ mediaType: MT.ociLayerGzip, digest: D('b'), size: 1.5 }] }), /invalid size/],
  ['unknown layer type', image({ layers: [{ mediaType: 'application/x-thing', digest: D('b'), size: 1 }] }), /unsupported layer media type/],
  ['artifact config', image({ config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: D('a'), size: 1 } }), /unsupported config media type/],
  ['unknown manifest type', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/x-new' })), /unsupported manifest media type/],
  ['huge', Buffer.alloc((4 << 20) + 1, 0x20), /larger than/],
  ['schemaVersion 3', image({ schemaVersion: 3 }), /schemaVersion/],
];
for (const [name, bytes, re] of badManifests) {
  test(`manifest refused: ${name}`, () => assert.throws(() => parseManifest(bytes), (e: Error & { kind?: string }) => e.kind === 'invalid-argument' && re.test(e.message)));
}

test('manifest: schema1 is read bottom-up and throwaway layers are dropped', () => {
  const doc = {
    schemaVersion: 1,
    architecture: 'amd64',
    fsLayers: [{ blobSum: D('3') }, { blobSum: D('2') }, { blobSum: D('1') }],
    history: [{ v1Compatibility: JSON.stringify({ id: 'top', os: 'linux' }) }, { v1Compatibility: JSON.stringify({ id: 'mid', throwaway: true }) }, { v1Compatibility: JSON.stringify({ id: 'base' }) }],
  };
  const m = parseManifest(Buffer.from(JSON.stringify(doc)));
  assert.equal(m.kind, 'schema1');
  if (m.kind === 'schema1') {
    assert.deepEqual(m.layers.map((l) => l.digest), [D('1'), D('3')]);
    assert.equal(m.top.id, 'top');
  }
});

test('schema1 payload: signatures removed via formatLength/formatTail', () => {
  const payload = '{\n   "schemaVersion": 1,\n   "name": "x"\n}';
  const formatLength = payload.length - 2; // everything before the closing "\n}"
  const prot = Buffer.from(JSON.stringify({ formatLength, formatTail: Buffer.from('\n}').toString('base64url') })).toString('base64url');
  const signed = `${payload.slice(0, formatLength)},\n   "signatures": [{"protected": "${prot}"}]\n}`;
  assert.equal(schema1Payload(Buffer.from(signed)).toString(), payload);
});

const platformCases: Array<[string, string, string[], number]> = [
  ['amd64 picks amd64', 'linux/amd64', ['linux/arm64/v8', 'linux/amd64'], 1],
  ['arm64 matches entry without variant', 'linux/arm64', ['linux/amd64', 'linux/arm64'], 1],
  ['exact variant beats missing variant', 'linux/arm/v7', ['linux/arm', 'linux/arm/v7'], 1],
  ['other variant refused', 'linux/arm/v7', ['linux/arm/v6'], -1],
  ['os must match', 'linux/amd64', ['windows/amd64'], -1],
  ['aarch64 alias', 'linux/aarch64', ['linux/arm64/v8'], 0],
];
for (const [name, want, have, idx] of platformCases) {
  test(`platform: ${name}`, () => {
    // entries "without variant" must really lack it (parsePlatform would add arm64's v8)
    const entries = have.map((h) => ({ platform: h.split('/').length === 2 ? parsePlatformRaw(h) : parsePlatform(h) }));
    assert.equal(selectPlatform(entries, parsePlatform(want)), idx);
  });
}
function parsePlatformRaw(s: string) {
  const [os, architecture] = s.split('/') as [string, string];
  return { os, architecture };
}

test('platform: host default', () => {
  assert.deepEqual(hostPlatform('x64'), { os: 'linux', architecture: 'amd64' });
  assert.deepEqual(hostPlatform('arm64'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
  assert.deepEqual(hostPlatform('arm'), { os: 'linux', architecture: 'arm', variant: 'v7' });
  assert.throws(() => parsePlatform('a/b/c/d'), /invalid platform/);
});

test('chain IDs', () => {
  const ids = chainIdsOf([D('a'), D('b')]);
  assert.equal(ids[0], D('a'));
  assert.match(ids[1] as string, /^sha256:[a-f0-9]{64}$/);
  assert.notEqual(ids[1], D('b'));
});

test('endpoints: mirrors for unqualified names, library/ added, none configured is an error', () => {
  const certs = mkdtempSync(join(tmpdir(), 'certs-'));
  try {
    const s = { mirrors: ['mirror.local:5000', 'https://m2.example'], insecure: ['mirror.local:5000'], certsDir: certs };
    const r = resolveReference('busybox', s);
    assert.equal(r.reference, 'latest');
    assert.deepEqual(r.sources.map((x) => [x.endpoint.url.href, x.remoteRepo, x.endpoint.insecure]), [
      ['https://mirror.local:5000/', 'library/busybox', true],
      ['https://m2.example/', 'library/busybox', false],
    ]);
    assert.equal(resolveReference('foo/bar:1', s).sources[0]?.remoteRepo, 'foo/bar');
    assert.throws(() => resolveReference('busybox', { ...s, mirrors: [] }), /no host found/);
    assert.deepEqual(resolveReference('docker.io/busybox', s).sources.map((x) => [x.endpoint.host, x.remoteRepo]), [['registry-1.docker.io', 'library/busybox']]);
    // per-host override from a `mirrors` file in certs.d, and CA files picked up
    mkdirSync(join(certs, 'registry.k8s.io'));
    writeFileSync(join(certs, 'registry.k8s.io', 'mirrors'), '# local mirror for critest\nhttp://127.0.0.1:5999\n');
    writeFileSync(join(certs, 'registry.k8s.io', 'ca.crt'), 'PEM');
    const k = resolveReference('registry.k8s.io/pause:3.9', s);
    assert.deepEqual(k.sources.map((x) => [x.endpoint.url.href, x.remoteRepo]), [
      ['http://127.0.0.1:5999/', 'pause'],
      ['https://registry.k8s.io/', 'pause'],
    ]);
    assert.equal(k.sources[1]?.endpoint.tls.ca?.[0]?.toString(), 'PEM');
    const d = resolveReference(`reg.local:5000/a/b@${D('e')}`, { ...s, endpointOverrides: { 'reg.local:5000': ['http://127.0.0.1:1'] } });
    assert.equal(d.reference, D('e'));
    assert.deepEqual(d.sources.map((x) => x.remoteRepo), ['a/b', 'a/b']);
  } finally {
    rmSync(certs, { recursive: true, force: true });
  }
});
