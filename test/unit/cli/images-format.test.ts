import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCreated, formatImages } from '../../../src/cli/commands/images.ts';
import type { Image__Output } from '../../../src/api/generated/images/Image.ts';

function image(id: string, tags: string[], created: string, size: number): Image__Output {
  return { name: tags[0] ?? '', labels: {}, target: null, created_at: created, updated_at: created, id, repo_tags: tags, repo_digests: [], size: String(size) };
}

test('images table: one row per tag, <none> for untagged, newest first, iSulad sizes', () => {
  const a = 'a'.repeat(64);
  const b = 'b'.repeat(64);
  const out = formatImages(
    [image(a, ['busybox:latest', 'localhost:5000/x:1'], '2024-01-01T00:00:00Z', 1314816), image(b, [], '2024-06-01T00:00:00Z', 512)],
    false,
  );
  const lines = out.trimEnd().split('\n');
  assert.match(lines[0] as string, /^REPOSITORY\s{3,}TAG\s{3,}IMAGE ID\s{3,}CREATED\s{3,}SIZE$/);
  assert.match(lines[1] as string, new RegExp(`^<none>\\s+<none>\\s+${b.slice(0, 12)}\\s+${formatCreated('2024-06-01T00:00:00Z')}\\s+512B$`));
  assert.match(lines[2] as string, /^busybox\s+latest\s+aaaaaaaaaaaa\s+.*\s+1\.254MB$/);
  assert.match(lines[3] as string, /^localhost:5000\/x\s+1\s+aaaaaaaaaaaa/);
  assert.equal(formatImages([image(a, ['x:1', 'y:2'], '2024-01-01T00:00:00Z', 1)], true), 'aaaaaaaaaaaa\n');
});

test('created is local YYYY-MM-DD HH:MM:SS', () => {
  const s = formatCreated('2024-03-04T05:06:07Z');
  assert.match(s, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  const d = new Date('2024-03-04T05:06:07Z');
  assert.equal(Number(s.slice(11, 13)), d.getHours());
  assert.equal(formatCreated('garbage'), '-');
});
