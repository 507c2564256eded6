import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globToRegExp, imageMatcher, parseFilterArgs } from '../../../../src/services/images/list-filter.ts';
import { imageInspectFrom } from '../../../../src/services/images/image-json.ts';
import type { ImageRecord } from '../../../../src/image/types.ts';

function img(id: string, names: string[], created: string, labels: Record<string, string> = {}, user = ''): ImageRecord {
  return {
    id: id.repeat(64 / id.length),
    names,
    digests: [],
    topLayer: null,
    layers: [],
    size: 10,
    created,
    loaded: created,
    config: { architecture: 'amd64', os: 'linux', config: { Labels: labels, User: user }, rootfs: { type: 'layers', diff_ids: [] } },
  };
}

const all = [
  img('a', ['busybox:latest', 'busybox:1'], '2024-01-01T00:00:00Z', { tier: 'base' }),
  img('b', ['app/web:v1'], '2024-02-01T00:00:00Z', { tier: 'app', team: 'x' }),
  img('c', [], '2024-03-01T00:00:00Z'),
];
const resolve = (ref: string) => all.find((i) => i.names.includes(ref.includes(':') ? ref : `${ref}:latest`));
const ids = (f: string[]) => all.filter(imageMatcher(parseFilterArgs(f), resolve)).map((i) => i.id[0]);

const cases: Array<[string[], string[]]> = [
  [[], ['a', 'b', 'c']],
  [['dangling=true'], ['c']],
  [['dangling=false'], ['a', 'b']],
  [['label=tier'], ['a', 'b']],
  [['label=tier=app'], ['b']],
  [['label=tier', 'label=team=x'], ['b']],
  [['before=app/web:v1'], ['a']],
  [['since=busybox'], ['b', 'c']],
  [['reference=busybox'], ['a']],
  [['reference=busybox:1'], ['a']],
  [['reference=app/*'], ['b']],
  [['reference=*'], ['a']],
  [['reference=*/*:v?'], ['b']],
];
for (const [f, want] of cases) test(`filter ${f.join(' ') || '(none)'}`, () => assert.deepEqual(ids(f), want));

test('bad filters are invalid-argument', () => {
  assert.throws(() => parseFilterArgs(['nope=1']), { kind: 'invalid-argument' });
  assert.throws(() => parseFilterArgs(['dangling']), { kind: 'invalid-argument' });
  assert.throws(() => ids(['dangling=maybe']), { kind: 'invalid-argument' });
  assert.throws(() => ids(['before=missing']), { kind: 'invalid-argument' });
});

test('glob wildcards do not cross slashes', () => {
  assert.ok(globToRegExp('a*').test('abc'));
  assert.ok(!globToRegExp('a*').test('a/b'));
  assert.ok(globToRegExp('a.b').test('a.b') && !globToRegExp('a.b').test('axb'));
});

test('image inspect JSON carries iSulad fields', () => {
  const j = imageInspectFrom(img('d', ['x:1'], '2024-01-01T00:00:00Z', {}, '1000:1000'));
  assert.equal(j.image.id, 'd'.repeat(64));
  assert.deepEqual(j.image.repo_tags, ['x:1']);
  assert.deepEqual(j.image.uid, { value: 1000 });
  assert.equal(j.image.username, undefined);
  assert.equal(j.image.Spec.architecture, 'amd64');
  assert.equal(imageInspectFrom(img('e', [], '2024-01-01T00:00:00Z', {}, 'nobody')).image.username, 'nobody');
});
