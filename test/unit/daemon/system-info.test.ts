import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hugePageSizeFromMeminfo, prettyNameFromOsRelease } from '../../../src/daemon/system-info.ts';

test('PRETTY_NAME from os-release', () => {
  assert.equal(prettyNameFromOsRelease('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(prettyNameFromOsRelease("PRETTY_NAME='openEuler 22.03'"), 'openEuler 22.03');
  assert.equal(prettyNameFromOsRelease('NAME=x\n'), undefined);
});

const pages = [
  { text: 'MemTotal: 1 kB\nHugepagesize:       2048 kB\n', want: '2MB' },
  { text: 'Hugepagesize:    1048576 kB\n', want: '1GB' },
  { text: 'Hugepagesize:         64 kB\n', want: '64KB' },
  { text: 'MemTotal: 1 kB\n', want: '' },
];
for (const c of pages) test(`hugepage size ${c.want || 'none'}`, () => assert.equal(hugePageSizeFromMeminfo(c.text), c.want));
