// Credentials at rest: encrypted with a 0600 key in a 0700 dir, readable back, removable, and the
// password appears nowhere in plain text or plain base64.
import assert from 'node:assert/strict';
import { createDecipheriv } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CredentialStore, registryKey } from '../../../../src/image/registry/credentials.ts';

test('registry keys', () => {
  assert.equal(registryKey('https://Reg.Local:5000/v2/'), 'reg.local:5000');
  assert.equal(registryKey('index.docker.io'), 'docker.io');
  assert.throws(() => registryKey(''), /empty/);
});

test('set, get, remove; file modes; iSulad format', async () => {
  const root = mkdtempSync(join(tmpdir(), 'creds-'));
  const dir = join(root, '.isulad');
  try {
    const s = new CredentialStore(dir);
    assert.equal(await s.get('reg.local:5000'), undefined);
    await s.set('http://reg.local:5000', { username: 'alice', password: 'p@ss:word' });
    await s.set('other.example', { username: 'bob', password: 'x' });
    assert.deepEqual(await new CredentialStore(dir).get('reg.local:5000'), { username: 'alice', password: 'p@ss:word' });
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'aeskey')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'auths.json')).mode & 0o777, 0o600);
    const text = readFileSync(join(dir, 'auths.json'), 'utf8');
    assert.ok(!text.includes('p@ss'), 'no plain password');
    assert.ok(!text.includes(Buffer.from('alice:p@ss:word').toString('base64')), 'no plain base64 of user:password');
    // iSulad's layout: base64(IV16 || AES-256-CFB(base64("user:password"))).
    const raw = Buffer.from((JSON.parse(text) as { auths: Record<string, { auth: string }> }).auths['reg.local:5000']?.auth ?? '', 'base64');
    const d = createDecipheriv('aes-256-cfb', readFileSync(join(dir, 'aeskey')), raw.subarray(0, 16));
    const inner = Buffer.concat([d.update(raw.subarray(16)), d.final()]).toString();
    assert.equal(Buffer.from(inner, 'base64').toString(), 'alice:p@ss:word');
    assert.equal(await s.remove('reg.local:5000'), true);
    assert.equal(await s.remove('reg.local:5000'), false);
    assert.equal(await s.get('reg.local:5000'), undefined);
    assert.deepEqual(await s.get('other.example'), { username: 'bob', password: 'x' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
