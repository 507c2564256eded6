// create --platform: the local image must be of the asked platform (a missing variant matches).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkImagePlatform } from '../../../../src/services/containers/create.ts';
import type { ImageRecord } from '../../../../src/image/types.ts';

function image(architecture: string, variant?: string): ImageRecord {
  return {
    id: 'x', names: ['busybox:latest'], digests: [], topLayer: null, layers: [], size: 0, created: '', loaded: '',
    config: { architecture, os: 'linux', ...(variant ? { variant } : {}), rootfs: { type: 'layers', diff_ids: [] } },
  } as ImageRecord;
}

const cases = [
  { name: 'same arch', img: image('amd64'), want: 'linux/amd64', ok: true },
  { name: 'arch only, os defaults to linux', img: image('amd64'), want: 'amd64', ok: true },
  { name: 'alias aarch64', img: image('arm64', 'v8'), want: 'linux/aarch64', ok: true },
  { name: 'arm64 without variant matches v8', img: image('arm64'), want: 'linux/arm64/v8', ok: true },
  { name: 'arm v7 vs v6', img: image('arm', 'v7'), want: 'linux/arm/v6', ok: false },
  { name: 'other arch', img: image('arm64'), want: 'linux/amd64', ok: false },
  { name: 'other os', img: image('amd64'), want: 'windows/amd64', ok: false },
];
for (const c of cases) {
  test(`image platform: ${c.name}`, () => {
    if (c.ok) checkImagePlatform(c.img, 'busybox', c.want);
    else assert.throws(() => checkImagePlatform(c.img, 'busybox', c.want), /^EngineError: image busybox is linux\/\S+, not the requested platform /);
  });
}

test('a malformed --platform is invalid-argument', () => {
  assert.throws(() => checkImagePlatform(image('amd64'), 'busybox', 'a/b/c/d'), (e: Error & { kind?: string }) => e.kind === 'invalid-argument');
});
