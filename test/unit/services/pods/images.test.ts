import assert from 'node:assert/strict';
import { test } from 'node:test';
import { credentialsOf, userOfImage } from '../../../../src/services/pods/images.ts';

test('userOfImage: USER → uid or username (CRI ImageStatus)', () => {
  const rows: Array<[string | undefined, ReturnType<typeof userOfImage>]> = [
    [undefined, { username: '' }],
    ['', { username: '' }],
    ['1002', { uid: 1002, username: '' }],
    ['www-data', { username: 'www-data' }],
    ['1003:1004', { uid: 1003, username: '' }],
    ['www-data:1004', { username: 'www-data' }],
    ['0', { uid: 0, username: '' }],
  ];
  for (const [user, want] of rows) assert.deepEqual(userOfImage(user), want, String(user));
});

test('credentialsOf: username/password, else base64 auth, else none', () => {
  const base = { username: '', password: '', auth: '', serverAddress: '', identityToken: '', registryToken: '' };
  assert.equal(credentialsOf(undefined), undefined);
  assert.equal(credentialsOf(base), undefined);
  assert.deepEqual(credentialsOf({ ...base, username: 'u', password: 'p' }), { username: 'u', password: 'p' });
  assert.deepEqual(credentialsOf({ ...base, auth: Buffer.from('me:pa:ss').toString('base64') }), { username: 'me', password: 'pa:ss' });
  assert.throws(() => credentialsOf({ ...base, auth: Buffer.from('nocolon').toString('base64') }), /user:password/);
});
