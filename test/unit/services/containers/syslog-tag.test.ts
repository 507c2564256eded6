import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandSyslogTag, syslogTargetOf } from '../../../../src/services/containers/syslog-tag.ts';
import { loggerCommand } from '../../../../src/runtime/syslog.ts';

const facts = { id: 'a'.repeat(12) + 'b'.repeat(52), name: 'web', imageId: 'sha256:' + 'c'.repeat(64), imageName: 'busybox:latest' };

test('syslog-tag: iSulad placeholders expanded, an unknown one refused with iSulad words', () => {
  assert.equal(expandSyslogTag('{{.ID}}|{{.FullID}}|{{ .Name }}|{{.ImageID}}|{{.ImageName}}|{{.DaemonName}}', facts),
    `${'a'.repeat(12)}|${facts.id}|web|${'c'.repeat(12)}|busybox:latest|iSulad`);
  assert.equal(expandSyslogTag('{{.ImageFullID}}', facts), 'c'.repeat(64));
  assert.equal(expandSyslogTag('plain', facts), 'plain');
  assert.throws(() => expandSyslogTag('x{{.Nope}}', facts), /container syslog tag: unsupport: x\{\{\.Nope\}\}/);
});

test('syslog target: defaults (short id, daemon), the address without its scheme; other drivers none', () => {
  assert.deepEqual(syslogTargetOf({ Type: 'syslog', Config: {} }, facts), { tag: 'a'.repeat(12), facility: 'daemon' });
  assert.deepEqual(syslogTargetOf({ Type: 'syslog', Config: { 'syslog-tag': '{{.Name}}', 'syslog-facility': 'local3', 'syslog-address': 'unixgram:///run/x.sock' } }, facts),
    { tag: 'web', facility: 'local3', address: '/run/x.sock' });
  assert.equal(syslogTargetOf({ Type: 'json-file', Config: {} }, facts), undefined);
});

test('loggerCommand: stdout at info, stderr at err, quoted for sh', () => {
  assert.equal(loggerCommand('/usr/bin/logger', { tag: "it's", facility: 'user' }, 'stdout'), `'/usr/bin/logger' '--socket-errors=off' '-t' 'it'\\''s' '-p' 'user.info'`);
  assert.equal(loggerCommand('/usr/bin/logger', { tag: 't', facility: 'local3', address: '/s' }, 'stderr'), `'/usr/bin/logger' '--socket-errors=off' '-t' 't' '-p' 'local3.err' '-u' '/s'`);
});
