import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { homeDir, resolveGlobalOptions } from '../../../src/cli/global-options.ts';

const noFlags = { values: new Map(), positionals: [] } as unknown as Parameters<typeof resolveGlobalOptions>[0];

test('homeDir() answers what os.homedir() answers: $HOME when set (even empty)', () => {
  const saved = process.env['HOME'];
  try {
    for (const h of ['/tmp/some-home', '', saved ?? '/root']) {
      process.env['HOME'] = h;
      assert.equal(homeDir(), homedir());
      assert.equal(homeDir(), h);
    }
  } finally {
    if (saved === undefined) delete process.env['HOME'];
    else process.env['HOME'] = saved;
  }
});

test('homeDir() without $HOME asks the passwd database, as os.homedir() does', () => {
  const env = { ...process.env };
  delete env['HOME'];
  const url = new URL('../../../src/cli/global-options.ts', import.meta.url).href;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e',
    `import { homeDir } from ${JSON.stringify(url)}; import { homedir } from 'node:os'; console.log(JSON.stringify([homeDir(), homedir()]));`],
  { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [ours, node] = JSON.parse(r.stdout) as [string, string];
  assert.equal(ours, node);
  assert.notEqual(ours, '');
});

test('the default TLS files are under $HOME/.iSulad unless ISULAD_CERT_PATH says otherwise', () => {
  const saved = process.env['HOME'];
  process.env['HOME'] = '/tmp/h';
  try {
    const o = resolveGlobalOptions(noFlags, noFlags, {});
    assert.equal(o.tls.ca, '/tmp/h/.iSulad/ca.pem');
    assert.equal(o.tls.key, '/tmp/h/.iSulad/key.pem');
    assert.equal(resolveGlobalOptions(noFlags, noFlags, { ISULAD_CERT_PATH: '/etc/c' }).tls.cert, '/etc/c/cert.pem');
  } finally {
    if (saved === undefined) delete process.env['HOME'];
    else process.env['HOME'] = saved;
  }
});
